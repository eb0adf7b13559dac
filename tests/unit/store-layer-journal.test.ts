// A layer's journal: saves appended and replayed, a torn last entry dropped and reported, a
// damaged entry refused, compaction safe at every crash point, every reader seeing the saves.
import { appendFileSync } from 'node:fs'
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { asUtf16, type AnnotationEdit, type DocumentRecord } from '../../src/shared/model'
import { QuireError } from '../../src/shared/api'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { DocumentService } from '../../src/main/services/document-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { readCorpusDocumentSync } from '../../src/main/services/corpus-reader'
import { AnnotationLayerFile, emptyAnnotationLayer } from '../../src/main/store/annotation-layer-file'
import { injectDurableWriteFault } from '../../src/main/store/durable-file'
import { ANNOTATION_FILE } from '../../src/main/store/file-kinds'
import { openJsonFile } from '../../src/main/store/json-store'
import { journalPathOf, parseJournal, encodeJournalEntry } from '../../src/main/store/layer-journal'
import { readLayerFromDisk } from '../../src/main/store/layer-on-disk'
import { ProjectStore } from '../../src/main/store/project-store'
import { makeTempFolder } from '../fixtures/temp-folder'

const TEXT = 'Leyla Taghizade met Raheel Qamar of ICESCO in Baku on Monday.'

afterEach(() => injectDurableWriteFault(null))

const add = (id: string, start: number, end: number, tag = 'PERSON'): AnnotationEdit => ({
  op: 'add',
  annotation: { id, start: asUtf16(start), end: asUtf16(end), tag }
})

async function setUp() {
  const root = await makeTempFolder()
  const userData = join(root, 'user-data')
  const settings = await SettingsService.open(userData)
  await settings.setAnnotatorName('Leyla')
  const projects = new ProjectService(settings)
  const dir = join(root, 'project')
  await projects.create(dir, 'P')
  const report = await new ImportService(projects, MAX_IMPORT_BYTES).importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(TEXT) }], 'Leyla')
  const documentId = report.imported[0]?.documentId as string
  const layer = { documentId, annotator: 'Leyla' }
  const store = projects.requireProject()
  const layerPath = store.layerPath(documentId, 'Leyla')
  const journalPath = journalPathOf(layerPath)
  const annotations = new AnnotationService(projects)
  /** A fresh start of the app (after closing this one, or after a crash: then pass crashed). */
  const reopen = async (options: { crashed?: boolean } = {}) => {
    if (!options.crashed) await projects.close()
    const freshProjects = new ProjectService(await SettingsService.open(userData))
    await freshProjects.open(dir)
    const layers = new LayerService(freshProjects)
    return { projects: freshProjects, layers, documents: new DocumentService(freshProjects, layers), annotations: new AnnotationService(freshProjects) }
  }
  return { root, dir, documentId, layer, layerPath, journalPath, projects, store, annotations, reopen }
}

const ids = (list: { id: string }[]): string[] => list.map((annotation) => annotation.id)
const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false
  )

describe('a layer journal', () => {
  it('appends each save after the first as one checked line, leaving the layer file as it was', async () => {
    const { layer, layerPath, journalPath, annotations } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    const fileAfterFirst = await readFile(layerPath, 'utf8')
    expect(JSON.parse(fileAfterFirst).journal).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), seq: 0 })
    await annotations.applyEdits(layer, [add('a2', 20, 32, 'PERSON')])
    await annotations.applyEdits(layer, [{ op: 'update', id: 'a1', changes: { note: 'minister' } }, add('a3', 36, 42, 'ORG')])
    expect(await readFile(layerPath, 'utf8')).toBe(fileAfterFirst)
    const lines = (await readFile(journalPath, 'utf8')).split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^[0-9a-f]{16} \{"seq":1,/)
    const parsed = parseJournal(await readFile(journalPath), journalPath, JSON.parse(fileAfterFirst).journal)
    expect(parsed.pending.map((entry) => entry.seq)).toEqual([1, 2])
    // An add is kept as the record it made, so replay needs no text.
    expect(parsed.pending[0]?.edits[0]).toMatchObject({ op: 'restore', annotation: { id: 'a2', text: 'Raheel Qamar', annotator: 'Leyla' } })
  })

  it('is replayed when the project is opened after a crash: nothing confirmed is lost', async () => {
    const { layer, annotations, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    await annotations.applyEdits(layer, [{ op: 'delete', id: 'a1' }, add('a3', 36, 42, 'ORG')])
    await annotations.applyEdits(layer, [{ op: 'update', id: 'a3', changes: { tag: 'EVENT', note: 'n' } }])
    const fresh = await reopen({ crashed: true })
    const content = await fresh.documents.get(layer)
    expect(ids(content.annotations)).toEqual(['a2', 'a3'])
    expect(content.annotations[1]).toMatchObject({ tag: 'EVENT', note: 'n', text: 'ICESCO' })
  })

  it('drops a torn last entry (a crash mid-append), keeps everything before it, reports it, and cuts it off at the next save', async () => {
    const { dir, layer, layerPath, journalPath, annotations, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    const whole = await readFile(journalPath, 'utf8')
    // Half of the next entry reached the disk before the power went.
    appendFileSync(journalPath, encodeJournalEntry({ seq: 2, journal: 'ffffffffffffffff', at: '2026-01-01T00:00:00.000Z', edits: [{ op: 'delete', id: 'a1' }] }).slice(0, 30))
    const fresh = await reopen({ crashed: true })
    expect(ids((await fresh.documents.get(layer)).annotations)).toEqual(['a1', 'a2'])
    const [summary] = await fresh.layers.list(layer.documentId)
    expect(summary?.warning).toMatch(/last save in .*\.journal \(line 2, 30 bytes\) was cut off/)
    expect(summary?.problem).toBeUndefined()
    // Readers that do not load the layer see the same.
    expect((await readLayerFromDisk(layerPath))?.warning).toMatch(/cut off/)
    // The torn bytes go before the next entry is appended, so the journal reads whole again.
    await fresh.annotations.applyEdits(layer, [add('a3', 36, 42, 'ORG')])
    const after = await readFile(journalPath, 'utf8')
    expect(after.startsWith(whole)).toBe(true)
    expect(after.split('\n')).toHaveLength(3)
    const read = await readLayerFromDisk(layerPath)
    expect(read?.warning).toBeNull()
    expect(ids(read?.layer.annotations ?? [])).toEqual(['a1', 'a2', 'a3'])
    expect(dir).toBeTruthy()
  })

  it('refuses a damaged entry before the last one, naming the journal and the line, and changes nothing', async () => {
    const { layer, layerPath, journalPath, annotations, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    await annotations.applyEdits(layer, [add('a3', 36, 42, 'ORG')])
    await annotations.applyEdits(layer, [add('a4', 46, 50, 'ORG')])
    const journal = await readFile(journalPath, 'utf8')
    const damaged = journal.replace('"a3"', '"a9"')
    expect(damaged).not.toBe(journal)
    await writeFile(journalPath, damaged)
    const layerBefore = await readFile(layerPath, 'utf8')
    const fresh = await reopen({ crashed: true })
    const error = await fresh.documents.get(layer).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(QuireError)
    expect(error).toMatchObject({ code: 'corrupt-store', path: journalPath, line: 2 })
    expect((error as Error).message).toMatch(/line 2 is damaged/)
    const refused = await fresh.annotations.applyEdits(layer, [add('a5', 54, 60)]).catch((caught: unknown) => caught)
    expect(refused).toMatchObject({ code: 'corrupt-store' })
    expect(await readFile(journalPath, 'utf8')).toBe(damaged)
    expect(await readFile(layerPath, 'utf8')).toBe(layerBefore)
    // The layer list names the problem too, instead of showing the layer as fine.
    const [summary] = await fresh.layers.list(layer.documentId)
    expect(summary?.problem).toMatchObject({ code: 'corrupt-store', path: journalPath, line: 2 })
  })

  it('refuses an entry the rules refuse on replay (whole and checked, but not applicable), naming the journal and the line', async () => {
    const { layer, layerPath, journalPath, annotations } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    const position = JSON.parse(await readFile(layerPath, 'utf8')).journal
    appendFileSync(journalPath, encodeJournalEntry({ seq: 2, journal: position.id, at: '2026-01-01T00:00:00.000Z', edits: [{ op: 'delete', id: 'ghost' }] }))
    appendFileSync(journalPath, encodeJournalEntry({ seq: 3, journal: position.id, at: '2026-01-01T00:00:00.000Z', edits: [{ op: 'delete', id: 'a1' }] }))
    const error = await readLayerFromDisk(layerPath).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'corrupt-store', path: journalPath, line: 2 })
    expect((error as Error).message).toMatch(/line 2 deletes the annotation ghost, which does not exist/)
  })

  it('refuses a journal of another layer file (its id is not the one the file records)', async () => {
    const { layer, layerPath, journalPath, annotations, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    const file = JSON.parse(await readFile(layerPath, 'utf8'))
    file.journal.id = '0123456789abcdef'
    await writeFile(layerPath, JSON.stringify(file))
    const fresh = await reopen({ crashed: true })
    await expect(fresh.documents.get(layer)).rejects.toMatchObject({ code: 'corrupt-store', path: journalPath, line: 1 })
  })

  it('is folded into the layer file on close, before a sync commits (settleWrites), and the position recorded', async () => {
    const { layer, layerPath, journalPath, annotations, store, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    expect(await exists(journalPath)).toBe(true)
    await store.settleWrites()
    expect(await exists(journalPath)).toBe(false)
    const file = JSON.parse(await readFile(layerPath, 'utf8'))
    expect(ids(file.annotations)).toEqual(['a1', 'a2'])
    expect(file.journal.seq).toBe(1)
    await annotations.applyEdits(layer, [add('a3', 36, 42, 'ORG')])
    expect(parseJournal(await readFile(journalPath), journalPath, file.journal).pending.map((entry) => entry.seq)).toEqual([2])
    const fresh = await reopen()
    expect(await exists(journalPath)).toBe(false)
    expect(ids((await fresh.documents.get(layer)).annotations)).toEqual(['a1', 'a2', 'a3'])
  })

  it('replays nothing twice after a crash between writing the compacted file and removing the journal', async () => {
    const { root, layer, layerPath, journalPath, annotations, store, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    await annotations.applyEdits(layer, [{ op: 'delete', id: 'a1' }])
    const kept = join(root, 'journal-copy')
    await copyFile(journalPath, kept)
    await store.settleWrites()
    // As if the process died right after the rename, before the journal was removed.
    await copyFile(kept, journalPath)
    const fresh = await reopen({ crashed: true })
    expect(ids((await fresh.documents.get(layer)).annotations)).toEqual(['a2'])
    await fresh.annotations.applyEdits(layer, [add('a3', 36, 42, 'ORG')])
    expect(ids((await readLayerFromDisk(layerPath))?.layer.annotations ?? [])).toEqual(['a2', 'a3'])
  })

  it.each(['open', 'write', 'sync', 'rename'] as const)('keeps the journal when compaction fails at %s, and loses nothing', async (step) => {
    const { layer, layerPath, journalPath, annotations, store, reopen } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    const fileBefore = await readFile(layerPath, 'utf8')
    injectDurableWriteFault((at, path) => {
      if (at === step && path === layerPath) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' })
    })
    await expect(store.settleWrites()).rejects.toMatchObject({ code: 'io' })
    injectDurableWriteFault(null)
    expect(await readFile(layerPath, 'utf8')).toBe(fileBefore)
    expect(await exists(journalPath)).toBe(true)
    // Saving carries on in the journal, and memory is what the disk holds.
    await annotations.applyEdits(layer, [add('a3', 36, 42, 'ORG')])
    const fresh = await reopen({ crashed: true })
    expect(ids((await fresh.documents.get(layer)).annotations)).toEqual(['a1', 'a2', 'a3'])
  })

  it('rewrites the whole file at the next save when told the layer changed in memory since it was read', async () => {
    const { layer, layerPath, journalPath, annotations, store } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    expect(await exists(journalPath)).toBe(true)
    const file = await store.annotationLayer(await store.readRecord(layer.documentId), 'Leyla')
    file.rewriteOnNextSave()
    await annotations.applyEdits(layer, [add('a3', 36, 42, 'ORG')])
    expect(await exists(journalPath)).toBe(false)
    expect(ids(JSON.parse(await readFile(layerPath, 'utf8')).annotations)).toEqual(['a1', 'a2', 'a3'])
    await annotations.applyEdits(layer, [add('a4', 46, 50, 'ORG')])
    expect(await exists(journalPath)).toBe(true)
  })

  it('is compacted once it passes its size limit', async () => {
    const dir = await makeTempFolder()
    const path = join(dir, 'leyla-00000000.json')
    const record = { id: 'doc-1', sha256: 'a'.repeat(64) } as DocumentRecord
    const open = () => new AnnotationLayerFile(path, openJsonFile(path, ANNOTATION_FILE, emptyAnnotationLayer(record, 'Leyla')), () => undefined, 2_000)
    const file = open()
    await file.load()
    const rules = { text: TEXT, tagIds: new Set(['PERSON', 'ORG']), documentName: 'meeting' }
    let appended = 0
    for (let index = 0; index < 20; index++) {
      await file.applyEdits([add(`a${index}`, index, index + 1)], rules)
      if (await exists(journalPathOf(path))) appended = Math.max(appended, (await stat(journalPathOf(path))).size)
    }
    await file.settled()
    expect(appended).toBeGreaterThan(0)
    expect(appended).toBeLessThan(2_000 + 1_000)
    const onDisk = JSON.parse(await readFile(path, 'utf8'))
    expect(onDisk.journal.seq).toBeGreaterThan(0)
    const again = open()
    await again.load()
    expect(again.current.annotations).toHaveLength(20)
  })
})

describe('a compaction that fails', () => {
  it('is tried again only once as much again has been journaled, and the saves carry on meanwhile', async () => {
    const dir = await makeTempFolder()
    const path = join(dir, 'leyla-00000000.json')
    const record = { id: 'doc-1', sha256: 'a'.repeat(64) } as DocumentRecord
    const file = new AnnotationLayerFile(path, openJsonFile(path, ANNOTATION_FILE, emptyAnnotationLayer(record, 'Leyla')), () => undefined, 2_000)
    await file.load()
    const rules = { text: TEXT, tagIds: new Set(['PERSON']), documentName: 'meeting' }
    await file.applyEdits([add('first', 0, 5)], rules)
    let attempts = 0
    injectDurableWriteFault((step, target) => {
      if (step !== 'open' || target !== path) return
      attempts++
      throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' })
    })
    for (let index = 0; index < 40; index++) await file.applyEdits([add(`a${index}`, index + 6, index + 7)], rules)
    await file.settled()
    const journalBytes = (await stat(journalPathOf(path))).size
    // One attempt per 2,000 bytes of journal, not one per save.
    expect(attempts).toBeGreaterThan(0)
    expect(attempts).toBeLessThanOrEqual(Math.ceil(journalBytes / 2_000))
    injectDurableWriteFault(null)
    const again = new AnnotationLayerFile(path, openJsonFile(path, ANNOTATION_FILE, emptyAnnotationLayer(record, 'Leyla')), () => undefined)
    await again.load()
    expect(again.current.annotations).toHaveLength(41)
  })
})

describe('readers of a layer see its journal', () => {
  it('the layer list, a colleague reading the layer, exports and the parsed-layer cache', async () => {
    const { dir, documentId, layer, annotations } = await setUp()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    // A colleague's Quire (another annotator, the project open read-only here) reads it from disk.
    const settings = await SettingsService.open(join(await makeTempFolder(), 'user-data'))
    await settings.setAnnotatorName('Rashad')
    const colleague = new ProjectService(settings)
    await colleague.open(dir)
    const layers = new LayerService(colleague)
    expect(ids((await layers.get(layer)).annotations)).toEqual(['a1', 'a2'])
    expect((await layers.list(documentId))[0]?.spans).toBe(2)
    const store: ProjectStore = colleague.requireProject()
    const record = await store.readRecord(documentId)
    const exported = readCorpusDocumentSync(store, record, { withText: true, onProblem: () => undefined })
    expect(ids(exported?.layers[0]?.annotations ?? [])).toEqual(['a1', 'a2'])
    // A save appended since is seen at once: the file did not change, the journal did.
    await annotations.applyEdits(layer, [add('a3', 36, 42, 'ORG')])
    expect(ids((await layers.get(layer)).annotations)).toEqual(['a1', 'a2', 'a3'])
    expect((await layers.list(documentId))[0]?.spans).toBe(3)
    expect(await readdir(join(dir, 'documents', documentId, 'annotations'))).toHaveLength(2)
  })
})
