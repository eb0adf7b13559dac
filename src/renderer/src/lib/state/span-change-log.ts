// Your layer's recent changes as spans (start, end, tag) taken out and put in, for what keeps a
// structure of its own over the layer (curation's unsettled positions): it follows the changes
// since it last looked instead of reading a gold layer of tens of thousands of spans after every
// press. Only the last changes are kept, and a change whose spans are not known (the whole layer
// replaced) breaks the chain: asked across either, the log says so and the reader starts anew.

export interface SpanRange {
  start: number
  end: number
  tag: string
}

export interface SpanRangeChange {
  removed: readonly SpanRange[]
  added: readonly SpanRange[]
}

export class SpanChangeLog {
  #version = 0
  /** The changes that brought the log to its last versions, oldest first; null: not known. */
  readonly #kept: (SpanRangeChange | null)[] = []
  readonly #capacity: number

  constructor(capacity = 64) {
    this.#capacity = capacity
  }

  /** Counts every change recorded: a reader remembers it to ask what changed since. */
  get version(): number {
    return this.#version
  }

  /** Records a change (null when which spans changed is not known); returns the new version. */
  record(change: SpanRangeChange | null): number {
    this.#kept.push(change)
    if (this.#kept.length > this.#capacity) this.#kept.shift()
    return ++this.#version
  }

  /** The changes after `version`, oldest first; null when they are not all known any more. */
  since(version: number): SpanRangeChange[] | null {
    const count = this.#version - version
    if (count < 0 || count > this.#kept.length) return null
    const changes = this.#kept.slice(this.#kept.length - count)
    return changes.every((change) => change !== null) ? (changes as SpanRangeChange[]) : null
  }
}
