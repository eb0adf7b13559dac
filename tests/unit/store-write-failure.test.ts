// Full disk, read-only folder, permission denied: a save that cannot be made says so clearly,
// damages nothing on disk and keeps the change so a retry can save it. Tests run as root on
// the build machines, where chmod does not stop writes, so most failures are injected at each
// step of the durable write; the real read-only folder is checked too when not root.
import { appendFileSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { QuireError } from '../../src/shared/api'
import { asUtf16, type AnnotationEdit, type LayerRef } from '../../src/shared/model'
import { dispatchApiCallToOutcome } from '../../src/main/api-dispatch'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { DocumentService } from '../../src/main/services/document-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { injectDurableWriteFault, writeFileDurably, type DurableWriteStep } from '../../src/main/store/durable-file'
import { ProjectStore } from '../../src/main/store/project-store'
import { injectJournalFault, type JournalAppendStep } from '../../src/main/store/journal-append'
import { journalPathOf } from '../../src/main/store/layer-journal'
import { readLayerFromDisk } from '../../src/main/store/layer-on-disk'
import { listFilesRecursively, makeTempFolder } from '../fixtures/temp-folder'

const TEXT = 'Leyla Taghizade met Raheel Qamar of ICESCO in Baku.'
const STEPS: DurableWriteStep[] = ['open', 'write', 'sync', 'rename']

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated failure`), { code })
}

const JOURNAL_STEPS: JournalAppendStep[] = ['open', 'write', 'sync', 'sync-directory']

afterEach(() => {
  injectDurableWriteFault(null)
  injectJournalFault(null)
})

const add = (id: string, start: number, end: number): AnnotationEdit => ({
  op: 'add',
  annotation: { id, start: asUtf16(start), end: asUtf16(end), tag: 'PERSON' }
})

async function rejection(promise: Promise<unknown>): Promise<QuireError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(QuireError)
  return error as QuireError
}

describe('writeFileDurably when the disk refuses', () => {
  it.each(STEPS)('keeps the old file, removes its temp file and says why when %s fails with ENOSPC', async (step) => {
    const dir = await makeTempFolder()
    const path = join(dir, 'layer.json')
    await writeFile(path, 'the previous version')
    injectDurableWriteFault((at) => {
      if (at === step) throw systemError('ENOSPC')
    })
    const error = await rejection(writeFileDurably(path, 'the new version'))
    expect(error.code).toBe('io')
    expect(error.path).toBe(path)
    expect(error.message).toBe(`Could not save ${path}: the disk is full (ENOSPC). The previous version of the file is unchanged`)
    expect(await readFile(path, 'utf8')).toBe('the previous version')
    expect(await listFilesRecursively(dir)).toEqual(['layer.json'])
  })

  it.each([
    ['EACCES', 'permission denied'],
    ['EROFS', 'the disk is read-only'],
    ['EDQUOT', 'quota'],
    ['EIO', 'input/output error']
  ])('names %s in plain words', async (code, words) => {
    const dir = await makeTempFolder()
    injectDurableWriteFault(() => {
      throw systemError(code)
    })
    const error = await rejection(writeFileDurably(join(dir, 'x.json'), 'x'))
    expect(error.message).toContain(words)
    expect(error.message).toContain(`(${code})`)
    expect(await listFilesRecursively(dir)).toEqual([])
  })

  it('reports a failed directory sync as not saved, so the caller saves again', async () => {
    const dir = await makeTempFolder()
    const path = join(dir, 'layer.json')
    injectDurableWriteFault((at) => {
      if (at === 'sync-directory') throw systemError('EIO')
    })
    const error = await rejection(writeFileDurably(path, 'new'))
    expect(error.code).toBe('io')
    // The file itself is whole; only the rename's durability is in doubt.
    expect(await readFile(path, 'utf8')).toBe('new')
    expect(await listFilesRecursively(dir)).toEqual(['layer.json'])
  })
})

async function setUpProject() {
  const root = await makeTempFolder()
  const settings = await SettingsService.open(join(root, 'user-data'))
  await settings.setAnnotatorName('Leyla')
  const projects = new ProjectService(settings)
  const dir = join(root, 'project')
  await projects.create(dir, 'P')
  const report = await new ImportService(projects, MAX_IMPORT_BYTES).importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(TEXT) }], 'Leyla')
  const documentId = report.imported[0]?.documentId as string
  const layer = { documentId, annotator: 'Leyla' }
  return { dir, documentId, layer, annotations: new AnnotationService(projects), documents: new DocumentService(projects, new LayerService(projects)) }
}

describe('saving annotations when the disk refuses', () => {
  it.each(STEPS)('refuses the first save (which writes the layer file) with a clear io error at %s, changes nothing, and saves it on retry', async (step) => {
    const { dir, layer, annotations, documents } = await setUpProject()
    const filesBefore = await listFilesRecursively(dir)
    injectDurableWriteFault((at, path) => {
      if (at === step && path.endsWith('.json') && path.includes('annotations')) throw systemError('ENOSPC')
    })
    const error = await rejection(annotations.applyEdits(layer, [add('new', 6, 15)]))
    expect(error).toMatchObject({ code: 'io', path: expect.stringMatching(/annotations/) })
    expect(error.message).toMatch(/the disk is full/)
    expect(await listFilesRecursively(dir)).toEqual(filesBefore)
    expect((await documents.get(layer)).annotations).toEqual([])
    injectDurableWriteFault(null)
    await annotations.applyEdits(layer, [add('new', 6, 15)])
    expect((await documents.get(layer)).annotations.map((a) => a.id)).toEqual(['new'])
  })

  it.each(JOURNAL_STEPS)('refuses a save (appended to the journal) with a clear io error at %s, changes nothing, and saves the same edit on retry', async (step) => {
    const { dir, layer, annotations, documents } = await setUpProject()
    await annotations.applyEdits(layer, [add('kept', 0, 5)])
    const layerFile = (await listFilesRecursively(dir)).find((path) => path.startsWith('documents/') && path.endsWith('.json') && path.includes('annotations'))
    expect(layerFile).toBeDefined()
    const layerPath = join(dir, layerFile as string)
    const before = await readFile(layerPath, 'utf8')
    const filesBefore = await listFilesRecursively(dir)

    injectJournalFault((at, _path, line) => {
      if (at !== step) return
      // A failure after part of the line reached the disk, as a full disk gives.
      if (at === 'sync') appendFileSync(journalPathOf(layerPath), line.slice(0, 10))
      throw systemError('ENOSPC')
    })
    const error = await rejection(annotations.applyEdits(layer, [add('new', 6, 15)]))
    expect(error).toMatchObject({ code: 'io', path: journalPathOf(layerPath) })
    expect(error.message).toMatch(/the disk is full/)
    expect(await readFile(layerPath, 'utf8')).toBe(before)
    expect(await listFilesRecursively(dir)).toEqual(filesBefore)
    // The failed change is not half-applied in memory either.
    expect((await documents.get(layer)).annotations.map((a) => a.id)).toEqual(['kept'])

    injectJournalFault(null)
    await annotations.applyEdits(layer, [add('new', 6, 15)])
    expect((await documents.get(layer)).annotations.map((a) => a.id)).toEqual(['kept', 'new'])
    expect((await readLayerFromDisk(layerPath))?.layer.annotations.map((a) => a.id)).toEqual(['kept', 'new'])
  })

  it('keeps the io code and the file path across the API boundary, so the renderer retries', async () => {
    const { documentId, layer, annotations } = await setUpProject()
    injectDurableWriteFault(() => {
      throw systemError('EACCES')
    })
    const backend = { applyAnnotationEdits: (ref: LayerRef, edits: AnnotationEdit[]) => annotations.applyEdits(ref, edits) }
    const outcome = await dispatchApiCallToOutcome(backend as never, 'applyAnnotationEdits', [layer, [add('a', 0, 5)]])
    expect(outcome).toMatchObject({ ok: false, error: { code: 'io', path: expect.stringMatching(/annotations/), message: expect.stringMatching(/permission denied/) } })
  })

  it('opens a project it cannot write read-only, saying why, instead of failing later', async () => {
    const { dir } = await setUpProject()
    injectDurableWriteFault((_, path) => {
      if (path.includes('.quire')) throw systemError('EROFS')
    })
    const store = await ProjectStore.open(dir)
    expect(store.readOnly).toBe(true)
    expect(store.readOnlyReason).toBe('Quire cannot write in this project folder: the disk is read-only (EROFS). It is open read-only here.')
    expect(() => store.assertWritable()).toThrow(/^Not saved: Quire cannot write/)
  })

  it.skipIf(process.getuid?.() === 0)('refuses a save into a read-only annotations folder and keeps the file (as a normal user)', async () => {
    const { dir, documentId, layer, annotations } = await setUpProject()
    await annotations.applyEdits(layer, [add('kept', 0, 5)])
    const folder = join(dir, 'documents', documentId, 'annotations')
    const filesBefore = await listFilesRecursively(dir)
    await chmod(folder, 0o555)
    try {
      const error = await rejection(annotations.applyEdits(layer, [add('new', 6, 15)]))
      expect(error).toMatchObject({ code: 'io', message: expect.stringMatching(/permission denied/) })
      expect(await listFilesRecursively(dir)).toEqual(filesBefore)
    } finally {
      await chmod(folder, 0o755)
    }
    await annotations.applyEdits(layer, [add('new', 6, 15)])
  })
})
