// A table of distinct strings, each written once and referred to by its place: packed
// annotations, compact comparisons, the document index's columns and the suggestions' lexicon
// file all send or store repeated names (tags, annotators, files) this way.
export class StringTable {
  /** The strings in the order they were first seen; a string's index is its place here. */
  readonly values: string[] = []
  readonly #indexes = new Map<string, number>()

  /** The string's place in the table, adding it at the end the first time it is seen. */
  index(value: string): number {
    let index = this.#indexes.get(value)
    if (index === undefined) {
      index = this.values.length
      this.values.push(value)
      this.#indexes.set(value, index)
    }
    return index
  }
}
