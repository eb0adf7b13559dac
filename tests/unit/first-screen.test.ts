// The first screen a start carries of the long document it leaves out (src/main/first-screen.ts):
// the text's first blocks, exactly as the whole text's, and copies of the spans within them only.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { firstBlocksEnd } from '../../src/core/text-blocks'
import { asUtf16, type AnnotationEdit } from '../../src/shared/model'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { DocumentService } from '../../src/main/services/document-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { firstScreenOf } from '../../src/main/first-screen'
import { makeTempFolder } from '../fixtures/temp-folder'

const LINE = 'Leyla Taghizade met the delegation of ICESCO in Baku on Monday.\n'
const TEXT = LINE.repeat(500)

async function documentWithSpans(spans: [string, number, number][]) {
  const root = await makeTempFolder()
  const settings = await SettingsService.open(join(root, 'user-data'))
  await settings.setAnnotatorName('Leyla')
  const projects = new ProjectService(settings)
  await projects.create(join(root, 'project'), 'P')
  const report = await new ImportService(projects, MAX_IMPORT_BYTES).importTexts([{ name: 'long.txt', bytes: new TextEncoder().encode(TEXT) }], 'Leyla')
  const layer = { documentId: report.imported[0]?.documentId as string, annotator: 'Leyla' }
  const edits: AnnotationEdit[] = spans.map(([id, start, end]) => ({ op: 'add', annotation: { id, start: asUtf16(start), end: asUtf16(end), tag: 'PERSON' } }))
  await new AnnotationService(projects).applyEdits(layer, edits)
  return new DocumentService(projects, new LayerService(projects)).get(layer)
}

describe('firstScreenOf', () => {
  it("carries the text's first blocks and the spans ending within them, and the whole text's length", async () => {
    const wanted = 10_000
    const end = firstBlocksEnd(TEXT, wanted)
    expect(end % LINE.length).toBe(0)
    const content = await documentWithSpans([
      ['first', 0, 15],
      ['last-within', end - LINE.length, end - LINE.length + 15],
      ['across', end - 10, end + 5],
      ['after', end + 100, end + 115]
    ])
    const screen = firstScreenOf(content, wanted)
    expect(screen.textLength).toBe(TEXT.length)
    expect(screen.content.text).toBe(TEXT.slice(0, end))
    expect(screen.content.annotations.map((annotation) => annotation.id).sort()).toEqual(['first', 'last-within'])
    expect(screen.content).toMatchObject({ document: { id: content.document.id }, annotator: 'Leyla', revision: content.revision })
  })

  it("copies only the spans it keeps: the content's own list is not read, and what it gives can be changed freely", async () => {
    const content = await documentWithSpans([['first', 0, 15]])
    const screen = firstScreenOf(content, 10_000)
    // Still the getter that copies the whole layer when first read (document-service.ts).
    expect(Object.getOwnPropertyDescriptor(content, 'annotations')?.get).toBeTypeOf('function')
    const kept = screen.content.annotations[0]!
    kept.provenance.source = 'suggestion'
    kept.tag = 'ORG'
    expect(content.annotations[0]).toMatchObject({ id: 'first', tag: 'PERSON', provenance: { source: 'manual' } })
  })

  it('carries a text no longer than a screen whole', async () => {
    const content = await documentWithSpans([['first', 0, 15]])
    const screen = firstScreenOf(content, TEXT.length)
    expect(screen.content.text).toBe(TEXT)
    expect(screen.content.annotations).toHaveLength(1)
  })
})
