// A session's own layer: what it was opened with, and the changes made since. A long layer keeps
// what it was opened with packed (layer-columns.ts) and its changes as objects in a span index
// beside it; a span changed or deleted is marked gone from the packed part. A short layer is
// all in the index. Either way every reader (the edit rules by id, the reader's range queries,
// the panel's groups) sees one layer.
import type { Annotation } from './model'
import { compareSpans, SpanIndex } from '../core/span-index'
import { TagGroups } from '../core/tag-groups'
import { packAnnotations } from './packed-annotations'
import { LayerColumns, LAYER_IN_COLUMNS_FROM, type SpanToDraw } from './layer-columns'

export class LayerSpans {
  readonly #packed: LayerColumns | null
  /** Packed spans deleted, replaced by a change, or repeating a later span's id, by rank. */
  readonly #gone: Uint8Array
  #goneCount = 0
  readonly #goneByTag = new Map<string, number>()
  /** The spans added or changed since opening (a short layer: all of them). */
  readonly #changed: SpanIndex<Annotation>
  readonly #changedGroups: TagGroups<Annotation>
  #unchanged = true
  /**
   * The objects the last slice of each tag made for packed spans, by rank: the next slice hands
   * the same object for a span still in it, so the panel redraws only the rows a change touched.
   */
  readonly #sliceObjects = new Map<string, Map<number, Annotation>>()
  /** Told when learning the ids found spans a damaged layer repeats the id of (now gone: draw again). */
  onShadowedGone: (() => void) | null = null

  /** A layer held packed as it arrived. */
  static fromPacked(packed: LayerColumns): LayerSpans {
    return new LayerSpans(packed, [])
  }

  /** A layer from objects; a long one is packed (one way of holding a long layer, whoever made it). */
  static fromAnnotations(annotations: readonly Annotation[], text: string): LayerSpans {
    if (annotations.length < LAYER_IN_COLUMNS_FROM) return new LayerSpans(null, annotations)
    return new LayerSpans(LayerColumns.read(packAnnotations(annotations, text), text), [])
  }

  private constructor(packed: LayerColumns | null, annotations: readonly Annotation[]) {
    this.#packed = packed
    this.#gone = new Uint8Array(packed?.count ?? 0)
    this.#changed = new SpanIndex(annotations)
    this.#changedGroups = TagGroups.fromOrdered(this.#changed.all())
  }

  /** The packed part, when there is one. */
  get packed(): LayerColumns | null {
    return this.#packed
  }

  /** No span added, changed or deleted since the layer was opened. */
  get unchangedSinceLoad(): boolean {
    return this.#unchanged
  }

  get size(): number {
    return (this.#packed?.count ?? 0) - this.#goneCount + this.#changed.size
  }

  /** True once the packed spans' ids are known (learnIdsStep). */
  get idsKnown(): boolean {
    return this.#packed?.idsKnown ?? true
  }

  /** Learns the packed spans' ids a slice at a time (see LayerColumns.learnIdsStep); true once done. */
  learnIdsStep(): boolean {
    const packed = this.#packed
    if (!packed || packed.idsKnown) return true
    if (!packed.learnIdsStep()) return false
    if (this.#dropShadowed()) this.onShadowedGone?.()
    return true
  }

  get(id: string): Annotation | undefined {
    const changed = this.#changed.get(id)
    if (changed) return changed
    const rank = this.#liveRank(id)
    return rank === undefined ? undefined : (this.#packed as LayerColumns).annotationAt(rank)
  }

  has(id: string): boolean {
    return this.#changed.has(id) || this.#liveRank(id) !== undefined
  }

  /** Adds a span, or replaces the one with its id. */
  set(annotation: Annotation): void {
    this.#unchanged = false
    const rank = this.#liveRank(annotation.id)
    if (rank !== undefined) this.#markGone(rank)
    const earlier = this.#changed.get(annotation.id)
    this.#changed.add(annotation)
    this.#changedGroups.update(earlier ? [earlier] : [], [annotation])
  }

  /** Deletes a span by id; false when there is none. */
  delete(id: string): boolean {
    const earlier = this.#changed.remove(id)
    if (earlier) {
      this.#unchanged = false
      this.#changedGroups.update([earlier], [])
      return true
    }
    const rank = this.#liveRank(id)
    if (rank === undefined) return false
    this.#unchanged = false
    this.#markGone(rank)
    return true
  }

  /** Spans sharing a character with [from, to) (an empty range: covering `from`), in compareSpans order. */
  overlapping(from: number, to: number): Annotation[] {
    return this.#overlapping(from, to, (packed, rank) => packed.annotationAt(rank))
  }

  /** overlapping, each packed span made with only what the reader draws of it (spanToDrawAt). */
  overlappingToDraw(from: number, to: number): SpanToDraw[] {
    return this.#overlapping<SpanToDraw>(from, to, (packed, rank) => packed.spanToDrawAt(rank))
  }

  #overlapping<T extends SpanToDraw>(from: number, to: number, made: (packed: LayerColumns, rank: number) => T): (T | Annotation)[] {
    const changed = this.#changed.overlapping(from, to)
    const packed = this.#packed
    if (!packed) return changed
    const found: (T | Annotation)[] = []
    for (const rank of packed.ranksOverlapping(from, to)) if (this.#gone[rank] === 0) found.push(made(packed, rank))
    return changed.length === 0 ? found : found.length === 0 ? changed : mergeInOrder<T | Annotation>(found, changed)
  }

  /** True when some span shares a character with [from, to), without making any span an object. */
  anyOverlapping(from: number, to: number): boolean {
    if (this.#changed.overlapping(from, to).length > 0) return true
    return this.#packed?.ranksOverlapping(from, to).some((rank) => this.#gone[rank] === 0) ?? false
  }

  /** Every span in order, each a new object for a packed span: for the rare pass over the whole layer. */
  all(): Annotation[] {
    const packed = this.#packed
    const changed = this.#changed.all()
    if (!packed) return changed
    const kept: Annotation[] = []
    for (let rank = 0; rank < packed.count; rank++) if (this.#gone[rank] === 0) kept.push(packed.annotationAt(rank))
    return changed.length === 0 ? kept : mergeInOrder(kept, changed)
  }

  /**
   * Calls `visit` with every span's start, end and tag, in no set order, making no object for a
   * packed span: for whole-layer checks that need no more (curation's remaining positions, on
   * every change of a long gold layer).
   */
  forEachRange(visit: (start: number, end: number, tag: string) => void): void {
    const packed = this.#packed
    if (packed) {
      for (let rank = 0; rank < packed.count; rank++) {
        if (this.#gone[rank] === 0) visit(packed.startAt(rank), packed.endAt(rank), packed.tagAt(rank))
      }
    }
    for (const span of this.#changed.all()) visit(span.start, span.end, span.tag)
  }

  /** Each tag with spans, in the order first met (the packed part's, then the changes'). */
  tags(): string[] {
    const tags = this.#packed?.tags() ?? []
    for (const tag of this.#changedGroups.tags()) if (!tags.includes(tag)) tags.push(tag)
    return tags.filter((tag) => this.tagCount(tag) > 0)
  }

  tagCount(tag: string): number {
    const packed = this.#packed?.ranksOfTag(tag).length ?? 0
    return packed - (this.#goneByTag.get(tag) ?? 0) + this.#changedGroups.group(tag).length
  }

  /** The tag's spans from the `from`th to before the `to`th, in order. */
  tagSlice(tag: string, from: number, to: number): Annotation[] {
    const changed = this.#changedGroups.group(tag)
    const packed = this.#packed
    if (!packed) return changed.slice(from, to)
    const ranks = packed.ranksOfTag(tag)
    const found: Annotation[] = []
    const madeBefore = this.#sliceObjects.get(tag)
    const made = new Map<number, Annotation>()
    let position = 0
    let next = 0
    let nextChanged = 0
    // The two lists merged in order, counting from the first; objects made only from `from` on.
    while (position < to && (next < ranks.length || nextChanged < changed.length)) {
      while (next < ranks.length && this.#gone[ranks[next] as number] === 1) next++
      const rank = next < ranks.length ? (ranks[next] as number) : -1
      const change = changed[nextChanged]
      const takePacked = rank >= 0 && (change === undefined || compareRankWith(packed, rank, change) < 0)
      if (takePacked) {
        if (position >= from) {
          const annotation = madeBefore?.get(rank) ?? packed.annotationAt(rank)
          made.set(rank, annotation)
          found.push(annotation)
        }
        next++
      } else if (change !== undefined) {
        if (position >= from) found.push(change)
        nextChanged++
      } else break
      position++
    }
    this.#sliceObjects.set(tag, made)
    return found
  }

  #liveRank(id: string): number | undefined {
    if (!this.#packed) return undefined
    while (!this.learnIdsStep());
    const rank = this.#packed.rankOf(id)
    return rank === undefined || this.#gone[rank] === 1 ? undefined : rank
  }

  #markGone(rank: number): void {
    const packed = this.#packed as LayerColumns
    this.#gone[rank] = 1
    this.#goneCount++
    const tag = packed.tagAt(rank)
    this.#goneByTag.set(tag, (this.#goneByTag.get(tag) ?? 0) + 1)
  }

  /** Marks gone the packed spans a damaged layer repeats the id of; true when there were any. */
  #dropShadowed(): boolean {
    const shadowed = this.#packed?.shadowedRanks ?? []
    for (const rank of shadowed) if (this.#gone[rank] === 0) this.#markGone(rank)
    return shadowed.length > 0
  }
}

function compareRankWith(packed: LayerColumns, rank: number, span: Annotation): number {
  const start = packed.startAt(rank)
  if (start !== span.start) return start - span.start
  const end = packed.endAt(rank)
  if (end !== span.end) return span.end - end
  const id = packed.idAt(rank)
  return id < span.id ? -1 : id > span.id ? 1 : 0
}

function mergeInOrder<T extends SpanToDraw>(a: T[], b: T[]): T[] {
  const merged: T[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) merged.push(compareSpans(a[i] as T, b[j] as T) <= 0 ? (a[i++] as T) : (b[j++] as T))
  while (i < a.length) merged.push(a[i++] as T)
  while (j < b.length) merged.push(b[j++] as T)
  return merged
}
