// Which disagreement positions a gold layer leaves unsettled (the rules atop curation.ts), kept
// up to date span by span. A curator settles one position at a time in a gold layer that may
// hold tens of thousands of spans: asking the whole layer again after each press cost a 5 MB
// document's window about 9 ms a press, most of the press (the review bench's settle freeze).
// Here each position counts the gold spans that settle it, so a change costs what its spans
// touch, and the positions left are read off the counts.
import { PositionIndex, type ReviewPosition, type ReviewSpan } from './compare'

/** A gold layer handed as a pass over its spans (start, end, tag), so a long one need make no objects for it. */
export type EachGoldSpan = (visit: (start: number, end: number, tag: string) => void) => void

export type GoldSpans = readonly { start: number; end: number; tag: string }[] | EachGoldSpan

export class UnsettledPositions<S extends ReviewSpan> {
  readonly positions: readonly ReviewPosition<S>[]
  readonly #indexed: IndexedPositions<S>
  /** Per position: gold spans with exactly the start, end and tag of one of its spans. */
  readonly #copies: Int32Array
  /** Per position: hand-drawn gold spans (the start, end and tag of no compared span) sharing a character with it. */
  readonly #drawnOver: Int32Array

  /**
   * `positions`: every position of a comparison, agreed ones included (a gold span copied from an
   * agreed span is then known not to be hand-drawn), in text order as compareLayers gives them.
   * The gold spans may come in any order.
   */
  constructor(positions: readonly ReviewPosition<S>[], goldSpans: GoldSpans) {
    this.positions = positions
    this.#indexed = indexedPositionsOf(positions)
    this.#copies = new Int32Array(positions.length)
    this.#drawnOver = new Int32Array(positions.length)
    const add = (start: number, end: number, tag: string): void => this.#count(start, end, tag, 1)
    if (typeof goldSpans === 'function') goldSpans(add)
    else for (const gold of goldSpans) add(gold.start, gold.end, gold.tag)
  }

  /** A span came into the gold layer (taken, drawn, pre-filled, or back by an undo). */
  addGold(start: number, end: number, tag: string): void {
    this.#count(start, end, tag, 1)
  }

  /** A span left the gold layer (deleted, retagged, moved, or taken back by an undo). */
  removeGold(start: number, end: number, tag: string): void {
    this.#count(start, end, tag, -1)
  }

  /** Whether the position is a disagreement that no gold span settles and that is not among the rejected. */
  isOpen(position: ReviewPosition<S>, rejectedIds: RejectedIds): boolean {
    const index = this.#indexed.indexOf.get(position)
    return index !== undefined && this.#openAt(index, rejectedIds)
  }

  /** The positions left to settle, in text order. */
  remaining(rejectedIds: RejectedIds): ReviewPosition<S>[] {
    return this.positions.filter((_, index) => this.#openAt(index, rejectedIds))
  }

  #openAt(index: number, rejectedIds: RejectedIds): boolean {
    const position = this.positions[index] as ReviewPosition<S>
    return position.kind !== 'agreed' && this.#copies[index] === 0 && this.#drawnOver[index] === 0 && !rejectedIds.has(position.id)
  }

  #count(start: number, end: number, tag: string, by: 1 | -1): void {
    const holding = this.#indexed.holders.positionsWith(start, end, tag)
    if (holding) {
      for (const index of holding) (this.#copies[index] as number) += by
      return
    }
    // An empty span covers no character, so it overlaps nothing.
    if (end <= start) return
    const { overlaps, indexOf } = this.#indexed
    for (const position of overlaps.overlapping(start, end)) (this.#drawnOver[indexOf.get(position) as number] as number) += by
  }
}

/** The rejected position ids as the caller keeps them (a Set, or the gold layer's decisions by position key). */
export interface RejectedIds {
  has(id: string): boolean
}

interface IndexedPositions<S extends ReviewSpan> {
  holders: SpanHolders<S>
  overlaps: PositionIndex<ReviewPosition<S>>
  indexOf: Map<ReviewPosition<S>, number>
}

// Made once per comparison's positions (which are never changed in place): a curator's session
// and each from-scratch question about the same positions share them.
const indexedByPositions = new WeakMap<readonly ReviewPosition[], IndexedPositions<ReviewSpan>>()

function indexedPositionsOf<S extends ReviewSpan>(positions: readonly ReviewPosition<S>[]): IndexedPositions<S> {
  let indexed = indexedByPositions.get(positions) as IndexedPositions<S> | undefined
  if (!indexed) {
    indexed = { holders: new SpanHolders(positions), overlaps: new PositionIndex(positions), indexOf: new Map(positions.map((position, index) => [position, index])) }
    indexedByPositions.set(positions, indexed as unknown as IndexedPositions<ReviewSpan>)
  }
  return indexed
}

/**
 * For each start, end and tag of a compared span: the indexes of the disagreement positions
 * holding it (none for an agreed span's, which a gold span may copy without being hand-drawn).
 * Keyed by start (a small integer), so looking a gold span up allocates no key.
 */
class SpanHolders<S extends ReviewSpan> {
  readonly #byStart = new Map<number, Array<{ end: number; tag: string; positions: number[] }>>()

  constructor(positions: readonly ReviewPosition<S>[]) {
    positions.forEach((position, index) => {
      for (const { spans } of position.spansByAnnotator) {
        for (const span of spans) this.#add(span, position, index)
      }
    })
  }

  #add(span: S, position: ReviewPosition<S>, index: number): void {
    let atStart = this.#byStart.get(span.start)
    if (!atStart) this.#byStart.set(span.start, (atStart = []))
    let same = atStart.find((entry) => entry.end === span.end && entry.tag === span.tag)
    if (!same) atStart.push((same = { end: span.end, tag: span.tag, positions: [] }))
    if (position.kind !== 'agreed' && !same.positions.includes(index)) same.positions.push(index)
  }

  /** The disagreement positions with a span of exactly this start, end and tag (maybe none), or undefined when no compared span has them. */
  positionsWith(start: number, end: number, tag: string): readonly number[] | undefined {
    return this.#byStart.get(start)?.find((entry) => entry.end === end && entry.tag === tag)?.positions
  }
}
