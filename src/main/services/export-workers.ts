// Worker threads that convert an export's batches at once (reading, checking and formatting
// documents is CPU work: on one thread a 10,000-document CoNLL export takes twice its time
// budget). Outputs come back in batch order, so the caller writes exactly what a single
// thread would, and only a few batches per worker are ever in flight, so memory stays flat
// however large the corpus.
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { DocumentRecord } from '../../shared/model'
import { WORKER_READY_MESSAGE, type ExportBatchJob, type ExportBatchOutput, type ExportBatchSettings } from './corpus-export-batch'

/** Below this many documents starting workers costs more than it saves. */
export const PARALLEL_EXPORT_MIN_DOCUMENTS = 200
const MAX_EXPORT_WORKERS = 4
const BATCH_DOCUMENTS = 50
/** Text bytes per batch at most (one larger document still makes a batch of its own). */
const BATCH_TEXT_BYTES = 4 * 2 ** 20
/** Batches queued per worker, so a worker never waits for the main thread to send the next. */
const BATCHES_IN_FLIGHT_PER_WORKER = 2

/** Workers for an export of `documentCount` documents: none (this thread) for small ones or one core. */
export function exportWorkerCount(documentCount: number): number {
  if (documentCount < PARALLEL_EXPORT_MIN_DOCUMENTS) return 0
  const cores = availableParallelism()
  return cores < 2 ? 0 : Math.min(cores, MAX_EXPORT_WORKERS)
}

/**
 * Consecutive documents cut into batches of similar work; one empty batch for no documents,
 * which still carries what a file starts with (the CSV header).
 */
export function exportBatches(records: readonly DocumentRecord[]): ExportBatchJob[] {
  const batches: ExportBatchJob[] = []
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

/**
 * The worker's entry: out/main/export-worker.js beside the bundled main process (its own
 * entry in electron.vite.config.ts), or, running from the TypeScript sources, a bootstrap that
 * loads export-worker.ts through tsx.
 */
function workerEntry(): URL {
  const built = new URL('./export-worker.js', import.meta.url)
  if (existsSync(fileURLToPath(built))) return built
  return new URL('./export-worker-tsx.mjs', import.meta.url)
}

interface PendingBatch {
  resolve: (output: ExportBatchOutput) => void
  reject: (error: unknown) => void
}

export class ExportWorkerPool {
  private readonly workers: Worker[]
  private readonly pending = new Map<number, PendingBatch>()
  private failure: { error: unknown } | null = null
  private closing = false
  private workersReady = 0
  private readonly readiness: Promise<boolean>
  private settleReadiness: (ready: boolean) => void = () => undefined

  /** `entry` is the worker's code; tests point it elsewhere to see a worker fail to start. */
  constructor(settings: ExportBatchSettings, workerCount: number, entry: URL = workerEntry()) {
    this.readiness = new Promise<boolean>((resolve) => {
      this.settleReadiness = resolve
    })
    this.workers = Array.from({ length: workerCount }, () => {
      const worker = new Worker(entry, { workerData: settings })
      worker.on('message', (message: ExportBatchOutput | typeof WORKER_READY_MESSAGE) => {
        if (message === WORKER_READY_MESSAGE) {
          if (++this.workersReady === workerCount) this.settleReadiness(true)
          return
        }
        const batch = this.pending.get(message.batchIndex)
        this.pending.delete(message.batchIndex)
        batch?.resolve(message)
      })
      worker.on('error', (error) => this.fail(error))
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`an export worker stopped unexpectedly (exit code ${code})`))
      })
      return worker
    })
  }

  /**
   * True once every worker has loaded; false if one could not start (its code missing from a
   * build, say), in which case the caller exports on its own thread instead.
   */
  ready(): Promise<boolean> {
    return this.readiness
  }

  /** Converts the batches on the workers and yields their outputs in batch order. */
  async *convert(batches: readonly ExportBatchJob[]): AsyncGenerator<ExportBatchOutput> {
    const window = this.workers.length * BATCHES_IN_FLIGHT_PER_WORKER
    const outputs = new Map<number, Promise<ExportBatchOutput>>()
    let nextToSend = 0
    for (let index = 0; index < batches.length; index++) {
      while (nextToSend < batches.length && nextToSend < index + window) {
        const job = batches[nextToSend++] as ExportBatchJob
        outputs.set(job.batchIndex, this.send(job))
      }
      const output = outputs.get(index) as Promise<ExportBatchOutput>
      outputs.delete(index)
      yield await output
    }
  }

  /** Stops every worker; whatever they were converting is discarded. */
  async close(): Promise<void> {
    this.closing = true
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  private send(job: ExportBatchJob): Promise<ExportBatchOutput> {
    let resolve!: (output: ExportBatchOutput) => void
    let reject!: (error: unknown) => void
    const promise = new Promise<ExportBatchOutput>((onResolve, onReject) => {
      resolve = onResolve
      reject = onReject
    })
    // A batch that fails after an earlier one already failed is never awaited; that is no
    // unhandled rejection.
    promise.catch(() => undefined)
    this.pending.set(job.batchIndex, { resolve, reject })
    if (this.failure !== null) reject(this.failure.error)
    else (this.workers[job.batchIndex % this.workers.length] as Worker).postMessage(job)
    return promise
  }

  private fail(error: unknown): void {
    this.settleReadiness(false)
    this.failure ??= { error }
    for (const batch of this.pending.values()) batch.reject(this.failure.error)
    this.pending.clear()
  }
}
