// An ordered index of spans for range queries: which annotations touch this block of text?
// A treap ordered by (start, longer first, id) where every node also knows the largest end in
// its subtree, so a query skips any subtree that ends before the range: O(log n + k) on
// average, with O(log n) add and remove and no rebuild.

export interface IndexedSpan {
  id: string
  start: number
  end: number
}

interface TreapNode<T extends IndexedSpan> {
  item: T
  priority: number
  maxEnd: number
  size: number
  left: TreapNode<T> | null
  right: TreapNode<T> | null
}

/** Negative when a sorts before b: by start, then the longer span first (outer before inner), then id. */
export function compareSpans(a: IndexedSpan, b: IndexedSpan): number {
  if (a.start !== b.start) return a.start - b.start
  if (a.end !== b.end) return b.end - a.end
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

// Deterministic priorities keep performance reproducible between runs. They are 30 bits, so
// V8 keeps them as small integers in the node: a full 32-bit value made the field a boxed double,
// one more object per node (88,000 at 5 MB) for the minor GCs of an opening to copy.
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
  #root: TreapNode<T> | null = null
  #nodesById = new Map<string, TreapNode<T>>()
  #nextPriority = createPriorityGenerator(0x2545f491)
  /** The spans in order as loaded, until the first change: all() copies it instead of walking the tree. */
  #asLoaded: T[] | null = null

  constructor(items: Iterable<T> = []) {
    const steps = this.#loadSteps([...items])
    while (!steps.next().done);
  }

  /**
   * An index of `items` built a slice at a time: a 5 MB document's 88,000 spans take ~100 ms to
   * index, too long for one task of the window. Nothing may read the index before the build is
   * complete (`finish()` completes it at once).
   */
  static buildInSteps<T extends IndexedSpan>(items: readonly T[]): SpanIndexBuild<T> {
    const index = new SpanIndex<T>()
    const steps = index.#loadSteps(items.slice())
    let complete = false
    const step = (): boolean => (complete ||= steps.next().done === true)
    return {
      step,
      finish: () => {
        while (!step());
        return index
      }
    }
  }

  get size(): number {
    return this.#nodesById.size
  }

  get(id: string): T | undefined {
    return this.#nodesById.get(id)?.item
  }

  has(id: string): boolean {
    return this.#nodesById.has(id)
  }

  /** Adds a span; a span with the same id is replaced. */
  add(item: T): void {
    assertValidSpan(item)
    this.#asLoaded = null
    if (this.#nodesById.has(item.id)) this.remove(item.id)
    const node: TreapNode<T> = { item, priority: this.#nextPriority(), maxEnd: item.end, size: 1, left: null, right: null }
    const [before, after] = split(this.#root, item, false)
    this.#root = merge(merge(before, node), after)
    this.#nodesById.set(item.id, node)
  }

  /** Removes a span by id; returns the removed span, or undefined when it was not indexed. */
  remove(id: string): T | undefined {
    const node = this.#nodesById.get(id)
    if (!node) return undefined
    this.#asLoaded = null
    const [before, rest] = split(this.#root, node.item, false)
    const [, after] = split(rest, node.item, true)
    this.#root = merge(before, after)
    this.#nodesById.delete(id)
    return node.item
  }

  /** Replaces the indexed span with the same id (its offsets may have changed). */
  update(item: T): void {
    if (!this.#nodesById.has(item.id)) throw new Error(`SpanIndex.update: no span with id "${item.id}"`)
    this.add(item)
  }

  clear(): void {
    this.#asLoaded = null
    this.#root = null
    this.#nodesById.clear()
  }

  /**
   * Spans sharing at least one character with [from, to), ordered by start, outer spans first.
   * An empty range (from === to) asks which spans cover the character at `from`.
   */
  overlapping(from: number, to: number): T[] {
    const rangeEnd = Math.max(to, from + 1)
    const found: T[] = []
    collectOverlapping(this.#root, from, rangeEnd, found)
    return found
  }

  /** Every span in order. */
  all(): T[] {
    if (this.#asLoaded) return this.#asLoaded.slice()
    const items: T[] = []
    const stack: TreapNode<T>[] = []
    let node = this.#root
    while (node || stack.length > 0) {
      while (node) {
        stack.push(node)
        node = node.left
      }
      const next = stack.pop()
      if (!next) break
      items.push(next.item)
      node = next.right
    }
    return items
  }

  /** Loads `items` into an empty index, yielding after every STEP_SPANS spans' worth of work. */
  *#loadSteps(items: T[]): Generator<void, void> {
    if (items.length === 0) return
    let inOrder = true
    for (let index = 0; index < items.length; index++) {
      const item = items[index] as T
      assertValidSpan(item)
      if (inOrder && index > 0 && compareSpans(items[index - 1] as T, item) > 0) inOrder = false
      if (index % STEP_SPANS === STEP_SPANS - 1) yield
    }
    // Stored layers arrive nearly in order; checking first skips the sort's comparator calls.
    const sorted = inOrder ? items : items.slice().sort(compareSpans)
    // A balanced tree whose priorities fall level by level (breadth-first) satisfies the heap
    // order, while still drawing from the same generator that later insertions use. A typed
    // array sorts numbers natively, without a comparator.
    const priorities = new Uint32Array(sorted.length)
    for (let index = 0; index < priorities.length; index++) priorities[index] = this.#nextPriority()
    priorities.sort()
    yield
    // The nodes in pre-order (each before its children: the left subtree, then the right), with
    // their depths; built from a stack rather than by recursion so the work can stop anywhere.
    // The stack's ranges are numbers in a typed array: as objects, a 5 MB layer's 88,000 ranges
    // were 5 MB of garbage, in the tasks where the window's minor GCs copy its new spans.
    const preorder: TreapNode<T>[] = []
    const depths = new Uint8Array(sorted.length)
    const nodesAtDepth: number[] = []
    const pending = new Int32Array(PENDING_FIELDS * (2 * Math.ceil(Math.log2(sorted.length + 1)) + 4))
    let pendingCount = 0
    const push = (low: number, high: number, depth: number, parentPosition: number, left: boolean): void => {
      const at = PENDING_FIELDS * pendingCount++
      pending[at] = low
      pending[at + 1] = high
      pending[at + 2] = depth
      pending[at + 3] = parentPosition
      pending[at + 4] = left ? 1 : 0
    }
    push(0, sorted.length - 1, 0, -1, false)
    while (pendingCount > 0) {
      const at = PENDING_FIELDS * --pendingCount
      const low = pending[at] as number
      const high = pending[at + 1] as number
      const depth = pending[at + 2] as number
      const parentPosition = pending[at + 3] as number
      if (low > high) continue
      const middle = (low + high) >>> 1
      const item = sorted[middle] as T
      const node: TreapNode<T> = { item, priority: 0, maxEnd: item.end, size: 1, left: null, right: null }
      const parent = parentPosition < 0 ? null : (preorder[parentPosition] as TreapNode<T>)
      if (parent === null) this.#root = node
      else if (pending[at + 4] === 1) parent.left = node
      else parent.right = node
      const position = preorder.length
      preorder.push(node)
      depths[position] = depth
      nodesAtDepth[depth] = (nodesAtDepth[depth] ?? 0) + 1
      this.#nodesById.set(item.id, node)
      // The right range first, so the left one is taken next.
      push(middle + 1, high, depth + 1, position, false)
      push(low, middle - 1, depth + 1, position, true)
      if (preorder.length % STEP_SPANS === 0) yield
    }
    // Breadth-first, the highest priorities go to the shallowest nodes; within a level, pre-order
    // is left to right. `beyondDepth[d]`: how many nodes lie deeper than d, or after it in its level.
    const beyondDepth = nodesAtDepth.map(() => 0)
    for (let depth = nodesAtDepth.length - 2; depth >= 0; depth--) beyondDepth[depth] = (beyondDepth[depth + 1] as number) + (nodesAtDepth[depth + 1] as number)
    // Children come after their parent in pre-order: backwards, each node's subtrees are complete.
    for (let position = preorder.length - 1; position >= 0; position--) {
      const node = preorder[position] as TreapNode<T>
      const depth = depths[position] as number
      // Backwards, the k-th node met at a depth is the k-th from its level's end.
      node.priority = priorities[beyondDepth[depth] as number] as number
      beyondDepth[depth] = (beyondDepth[depth] as number) + 1
      refresh(node)
      if (position % STEP_SPANS === 0) yield
    }
    // Ids are unique but for a damaged layer: only then a second pass, where later items replace
    // earlier ones with the same id, as add() would (one map of every id, not two, on each opening).
    if (this.#nodesById.size !== preorder.length) {
      const lastById = new Map<string, T>()
      for (const item of items) lastById.set(item.id, item)
      this.clear()
      yield* this.#loadSteps([...lastById.values()])
      return
    }
    this.#asLoaded = sorted
  }
}

/** How many spans an index build handles between two chances to stop (~1 ms of work). */
const STEP_SPANS = 1024

/** Numbers per range on an index build's stack: low, high, depth, the parent's position in pre-order (-1: none), 1 for a left child. */
const PENDING_FIELDS = 5

/** A span index being built a slice at a time (SpanIndex.buildInSteps). */
export interface SpanIndexBuild<T extends IndexedSpan> {
  /** Does the next slice of the build (about STEP_SPANS spans); true once the index is complete. */
  step(): boolean
  /** Completes the build now and returns the index. */
  finish(): SpanIndex<T>
}

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

function refresh<T extends IndexedSpan>(node: TreapNode<T>): void {
  let maxEnd = node.item.end
  let size = 1
  if (node.left) {
    if (node.left.maxEnd > maxEnd) maxEnd = node.left.maxEnd
    size += node.left.size
  }
  if (node.right) {
    if (node.right.maxEnd > maxEnd) maxEnd = node.right.maxEnd
    size += node.right.size
  }
  node.maxEnd = maxEnd
  node.size = size
}

/** Splits into (items before key, the rest); with `inclusive`, an item equal to key goes left. */
function split<T extends IndexedSpan>(
  node: TreapNode<T> | null,
  key: IndexedSpan,
  inclusive: boolean
): [TreapNode<T> | null, TreapNode<T> | null] {
  if (!node) return [null, null]
  const order = compareSpans(node.item, key)
  const goesLeft = order < 0 || (inclusive && order === 0)
  if (goesLeft) {
    const [middle, right] = split(node.right, key, inclusive)
    node.right = middle
    refresh(node)
    return [node, right]
  }
  const [left, middle] = split(node.left, key, inclusive)
  node.left = middle
  refresh(node)
  return [left, node]
}

function merge<T extends IndexedSpan>(left: TreapNode<T> | null, right: TreapNode<T> | null): TreapNode<T> | null {
  if (!left) return right
  if (!right) return left
  if (left.priority >= right.priority) {
    left.right = merge(left.right, right)
    refresh(left)
    return left
  }
  right.left = merge(left, right.left)
  refresh(right)
  return right
}

function collectOverlapping<T extends IndexedSpan>(node: TreapNode<T> | null, from: number, to: number, found: T[]): void {
  if (!node || node.maxEnd <= from) return
  collectOverlapping(node.left, from, to, found)
  // Everything to the right starts at or after this node: nothing there can start before `to`.
  if (node.item.start >= to) return
  if (node.item.end > from) found.push(node.item)
  collectOverlapping(node.right, from, to, found)
}

/**
 * A copy of `ordered` (in SpanIndex order, as all() returns it) with `added` spans inserted in
 * order: a binary search and one copy, instead of walking a large index again.
 */
export function withSpansInserted<T extends IndexedSpan>(ordered: readonly T[], added: readonly T[]): T[] {
  return withSpansReplaced(ordered, [], added) as T[]
}

/**
 * A copy of `ordered` without the `removed` items (the very objects in it) and with `added`
 * ones in order; null when a removed item is not in it (then walk the index instead).
 */
export function withSpansReplaced<T extends IndexedSpan>(ordered: readonly T[], removed: readonly T[], added: readonly T[]): T[] | null {
  const next = ordered.slice()
  for (const item of removed) {
    const at = firstNotBefore(next, item)
    if (next[at] !== item) return null
    next.splice(at, 1)
  }
  for (const item of added) next.splice(firstNotBefore(next, item), 0, item)
  return next
}

/** The first position in a compareSpans-ordered list whose span does not come before `item` (binary search). */
export function firstNotBefore<T extends IndexedSpan>(ordered: readonly T[], item: T): number {
  return firstNotBeforeBy(ordered, item, compareSpans)
}

/** The first position in a list ordered by `compare` whose entry does not come before `item` (binary search). */
export function firstNotBeforeBy<T>(ordered: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  return firstNotBeforeWhere(ordered, (candidate) => compare(candidate, item) < 0)
}

/** The first position in `ordered` whose item is not `before` (all items before it are): a binary search. */
export function firstNotBeforeWhere<T>(ordered: readonly T[], before: (item: T) => boolean): number {
  let low = 0
  let high = ordered.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (before(ordered[middle] as T)) low = middle + 1
    else high = middle
  }
  return low
}

/** The length of the longest span (0 for none): how far before a range an overlapping span can start. */
export function longestSpan(spans: readonly IndexedSpan[]): number {
  let longest = 0
  for (const span of spans) if (span.end - span.start > longest) longest = span.end - span.start
  return longest
}

/**
 * SpanIndex.overlapping over a list already in compareSpans order, in the same order, without
 * building an index: a binary search to the first span that can reach `from` (none is longer
 * than `longest`), then a scan to `to`.
 */
export function overlappingInOrder<T extends IndexedSpan>(ordered: readonly T[], longest: number, from: number, to: number): T[] {
  const rangeEnd = Math.max(to, from + 1)
  const earliest = from - longest
  const first = firstNotBeforeWhere(ordered, (span) => span.start < earliest)
  const found: T[] = []
  for (let index = first; index < ordered.length; index++) {
    const span = ordered[index] as T
    if (span.start >= rangeEnd) break
    if (span.end > from) found.push(span)
  }
  return found
}
