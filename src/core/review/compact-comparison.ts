// A comparison as it crosses from main to the window: columns of numbers instead of objects.
// Compare mode on a 5 MB document with three layers of 88,000 spans would otherwise send the
// layers themselves (some 60 MB of JSON, seconds to serialise, send and parse); its comparison
// is a few megabytes this way, and main, which has the layers parsed already, does the work.
//
// Most positions are agreed, and an agreed position holds each annotator's span with the
// position's own start, end and tag: those spans are not sent, the window makes them again.
import { assignIds, POSITION_KINDS, type AnnotatorSpans, type LayerComparison, type PositionKind, type ReviewPosition, type ReviewSpan } from './compare'
import { StringTable } from '../../shared/string-table'

export interface CompactComparison {
  annotators: string[]
  /** Tag ids, indexed by the tag columns. */
  tagNames: string[]
  counts: Record<PositionKind, number>
  /** Per position (in text order; ids are made again from these, as compare.ts makes them): index into POSITION_KINDS, start, end. */
  kinds: number[]
  starts: number[]
  ends: number[]
  /** Position i's tags are tagIndexes[tagOffsets[i] .. tagOffsets[i + 1]). */
  tagOffsets: number[]
  tagIndexes: number[]
  /**
   * Position i's spans are spans[4j .. 4j + 3] = annotator, start, end, tag (indexes for the
   * first and last) for j in [spanOffsets[i], spanOffsets[i + 1]). Empty for an agreed position
   * where every annotator has exactly the position: the window rebuilds those.
   */
  spanOffsets: number[]
  spans: number[]
}

/** A span of a compared position as the window holds it: its text is the document's. */
export interface ComparedSpan extends ReviewSpan {
  text: string
}

export function compactComparison<S extends ReviewSpan>(comparison: LayerComparison<S>): CompactComparison {
  const tagTable = new StringTable()
  const tagNames = tagTable.values
  const indexOfTag = (tag: string): number => tagTable.index(tag)
  const kindIndex = new Map(POSITION_KINDS.map((kind, index) => [kind, index]))
  const annotatorIndex = new Map(comparison.annotators.map((annotator, index) => [annotator, index]))
  const count = comparison.positions.length
  // Filled by index rather than push: 90,000 positions, a few hundred thousand numbers.
  const kinds = new Array<number>(count)
  const starts = new Array<number>(count)
  const ends = new Array<number>(count)
  const tagOffsets = new Array<number>(count + 1)
  const spanOffsets = new Array<number>(count + 1)
  const tagIndexes: number[] = []
  const spans: number[] = []
  tagOffsets[0] = 0
  spanOffsets[0] = 0
  for (let index = 0; index < count; index++) {
    const position = comparison.positions[index] as (typeof comparison.positions)[number]
    kinds[index] = kindIndex.get(position.kind) ?? 0
    starts[index] = position.start
    ends[index] = position.end
    for (const tag of position.tags) tagIndexes.push(indexOfTag(tag))
    tagOffsets[index + 1] = tagIndexes.length
    if (!isPlainAgreed(position)) {
      for (const entry of position.spansByAnnotator) {
        const annotator = annotatorIndex.get(entry.annotator) ?? -1
        for (const span of entry.spans) spans.push(annotator, span.start, span.end, indexOfTag(span.tag))
      }
    }
    spanOffsets[index + 1] = spans.length / 4
  }
  return { annotators: [...comparison.annotators], tagNames, counts: { ...comparison.counts }, kinds, starts, ends, tagOffsets, tagIndexes, spanOffsets, spans }
}

/** Agreed, and every annotator made the position exactly once: nothing to send. */
function isPlainAgreed(position: ReviewPosition): boolean {
  if (position.kind !== 'agreed' || position.tags.length !== 1) return false
  for (const entry of position.spansByAnnotator) {
    if (entry.spans.length !== 1) return false
    const span = entry.spans[0] as ReviewSpan
    if (span.start !== position.start || span.end !== position.end || span.tag !== position.tags[0]) return false
  }
  return true
}

/**
 * The comparison again as positions (compare.ts), their spans' text taken from `text`. Spans are
 * made only when a position's spans are first read (the current disagreement, a settle), so
 * opening compare mode creates one object per position.
 */
export function expandComparison(compact: CompactComparison, text: string): LayerComparison<ComparedSpan> {
  const positions: CompactPosition[] = new Array(compact.kinds.length)
  for (let index = 0; index < compact.kinds.length; index++) positions[index] = new CompactPosition(compact, text, index)
  assignIds(positions)
  return { annotators: [...compact.annotators], positions, counts: { ...compact.counts } }
}

class CompactPosition implements ReviewPosition<ComparedSpan> {
  id = ''
  readonly kind: PositionKind
  readonly start: number
  readonly end: number
  readonly tags: string[]
  #spans: AnnotatorSpans<ComparedSpan>[] | null = null

  constructor(
    private readonly compact: CompactComparison,
    private readonly text: string,
    private readonly index: number
  ) {
    this.kind = POSITION_KINDS[compact.kinds[index] ?? 0] ?? 'agreed'
    this.start = compact.starts[index] ?? 0
    this.end = compact.ends[index] ?? 0
    const first = compact.tagOffsets[index] ?? 0
    const last = compact.tagOffsets[index + 1] ?? 0
    // Nearly every position has one tag: one small array, no loop.
    if (last - first === 1) this.tags = [compact.tagNames[compact.tagIndexes[first] ?? 0] ?? '']
    else {
      const tags: string[] = []
      for (let at = first; at < last; at++) tags.push(compact.tagNames[compact.tagIndexes[at] ?? 0] ?? '')
      this.tags = tags
    }
  }

  get spansByAnnotator(): AnnotatorSpans<ComparedSpan>[] {
    this.#spans ??= this.#makeSpans()
    return this.#spans
  }

  #makeSpans(): AnnotatorSpans<ComparedSpan>[] {
    const { compact, index } = this
    const first = compact.spanOffsets[index] ?? 0
    const last = compact.spanOffsets[index + 1] ?? 0
    const byAnnotator: AnnotatorSpans<ComparedSpan>[] = compact.annotators.map((annotator) => ({ annotator, spans: [] }))
    if (first === last && this.kind === 'agreed') {
      const tag = this.tags[0] ?? ''
      byAnnotator.forEach((entry, annotator) => entry.spans.push(this.#span(annotator, this.start, this.end, tag, 0)))
      return byAnnotator
    }
    for (let at = first; at < last; at++) {
      const annotator = compact.spans[4 * at] ?? -1
      const entry = byAnnotator[annotator]
      if (!entry) continue
      entry.spans.push(this.#span(annotator, compact.spans[4 * at + 1] ?? 0, compact.spans[4 * at + 2] ?? 0, compact.tagNames[compact.spans[4 * at + 3] ?? 0] ?? '', at))
    }
    return byAnnotator
  }

  #span(annotator: number, start: number, end: number, tag: string, serial: number): ComparedSpan {
    return { id: `${this.id}/${annotator}/${serial}`, start, end, tag, text: this.text.slice(start, end) }
  }
}
