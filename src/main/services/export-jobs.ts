// Exports running in main, addressed by job id. The renderer starts one, then polls its
// progress: polling works identically over Electron IPC and the browser edition's HTTP, where
// main cannot push events. A finished job is kept for a while so a late poll still gets the
// result, then forgotten.
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { QuireError } from '../../shared/api'
import type { ExportJobStatus, ExportProgress, ExportRequest, ExportResult } from '../../shared/model'

/** What the corpus export service offers; kept structural so this file does not depend on its internals. */
export interface CorpusExporter {
  export(
    request: ExportRequest,
    options: { onProgress?: (progress: ExportProgress) => void; signal?: AbortSignal }
  ): Promise<ExportResult>
}

export interface ExportJobsOptions {
  /** How long a finished job stays available to getExportProgress. */
  keepFinishedMs?: number
  now?: () => number
}

interface ExportJob {
  status: ExportJobStatus
  outPath: string
  controller: AbortController
  /** Settles (never rejects) when the export has stopped writing. */
  done: Promise<void>
  finishedAt: number | null
}

const DEFAULT_KEEP_FINISHED_MS = 10 * 60 * 1000

export class ExportJobs {
  readonly #jobs = new Map<string, ExportJob>()
  /** Everything an export of this session wrote: the only paths showExportInFolder may reveal. */
  readonly #writtenPaths = new Set<string>()
  readonly #keepFinishedMs: number
  readonly #now: () => number

  constructor(
    private readonly exporter: () => Promise<CorpusExporter>,
    options: ExportJobsOptions = {}
  ) {
    this.#keepFinishedMs = options.keepFinishedMs ?? DEFAULT_KEEP_FINISHED_MS
    this.#now = options.now ?? Date.now
  }

  start(request: ExportRequest): { jobId: string } {
    this.#forgetOldJobs()
    const outPath = resolve(request.outPath)
    for (const job of this.#jobs.values()) {
      if (job.status.state === 'running' && job.outPath === outPath) {
        throw new QuireError({ code: 'invalid-argument', message: `An export to ${outPath} is already running; wait for it or cancel it first.`, path: outPath })
      }
    }
    const jobId = randomBytes(12).toString('base64url')
    const controller = new AbortController()
    const job: ExportJob = {
      status: { jobId, state: 'running', progress: { documentsDone: 0, documentsTotal: 0, spansWritten: 0 } },
      outPath,
      controller,
      done: Promise.resolve(),
      finishedAt: null
    }
    job.done = this.#run(job, request)
    this.#jobs.set(jobId, job)
    return { jobId }
  }

  status(jobId: string): ExportJobStatus {
    this.#forgetOldJobs()
    return structuredClone(this.#job(jobId).status)
  }

  /** Asks the export to stop; it finishes with result.cancelled once it has. Cancelling a finished job does nothing. */
  cancel(jobId: string): void {
    const job = this.#job(jobId)
    if (job.status.state === 'running') job.controller.abort()
  }

  /** Cancels every running export and waits until none is writing (before the project closes). */
  async cancelAll(): Promise<void> {
    const running = [...this.#jobs.values()].filter((job) => job.status.state === 'running')
    for (const job of running) job.controller.abort()
    await Promise.all(running.map((job) => job.done))
  }

  /** True for an export's destination or a file it wrote in this session. */
  wrote(path: string): boolean {
    return this.#writtenPaths.has(resolve(path))
  }

  async #run(job: ExportJob, request: ExportRequest): Promise<void> {
    try {
      const exporter = await this.exporter()
      const result = await exporter.export(request, {
        signal: job.controller.signal,
        onProgress: (progress) => {
          job.status.progress = { ...progress }
        }
      })
      if (!result.cancelled) for (const path of [result.outPath, ...result.files]) this.#writtenPaths.add(resolve(path))
      job.status = { ...job.status, state: 'finished', result }
    } catch (error) {
      const info = (error instanceof QuireError ? error : new QuireError({ code: 'internal', message: (error as Error)?.message ?? String(error) })).toInfo()
      if (info.code === 'internal') console.error('Quire: export failed:', error)
      job.status = { ...job.status, state: 'failed', error: info }
    } finally {
      job.finishedAt = this.#now()
    }
  }

  #job(jobId: string): ExportJob {
    const job = this.#jobs.get(jobId)
    if (!job) throw new QuireError({ code: 'not-found', message: `There is no export ${jobId} (finished exports are forgotten after a few minutes).` })
    return job
  }

  #forgetOldJobs(): void {
    const now = this.#now()
    for (const [jobId, job] of this.#jobs) {
      if (job.finishedAt !== null && now - job.finishedAt > this.#keepFinishedMs) this.#jobs.delete(jobId)
    }
  }
}
