// An ordered index of spans for range queries: which annotations touch this block of text?
// A treap ordered by (start, longer first, id) where every node also knows the largest end in
// its subtree, so a query skips any subtree that ends before the range: O(log n + k) on
// average, with O(log n) add and remove and no rebuild.
//
// The nodes are slots in typed arrays (priority, largest end, size, children), not objects: a
// 5 MB document's 88,000 nodes were 88,000 objects more for the window's minor GCs to copy while
// it opens the document, the spans themselves being the rest.

import { IdSlots } from './id-slots'

export interface IndexedSpan {
  id: string
  start: number
  end: number
}

/** No node: an empty subtree. */
const NONE = -1

/** Negative when a sorts before b: by start, then the longer span first (outer before inner), then id. */
export function compareSpans(a: IndexedSpan, b: IndexedSpan): number {
  if (a.start !== b.start) return a.start - b.start
  if (a.end !== b.end) return b.end - a.end
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

// Deterministic priorities keep performance reproducible between runs. 30 bits, so they fit an
// Int32Array and V8's small integers.
function createPriorityGenerator(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state >>> 2
  }
}

export class SpanIndex<T extends IndexedSpan> {
  /** The span in each slot; undefined for a slot freed by a removal (listed in #freeSlots). */
  #items: (T | undefined)[] = []
  #priorities = new Int32Array(0)
  /** The largest end in each node's subtree. */
  #maxEnds = new Float64Array(0)
  #sizes = new Int32Array(0)
  #lefts = new Int32Array(0)
  #rights = new Int32Array(0)
  #root = NONE
  #freeSlots: number[] = []
  /** Each id's slot (ids read from #items). */
  readonly #slotsById = new IdSlots((slot) => (this.#items[slot] as T).id)
  #nextPriority = createPriorityGenerator(0x2545f491)
  /** The spans in order as loaded, until the first change: all() copies it instead of walking the tree. */
  #asLoaded: T[] | null = null

  constructor(items: Iterable<T> = []) {
    this.#load([...items])
  }

  get size(): number {
    return this.#slotsById.size
  }

  get(id: string): T | undefined {
    const slot = this.#slotsById.get(id)
    return slot === undefined ? undefined : this.#items[slot]
  }

  has(id: string): boolean {
    return this.#slotsById.has(id)
  }

  /** Adds a span; a span with the same id is replaced. */
  add(item: T): void {
    assertValidSpan(item)
    this.#asLoaded = null
    if (this.#slotsById.has(item.id)) this.remove(item.id)
    const slot = this.#newSlot(item, this.#nextPriority())
    const [before, after] = this.#split(this.#root, item, false)
    this.#root = this.#merge(this.#merge(before, slot), after)
    this.#slotsById.set(item.id, slot)
  }

  /** Removes a span by id; returns the removed span, or undefined when it was not indexed. */
  remove(id: string): T | undefined {
    const slot = this.#slotsById.get(id)
    if (slot === undefined) return undefined
    this.#asLoaded = null
    const item = this.#items[slot] as T
    const [before, rest] = this.#split(this.#root, item, false)
    const [, after] = this.#split(rest, item, true)
    this.#root = this.#merge(before, after)
    this.#slotsById.delete(id)
    this.#items[slot] = undefined
    this.#freeSlots.push(slot)
    return item
  }

  /** Replaces the indexed span with the same id (its offsets may have changed). */
  update(item: T): void {
    if (!this.#slotsById.has(item.id)) throw new Error(`SpanIndex.update: no span with id "${item.id}"`)
    this.add(item)
  }

  clear(): void {
    this.#asLoaded = null
    this.#root = NONE
    this.#items = []
    this.#freeSlots = []
    this.#slotsById.clear()
    this.#priorities = new Int32Array(0)
    this.#maxEnds = new Float64Array(0)
    this.#sizes = new Int32Array(0)
    this.#lefts = new Int32Array(0)
    this.#rights = new Int32Array(0)
  }

  /**
   * Spans sharing at least one character with [from, to), ordered by start, outer spans first.
   * An empty range (from === to) asks which spans cover the character at `from`.
   */
  overlapping(from: number, to: number): T[] {
    const rangeEnd = Math.max(to, from + 1)
    const found: T[] = []
    this.#collectOverlapping(this.#root, from, rangeEnd, found)
    return found
  }

  /** Every span in order. */
  all(): T[] {
    if (this.#asLoaded) return this.#asLoaded.slice()
    const items: T[] = []
    const stack: number[] = []
    let slot = this.#root
    while (slot !== NONE || stack.length > 0) {
      while (slot !== NONE) {
        stack.push(slot)
        slot = this.#lefts[slot] as number
      }
      const next = stack.pop() as number
      items.push(this.#items[next] as T)
      slot = this.#rights[next] as number
    }
    return items
  }

  /** A slot for a new leaf holding `item`: a freed one, or the next, the arrays grown when full. */
  #newSlot(item: T, priority: number): number {
    let slot = this.#freeSlots.pop()
    if (slot === undefined) {
      slot = this.#items.length
      if (slot >= this.#priorities.length) this.#grow(Math.max(16, slot * 2))
      this.#items.push(item)
    } else {
      this.#items[slot] = item
    }
    this.#priorities[slot] = priority
    this.#maxEnds[slot] = item.end
    this.#sizes[slot] = 1
    this.#lefts[slot] = NONE
    this.#rights[slot] = NONE
    return slot
  }

  #grow(capacity: number): void {
    const grown = <A extends Int32Array | Float64Array>(old: A, make: (length: number) => A): A => {
      const next = make(capacity)
      next.set(old)
      return next
    }
    this.#priorities = grown(this.#priorities, (length) => new Int32Array(length))
    this.#maxEnds = grown(this.#maxEnds, (length) => new Float64Array(length))
    this.#sizes = grown(this.#sizes, (length) => new Int32Array(length))
    this.#lefts = grown(this.#lefts, (length) => new Int32Array(length))
    this.#rights = grown(this.#rights, (length) => new Int32Array(length))
  }

  /** Sets a node's largest end and size from its span and its children. */
  #refresh(slot: number): void {
    let maxEnd = (this.#items[slot] as T).end
    let size = 1
    const left = this.#lefts[slot] as number
    const right = this.#rights[slot] as number
    if (left !== NONE) {
      if ((this.#maxEnds[left] as number) > maxEnd) maxEnd = this.#maxEnds[left] as number
      size += this.#sizes[left] as number
    }
    if (right !== NONE) {
      if ((this.#maxEnds[right] as number) > maxEnd) maxEnd = this.#maxEnds[right] as number
      size += this.#sizes[right] as number
    }
    this.#maxEnds[slot] = maxEnd
    this.#sizes[slot] = size
  }

  /** Splits into (items before key, the rest); with `inclusive`, an item equal to key goes left. */
  #split(slot: number, key: IndexedSpan, inclusive: boolean): [number, number] {
    if (slot === NONE) return [NONE, NONE]
    const order = compareSpans(this.#items[slot] as T, key)
    const goesLeft = order < 0 || (inclusive && order === 0)
    if (goesLeft) {
      const [middle, right] = this.#split(this.#rights[slot] as number, key, inclusive)
      this.#rights[slot] = middle
      this.#refresh(slot)
      return [slot, right]
    }
    const [left, middle] = this.#split(this.#lefts[slot] as number, key, inclusive)
    this.#lefts[slot] = middle
    this.#refresh(slot)
    return [left, slot]
  }

  #merge(left: number, right: number): number {
    if (left === NONE) return right
    if (right === NONE) return left
    if ((this.#priorities[left] as number) >= (this.#priorities[right] as number)) {
      this.#rights[left] = this.#merge(this.#rights[left] as number, right)
      this.#refresh(left)
      return left
    }
    this.#lefts[right] = this.#merge(left, this.#lefts[right] as number)
    this.#refresh(right)
    return right
  }

  #collectOverlapping(slot: number, from: number, to: number, found: T[]): void {
    if (slot === NONE || (this.#maxEnds[slot] as number) <= from) return
    this.#collectOverlapping(this.#lefts[slot] as number, from, to, found)
    const item = this.#items[slot] as T
    // Everything to the right starts at or after this node: nothing there can start before `to`.
    if (item.start >= to) return
    if (item.end > from) found.push(item)
    this.#collectOverlapping(this.#rights[slot] as number, from, to, found)
  }

  /** Loads `items` into an empty index. */
  #load(items: T[]): void {
    if (items.length === 0) return
    let inOrder = true
    for (let index = 0; index < items.length; index++) {
      const item = items[index] as T
      assertValidSpan(item)
      if (inOrder && index > 0 && compareSpans(items[index - 1] as T, item) > 0) inOrder = false
    }
    // Stored layers arrive nearly in order; checking first skips the sort's comparator calls.
    const sorted = inOrder ? items : items.slice().sort(compareSpans)
    const count = sorted.length
    // Each span's slot is its place in order: a balanced tree takes the middle of each range as
    // its root. Its priorities fall level by level (breadth-first), which satisfies the heap
    // order while still drawing from the same generator later insertions use. A typed array
    // sorts numbers natively, without a comparator.
    this.#grow(count)
    // Before the ids go in: the table reads each id from its slot.
    this.#items = sorted
    this.#slotsById.reserve(count)
    const priorities = new Int32Array(count)
    for (let index = 0; index < count; index++) priorities[index] = this.#nextPriority()
    priorities.sort()
    // The slots in pre-order (each before its children: the left subtree, then the right), with
    // their depths; built from a stack of ranges rather than by recursion (a layer's tree is
    // shallow, but a stack of typed numbers allocates nothing per node).
    const preorder = new Int32Array(count)
    const depths = new Uint8Array(count)
    const nodesAtDepth: number[] = []
    const pending = new Int32Array(PENDING_FIELDS * (2 * Math.ceil(Math.log2(count + 1)) + 4))
    let pendingCount = 0
    const push = (low: number, high: number, depth: number): void => {
      const at = PENDING_FIELDS * pendingCount++
      pending[at] = low
      pending[at + 1] = high
      pending[at + 2] = depth
    }
    push(0, count - 1, 0)
    let visited = 0
    while (pendingCount > 0) {
      const at = PENDING_FIELDS * --pendingCount
      const low = pending[at] as number
      const high = pending[at + 1] as number
      const depth = pending[at + 2] as number
      const middle = (low + high) >>> 1
      this.#lefts[middle] = low < middle ? (low + middle - 1) >>> 1 : NONE
      this.#rights[middle] = middle < high ? (middle + 1 + high) >>> 1 : NONE
      preorder[visited++] = middle
      depths[middle] = depth
      nodesAtDepth[depth] = (nodesAtDepth[depth] ?? 0) + 1
      this.#slotsById.set((sorted[middle] as T).id, middle)
      // The right range first, so the left one is taken next.
      if (middle < high) push(middle + 1, high, depth + 1)
      if (low < middle) push(low, middle - 1, depth + 1)
    }
    this.#root = (count - 1) >>> 1
    // Breadth-first, the highest priorities go to the shallowest nodes. `beyondDepth[d]`: how
    // many nodes lie deeper than d, or after it in its level.
    const beyondDepth = nodesAtDepth.map(() => 0)
    for (let depth = nodesAtDepth.length - 2; depth >= 0; depth--) beyondDepth[depth] = (beyondDepth[depth + 1] as number) + (nodesAtDepth[depth + 1] as number)
    // Children come after their parent in pre-order: backwards, each node's subtrees are complete.
    for (let position = count - 1; position >= 0; position--) {
      const slot = preorder[position] as number
      const depth = depths[slot] as number
      this.#priorities[slot] = priorities[beyondDepth[depth] as number] as number
      beyondDepth[depth] = (beyondDepth[depth] as number) + 1
      this.#refresh(slot)
    }
    // Ids are unique but for a damaged layer: only then a second pass, where later items replace
    // earlier ones with the same id, as add() would (one map of every id, not two, on each opening).
    if (this.#slotsById.size !== count) {
      const lastById = new Map<string, T>()
      for (const item of items) lastById.set(item.id, item)
      this.clear()
      this.#load([...lastById.values()])
      return
    }
    this.#asLoaded = sorted
  }
}

/** Numbers per range on an index build's stack: low, high, depth. */
const PENDING_FIELDS = 3

/** True when the spans are already in compareSpans order (then no sort is needed). */
export function isInOrder(spans: readonly IndexedSpan[]): boolean {
  for (let index = 1; index < spans.length; index++) {
    if (compareSpans(spans[index - 1] as IndexedSpan, spans[index] as IndexedSpan) > 0) return false
  }
  return true
}

/** The spans in compareSpans order: the same array when they already are, else a sorted copy. */
export function inIndexOrder<T extends IndexedSpan>(spans: readonly T[]): readonly T[] {
  return isInOrder(spans) ? spans : spans.slice().sort(compareSpans)
}

function assertValidSpan(item: IndexedSpan): void {
  if (!Number.isFinite(item.start) || !Number.isFinite(item.end) || item.end < item.start) {
    throw new RangeError(`span "${item.id}" has invalid offsets ${item.start}..${item.end}`)
  }
}

/** The first position in a compareSpans-ordered list whose span does not come before `item` (binary search). */
export function firstNotBefore<T extends IndexedSpan>(ordered: readonly T[], item: T): number {
  return firstNotBeforeBy(ordered, item, compareSpans)
}

/** The first position in a list ordered by `compare` whose entry does not come before `item` (binary search). */
export function firstNotBeforeBy<T>(ordered: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  return firstNotBeforeWhere(ordered, (candidate) => compare(candidate, item) < 0)
}

/** The first position in `ordered` (an array or a typed array) whose item is not `before` (all items before it are): a binary search. */
export function firstNotBeforeWhere<T>(ordered: ArrayLike<T>, before: (item: T) => boolean): number {
  let low = 0
  let high = ordered.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (before(ordered[middle] as T)) low = middle + 1
    else high = middle
  }
  return low
}
