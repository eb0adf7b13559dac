// Worker threads that process batches of a project's documents at once: reading, checking and
// converting or measuring documents is CPU work, and on one thread a 10,000-document export or
// agreement takes twice its time budget. The corpus export (corpus-export-service.ts) and
// project agreement (agreement-service.ts) both run here. Outputs come back in batch order, so
// the caller can combine them exactly as a single thread would, and only a few batches per
// worker are ever in flight, so memory stays flat however large the project.
//
// A worker's code is an entry of its own (electron.vite.config.ts): out/main/<name>.js beside
// the bundled main process; run from the TypeScript sources, worker-tsx.mjs loads <name>.ts
// through tsx. Workers that cannot start (their file missing from a build, say) make ready()
// false, and the caller does the work on its own thread.
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { DocumentRecord } from '../../shared/model'
import { WORKER_READY_MESSAGE } from './worker-thread'

/** Below this many documents starting workers costs more than it saves. */
export const PARALLEL_MIN_DOCUMENTS = 200
const MAX_WORKERS = 4
const BATCH_DOCUMENTS = 50
/** Text bytes per batch at most (one larger document still makes a batch of its own). */
const BATCH_TEXT_BYTES = 4 * 2 ** 20
/**
 * Batches queued per worker, so a worker never waits for the main thread to send the next,
 * nor for long behind a batch another worker is late with (outputs are taken in order).
 */
const BATCHES_IN_FLIGHT_PER_WORKER = 4

/** Workers for a task over `documentCount` documents: none (this thread) for small ones or one core. */
export function workerThreadCount(documentCount: number): number {
  if (documentCount < PARALLEL_MIN_DOCUMENTS) return 0
  const cores = availableParallelism()
  return cores < 2 ? 0 : Math.min(cores, MAX_WORKERS)
}

/** Consecutive documents, numbered from 0. */
export interface DocumentBatch {
  batchIndex: number
  records: DocumentRecord[]
}

/**
 * Consecutive documents cut into batches of similar work; one empty batch for no documents,
 * which still carries what a file starts with (the CSV header).
 */
export function documentBatches(records: readonly DocumentRecord[]): DocumentBatch[] {
  const batches: DocumentBatch[] = []
  let current: DocumentRecord[] = []
  let currentBytes = 0
  for (const record of records) {
    if (current.length > 0 && (current.length >= BATCH_DOCUMENTS || currentBytes + record.sizeBytes > BATCH_TEXT_BYTES)) {
      batches.push({ batchIndex: batches.length, records: current })
      current = []
      currentBytes = 0
    }
    current.push(record)
    currentBytes += record.sizeBytes
  }
  if (current.length > 0 || batches.length === 0) batches.push({ batchIndex: batches.length, records: current })
  return batches
}

export type WorkerName = 'export-worker' | 'agreement-worker' | 'search-worker' | 'poll-worker' | 'lexicon-worker'

/** Where a worker's code is, and the arguments it starts with. */
export interface WorkerEntry {
  url: URL
  argv: string[]
}

/** The worker's built file beside the main bundle, or, from the sources, worker-tsx.mjs loading its .ts. */
export function workerEntry(name: WorkerName): WorkerEntry {
  const built = new URL(`./${name}.js`, import.meta.url)
  if (existsSync(fileURLToPath(built))) return { url: built, argv: [] }
  return { url: new URL('./worker-tsx.mjs', import.meta.url), argv: [name] }
}

/** Batches a caller runs on its own thread instead (they need what only this thread has). */
export interface BatchesRunHere<Job, Output> {
  takes(job: Job): boolean
  run(job: Job): Promise<Output>
}

interface PendingBatch<Output> {
  resolve: (output: Output) => void
  reject: (error: unknown) => void
}

/**
 * `workerCount` workers started from `entry`, each given `settings` (its workerData); a job
 * goes to the worker with the fewest jobs in flight (on a busy machine one thread can run far
 * behind the other, and a fixed share would keep the rest waiting for it) and comes back as an
 * Output with the same batchIndex.
 */
export class WorkerPool<Settings, Job extends { batchIndex: number }, Output extends { batchIndex: number }> {
  private readonly workers: Worker[]
  private readonly pending = new Map<number, PendingBatch<Output>>()
  /** Jobs sent to each worker and not answered yet. */
  private readonly inFlight: number[]
  private failure: { error: unknown } | null = null
  private closing = false
  private workersReady = 0
  private readonly readiness: Promise<boolean>
  private settleReadiness: (ready: boolean) => void = () => undefined

  /**
   * `entry` is a WorkerEntry, or a bare URL (tests point one elsewhere to see a worker fail to
   * start). `background`: the workers never keep the process running (work that may be dropped
   * when the app ends, like a polling look).
   */
  constructor(entry: WorkerEntry | URL, settings: Settings, workerCount: number, { background = false }: { background?: boolean } = {}) {
    const { url, argv } = entry instanceof URL ? { url: entry, argv: [] } : entry
    this.readiness = new Promise<boolean>((resolve) => {
      this.settleReadiness = resolve
    })
    this.inFlight = new Array<number>(workerCount).fill(0)
    this.workers = Array.from({ length: workerCount }, (_, workerIndex) => {
      const worker = new Worker(url, { workerData: settings, argv })
      if (background) worker.unref()
      worker.on('message', (message: Output | typeof WORKER_READY_MESSAGE) => {
        if (message === WORKER_READY_MESSAGE) {
          if (++this.workersReady === workerCount) this.settleReadiness(true)
          return
        }
        this.inFlight[workerIndex] = (this.inFlight[workerIndex] as number) - 1
        const batch = this.pending.get(message.batchIndex)
        this.pending.delete(message.batchIndex)
        batch?.resolve(message)
      })
      worker.on('error', (error) => this.fail(error))
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a worker thread stopped unexpectedly (exit code ${code})`))
      })
      return worker
    })
  }

  get size(): number {
    return this.workers.length
  }

  /**
   * True once every worker has loaded; false if one could not start (its code missing from a
   * build, say), in which case the caller works on its own thread instead.
   */
  ready(): Promise<boolean> {
    return this.readiness
  }

  /**
   * Runs the jobs on the workers and yields their outputs in job order (jobs must be numbered
   * 0, 1, 2… in order). Jobs `here` takes are run by it on this thread when their turn comes,
   * while the workers go on with the jobs after them.
   */
  async *convert(jobs: readonly Job[], here?: BatchesRunHere<Job, Output>): AsyncGenerator<Output> {
    const window = this.workers.length * BATCHES_IN_FLIGHT_PER_WORKER
    const outputs = new Map<number, Promise<Output>>()
    let nextToSend = 0
    for (let index = 0; index < jobs.length; index++) {
      while (nextToSend < jobs.length && nextToSend < index + window) {
        const job = jobs[nextToSend++] as Job
        if (!here?.takes(job)) outputs.set(job.batchIndex, this.send(job))
      }
      const job = jobs[index] as Job
      const output = outputs.get(index)
      outputs.delete(index)
      yield await (output ?? (here as BatchesRunHere<Job, Output>).run(job))
    }
  }

  /** Stops every worker; whatever they were doing is discarded. */
  async close(): Promise<void> {
    this.closing = true
    // Nor is a caller still waiting for the workers to load (a closed pool never becomes ready).
    this.settleReadiness(false)
    // A caller still waiting for a batch (the work was stopped from outside: its project closed)
    // is told so, not left waiting for good.
    for (const batch of this.pending.values()) batch.reject(new Error('the work was stopped'))
    this.pending.clear()
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  private send(job: Job): Promise<Output> {
    let resolve!: (output: Output) => void
    let reject!: (error: unknown) => void
    const promise = new Promise<Output>((onResolve, onReject) => {
      resolve = onResolve
      reject = onReject
    })
    // A batch that fails after an earlier one already failed is never awaited; that is no
    // unhandled rejection.
    promise.catch(() => undefined)
    this.pending.set(job.batchIndex, { resolve, reject })
    if (this.failure !== null) reject(this.failure.error)
    else {
      const workerIndex = this.leastBusyWorker()
      this.inFlight[workerIndex] = (this.inFlight[workerIndex] as number) + 1
      ;(this.workers[workerIndex] as Worker).postMessage(job)
    }
    return promise
  }

  private leastBusyWorker(): number {
    let best = 0
    for (let index = 1; index < this.inFlight.length; index++) if ((this.inFlight[index] as number) < (this.inFlight[best] as number)) best = index
    return best
  }

  private fail(error: unknown): void {
    this.settleReadiness(false)
    this.failure ??= { error }
    for (const batch of this.pending.values()) batch.reject(this.failure.error)
    this.pending.clear()
  }
}
