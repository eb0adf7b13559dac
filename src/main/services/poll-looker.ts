// How the polling for colleagues' changes (project-changes.ts, for projects too large for file
// watches) looks at a project's files: on a worker thread of its own at the lowest priority
// (poll-worker.ts), so that a look's seconds of stat calls take only time nobody else wants; or
// on the main thread in slices between the window's calls (PolledFiles' own pacing) where that
// worker cannot start (its code missing from a build) or has stopped.
import { Worker } from 'node:worker_threads'
import { PolledFiles, type PolledProject } from './polled-files'
import { workerEntry, type WorkerEntry } from './worker-pool'
import { WORKER_READY_MESSAGE } from './worker-thread'

/** The poll worker's workerData. */
export interface PollWorkerSettings {
  projectDir: string
}

/** What the poll worker answers to look number `look`. */
export type PollWorkerAnswer = { look: number; changed: string[] } | { look: number; failed: string }

export interface ProjectLooker {
  /**
   * Looks at every file of the project, as PolledFiles.look does: `changed` is told the path of
   * each file that appeared, went or changed since the last look (none on the first); false once
   * `goOn` says the project is no longer followed.
   */
  look(changed: (path: string) => void, goOn: () => boolean): Promise<boolean>
  /** Stops the looks (and the worker making them). */
  close(): void
}

/** Looks made on this thread, in slices between the window's calls. */
export function lookerOnThisThread(project: PolledProject): ProjectLooker {
  const polled = new PolledFiles()
  return { look: (changed, goOn) => polled.look(project, changed, goOn), close: () => undefined }
}

/** Looks made by a worker thread, which keeps what they found; on this thread should the worker fail. */
export class WorkerLooker implements ProjectLooker {
  #worker: Worker | null
  readonly #ready: Promise<boolean>
  readonly #answers = new Map<number, (answer: PollWorkerAnswer | null) => void>()
  #looks = 0
  #closed = false
  #onThisThread: ProjectLooker | null = null

  constructor(
    private readonly project: PolledProject,
    entry: WorkerEntry = workerEntry('poll-worker')
  ) {
    const worker = new Worker(entry.url, { workerData: { projectDir: project.dir } satisfies PollWorkerSettings, argv: entry.argv })
    // It never keeps the app running: a look under way is simply dropped when the app ends.
    worker.unref()
    this.#worker = worker
    this.#ready = new Promise<boolean>((resolve) => {
      worker.on('message', (message: PollWorkerAnswer | typeof WORKER_READY_MESSAGE) => {
        if (message === WORKER_READY_MESSAGE) {
          resolve(true)
          return
        }
        const answer = this.#answers.get(message.look)
        this.#answers.delete(message.look)
        answer?.(message)
      })
      worker.once('error', (error) => {
        if (!this.#closed) console.warn(`Quire: looking for colleagues' changes on the main thread (the worker stopped: ${error.message})`)
        resolve(false)
        this.#lost()
      })
      worker.once('exit', () => {
        resolve(false)
        this.#lost()
      })
    })
  }

  async look(changed: (path: string) => void, goOn: () => boolean): Promise<boolean> {
    if (this.#onThisThread === null && (await this.#ready)) {
      const answer = await this.#ask()
      if (this.#closed || !goOn()) return false
      if (answer !== null && 'changed' in answer) {
        for (const path of answer.changed) changed(path)
        return true
      }
      if (answer !== null) console.warn(`Quire: looking for colleagues' changes on the main thread (the worker's look failed: ${answer.failed})`)
    }
    if (this.#closed) return false
    // What the worker had found is lost with it: this thread's first look only takes note.
    this.#onThisThread ??= lookerOnThisThread(this.project)
    return this.#onThisThread.look(changed, goOn)
  }

  close(): void {
    this.#closed = true
    const worker = this.#worker
    this.#worker = null
    if (worker !== null) void worker.terminate()
  }

  #ask(): Promise<PollWorkerAnswer | null> {
    const worker = this.#worker
    if (worker === null) return Promise.resolve(null)
    const look = this.#looks++
    return new Promise((resolve) => {
      this.#answers.set(look, resolve)
      worker.postMessage(look)
    })
  }

  #lost(): void {
    this.#worker = null
    for (const answer of this.#answers.values()) answer(null)
    this.#answers.clear()
  }
}
