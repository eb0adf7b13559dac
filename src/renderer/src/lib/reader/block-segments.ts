// Cuts one block's text at every mark boundary. Each segment knows which marks cover it
// (outermost first), so nesting can be drawn: the innermost gets the tint or the outline, the
// outer ones stacked bands, and every mark a label at its first character.

export interface SegmentableSpan {
  id: string
  start: number
  end: number
}

export interface BlockSegment<T extends SegmentableSpan> {
  start: number
  end: number
  text: string
  /** Marks covering the whole segment, outermost (longest) first. */
  covering: readonly T[]
  /** Marks whose first character is this segment's first character, outermost first. */
  starting: readonly T[]
}

function outermostFirst(a: SegmentableSpan, b: SegmentableSpan): number {
  const lengthOrder = b.end - b.start - (a.end - a.start)
  if (lengthOrder !== 0) return lengthOrder
  return a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

// Shared by every segment no mark covers or starts in: a block drawn makes no list for them.
const NONE: readonly never[] = Object.freeze([])

// A scroll through a long document cuts every block it brings into view, and what this made
// was a quarter of what such a scroll allocated in V8's heap: the marks are put in order once
// (each segment's list is then filtered in that order, not sorted), and a segment with no mark
// covering or starting in it shares one empty list.
export function segmentBlock<T extends SegmentableSpan>(text: string, blockStart: number, blockEnd: number, marks: readonly T[]): BlockSegment<T>[] {
  const cuts = [blockStart, blockEnd]
  for (const mark of marks) {
    if (mark.start > blockStart && mark.start < blockEnd) cuts.push(mark.start)
    if (mark.end > blockStart && mark.end < blockEnd) cuts.push(mark.end)
  }
  cuts.sort((a, b) => a - b)
  const ordered = marks.length > 1 ? [...marks].sort(outermostFirst) : marks
  const segments: BlockSegment<T>[] = []
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i] as number
    const end = cuts[i + 1] as number
    if (start === end) continue
    let covering: readonly T[] = NONE
    let starting: readonly T[] = NONE
    for (const mark of ordered) {
      if (mark.start > start || mark.end < end) continue
      if (covering === NONE) covering = [mark]
      else (covering as T[]).push(mark)
      if (mark.start !== start) continue
      if (starting === NONE) starting = [mark]
      else (starting as T[]).push(mark)
    }
    segments.push({ start, end, text: text.slice(start, end), covering, starting })
  }
  return segments
}
