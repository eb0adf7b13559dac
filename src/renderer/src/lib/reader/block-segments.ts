// Cuts one block's text at every annotation boundary. Each segment knows which annotations
// cover it (outermost first), so nesting can be drawn: the innermost gets the tint, the outer
// ones stacked underlines, and every annotation a label at its first character.
import type { Annotation } from '../../../../shared/model'

export interface BlockSegment {
  start: number
  end: number
  text: string
  /** Annotations covering the whole segment, outermost (longest) first. */
  covering: Annotation[]
  /** Annotations whose first character is this segment's first character. */
  starting: Annotation[]
}

function outermostFirst(a: Annotation, b: Annotation): number {
  const lengthOrder = b.end - b.start - (a.end - a.start)
  if (lengthOrder !== 0) return lengthOrder
  return a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

export function segmentBlock(text: string, blockStart: number, blockEnd: number, annotations: readonly Annotation[]): BlockSegment[] {
  const cuts = new Set<number>([blockStart, blockEnd])
  for (const annotation of annotations) {
    if (annotation.start > blockStart && annotation.start < blockEnd) cuts.add(annotation.start)
    if (annotation.end > blockStart && annotation.end < blockEnd) cuts.add(annotation.end)
  }
  const boundaries = [...cuts].sort((a, b) => a - b)
  const segments: BlockSegment[] = []
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const start = boundaries[i] as number
    const end = boundaries[i + 1] as number
    const covering = annotations.filter((a) => a.start <= start && a.end >= end).sort(outermostFirst)
    segments.push({ start, end, text: text.slice(start, end), covering, starting: covering.filter((a) => a.start === start) })
  }
  return segments
}
