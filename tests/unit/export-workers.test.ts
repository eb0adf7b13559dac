// The parallel export (worker threads converting batches of documents) must write exactly
// what the single-threaded export writes: same bytes, same file names, same warnings and
// counts. The fixture spans several batches and puts every cross-document concern on a batch
// boundary: file names that collide case-insensitively, the CSV header, warnings, a damaged
// annotation file and a text changed after import.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { CorpusFormat } from '../../src/core/formats'
import { CorpusExportService, type CorpusExportProgress, type CorpusExportResult } from '../../src/main/services/corpus-export-service'
import type { ExportBatchSettings } from '../../src/main/services/corpus-export-batch'
import { documentBatches, workerEntry, WorkerPool } from '../../src/main/services/worker-pool'
import type { DocumentRecord } from '../../src/shared/model'
import type { QuireError } from '../../src/shared/api'
import { ProjectStore } from '../../src/main/store/project-store'
import { makeCorpusProject, type DocumentSpec, type TestProject } from '../fixtures/corpus-project'
import { listFilesRecursively } from '../fixtures/temp-folder'

const DOCUMENT_COUNT = 120
const SAMPLES = ['Emin 😀 Əmrullayev met ISESCO.\r\nالمنظمة visited 🇦🇿 Bakı.', 'The Youth Program opened in Bakı.', 'Café\u0301 =HYPERLINK("x"), "quoted"\nnext line']

function fixtureDocuments(): DocumentSpec[] {
  const documents: DocumentSpec[] = []
  for (let index = 0; index < DOCUMENT_COUNT; index++) {
    // Batches hold 50 documents: "n049" ends the first and "N049" (the same file name on a
    // case-insensitive disk) starts the second.
    const name = index === 50 ? 'N049' : `n${String(index < 50 ? index : index - 1).padStart(3, '0')}`
    const text = `${name}: ${SAMPLES[index % SAMPLES.length] as string}`
    const spans = index % 7 === 3 ? [] : [{ start: 0, end: 4, tag: 'PERSON', note: index % 2 === 0 ? 'a\nnote' : undefined }]
    // A span across the line break (brat splits it, with a warning) and one overlapping the first (CoNLL drops it).
    if (text.includes('\n')) spans.push({ start: text.indexOf('\n') - 3, end: text.indexOf('\n') + 3, tag: 'EVENT', note: undefined })
    if (index % 5 === 0) spans.push({ start: 2, end: 8, tag: 'ORG', note: undefined })
    documents.push({ name, text, spans: spans.map(({ note, ...span }) => (note === undefined ? span : { ...span, note })) })
  }
  return documents
}

function normalizedManifest(json: string): unknown {
  const manifest = JSON.parse(json) as { exportedAt?: string }
  expect(manifest.exportedAt).toMatch(/^\d{4}-/)
  return { ...manifest, exportedAt: 'when' }
}

/** Every file of an export, keyed by its path inside `base`; manifests without their time stamp. */
async function exportedFiles(base: string): Promise<Record<string, unknown>> {
  const files: Record<string, unknown> = {}
  for (const path of await listFilesRecursively(base)) {
    const content = await readFile(join(base, path), 'utf8')
    files[path] = path.endsWith('manifest.json') ? normalizedManifest(content) : content
  }
  return files
}

/** A fresh project per test: temp folders are removed after each test. */
async function fixtureProject(): Promise<{ project: TestProject; exporter: CorpusExportService }> {
  const project = await makeCorpusProject(fixtureDocuments())
  const documentsFolder = join(project.dir, 'documents')
  const damagedLayers = join(documentsFolder, project.ids.get('n060') as string, 'annotations')
  await writeFile(join(damagedLayers, (await readdir(damagedLayers))[0] as string), '{ broken')
  await writeFile(join(documentsFolder, project.ids.get('n099') as string, 'text.txt'), 'changed after import')
  return { project, exporter: new CorpusExportService(project.projects) }
}

describe('parallel corpus export', () => {
  it('cuts the documents into batches of at most 50, in order', () => {
    const records = Array.from({ length: 120 }, (_, index) => ({ id: `d${index}`, sizeBytes: 10 }) as DocumentRecord)
    const batches = documentBatches(records)
    expect(batches.map((batch) => batch.records.length)).toEqual([50, 50, 20])
    expect(batches.flatMap((batch) => batch.records)).toEqual(records)
    expect(batches.map((batch) => batch.batchIndex)).toEqual([0, 1, 2])
    const large = [{ id: 'a', sizeBytes: 3 * 2 ** 20 }, { id: 'b', sizeBytes: 3 * 2 ** 20 }, { id: 'c', sizeBytes: 1 }] as DocumentRecord[]
    expect(documentBatches(large).map((batch) => batch.records.map((record) => record.id))).toEqual([['a'], ['b', 'c']])
    expect(documentBatches([])).toEqual([{ batchIndex: 0, records: [] }])
  })

  for (const format of ['jsonl', 'csv', 'conll', 'brat', 'tei', 'doccano', 'label-studio'] as const satisfies readonly CorpusFormat[]) {
    it(`writes the same ${format} export with two worker threads as on one thread`, async () => {
      const { project, exporter } = await fixtureProject()
      const isFolder = format === 'brat' || format === 'tei'
      const run = async (workerThreads: number): Promise<{ result: CorpusExportResult; files: Record<string, unknown>; progress: CorpusExportProgress[] }> => {
        const base = join(project.root, `${format}-${workerThreads}`)
        const progress: CorpusExportProgress[] = []
        const result = await exporter.export(
          { format, outPath: join(base, isFolder ? 'out' : `out.${format}`), documentIds: 'all', annotators: ['Ayla', 'Nobody'] },
          { workerThreads, onProgress: (step) => progress.push(step) }
        )
        return { result: { ...result, outPath: '', files: result.files.map((file) => file.slice(base.length)) }, files: await exportedFiles(base), progress }
      }
      const single = await run(0)
      const parallel = await run(2)
      expect(parallel.files).toEqual(single.files)
      expect(parallel.result).toEqual(single.result)
      expect(parallel.progress.at(-1)).toEqual(single.progress.at(-1))

      // The fixture does reach what the comparison is about.
      expect(single.result.documents).toBe(DOCUMENT_COUNT - 1)
      const messages = single.result.warnings.map((warning) => warning.message)
      expect(messages).toContainEqual(expect.stringMatching(/annotations.*cannot be read.*left out/s))
      expect(messages).toContainEqual(expect.stringContaining('was changed after it was imported'))
      expect(messages.at(-1)).toBe('no annotations by "Nobody" in the exported documents')
      if (isFolder) {
        const names = Object.keys(single.files)
        expect(names).toContainEqual(expect.stringMatching(/\/n049\./))
        expect(names).toContainEqual(expect.stringMatching(/\/N049-2\./))
      }
      if (format === 'csv') expect((single.files['out.csv'] as string).match(/document,start,end/g)).toHaveLength(1)
    }, 60_000)
  }

  it('says whether its workers started, so an export whose workers cannot start runs on its own thread', async () => {
    const settings: ExportBatchSettings = {
      projectDir: '/nowhere',
      format: 'jsonl',
      offsets: 'codepoint',
      scheme: 'IOB2',
      labelOrder: [],
      bratTypes: {},
      annotators: null,
      maxWarningsListed: 10,
      entities: []
    }
    const working = new WorkerPool(workerEntry('export-worker'), settings, 2)
    const broken = new WorkerPool(new URL('./no-such-export-worker.mjs', import.meta.url), settings, 1)
    try {
      expect(await working.ready()).toBe(true)
      expect(await broken.ready()).toBe(false)
    } finally {
      await Promise.all([working.close(), broken.close()])
    }
  })

  it('removes everything when cancelled while the workers convert', async () => {
    const { project, exporter } = await fixtureProject()
    for (const [format, name] of [['conll', 'c.conll'], ['tei', 'tei']] as const) {
      const controller = new AbortController()
      const result = await exporter.export(
        { format, outPath: join(project.root, 'cancelled', name), documentIds: 'all', annotators: 'all' },
        { workerThreads: 2, signal: controller.signal, onProgress: () => controller.abort() }
      )
      expect(result).toMatchObject({ cancelled: true, files: [] })
    }
    expect(await readdir(join(project.root, 'cancelled'))).toEqual([])
    // Four worker threads start (each loads the export's code through tsx): 10 s at a load of 22,
    // 31 s at a load of 28, past the default 30 s.
  }, 60_000)

  it('lists the documents on the workers as on one thread: a damaged document.json is named, a choice of documents read alone', async () => {
    const { project } = await fixtureProject()
    // A store of its own, as the command line opens one: the app's store has every record cached.
    const store = await ProjectStore.open(project.dir)
    onTestFinished(() => store.close())
    const exporter = new CorpusExportService({ requireProject: () => store })
    const outcome = async (workerThreads: number, documentIds: string[] | 'all'): Promise<unknown> => {
      const base = join(project.root, `listing-${workerThreads}-${documentIds === 'all' ? 'all' : documentIds.length}`)
      try {
        const result = await exporter.export({ format: 'jsonl', outPath: join(base, 'out.jsonl'), documentIds, annotators: 'all' }, { workerThreads })
        return { documents: result.documents, files: await exportedFiles(base) }
      } catch (error) {
        const { code, path, message } = error as QuireError
        return { code, path, message }
      }
    }
    const id = (name: string): string => project.ids.get(name) as string
    const damaged = join(project.dir, 'documents', id('n010'), 'document.json')
    await writeFile(damaged, '{ "format": "quire-document", ')
    const refused = await outcome(0, 'all')
    expect(refused).toMatchObject({ code: 'corrupt-store', path: damaged, message: expect.stringMatching(/^Nothing was exported: .*document\.json/) })
    expect(await outcome(2, 'all')).toEqual(refused)
    // The damaged folder is not among the chosen ones, an unknown id is.
    const chosen = [id('n011'), id('n003'), id('n090')]
    const exported = await outcome(0, chosen)
    expect(exported).toMatchObject({ documents: 3 })
    expect(await outcome(2, chosen)).toEqual(exported)
    const unknown = await outcome(0, [id('n003'), 'no-such-document'])
    expect(unknown).toMatchObject({ code: 'not-found', message: 'There is no document "no-such-document" in the project' })
    expect(await outcome(2, [id('n003'), 'no-such-document'])).toEqual(unknown)
  }, 120_000)
})
