// Work that follows a save but need not delay its answer (writing a layer forward after a text
// edit, the machine-local copy of a text). It starts once the call that asked for it has
// answered (holdWhile), on a later turn of the event loop, so its synchronous part (copying and
// serialising an 88,000-span layer) never lands inside that call; closing a project waits for it.
export class BackgroundWork {
  readonly #running = new Set<Promise<void>>()
  /** Settles when the calls holding background work back have answered. */
  #hold: Promise<unknown> = Promise.resolve()

  /** Runs `answer`; work started meanwhile waits until it has settled. */
  holdWhile<T>(answer: Promise<T>): Promise<T> {
    const previous = this.#hold
    this.#hold = Promise.all([previous, answer.catch(() => undefined)])
    return answer
  }

  /** Runs `task` after the current answer; its failure is reported, never thrown at anyone. */
  start(describe: string, task: () => Promise<unknown>): void {
    const run = this.#hold
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(task)
      .then(
        () => undefined,
        (error: unknown) => console.warn(`Quire: ${describe}: ${error instanceof Error ? error.message : String(error)}`)
      )
    this.#running.add(run)
    void run.finally(() => this.#running.delete(run))
  }

  /** Resolves once everything started so far (and whatever it started) has finished. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running])
  }
}
