// Counts pieces of work in flight, so other work can wait for a moment when there is none:
// the document list's pages wait for a document being opened (see AppState.#wholeList).

export class WorkInFlight {
  #count = 0
  #waiting: (() => void)[] = []

  /** Runs `work`, counted until it settles. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.#count++
    try {
      return await work()
    } finally {
      this.#count--
      if (this.#count === 0) {
        const waiting = this.#waiting
        this.#waiting = []
        for (const resolve of waiting) resolve()
      }
    }
  }

  /** Resolves at once when nothing is in flight, else once nothing is. */
  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiting.push(resolve))
  }
}
