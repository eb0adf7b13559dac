import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { asUtf16, type AnnotationEdit } from '../../src/shared/model'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { DocumentService } from '../../src/main/services/document-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { makeTempFolder } from '../fixtures/temp-folder'
import { caught } from '../helpers/caught'

const TEXT = 'Leyla Taghizade met Raheel Qamar of ICESCO 😀 in Baku.'

async function setUp(annotator: string | null = 'Leyla') {
  const root = await makeTempFolder()
  const userData = join(root, 'user-data')
  const settings = await SettingsService.open(userData)
  if (annotator) await settings.setAnnotatorName(annotator)
  const projects = new ProjectService(settings)
  const dir = join(root, 'project')
  await projects.create(dir, 'P')
  const report = await new ImportService(projects, MAX_IMPORT_BYTES).importTexts(
    [{ name: 'meeting.txt', bytes: new TextEncoder().encode(TEXT) }],
    'Leyla'
  )
  const documentId = report.imported[0]?.documentId as string
  const annotations = new AnnotationService(projects)
  const documents = new DocumentService(projects, new LayerService(projects))
  const layer = { documentId, annotator: annotator ?? 'Leyla' }
  /** What a fresh start of the app would read from disk. */
  const reopen = async () => {
    const freshSettings = await SettingsService.open(userData)
    const freshProjects = new ProjectService(freshSettings)
    await freshProjects.open(dir)
    return new DocumentService(freshProjects, new LayerService(freshProjects)).get(layer)
  }
  return { dir, documentId, layer, annotations, documents, reopen }
}

const add = (id: string, start: number, end: number, tag = 'PERSON', note?: string): AnnotationEdit => ({
  op: 'add',
  annotation: { id, start: asUtf16(start), end: asUtf16(end), tag, ...(note !== undefined ? { note } : {}) }
})


describe('AnnotationService.applyEdits', () => {
  it('adds annotations with the covered text, annotator, times and provenance, durably', async () => {
    const { layer, annotations, reopen } = await setUp()
    const result = await annotations.applyEdits(layer, [add('a1', 0, 15), add('a2', 36, 42, 'ORG', 'sector')])
    expect(result.deletedIds).toEqual([])
    expect(result.saved).toEqual([
      {
        id: 'a1',
        start: 0,
        end: 15,
        tag: 'PERSON',
        text: 'Leyla Taghizade',
        annotator: 'Leyla',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updatedAt: expect.any(String),
        provenance: { source: 'manual' }
      },
      expect.objectContaining({ id: 'a2', text: 'ICESCO', tag: 'ORG', note: 'sector' })
    ])
    expect((await reopen()).annotations).toEqual(result.saved)
  })

  it.each([
    ['an end past the text', add('bad', 50, 500), new RegExp(`ends at 500, past the end of the text \\(length ${TEXT.length}\\)`)],
    ['a reversed span', add('bad', 10, 5), /start must be before the end/],
    ['an empty span', add('bad', 5, 5), /empty or reversed span 5–5/],
    ['a span cutting an emoji in half', add('bad', 43, 44), /cuts a character in half/],
    ['an unknown tag', add('bad', 0, 5, 'LOCATION'), /tag LOCATION, which this project does not define/],
    ['an id already used', add('a1', 0, 5), /uses the id a1, which another annotation already has/],
    ['an update of a missing id', { op: 'update', id: 'ghost', changes: { tag: 'ORG' } } as AnnotationEdit, /ghost, which does not exist/],
    ['a delete of a missing id', { op: 'delete', id: 'ghost' } as AnnotationEdit, /deletes the annotation ghost, which does not exist/]
  ])('applies nothing when one edit has %s', async (_label, badEdit, message) => {
    const { dir, documentId, layer, annotations, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    const layerFolder = join(dir, 'documents', documentId, 'annotations')
    const [layerFile] = await readdir(layerFolder)
    const before = await readFile(join(layerFolder, layerFile as string))

    const error = await caught(annotations.applyEdits(layer, [add('good', 20, 32), badEdit, { op: 'delete', id: 'a1' }]))
    expect(error.code).toBe('invalid-argument')
    expect(error.message).toMatch(/^Nothing was saved: edit 2 of 3/)
    expect(error.message).toMatch(message)

    expect(await readdir(layerFolder)).toEqual([layerFile])
    const after = await readFile(join(layerFolder, layerFile as string))
    expect(Buffer.compare(before, after)).toBe(0)
    expect((await reopen()).annotations.map((annotation) => annotation.id)).toEqual(['a1'])
    // The layer in memory was not touched either.
    expect((await annotations.applyEdits(layer, [add('good', 20, 32)])).saved.map((a) => a.id)).toEqual(['good'])
  })

  it('refuses an id repeated within one call', async () => {
    const { layer, annotations } = await setUp()
    const error = await caught(annotations.applyEdits(layer, [add('x', 0, 5), add('x', 6, 15)]))
    expect(error.message).toMatch(/edit 2 of 2 \(add\).*already has/)
  })

  it('updates tag and note, keeps createdAt and removes a note set to null', async () => {
    const { layer, annotations } = await setUp()
    const [created] = (await annotations.applyEdits(layer, [add('a1', 0, 15, 'PERSON', 'first')])).saved
    await new Promise((resolve) => setTimeout(resolve, 5))
    const [updated] = (await annotations.applyEdits(layer, [{ op: 'update', id: 'a1', changes: { tag: 'ORG', note: 'second' } }])).saved
    expect(updated).toMatchObject({ tag: 'ORG', note: 'second', createdAt: created?.createdAt, text: 'Leyla Taghizade' })
    expect(updated?.updatedAt).not.toBe(created?.updatedAt)
    const [cleared] = (await annotations.applyEdits(layer, [{ op: 'update', id: 'a1', changes: { note: null } }])).saved
    expect(cleared).not.toHaveProperty('note')
    expect(cleared?.tag).toBe('ORG')
  })

  it('deletes, and restore puts back the exact record', async () => {
    const { layer, annotations, reopen } = await setUp()
    const [original] = (await annotations.applyEdits(layer, [add('a1', 20, 32, 'PERSON', 'n')])).saved
    expect(await annotations.applyEdits(layer, [{ op: 'delete', id: 'a1' }])).toEqual({ saved: [], deletedIds: ['a1'] })
    expect((await reopen()).annotations).toEqual([])
    if (!original) throw new Error('no annotation saved')
    const restored = await annotations.applyEdits(layer, [{ op: 'restore', annotation: original }])
    expect(restored.saved).toEqual([original])
    expect((await reopen()).annotations).toEqual([original])
  })

  it('refuses to restore a record whose text does not match, or that still exists', async () => {
    const { layer, annotations } = await setUp()
    const [original] = (await annotations.applyEdits(layer, [add('a1', 20, 32)])).saved
    if (!original) throw new Error('no annotation saved')
    expect((await caught(annotations.applyEdits(layer, [{ op: 'restore', annotation: original }]))).message).toMatch(/still exists/)
    await annotations.applyEdits(layer, [{ op: 'delete', id: 'a1' }])
    const moved = { ...original, start: asUtf16(21) }
    expect((await caught(annotations.applyEdits(layer, [{ op: 'restore', annotation: moved }]))).message).toMatch(/no longer matches/)
  })

  it('keeps every edit of concurrent calls', async () => {
    const { layer, annotations, reopen } = await setUp()
    await Promise.all(Array.from({ length: 20 }, (_, index) => annotations.applyEdits(layer, [add(`c${index}`, index, index + 1)])))
    expect((await reopen()).annotations).toHaveLength(20)
  })

  it('puts a layer not started in progress with its first span, on disk too, and leaves a status a person chose', async () => {
    const { layer, annotations, documents, reopen } = await setUp()
    expect((await documents.get(layer)).status).toBe('not-started')
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    expect((await documents.list('Leyla'))[0]).toMatchObject({ status: 'in-progress', reviewState: 'in-progress' })
    expect((await reopen()).status).toBe('in-progress')
    // Removing every span does not undo the start; a person's "not started" holds until a span is added.
    await annotations.applyEdits(layer, [{ op: 'delete', id: 'a1' }])
    expect((await reopen()).status).toBe('in-progress')
    await documents.setStatus(layer, 'not-started')
    expect((await reopen()).status).toBe('not-started')
    // The layer file exists now, so this save would go to the journal, which holds no status: it rewrites the file.
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    const reopened = await reopen()
    expect(reopened.status).toBe('in-progress')
    expect(reopened.annotations.map((annotation) => annotation.id)).toEqual(['a2'])
    // Done stays done when a span is added.
    await documents.setStatus(layer, 'done')
    await annotations.applyEdits(layer, [add('a3', 36, 42, 'ORG')])
    expect((await reopen()).status).toBe('done')
  })

  it('writes the layer the call names, whatever name the user has now', async () => {
    const { layer, annotations, reopen } = await setUp('Leyla')
    await annotations.applyEdits({ ...layer, annotator: 'Leyla Taghizade' }, [add('renamed', 0, 5)])
    await annotations.applyEdits(layer, [add('first', 20, 32)])
    expect((await reopen()).annotations.map((annotation) => [annotation.id, annotation.annotator])).toEqual([['first', 'Leyla']])
  })
})

describe('DocumentService', () => {
  it('lists counts by tag and status for the current annotator, and persists the status', async () => {
    const { documentId, layer, annotations, documents, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('p1', 0, 15), add('p2', 20, 32), add('o1', 36, 42, 'ORG')])
    await documents.setStatus(layer, 'in-progress')
    const [summary] = await documents.list('Leyla')
    const layerChangedAt = (await documents.get(layer)).layers[0]!.updatedAt
    expect(layerChangedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(summary).toEqual({
      id: documentId,
      name: 'meeting',
      sizeBytes: new TextEncoder().encode(TEXT).length,
      length: TEXT.length,
      status: 'in-progress',
      countsByTag: { PERSON: 2, ORG: 1, EVENT: 0, PROGRAM: 0 },
      total: 3,
      layers: [{ annotator: 'Leyla', status: 'in-progress', spans: 3 }],
      curation: null,
      reviewState: 'in-progress',
      lastChangedAt: layerChangedAt
    })
    expect((await documents.list(null))[0]).toMatchObject({ status: 'not-started', total: 0, layers: [{ annotator: 'Leyla', spans: 3 }] })
    expect((await reopen()).status).toBe('in-progress')
  })

  it('gives the text and the annotator with the document', async () => {
    const { documentId, layer, documents } = await setUp('Raheel')
    const content = await documents.get(layer)
    expect(content).toMatchObject({ text: TEXT, annotator: 'Raheel', status: 'not-started', annotations: [] })
    expect(content.document.id).toBe(documentId)
  })
})
