// Checks a document's spans before any format writes them: offsets must be whole, in range,
// ordered and on character boundaries. Bad spans are dropped with a warning rather than
// failing the whole export, so one corrupt record never blocks a user's export.
import { DEFAULT_TAGS, type Utf16Offset } from '../../shared/model'
import type { OffsetConverter } from '../offsets'
import type { ExportTally } from './export-tally'
import type { EntityLink } from '../../shared/finding-model'
import type { ExportDocument, ExportSpan } from './types'

export interface PreparedSpan {
  start: Utf16Offset
  end: Utf16Offset
  label: string
  /** The document text's slice, which is what every format writes. */
  text: string
  annotator: string
  note?: string
  createdAt?: string
  entity?: EntityLink
}

/** Tag order used to break ties (the project's tag order). Unknown labels sort after, alphabetically. */
export const DEFAULT_LABEL_ORDER: readonly string[] = DEFAULT_TAGS.map((tag) => tag.id)

export function compareLabels(labelOrder: readonly string[]): (a: string, b: string) => number {
  const rank = (label: string): number => {
    const index = labelOrder.indexOf(label)
    return index === -1 ? labelOrder.length : index
  }
  return (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)
}

/** Valid spans of the document sorted by start, then longest first, then tag order. */
export function prepareSpans(
  document: ExportDocument,
  converter: OffsetConverter,
  tally: ExportTally,
  labelOrder: readonly string[] = DEFAULT_LABEL_ORDER
): PreparedSpan[] {
  const prepared: PreparedSpan[] = []
  for (const span of document.spans) {
    const problem = spanProblem(span, converter)
    if (problem !== null) {
      tally.dropped()
      tally.warn(document.id, `span ${describe(span)} left out: ${problem}`)
      continue
    }
    const text = document.text.slice(span.start, span.end)
    if (text !== span.text) {
      tally.warn(
        document.id,
        `span ${describe(span)}: stored text ${JSON.stringify(clip(span.text))} differs from the document text ${JSON.stringify(clip(text))}; the document text is written`
      )
    }
    const result: PreparedSpan = { start: span.start, end: span.end, label: span.label, text, annotator: span.annotator }
    if (span.note !== undefined) result.note = span.note
    if (span.createdAt !== undefined) result.createdAt = span.createdAt
    if (span.entity !== undefined) result.entity = span.entity
    prepared.push(result)
  }
  const byLabel = compareLabels(labelOrder)
  return prepared.sort((a, b) => a.start - b.start || b.end - a.end || byLabel(a.label, b.label))
}

function spanProblem(span: ExportSpan, converter: OffsetConverter): string | null {
  if (typeof span.label !== 'string' || span.label.length === 0) return 'it has no label'
  for (const [name, offset] of [
    ['start', span.start],
    ['end', span.end]
  ] as const) {
    if (!Number.isInteger(offset) || offset < 0) return `its ${name} ${String(offset)} is not a valid offset`
    if (offset > converter.utf16Length) return `its ${name} ${offset} is past the end of the text (${converter.utf16Length})`
    if (!converter.isBoundary(offset, 'utf16')) return `its ${name} ${offset} falls inside a surrogate pair`
  }
  if (span.end <= span.start) return 'it is empty or reversed'
  return null
}

function describe(span: ExportSpan): string {
  return `${String(span.label)} ${String(span.start)}-${String(span.end)}`
}

export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`
}
