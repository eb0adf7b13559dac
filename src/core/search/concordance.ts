// What a match looks like in a list of matches (project search, tag-all's preview): the match
// with some context either side on one line, and the spans of each layer that overlap it.
// Pure: main's search workers and tests use it.
import type { ConcordanceLine, MatchTagging } from '../../shared/finding-model'
import { isLowSurrogate } from '../surrogates'

/** Characters of context either side of a match. */
export const CONTEXT_CHARS = 60

export interface TaggedSpan {
  start: number
  end: number
  tag: string
}

export interface LayerSpans {
  annotator: string
  annotations: readonly TaggedSpan[]
}

/** Line breaks and tabs read as one space: a concordance line is one line. */
function oneLine(part: string): string {
  return part.replace(/[\r\n\t\u2028\u2029]+/g, ' ')
}

/**
 * The match and up to `chars` characters either side, never cutting a surrogate pair; with
 * `markCuts` an ellipsis says where the context stops short of the text's start or end.
 */
export function concordanceContext(
  text: string,
  start: number,
  end: number,
  { chars = CONTEXT_CHARS, markCuts = false }: { chars?: number; markCuts?: boolean } = {}
): Pick<ConcordanceLine, 'left' | 'match' | 'right'> {
  let from = Math.max(0, start - chars)
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from -= 1
  let to = Math.min(text.length, end + chars)
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to += 1
  const cutLeft = markCuts && from > 0 ? '…' : ''
  const cutRight = markCuts && to < text.length ? '…' : ''
  return { left: cutLeft + oneLine(text.slice(from, start)), match: oneLine(text.slice(start, end)), right: oneLine(text.slice(end, to)) + cutRight }
}

/**
 * For each match (start0, end0, start1, end1…, in order and not overlapping), the spans of the
 * layers that overlap it; null for a match no span overlaps. One sweep per layer over its spans
 * sorted by start, so a project's worth of matches costs little more than reading the spans.
 */
export function taggingOfMatches(offsets: Int32Array, layers: readonly LayerSpans[]): (MatchTagging[] | null)[] {
  const count = offsets.length / 2
  const tagging: (MatchTagging[] | null)[] = new Array<MatchTagging[] | null>(count).fill(null)
  if (count === 0) return tagging
  for (const layer of layers) {
    const spans = [...layer.annotations].sort((a, b) => a.start - b.start)
    let next = 0
    let open: TaggedSpan[] = []
    for (let index = 0; index < count; index++) {
      const start = offsets[index * 2] as number
      const end = offsets[index * 2 + 1] as number
      while (next < spans.length && (spans[next] as TaggedSpan).start < end) open.push(spans[next++] as TaggedSpan)
      // Matches only move right: a span ending at or before this one's start overlaps none after it.
      if (open.length > 0) open = open.filter((span) => span.end > start)
      for (const span of open) {
        const entry: MatchTagging = { annotator: layer.annotator, tag: span.tag, exact: span.start === start && span.end === end }
        const list = tagging[index]
        if (list) list.push(entry)
        else tagging[index] = [entry]
      }
    }
  }
  return tagging
}

/** Whether a match passes the search's filters: tagged with one of `tags` (in any layer), or untagged. */
export function passesTagFilters(tagging: readonly MatchTagging[] | null, filters: { tags?: readonly string[] | undefined; untaggedOnly?: boolean | undefined }): boolean {
  if (filters.untaggedOnly && tagging !== null && tagging.length > 0) return false
  if (filters.tags && filters.tags.length > 0) return tagging !== null && tagging.some((entry) => filters.tags?.includes(entry.tag))
  return true
}

/** Whether a span of `tag` in this layer overlaps [start, end): tag-all then skips the occurrence. */
export function overlapsSameTag(annotations: readonly TaggedSpan[], tag: string, start: number, end: number): boolean {
  return annotations.some((span) => span.tag === tag && span.start < end && span.end > start)
}
