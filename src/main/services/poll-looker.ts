// How the polling for colleagues' changes (project-changes.ts, for projects too large for file
// watches) looks at a project's files: on a worker thread of its own at the lowest priority and
// in bursts (poll-worker.ts), so that a look's seconds of stat calls take only time nobody else
// wants; or on the main thread in slices between the window's calls (PolledFiles' own pacing)
// where that worker cannot start (its code missing from a build) or has stopped.
import { PolledFiles, type PolledProject } from './polled-files'
import { workerEntry, WorkerPool, type WorkerEntry } from './worker-pool'
import { SHARE_OF_A_CORE } from './work-in-bursts'

/** The poll worker's workerData. */
export interface PollWorkerSettings {
  projectDir: string
}

/** A look asked of the poll worker (one at a time, each the only batch of its run). */
export interface PollWorkerJob {
  batchIndex: number
}

/** What the poll worker's look found changed since its last (nothing on its first). */
export interface PollWorkerOutput {
  batchIndex: number
  changed: string[]
}

export interface ProjectLooker {
  /**
   * Looks at every file of the project, as PolledFiles.look does: `changed` is told the path of
   * each file that appeared, went or changed since the last look (none on the first); false once
   * `goOn` says the project is no longer followed.
   */
  look(changed: (path: string) => void, goOn: () => boolean): Promise<boolean>
  /** Stops the looks (and the worker making them). */
  close(): void
  /** The share of one core the last look kept busy while it ran (1 unless it went in bursts). */
  readonly shareOfACore: number
}

/** Looks made on this thread, in slices between the window's calls. */
export function lookerOnThisThread(project: PolledProject): ProjectLooker {
  const polled = new PolledFiles()
  return { look: (changed, goOn) => polled.look(project, changed, goOn), close: () => undefined, shareOfACore: 1 }
}

/** Looks made by a worker thread, which keeps what they found; on this thread should the worker fail. */
export class WorkerLooker implements ProjectLooker {
  readonly #pool: WorkerPool<PollWorkerSettings, PollWorkerJob, PollWorkerOutput>
  #closed = false
  #onThisThread: ProjectLooker | null = null

  constructor(
    private readonly project: PolledProject,
    entry: WorkerEntry | URL = workerEntry('poll-worker')
  ) {
    // It never keeps the app running: a look under way is simply dropped when the app ends.
    this.#pool = new WorkerPool(entry, { projectDir: project.dir }, 1, { background: true })
  }

  get shareOfACore(): number {
    return this.#onThisThread?.shareOfACore ?? SHARE_OF_A_CORE
  }

  async look(changed: (path: string) => void, goOn: () => boolean): Promise<boolean> {
    if (this.#onThisThread === null) {
      try {
        if (!(await this.#pool.ready())) throw new Error('it could not start')
        for await (const output of this.#pool.convert([{ batchIndex: 0 }])) {
          if (this.#closed || !goOn()) return false
          for (const path of output.changed) changed(path)
        }
        return true
      } catch (error) {
        if (this.#closed) return false
        console.warn(`Quire: looking for colleagues' changes on the main thread (the worker: ${(error as Error).message})`)
      }
    }
    if (this.#closed) return false
    // What the worker had found is lost with it: this thread's first look only takes note.
    this.#onThisThread ??= lookerOnThisThread(this.project)
    return this.#onThisThread.look(changed, goOn)
  }

  close(): void {
    this.#closed = true
    void this.#pool.close()
  }
}
