// Comparing annotators' layers on one document.
//
// Every span of the chosen layers (two or more) lands in exactly one position:
//
// 1. Agreed. A span (start, end, tag) that every chosen annotator made is agreed. All spans
//    with that start, end and tag form an `agreed` position and take no further part.
// 2. Grouping. The other spans are grouped into positions. Two spans of different annotators
//    are in the same position when they cover exactly the same characters (whatever their
//    tags), or when they share at least one character and have the same tag. Grouping is
//    transitive: if a is linked to b and b to c, then a, b and c are one position. Two spans of
//    the same annotator are never linked directly, so one annotator's nested or overlapping
//    spans are separate positions unless another annotator's span links them. Spans that only
//    touch (one ends where the other starts) share no character.
// 3. Kind. A position is
//    - `tag-differs` when two annotators marked exactly the same characters with different
//      tags (an annotator who gave the same characters several tags is compared by the set
//      of those tags);
//    - otherwise `boundaries-differ` when its spans do not all cover the same characters
//      (two annotators marked overlapping but different ranges with the same tag);
//    - otherwise `only-in-some`: the same span, made by some annotators and missing from the
//      others (including a span only one annotator made).
//
// A position's start and end are the first start and the last end of its spans; positions are
// ordered by start, then end. Offsets are UTF-16 code units, end exclusive; nothing here looks
// at the text, so surrogate pairs and CRLF line ends need no special care.
//
// Cost: one sort puts spans of the same range side by side (rule 1 and the exact links), one
// sweep in that order finds same-tag overlaps, and union-find joins the links; never all pairs.
import { firstNotBeforeWhere } from '../span-index'

/** What comparing needs of a span; the app's `Annotation` satisfies it. */
export interface ReviewSpan {
  id: string
  start: number
  end: number
  tag: string
}

/** One chosen annotator's spans; an annotator without a layer on the document has none. */
export interface ReviewLayer<S extends ReviewSpan = ReviewSpan> {
  annotator: string
  spans: readonly S[]
}

export type PositionKind = 'agreed' | 'tag-differs' | 'boundaries-differ' | 'only-in-some'
export const POSITION_KINDS: readonly PositionKind[] = ['agreed', 'tag-differs', 'boundaries-differ', 'only-in-some']
/** Every kind but `agreed`. */
export const DISAGREEMENT_KINDS: readonly PositionKind[] = ['tag-differs', 'boundaries-differ', 'only-in-some']

export interface AnnotatorSpans<S extends ReviewSpan = ReviewSpan> {
  annotator: string
  /** By start, then end, then tag, then input order; empty when the annotator has nothing here. */
  spans: S[]
}

export interface ReviewPosition<S extends ReviewSpan = ReviewSpan> {
  /** The same for the same input: kind, extent and tags (and a counter for identical ones). */
  id: string
  kind: PositionKind
  start: S['start']
  end: S['end']
  /** The distinct tags of its spans, in the order they first occur in the text. */
  tags: string[]
  /** One entry per chosen annotator, in the order of the input layers. */
  spansByAnnotator: AnnotatorSpans<S>[]
}

export interface LayerComparison<S extends ReviewSpan = ReviewSpan> {
  annotators: string[]
  positions: ReviewPosition<S>[]
  counts: Record<PositionKind, number>
}

/** Throws a RangeError for fewer than two layers or an annotator chosen twice. */
export function compareLayers<S extends ReviewSpan>(layers: readonly ReviewLayer<S>[]): LayerComparison<S> {
  const annotators = chosenAnnotators(layers)
  const layerCount = annotators.length

  // Flattened layer by layer, so spans[i] belongs to layers[layerOf[i]].
  const total = layers.reduce((sum, layer) => sum + layer.spans.length, 0)
  const spans = new Array<S>(total)
  const layerOf = new Int32Array(total)
  let flatIndex = 0
  layers.forEach((layer, layerIndex) => {
    for (const span of layer.spans) {
      spans[flatIndex] = span
      layerOf[flatIndex] = layerIndex
      flatIndex += 1
    }
  })

  const positions: ReviewPosition<S>[] = []
  const links = new UnionFind(total)
  const rest = takeAgreedAndLinkSameRanges(spans, layerOf, layerCount, textOrder(spans), links, (members, from, to) => {
    positions.push(buildPosition(spans, layerOf, annotators, members, from, to, 'agreed'))
  })
  linkSameTagOverlaps(spans, layerOf, layerCount, rest, links)

  const membersByRoot = new Map<number, number[]>()
  for (const index of rest) {
    const root = links.find(index)
    const members = membersByRoot.get(root)
    if (members) members.push(index)
    else membersByRoot.set(root, [index])
  }
  for (const members of membersByRoot.values()) {
    if (members.length > 1) members.sort((a, b) => compareSpansInText(spans[a] as S, spans[b] as S) || a - b)
    const kind = classify(spans, layerOf, members)
    positions.push(buildPosition(spans, layerOf, annotators, members, 0, members.length, kind))
  }
  positions.sort(comparePositions)
  assignIds(positions)
  const counts: Record<PositionKind, number> = { agreed: 0, 'tag-differs': 0, 'boundaries-differ': 0, 'only-in-some': 0 }
  for (const position of positions) counts[position.kind] += 1
  return { annotators, positions, counts }
}

/** The layers' annotators; throws a RangeError for fewer than two layers or an annotator chosen twice. */
export function chosenAnnotators(layers: readonly ReviewLayer[]): string[] {
  const annotators = layers.map((layer) => layer.annotator)
  if (annotators.length < 2) throw new RangeError('Comparing needs at least two layers.')
  const twice = annotators.find((annotator, index) => annotators.indexOf(annotator) !== index)
  if (twice !== undefined) throw new RangeError(`"${twice}" was chosen twice.`)
  return annotators
}

/** A key naming exactly one (start, end, tag); the two numbers keep any tag unambiguous. */
export function spanKey(span: { start: number; end: number; tag: string }): string {
  return `${span.start}:${span.end}:${span.tag}`
}

// Every span's index by start, then end, then input order. Sorting instead of a Map keyed by
// range keeps a 5 MB document's ~100,000 ranges from each costing a key string: start * count
// + index sorts by (start, index) as plain numbers in a Float64Array, natively, and only the
// few spans sharing a start are then sorted by end with a comparator.
function textOrder(spans: readonly ReviewSpan[]): Int32Array {
  const count = spans.length
  const order = new Int32Array(count)
  const byStartEnd = (a: number, b: number): number =>
    (spans[a] as ReviewSpan).start - (spans[b] as ReviewSpan).start || (spans[a] as ReviewSpan).end - (spans[b] as ReviewSpan).end || a - b
  let largestStart = 0
  let wholeNumbers = true
  for (const { start } of spans) {
    if (!Number.isInteger(start) || start < 0) wholeNumbers = false
    else largestStart = Math.max(largestStart, start)
  }
  if (!wholeNumbers || !Number.isSafeInteger((largestStart + 1) * count)) {
    for (let index = 0; index < count; index++) order[index] = index
    return order.sort(byStartEnd)
  }
  const keys = new Float64Array(count)
  for (let index = 0; index < count; index++) keys[index] = (spans[index] as ReviewSpan).start * count + index
  keys.sort()
  for (let cursor = 0; cursor < count; cursor++) order[cursor] = (keys[cursor] as number) % count
  for (let runStart = 0; runStart < count; ) {
    const start = (spans[order[runStart] as number] as ReviewSpan).start
    let runEnd = runStart + 1
    while (runEnd < count && (spans[order[runEnd] as number] as ReviewSpan).start === start) runEnd += 1
    if (runEnd - runStart > 1) sortRange(order, runStart, runEnd, byStartEnd)
    runStart = runEnd
  }
  return order
}

// Rule 1, and rule 2 for spans covering the same characters, one range at a time (the ranges
// come in text order). Hands each agreed group to `onAgreed` (members[from..to)), links the
// rest and returns the indices of every span not agreed, in text order.
function takeAgreedAndLinkSameRanges(
  spans: readonly ReviewSpan[],
  layerOf: Int32Array,
  layerCount: number,
  order: Int32Array,
  links: UnionFind,
  onAgreed: (members: ArrayLike<number>, from: number, to: number) => void
): number[] {
  const rest: number[] = []
  const sameRange: number[] = []
  const tagOf = (index: number): string => (spans[index] as ReviewSpan).tag
  const byTag = (a: number, b: number): number => compareStrings(tagOf(a), tagOf(b))
  for (let runStart = 0; runStart < order.length; ) {
    const first = spans[order[runStart] as number] as ReviewSpan
    let runEnd = runStart + 1
    while (runEnd < order.length && sameCharacters(spans[order[runEnd] as number] as ReviewSpan, first)) runEnd += 1
    if (runEnd - runStart === 1) {
      rest.push(order[runStart] as number)
      runStart = runEnd
      continue
    }
    // The usual agreed range: one span per annotator, all with the same tag. Within a range
    // the order is by input index, so the layers come in order and each appears once exactly
    // when they count 0, 1, 2, …
    if (runEnd - runStart === layerCount && isOneSpanPerLayerWithOneTag(spans, layerOf, order, runStart, runEnd)) {
      onAgreed(order, runStart, runEnd)
      runStart = runEnd
      continue
    }
    sameRange.length = 0
    for (let cursor = runStart; cursor < runEnd; cursor++) sameRange.push(order[cursor] as number)
    runStart = runEnd
    // In input order, hence layer order; the sort is stable, so within a tag they stay in
    // layer order and a change of layer between neighbours is a layer not counted yet.
    sortRange(sameRange, 0, sameRange.length, byTag)
    const restBefore = rest.length
    for (let tagStart = 0; tagStart < sameRange.length; ) {
      const tag = tagOf(sameRange[tagStart] as number)
      let tagEnd = tagStart + 1
      let layersWithTag = 1
      for (; tagEnd < sameRange.length && tagOf(sameRange[tagEnd] as number) === tag; tagEnd++) {
        if (layerOf[sameRange[tagEnd] as number] !== layerOf[sameRange[tagEnd - 1] as number]) layersWithTag += 1
      }
      if (layersWithTag === layerCount) onAgreed(sameRange, tagStart, tagEnd)
      else for (let cursor = tagStart; cursor < tagEnd; cursor++) rest.push(sameRange[cursor] as number)
      tagStart = tagEnd
    }
    // With two or more annotators left on this range, every span is linked to a span of
    // another annotator, and those links connect them all.
    const firstLeft = rest[restBefore]
    if (firstLeft === undefined) continue
    let severalAnnotators = false
    for (let cursor = restBefore + 1; cursor < rest.length; cursor++) {
      if (layerOf[rest[cursor] as number] !== layerOf[firstLeft]) severalAnnotators = true
    }
    if (!severalAnnotators) continue
    for (let cursor = restBefore + 1; cursor < rest.length; cursor++) links.union(firstLeft, rest[cursor] as number)
  }
  return rest
}

function isOneSpanPerLayerWithOneTag(spans: readonly ReviewSpan[], layerOf: Int32Array, order: Int32Array, from: number, to: number): boolean {
  const tag = (spans[order[from] as number] as ReviewSpan).tag
  for (let cursor = from; cursor < to; cursor++) {
    const index = order[cursor] as number
    if (layerOf[index] !== cursor - from || (spans[index] as ReviewSpan).tag !== tag) return false
  }
  return true
}

// A stable sort of array[from..to). Runs here are mostly two or three long (one span per
// annotator), where an insertion sort beats Array.prototype.sort and its copies and views.
function sortRange(array: number[] | Int32Array, from: number, to: number, compare: (a: number, b: number) => number): void {
  if (to - from > 16) {
    const sorted = Array.from(array.slice(from, to)).sort(compare)
    for (let cursor = from; cursor < to; cursor++) array[cursor] = sorted[cursor - from] as number
    return
  }
  for (let cursor = from + 1; cursor < to; cursor++) {
    const item = array[cursor] as number
    let place = cursor
    for (; place > from && compare(array[place - 1] as number, item) > 0; place--) array[place] = array[place - 1] as number
    array[place] = item
  }
}

function sameCharacters(a: ReviewSpan, b: ReviewSpan): boolean {
  return a.start === b.start && a.end === b.end
}

// Rule 2, same tag and a shared character. Swept in start order with, per tag and annotator, the
// spans that may still overlap what comes next. A new span overlaps every listed span of another
// annotator whose end lies beyond its start (they all start at or before it). Once linked, those
// spans are one group, so each annotator's list keeps only the one reaching furthest: any later
// span overlapping one of them overlaps that one too. Each span is listed once and dropped once.
function linkSameTagOverlaps(
  spans: readonly ReviewSpan[],
  layerOf: Int32Array,
  layerCount: number,
  inTextOrder: readonly number[],
  links: UnionFind
): void {
  const openByTag = new Map<string, number[][]>()
  for (const index of inTextOrder) {
    const span = spans[index] as ReviewSpan
    // An empty span covers no character, so it overlaps nothing.
    if (span.end <= span.start) continue
    const layer = layerOf[index] as number
    let openByLayer = openByTag.get(span.tag)
    if (!openByLayer) {
      openByLayer = Array.from({ length: layerCount }, () => [])
      openByTag.set(span.tag, openByLayer)
    }
    for (let other = 0; other < layerCount; other++) {
      const open = openByLayer[other] as number[]
      if (other === layer || open.length === 0) continue
      let furthest = -1
      let furthestEnd = -Infinity
      for (const candidate of open) {
        const candidateEnd = (spans[candidate] as ReviewSpan).end
        if (candidateEnd <= span.start) continue
        links.union(index, candidate)
        if (candidateEnd > furthestEnd) {
          furthest = candidate
          furthestEnd = candidateEnd
        }
      }
      open.length = 0
      if (furthest !== -1) open.push(furthest)
    }
    ;(openByLayer[layer] as number[]).push(index)
  }
}

// Rule 3, for a group's members in text order (by start, end, tag).
function classify(spans: readonly ReviewSpan[], layerOf: Int32Array, members: readonly number[]): PositionKind {
  let ranges = 0
  for (let runStart = 0; runStart < members.length; ) {
    const first = spans[members[runStart] as number] as ReviewSpan
    let runEnd = runStart + 1
    while (runEnd < members.length && sameCharacters(spans[members[runEnd] as number] as ReviewSpan, first)) runEnd += 1
    if (runEnd - runStart > 1 && annotatorsTagDifferently(spans, layerOf, members.slice(runStart, runEnd))) return 'tag-differs'
    ranges += 1
    runStart = runEnd
  }
  return ranges > 1 ? 'boundaries-differ' : 'only-in-some'
}

/** For spans of one range sorted by tag: whether two annotators' sets of tags differ. */
function annotatorsTagDifferently(spans: readonly ReviewSpan[], layerOf: Int32Array, sameRange: readonly number[]): boolean {
  const tagsByLayer = new Map<number, string[]>()
  for (const index of sameRange) {
    const tag = (spans[index] as ReviewSpan).tag
    const layer = layerOf[index] as number
    const tags = tagsByLayer.get(layer)
    if (!tags) tagsByLayer.set(layer, [tag])
    else if (tags.at(-1) !== tag) tags.push(tag)
  }
  let first: string | undefined
  for (const tags of tagsByLayer.values()) {
    const written = tags.join('\u0000')
    if (first === undefined) first = written
    else if (written !== first) return true
  }
  return false
}

function compareSpansInText(a: ReviewSpan, b: ReviewSpan): number {
  return a.start - b.start || a.end - b.end || compareStrings(a.tag, b.tag)
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function buildPosition<S extends ReviewSpan>(
  spans: readonly S[],
  layerOf: Int32Array,
  annotators: readonly string[],
  members: ArrayLike<number>,
  from: number,
  to: number,
  kind: PositionKind
): ReviewPosition<S> {
  const spansByAnnotator = new Array<AnnotatorSpans<S>>(annotators.length)
  for (let layer = 0; layer < annotators.length; layer++) spansByAnnotator[layer] = { annotator: annotators[layer] as string, spans: [] }
  const tags: string[] = []
  let start = Infinity
  let end = -Infinity
  for (let cursor = from; cursor < to; cursor++) {
    const index = members[cursor] as number
    const span = spans[index] as S
    ;(spansByAnnotator[layerOf[index] as number] as AnnotatorSpans<S>).spans.push(span)
    if (!tags.includes(span.tag)) tags.push(span.tag)
    start = Math.min(start, span.start)
    end = Math.max(end, span.end)
  }
  return { id: '', kind, start: start as S['start'], end: end as S['end'], tags, spansByAnnotator }
}

function comparePositions(a: ReviewPosition, b: ReviewPosition): number {
  return (
    a.start - b.start ||
    a.end - b.end ||
    POSITION_KINDS.indexOf(a.kind) - POSITION_KINDS.indexOf(b.kind) ||
    compareStrings(a.tags.join('\u0000'), b.tags.join('\u0000')) ||
    compareStrings(firstSpanId(a), firstSpanId(b))
  )
}

function firstSpanId(position: ReviewPosition): string {
  let first: ReviewSpan | undefined
  for (const { spans } of position.spansByAnnotator) {
    const candidate = spans[0]
    if (candidate && (!first || (compareSpansInText(candidate, first) || compareStrings(candidate.id, first.id)) < 0)) first = candidate
  }
  return first?.id ?? ''
}

// Ids come from what the curator sees (kind, extent, tags), so a position keeps its id when
// the comparison is recomputed with the same spans, whatever their order in the layers.
// Identical positions (one annotator's duplicate spans) are told apart by a counter; sorting
// has put them next to each other. Exported so a comparison sent in columns
// (compact-comparison.ts) gets its ids back without sending them.
export function assignIds(positions: readonly { kind: PositionKind; start: number; end: number; tags: readonly string[]; id: string }[]): void {
  let previous = ''
  let occurrence = 0
  for (const position of positions) {
    const { tags } = position
    const base = `${position.kind}@${position.start}-${position.end}:${tags.length === 1 ? tags[0] : tags.join('+')}`
    occurrence = base === previous ? occurrence + 1 : 1
    previous = base
    position.id = occurrence === 1 ? base : `${base}#${occurrence}`
  }
}

class UnionFind {
  readonly #parent: Int32Array

  constructor(size: number) {
    this.#parent = new Int32Array(size)
    for (let index = 0; index < size; index++) this.#parent[index] = index
  }

  find(index: number): number {
    let root = index
    while (this.#parent[root] !== root) root = this.#parent[root] as number
    // Path compression: point every visited node straight at the root.
    let node = index
    while (node !== root) {
      const next = this.#parent[node] as number
      this.#parent[node] = root
      node = next
    }
    return root
  }

  union(a: number, b: number): void {
    const rootA = this.find(a)
    const rootB = this.find(b)
    if (rootA !== rootB) this.#parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB)
  }
}

// ---- Navigation and the disagreement list ----

export type ReviewDirection = 'next' | 'previous'

export interface PositionFilter {
  /** Absent: every disagreement kind (agreed positions only when asked for by name). */
  kinds?: ReadonlySet<PositionKind>
  /** Absent: any tag. A position matches when any of its tags is in the set. */
  tags?: ReadonlySet<string>
}

const DISAGREEMENTS: ReadonlySet<PositionKind> = new Set(DISAGREEMENT_KINDS)

export function isDisagreement(position: ReviewPosition): boolean {
  return position.kind !== 'agreed'
}

export function matchesFilter(position: ReviewPosition, filter: PositionFilter = {}): boolean {
  if (!(filter.kinds ?? DISAGREEMENTS).has(position.kind)) return false
  const { tags } = filter
  return tags === undefined || position.tags.some((tag) => tags.has(tag))
}

/** The disagreement list: the positions matching the filter, in text order. */
export function filterPositions<S extends ReviewSpan>(
  positions: readonly ReviewPosition<S>[],
  filter: PositionFilter = {}
): ReviewPosition<S>[] {
  return positions.filter((position) => matchesFilter(position, filter))
}

/**
 * The next or previous position matching the filter, or null when there is none (no wrapping).
 * From an offset: 'next' is the first match starting at or after it, 'previous' the last one
 * starting before it. From a position id: the matches after or before that position; an id no
 * longer among the positions counts as no current position ('next' gives the first match,
 * 'previous' the last).
 */
export function nextPosition<S extends ReviewSpan>(
  positions: readonly ReviewPosition<S>[],
  from: number | string,
  direction: ReviewDirection,
  filter: PositionFilter = {}
): ReviewPosition<S> | null {
  // The index of the first position on the 'next' side.
  let boundary: number
  if (typeof from === 'number') {
    boundary = firstStartingAtOrAfter(positions, from)
  } else {
    const current = positions.findIndex((position) => position.id === from)
    if (current === -1) boundary = direction === 'next' ? 0 : positions.length
    else boundary = direction === 'next' ? current + 1 : current
  }
  if (direction === 'next') {
    for (let index = boundary; index < positions.length; index++) {
      const position = positions[index] as ReviewPosition<S>
      if (matchesFilter(position, filter)) return position
    }
  } else {
    for (let index = boundary - 1; index >= 0; index--) {
      const position = positions[index] as ReviewPosition<S>
      if (matchesFilter(position, filter)) return position
    }
  }
  return null
}

function firstStartingAtOrAfter(positions: readonly ReviewPosition[], offset: number): number {
  return firstNotBeforeWhere(positions, (position) => position.start < offset)
}

// ---- Drawing: which positions touch a range of text ----

/**
 * The positions of one comparison, for the reader's range queries. They never change once
 * compared, so instead of a SpanIndex (a treap built node by node, costly for ~90,000
 * positions) this keeps their ends in a max-tree in text order: a query finds the positions
 * starting before the range's end by binary search and descends only into subtrees reaching
 * past its start. O(log n + k log n) a query, O(n) to build.
 */
export class PositionIndex<P extends { id: string; start: number; end: number }> {
  readonly #positions: readonly P[]
  readonly #starts: Float64Array
  readonly #leaves: number
  /** maxEnd[node]: the largest end in its subtree; leaves at #leaves + index. */
  readonly #maxEnd: Float64Array

  /** `positions` must be in text order (by start), as compareLayers returns them. */
  constructor(positions: readonly P[]) {
    this.#positions = positions
    this.#starts = Float64Array.from(positions, (position) => position.start)
    for (let index = 1; index < positions.length; index++) {
      if ((this.#starts[index] as number) < (this.#starts[index - 1] as number)) throw new RangeError('PositionIndex: positions must be ordered by start')
    }
    let leaves = 1
    while (leaves < positions.length) leaves *= 2
    this.#leaves = leaves
    this.#maxEnd = new Float64Array(2 * leaves).fill(Number.NEGATIVE_INFINITY)
    positions.forEach((position, index) => (this.#maxEnd[leaves + index] = position.end))
    for (let node = leaves - 1; node >= 1; node--) this.#maxEnd[node] = Math.max(this.#maxEnd[2 * node] as number, this.#maxEnd[2 * node + 1] as number)
  }

  get size(): number {
    return this.#positions.length
  }

  /**
   * Positions sharing at least one character with [from, to), as SpanIndex.overlapping gives
   * them: by start, the longer first, then by id. An empty range (from === to) asks which
   * positions cover the character at `from`.
   */
  overlapping(from: number, to: number): P[] {
    const rangeEnd = Math.max(to, from + 1)
    // Positions [0, before) start before the range ends.
    let low = 0
    let high = this.#positions.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.#starts[middle] as number) < rangeEnd) low = middle + 1
      else high = middle
    }
    const found: P[] = []
    if (low > 0) this.#collect(1, 0, this.#leaves, low, from, found)
    if (found.length > 1) found.sort(compareSpanOrder)
    return found
  }

  #collect(node: number, nodeFrom: number, nodeTo: number, before: number, from: number, found: P[]): void {
    if (nodeFrom >= before || (this.#maxEnd[node] as number) <= from) return
    if (node >= this.#leaves) {
      found.push(this.#positions[nodeFrom] as P)
      return
    }
    const middle = (nodeFrom + nodeTo) >>> 1
    this.#collect(2 * node, nodeFrom, middle, before, from, found)
    this.#collect(2 * node + 1, middle, nodeTo, before, from, found)
  }
}

/** SpanIndex's order: by start, then the longer span first, then id. */
function compareSpanOrder(a: { id: string; start: number; end: number }, b: { id: string; start: number; end: number }): number {
  if (a.start !== b.start) return a.start - b.start
  if (a.end !== b.end) return b.end - a.end
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
