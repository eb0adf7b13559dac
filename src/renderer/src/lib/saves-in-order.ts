// Over HTTP each request may go on its own connection, so two saves sent at once can reach main
// in either order, and an earlier one answering late would set the window back to a choice the
// person has already changed. Saves queued here start one after another, in the order chosen,
// and each can ask whether a later choice has been queued since.

export interface QueuedSave<T> {
  /** The save's answer, once the saves queued before it have settled and it has run. */
  saved: Promise<T>
  /** False once a later save has been queued: its answer, not this one's, is the one to show. */
  isLatest: () => boolean
}

export class SavesInOrder {
  #last: Promise<unknown> = Promise.resolve()
  #latest = 0

  /**
   * Runs `save` after every save queued before it (whether those succeeded or failed). The first
   * save starts one promise step after the call, as `promise.then` would start it.
   */
  queue<T>(save: (isLatest: () => boolean) => Promise<T>): QueuedSave<T> {
    const ticket = ++this.#latest
    const isLatest = (): boolean => ticket === this.#latest
    const saved = this.#last.then(() => save(isLatest))
    this.#last = saved.catch(() => undefined)
    return { saved, isLatest }
  }
}
