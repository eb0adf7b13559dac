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
  covering: T[]
  /** Marks whose first character is this segment's first character. */
  starting: T[]
  /** Marks whose last character is this segment's last character. */
  ending: T[]
}

function outermostFirst(a: SegmentableSpan, b: SegmentableSpan): number {
  const lengthOrder = b.end - b.start - (a.end - a.start)
  if (lengthOrder !== 0) return lengthOrder
  return a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

export function segmentBlock<T extends SegmentableSpan>(text: string, blockStart: number, blockEnd: number, marks: readonly T[]): BlockSegment<T>[] {
  const cuts = new Set<number>([blockStart, blockEnd])
  for (const mark of marks) {
    if (mark.start > blockStart && mark.start < blockEnd) cuts.add(mark.start)
    if (mark.end > blockStart && mark.end < blockEnd) cuts.add(mark.end)
  }
  const boundaries = [...cuts].sort((a, b) => a - b)
  const segments: BlockSegment<T>[] = []
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const start = boundaries[i] as number
    const end = boundaries[i + 1] as number
    const covering = marks.filter((mark) => mark.start <= start && mark.end >= end).sort(outermostFirst)
    segments.push({
      start,
      end,
      text: text.slice(start, end),
      covering,
      starting: covering.filter((mark) => mark.start === start),
      ending: covering.filter((mark) => mark.end === end)
    })
  }
  return segments
}
