// Annotations grouped by tag, each group in text order (compareSpans, as SpanIndex.all()), for
// the annotation panel. Kept up to date change by change: a tag key press moves one span into
// its group with a binary search, where regrouping a 5 MB document's 88,000 spans on every
// press cost the press a good part of its frame.
import { compareSpans, firstNotBefore, isInOrder, type IndexedSpan } from './span-index'

export interface TaggedSpan extends IndexedSpan {
  tag: string
}

export class TagGroups<T extends TaggedSpan> {
  readonly #groups = new Map<string, T[]>()

  constructor(items: readonly T[]) {
    this.#groupAll(items)
    for (const group of this.#groups.values()) if (!isInOrder(group)) group.sort(compareSpans)
  }

  /**
   * Groups spans already in compareSpans order (a session's layer): each group takes them in
   * turn, so it is in order too and is not checked (the checks were half of grouping a 5 MB
   * document's 88,000 spans, in the task that opens it).
   */
  static fromOrdered<T extends TaggedSpan>(items: readonly T[]): TagGroups<T> {
    const groups = new TagGroups<T>([])
    groups.#groupAll(items)
    return groups
  }

  /** The tag's spans in text order (empty for a tag without any). Changes in place; do not keep it across changes. */
  group(tag: string): readonly T[] {
    return this.#groups.get(tag) ?? []
  }

  /** Every tag that has or had spans, in the order first met. */
  tags(): string[] {
    return [...this.#groups.keys()]
  }

  /** Takes out the `earlier` versions of changed or removed spans (the very objects grouped) and puts in the `next` ones. */
  update(earlier: Iterable<T>, next: Iterable<T>): void {
    for (const item of earlier) this.#remove(item)
    for (const item of next) {
      const group = this.#groupOf(item.tag)
      group.splice(firstNotBefore(group, item), 0, item)
    }
  }

  #remove(item: T): void {
    const group = this.#groups.get(item.tag)
    if (!group) return
    // The same offsets and id compare equal, so the binary search lands on it.
    const at = firstNotBefore(group, item)
    const found = group[at] === item ? at : group.indexOf(item)
    if (found >= 0) group.splice(found, 1)
  }

  #groupAll(items: readonly T[]): void {
    // Indexed, not for-of: this runs cold in the task that opens a long document (see longestSpan).
    for (let index = 0; index < items.length; index++) {
      const item = items[index] as T
      this.#groupOf(item.tag).push(item)
    }
  }

  #groupOf(tag: string): T[] {
    let group = this.#groups.get(tag)
    if (!group) this.#groups.set(tag, (group = []))
    return group
  }
}
