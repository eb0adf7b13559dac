import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { QuireBackend } from '../../src/main/backend'
import { dispatchApiCallToOutcome } from '../../src/main/api-dispatch'
import { PackedLayerCache } from '../../src/main/services/packed-layer-cache'
import { packApiAnswer, unpackApiAnswer } from '../../src/shared/api-payloads'
import { asUtf16, type Annotation, type DocumentContent } from '../../src/shared/model'
import { unpackAnnotations } from '../../src/shared/packed-annotations'
import { makeTempFolder } from '../fixtures/temp-folder'

const TEXT = 'Emin Amrullayev met ISESCO in Baku.'

function span(id: string, start: number, end: number): Annotation {
  return {
    id,
    start: asUtf16(start),
    end: asUtf16(end),
    tag: 'ORG',
    text: TEXT.slice(start, end),
    annotator: 'Ayla',
    createdAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
    provenance: { source: 'manual' }
  }
}

describe('PackedLayerCache', () => {
  it('gives the same packing while the layer is as it was, and packs again once it changed', () => {
    const cache = new PackedLayerCache()
    const annotations = [span('a', 20, 26)]
    const first = cache.packed('doc\nAyla', annotations, 1, TEXT)
    expect(cache.packed('doc\nAyla', annotations, 1, TEXT)).toBe(first)
    // Layers change their array in place and count the change in their revision.
    annotations.push(span('b', 30, 34))
    const second = cache.packed('doc\nAyla', annotations, 2, TEXT)
    expect(unpackAnnotations(second, TEXT)).toStrictEqual(annotations)
    expect(cache.packed('doc\nAyla', [...annotations], 2, TEXT)).not.toBe(second)
    expect(cache.packed('doc\nAyla', annotations, 2, `${TEXT} More.`)).not.toBe(second)
  })

  it('packs a layer stored out of index order in index order, so the window need not sort it', () => {
    const cache = new PackedLayerCache()
    // As a stored layer may hold them: the shorter of two same-start spans first, then an earlier span.
    const stored = [span('inner', 20, 26), span('outer', 20, 34), span('early', 0, 4)]
    const sent = unpackAnnotations(cache.packed('doc\nAyla', stored, 1, TEXT), TEXT)
    expect(sent.map((annotation) => annotation.id)).toStrictEqual(['early', 'outer', 'inner'])
    expect(sent.map((annotation) => annotation.text)).toStrictEqual(['Emin', 'ISESCO in Baku', 'ISESCO'])
    expect(stored.map((annotation) => annotation.id)).toStrictEqual(['inner', 'outer', 'early'])
  })

  it('keeps only the layers opened last', () => {
    const cache = new PackedLayerCache()
    const layers = [0, 1, 2, 3, 4].map((index) => [span(`s${index}`, 20, 26)])
    const packings = layers.map((annotations, index) => cache.packed(`doc${index}\nAyla`, annotations, 1, TEXT))
    expect(cache.packed('doc4\nAyla', layers[4] as Annotation[], 1, TEXT)).toBe(packings[4])
    expect(cache.packed('doc0\nAyla', layers[0] as Annotation[], 1, TEXT)).not.toBe(packings[0])
  })
})

describe('getDocument on the wire', () => {
  it('sends the layer packed once while it is unchanged, and as it now is after an edit', async () => {
    const root = await makeTempFolder()
    const backend = new QuireBackend({
      userDataDir: join(root, 'user-data'),
      sampleTextsDir: join(import.meta.dirname, '..', '..', 'resources', 'sample-project'),
      edition: 'browser',
      version: 'test',
      osUserName: 'Ayla',
      dialogs: null
    })
    await backend.setAnnotatorName('Ayla')
    await backend.openSampleProject()
    const [document] = await backend.listDocuments('Ayla')
    if (!document) throw new Error('the sample project lists no document')
    const layer = { documentId: document.id, annotator: 'Ayla' }
    const packings = vi.spyOn(PackedLayerCache.prototype, 'packed')
    const answer = async (): Promise<Uint8Array> => {
      const outcome = await dispatchApiCallToOutcome(backend, 'getDocument', [layer])
      if (!outcome.ok) throw new Error(outcome.error.message)
      return outcome.value as Uint8Array
    }
    const first = await answer()
    expect(await answer()).toEqual(first)
    const packed = (call: number): unknown => packings.mock.results[call]?.value
    expect(packed(1)).toBe(packed(0))
    const text = (unpackApiAnswer('getDocument', first) as DocumentContent).text
    const start = text.indexOf('ICESCO')
    expect(start).toBeGreaterThanOrEqual(0)
    await backend.applyAnnotationEdits(layer, [{ op: 'add', annotation: { id: 'icesco', start: asUtf16(start), end: asUtf16(start + 6), tag: 'ORG' } }])
    const afterEdit = await answer()
    expect(packed(2)).not.toBe(packed(0))
    packings.mockRestore()
    const sent = unpackApiAnswer('getDocument', afterEdit) as DocumentContent
    expect(sent.annotations).toStrictEqual((await backend.getDocument(layer)).annotations)
    expect(sent.annotations.map((annotation) => annotation.id)).toContain('icesco')

    // Sending a document does not copy its annotations; read later, they are the layer as it was asked for.
    const content = await backend.getDocument(layer)
    packApiAnswer('getDocument', content)
    expect(Object.getOwnPropertyDescriptor(content, 'annotations')?.get).toBeDefined()
    await backend.applyAnnotationEdits(layer, [{ op: 'delete', id: 'icesco' }])
    expect(content.annotations.map((annotation) => annotation.id)).toContain('icesco')
    expect(Object.getOwnPropertyDescriptor(content, 'annotations')?.get).toBeUndefined()
    expect((await backend.getDocument(layer)).annotations.map((annotation) => annotation.id)).not.toContain('icesco')
    await backend.closeProject()
  })
})
