// Runs a query over chosen documents of a project: on search workers (worker-pool.ts) for 200
// documents or more, and always for a regular expression, which JavaScript cannot interrupt: a
// runaway one (`(a+)+$` on a long line) is stopped by terminating its workers when a batch of
// documents takes longer than the time limit, and the run says it timed out with what was
// found before. Plain text over a
// small project is searched on this thread, a batch per turn of the event loop.
//
// Workers read layers from disk; a layer this store has loaded may be newer in memory (a save
// still on its way), so the documents with one get their spans looked at again here.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { QuireError } from '../../shared/api'
import { taggingOfMatches } from '../../core/search/concordance'
import type { SearchQuery } from '../../core/search/find-matches'
import type { DocumentRecord } from '../../shared/model'
import { documentIdOfPath, type ProjectStore } from '../store/project-store'
import type { CorpusReadProblem } from './corpus-reader'
import { mapInParallel } from './map-in-parallel'
import type { LayerService } from './layer-service'
import { searchBatch, type DocumentMatches, type SearchBatchJob, type SearchBatchOutput, type SearchBatchSettings } from './project-search-batch'
import { documentBatches, workerEntry, WorkerPool, workerThreadCount, type BatchesRunHere, type WorkerEntry } from './worker-pool'

/** How long a regular expression may take over one batch of documents before its workers are stopped. */
export const DEFAULT_SEARCH_TIME_LIMIT_MS = 4000

export interface SearchRunOptions {
  /** Only this annotator's layer is read for the spans over each match. */
  onlyAnnotator?: string
  /** Worker threads; 0 searches on this thread (never for a regular expression). */
  workerThreads?: number
  /** Where the workers' code is; tests point it elsewhere. */
  workerEntry?: WorkerEntry | URL
  timeLimitMs?: number
}

export interface SearchRun {
  /** Documents with matches, in the order of the records searched. */
  documents: DocumentMatches[]
  documentsSearched: number
  problems: CorpusReadProblem[]
  timedOut: boolean
}

type SearchWorkerPool = WorkerPool<SearchBatchSettings, SearchBatchJob, SearchBatchOutput>

const RECORD_READS_IN_FLIGHT = 16

/** The ids of the documents named (each once, in the order given), or of every document, by folder name. */
export async function searchedIds(store: ProjectStore, documentIds: readonly string[] | 'all' | undefined): Promise<string[]> {
  if (documentIds !== undefined && documentIds !== 'all') return [...new Set(documentIds)]
  return [...(await store.documentFolderNames())].sort()
}

/**
 * These documents' records in the order given. A folder without document.json (a half-finished
 * import) is skipped, as the document list skips it; a record that cannot be read is a problem.
 */
export async function recordsOf(store: ProjectStore, ids: readonly string[], strict: boolean): Promise<{ records: DocumentRecord[]; problems: CorpusReadProblem[] }> {
  const problems: CorpusReadProblem[] = []
  const found = await mapInParallel(ids, RECORD_READS_IN_FLIGHT, async (id) => {
    try {
      return await store.readRecord(id)
    } catch (error) {
      // A document named in the request must exist: that is a bad request, not a skipped folder.
      if (strict) throw error
      const problem = QuireError.from(error)
      if (problem.code !== 'not-found') problems.push({ documentId: id, documentName: id, path: problem.path ?? id, message: problem.message })
      return null
    }
  })
  return { records: found.filter((record): record is DocumentRecord => record !== null), problems }
}

/** The documents named, or every document of the project, in id order. */
export async function searchedRecords(store: ProjectStore, documentIds: readonly string[] | 'all' | undefined): Promise<{ records: DocumentRecord[]; problems: CorpusReadProblem[] }> {
  return recordsOf(store, await searchedIds(store, documentIds), documentIds !== undefined && documentIds !== 'all')
}

/** Reports the documents with matches of each batch, in order, as they come; `stopped` ends the run early. */
export interface SearchProgress {
  onBatch?(documents: readonly DocumentMatches[], documentsSearched: number): void
  stopped?(): boolean
}

/**
 * The matches of `query` in `records`. Plain text starts on this thread with the first batch
 * while the workers load, so the first screen of a large search does not wait for them.
 */
export async function runSearch(
  store: ProjectStore,
  layers: LayerService,
  records: readonly DocumentRecord[],
  query: SearchQuery,
  withContext: boolean,
  options: SearchRunOptions = {},
  progress: SearchProgress = {}
): Promise<SearchRun> {
  const settings: SearchBatchSettings = { projectDir: store.dir, query, withContext, ...(options.onlyAnnotator !== undefined ? { onlyAnnotator: options.onlyAnnotator } : {}) }
  const jobs = documentBatches(records)
  const automatic = workerThreadCount(records.length)
  const workerThreads = Math.max(query.regex ? 1 : 0, options.workerThreads ?? automatic)
  // Saves still being written would reach the files after the workers read them.
  await store.settleWrites()
  const run: SearchRun = { documents: [], documentsSearched: 0, problems: [], timedOut: false }
  const take = async (output: SearchBatchOutput): Promise<void> => {
    await retagLoadedLayers(store, layers, output.documents)
    run.documents.push(...output.documents)
    run.problems.push(...output.problems)
    run.documentsSearched += (jobs[output.batchIndex] as SearchBatchJob).records.length
    progress.onBatch?.(output.documents, run.documentsSearched)
  }
  const pool: SearchWorkerPool | null = workerThreads > 0 ? new WorkerPool(options.workerEntry ?? workerEntry('search-worker'), settings, Math.min(workerThreads, jobs.length)) : null
  try {
    const first = pool !== null && !query.regex ? searchBatch(settings, jobs[0] as SearchBatchJob) : null
    if (pool !== null && (await pool.ready())) {
      const here = first === null ? undefined : { takes: (job: SearchBatchJob) => job.batchIndex === 0, run: async () => first }
      run.timedOut = await takeUntil(pool, jobs, take, query.regex ? (options.timeLimitMs ?? DEFAULT_SEARCH_TIME_LIMIT_MS) : null, here, progress)
    } else {
      // Here an expression could not be stopped: without workers it is not run at all.
      if (query.regex) throw new QuireError({ code: 'internal', message: 'Regular expressions are searched on worker threads, which could not start' })
      for (const job of jobs) {
        if (progress.stopped?.()) break
        await take(job.batchIndex === 0 && first !== null ? first : searchBatch(settings, job))
        await nextTurn()
      }
    }
  } finally {
    await pool?.close()
  }
  return run
}

/**
 * Takes the pool's outputs in order until done (false), or until no batch came back for the
 * time limit (true): a batch is at most 50 documents or 4 MB, which a sound expression gets
 * through in well under a second, so a batch this late is running away, however large the project.
 */
async function takeUntil(
  pool: SearchWorkerPool,
  jobs: readonly SearchBatchJob[],
  take: (output: SearchBatchOutput) => Promise<void>,
  timeLimitMs: number | null,
  here: BatchesRunHere<SearchBatchJob, SearchBatchOutput> | undefined,
  progress: SearchProgress
): Promise<boolean> {
  const outputs = pool.convert(jobs, here)
  for (;;) {
    if (progress.stopped?.()) return false
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'timed-out'>((resolve) => {
      if (timeLimitMs !== null) timer = setTimeout(() => resolve('timed-out'), timeLimitMs)
    })
    try {
      const next = await Promise.race([outputs.next(), late])
      if (next === 'timed-out') return true
      if (next.done) return false
      await take(next.value)
    } finally {
      clearTimeout(timer)
    }
  }
}

/** Documents with a layer this store has loaded: their spans are taken from the store's layers. */
async function retagLoadedLayers(store: ProjectStore, layers: LayerService, documents: readonly DocumentMatches[]): Promise<void> {
  const withLoaded = new Set(store.loadedLayerPaths().map((path) => documentIdOfPath(store.dir, path)))
  for (const document of documents) {
    if (!withLoaded.has(document.documentId)) continue
    const record = await store.readRecord(document.documentId)
    const state = await store.textState(record.id)
    // The text moved on since the worker read it: its offsets are no longer this text's.
    if (state.graph.head.id !== document.revision) continue
    const annotators = await annotatorsOf(store, layers, record)
    const current = await Promise.all(annotators.map((annotator) => layers.read(store, record, annotator)))
    document.tagging = taggingOfMatches(document.offsets, current)
  }
}

async function annotatorsOf(store: ProjectStore, layers: LayerService, record: DocumentRecord): Promise<string[]> {
  return (await layers.summarize(store, record)).filter((summary) => !summary.problem).map((summary) => summary.annotator)
}
