// Work that follows a save but need not delay its answer (writing a layer forward after a text
// edit, the machine-local copy of a text): started on the next turn of the event loop, so the
// answer goes out first, and awaited when the project closes.
export class BackgroundWork {
  readonly #running = new Set<Promise<void>>()

  /** Runs `task` after the current answer; its failure is reported, never thrown at anyone. */
  start(describe: string, task: () => Promise<unknown>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
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
