// Imports the window follows. The window names its import with a job id of its own when it
// calls importTexts or importAnnotations (the call still answers with the report), and while
// that call runs it polls getImportProgress and may cancelImport: polling works identically
// over Electron IPC and the browser edition's HTTP, where main cannot push events (as exports).
import type { ImportProgress } from '../../shared/model'
import type { ImportControl } from './import-service'

interface ImportJob {
  progress: ImportProgress
  controller: AbortController
}

/** How many cancelled ids are remembered for imports not started yet (a cancel overtaking its import's upload). */
const EARLY_CANCELS_KEPT = 100

export class ImportJobs {
  readonly #running = new Map<string, ImportJob>()
  readonly #cancelledBeforeStart = new Set<string>()

  /** Runs `work` as job `jobId` (none: not followed); the job is forgotten once it has finished. */
  async run<T>(jobId: string | undefined, work: (control: ImportControl) => Promise<T>): Promise<T> {
    if (jobId === undefined) return work({})
    const controller = new AbortController()
    if (this.#cancelledBeforeStart.delete(jobId)) controller.abort()
    const job: ImportJob = { progress: { done: 0, total: 0 }, controller }
    // A job id used again (the browser edition sends a big import in several requests) follows the latest.
    this.#running.set(jobId, job)
    try {
      return await work({
        signal: controller.signal,
        onProgress: (done, total) => {
          job.progress = { done, total }
        }
      })
    } finally {
      if (this.#running.get(jobId) === job) this.#running.delete(jobId)
    }
  }

  /** Documents written and in all so far; null for an import not (or no longer) running. */
  progress(jobId: string): ImportProgress | null {
    const job = this.#running.get(jobId)
    return job ? { ...job.progress } : null
  }

  /** Stops the import after the batch being written; the batches before it stay in the project. */
  cancel(jobId: string): void {
    const job = this.#running.get(jobId)
    if (job) {
      job.controller.abort()
      return
    }
    if (this.#cancelledBeforeStart.size >= EARLY_CANCELS_KEPT) this.#cancelledBeforeStart.clear()
    this.#cancelledBeforeStart.add(jobId)
  }
}
