// The window's side of the find worker: sends the document's text once, runs one query at a
// time (a query typed while another runs waits, and only the newest waiting one is sent), and
// stops a query that runs past the time limit by ending the worker and starting a fresh one,
// since a runaway regular expression (`(a+)+$` on a long line) cannot be interrupted otherwise.
import type { SearchQuery } from '../../../../core/search/find-matches'
import { FindEngine } from './find-engine'
import type { FromFindWorker, ToFindWorker } from './find-protocol'

/** The part of a Worker the runner uses, so tests and jsdom can give it one in the same thread. */
export interface FindWorkerLike {
  onmessage: ((event: MessageEvent<FromFindWorker>) => void) | null
  /** The worker's script could not load or threw (a Worker's 'error' event). */
  onerror?: ((event: Event) => void) | null
  postMessage(message: ToFindWorker): void
  terminate(): void
}

export type FindOutcome =
  | { kind: 'found'; offsets: Int32Array; count: number; truncated: boolean }
  | { kind: 'problem'; problem: string }
  /** Ran past the time limit and was stopped. */
  | { kind: 'stopped'; afterMs: number }
  /** A newer query was asked before this one could run. */
  | { kind: 'superseded' }

export const FIND_TIME_LIMIT_MS = 2000

interface Pending {
  query: SearchQuery
  resolve: (outcome: FindOutcome) => void
}

export interface MatchRunnerOptions {
  createWorker: () => FindWorkerLike
  timeLimitMs?: number
}

export class MatchRunner {
  #createWorker: () => FindWorkerLike
  readonly #timeLimitMs: number
  #worker: FindWorkerLike | null = null
  #text: { id: number; text: string } | null = null
  #textSent = false
  #nextTextId = 1
  #nextRequestId = 1
  #running: (Pending & { requestId: number; timer: ReturnType<typeof setTimeout> }) | null = null
  #waiting: Pending | null = null

  constructor(options: MatchRunnerOptions) {
    this.#createWorker = options.createWorker
    this.#timeLimitMs = options.timeLimitMs ?? FIND_TIME_LIMIT_MS
  }

  /** The text later queries run over; sent to the worker now, or with the first query when `lazily`. */
  setText(text: string, lazily = false): void {
    if (this.#text?.text === text) {
      if (!lazily) this.#ensureTextSent()
      return
    }
    this.#text = { id: this.#nextTextId++, text }
    this.#textSent = false
    if (!lazily) this.#ensureTextSent()
  }

  /** Sends the text to the worker now (if it has not got it), so a first query need not wait for it. */
  prepare(): void {
    if (this.#text) this.#ensureTextSent()
  }

  /** Runs a query over the text; a query still waiting when this is called is superseded. */
  find(query: SearchQuery): Promise<FindOutcome> {
    return new Promise((resolve) => {
      this.#waiting?.resolve({ kind: 'superseded' })
      this.#waiting = { query, resolve }
      if (!this.#running) this.#sendWaiting()
    })
  }

  dispose(): void {
    if (this.#running) clearTimeout(this.#running.timer)
    this.#running?.resolve({ kind: 'superseded' })
    this.#waiting?.resolve({ kind: 'superseded' })
    this.#running = null
    this.#waiting = null
    this.#worker?.terminate()
    this.#worker = null
  }

  #workerReady(): FindWorkerLike {
    if (!this.#worker) {
      const worker = this.#createWorker()
      worker.onmessage = (event) => this.#onAnswer(event.data)
      worker.onerror = () => this.#workerFailed(worker)
      this.#worker = worker
      this.#textSent = false
    }
    return this.#worker
  }

  #ensureTextSent(): void {
    const worker = this.#workerReady()
    if (this.#textSent || !this.#text) return
    worker.postMessage({ kind: 'text', textId: this.#text.id, text: this.#text.text })
    this.#textSent = true
  }

  #sendWaiting(): void {
    const pending = this.#waiting
    if (!pending) return
    this.#waiting = null
    if (!this.#text) {
      pending.resolve({ kind: 'found', offsets: new Int32Array(0), count: 0, truncated: false })
      return
    }
    this.#ensureTextSent()
    const requestId = this.#nextRequestId++
    const timer = setTimeout(() => this.#stopRunaway(), this.#timeLimitMs)
    this.#running = { ...pending, requestId, timer }
    this.#worker?.postMessage({ kind: 'find', requestId, textId: this.#text.id, query: pending.query })
  }

  #onAnswer(answer: FromFindWorker): void {
    const running = this.#running
    if (!running || answer.requestId !== running.requestId) return
    clearTimeout(running.timer)
    this.#running = null
    running.resolve(answer.kind === 'found' ? { kind: 'found', offsets: answer.offsets, count: answer.count, truncated: answer.truncated } : { kind: 'problem', problem: answer.problem })
    this.#sendWaiting()
  }

  /**
   * A worker that cannot run (its script refused or failed to load) must not read as a runaway
   * expression two seconds later: matching moves into this thread, and the query runs again.
   */
  #workerFailed(worker: FindWorkerLike): void {
    if (worker !== this.#worker) return
    worker.terminate()
    this.#worker = null
    this.#textSent = false
    this.#createWorker = createInThreadFindWorker
    const running = this.#running
    if (running) {
      clearTimeout(running.timer)
      this.#running = null
      if (this.#waiting) running.resolve({ kind: 'superseded' })
      else this.#waiting = { query: running.query, resolve: running.resolve }
    }
    if (this.#text) this.#ensureTextSent()
    this.#sendWaiting()
  }

  #stopRunaway(): void {
    const running = this.#running
    if (!running) return
    this.#running = null
    this.#worker?.terminate()
    this.#worker = null
    this.#textSent = false
    running.resolve({ kind: 'stopped', afterMs: this.#timeLimitMs })
    // The fresh worker gets the text now, so the next query does not wait for it.
    if (this.#text) this.#ensureTextSent()
    this.#sendWaiting()
  }
}

/** A worker-like object running the engine in this thread (jsdom, tests): no time limit can stop it. */
export function createInThreadFindWorker(): FindWorkerLike {
  const engine = new FindEngine()
  // Answered in order, later, as a worker would: one queue, not a timer per message (timers
  // set from inside a timer may be delayed and overtake each other).
  const queue: ToFindWorker[] = []
  let terminated = false
  const drain = (): void => {
    for (let message = queue.shift(); message && !terminated; message = queue.shift()) {
      const answer = engine.handle(message)
      if (answer) worker.onmessage?.({ data: answer } as MessageEvent<FromFindWorker>)
    }
  }
  const worker: FindWorkerLike = {
    onmessage: null,
    postMessage(message) {
      queue.push(message)
      if (queue.length === 1) setTimeout(drain, 0)
    },
    terminate() {
      terminated = true
      queue.length = 0
    }
  }
  return worker
}
