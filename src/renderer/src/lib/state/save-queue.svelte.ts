// Sends annotation edits to main strictly in order, one batch at a time. The UI has already
// painted the change; if saving fails the edits stay queued (nothing the editor did is
// dropped), the failure is shown, and the queue retries with growing pauses.
import type { AnnotationEdit, AnnotationEditResult } from '../../../../shared/model'
import { QuireError } from '../../../../shared/api'

export type SaveState = 'saved' | 'saving' | 'failed'

export interface SaveQueueOptions {
  send: (edits: AnnotationEdit[]) => Promise<AnnotationEditResult>
  onSaved?: (result: AnnotationEditResult, edits: AnnotationEdit[]) => void
  /** Milliseconds before the n-th automatic retry (1-based). */
  retryDelay?: (attempt: number) => number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

// Errors that another attempt cannot fix; retrying them automatically would only spin.
const PERMANENT_ERRORS = new Set(['invalid-argument', 'read-only', 'no-project', 'no-annotator', 'forbidden', 'unsupported-version', 'corrupt-store'])

export class SaveQueue {
  state = $state<SaveState>('saved')
  /** The last failure, kept until a save succeeds. */
  error = $state<QuireError | null>(null)
  pendingCount = $state(0)
  /** Batches saved so far: a reader of the file can tell whether a save landed while it read. */
  savedCount = 0
  failedAttempts = $state(0)
  nextRetryAt = $state<number | null>(null)

  #pending: AnnotationEdit[][] = []
  #sending = false
  #sendScheduled = false
  #retryTimer: unknown = null
  #idleWaiters: (() => void)[] = []
  readonly #options: Required<SaveQueueOptions>

  constructor(options: SaveQueueOptions) {
    this.#options = {
      onSaved: () => {},
      retryDelay: (attempt) => Math.min(30_000, 1000 * 2 ** (attempt - 1)),
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      ...options
    }
  }

  /** Edits not yet confirmed durable, oldest first. */
  get pendingEdits(): AnnotationEdit[] {
    return this.#pending.flat()
  }

  enqueue(edits: AnnotationEdit[]): void {
    if (edits.length === 0) return
    this.#pending.push(edits)
    this.pendingCount = this.#pending.length
    this.state = this.state === 'failed' ? 'failed' : 'saving'
    // Start the save after this frame paints: the editor sees the change first, and edits made
    // in the same moment (undo of a batch) travel together.
    if (!this.#sendScheduled && !this.#sending) {
      this.#sendScheduled = true
      this.#options.setTimer(() => {
        this.#sendScheduled = false
        void this.#pump()
      }, 0)
    }
  }

  /** Retries now instead of waiting for the next automatic attempt. */
  retryNow(): void {
    this.#cancelRetry()
    void this.#pump()
  }

  /** Resolves once every queued edit is saved (never, while saving keeps failing). */
  whenIdle(): Promise<void> {
    if (this.#pending.length === 0 && !this.#sending) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  dispose(): void {
    this.#cancelRetry()
  }

  async #pump(): Promise<void> {
    if (this.#sending) return
    while (this.#pending.length > 0) {
      // Merge everything queued so far into one request: fewer file rewrites, same order.
      const batchCount = this.#pending.length
      const edits = this.#pending.slice(0, batchCount).flat()
      this.#sending = true
      this.state = 'saving'
      try {
        const result = await this.#options.send(edits)
        this.#pending.splice(0, batchCount)
        this.pendingCount = this.#pending.length
        this.error = null
        this.failedAttempts = 0
        this.savedCount++
        this.#options.onSaved(result, edits)
      } catch (caught) {
        this.#sending = false
        this.error = QuireError.from(caught)
        this.failedAttempts += 1
        this.state = 'failed'
        if (!PERMANENT_ERRORS.has(this.error.code)) this.#scheduleRetry()
        return
      }
      this.#sending = false
    }
    this.state = 'saved'
    const waiters = this.#idleWaiters
    this.#idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  #scheduleRetry(): void {
    this.#cancelRetry()
    const delay = this.#options.retryDelay(this.failedAttempts)
    this.nextRetryAt = Date.now() + delay
    this.#retryTimer = this.#options.setTimer(() => {
      this.#retryTimer = null
      this.nextRetryAt = null
      void this.#pump()
    }, delay)
  }

  #cancelRetry(): void {
    if (this.#retryTimer !== null) this.#options.clearTimer(this.#retryTimer)
    this.#retryTimer = null
    this.nextRetryAt = null
  }
}
