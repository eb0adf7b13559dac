// CSV: one row per annotation, for spreadsheets.
//   document,start,end,text,label,annotator,note,created,document_id,document_sha256,offsets,entity,entity_ref
// "entity" is the name of the entity the span mentions and "entity_ref" its identifier as
// SOURCE:ID ("Wikidata:Q1630451", or "Quire:<entity id>" for one without); both empty when the
// span is linked to none.
// RFC 4180: fields holding a comma, quote, CR or LF are quoted, quotes doubled, rows end in
// CRLF. The file starts with a UTF-8 BOM, without which Excel reads UTF-8 as the local code page.
//
// Formula injection: a spreadsheet runs a cell starting with = + - @ (and, in some, TAB or CR)
// as a formula, so text from a document such as "=HYPERLINK(...)" could execute on the
// reader's machine. Such text cells are written with a leading apostrophe ('=HYPERLINK...),
// which spreadsheets show as plain text. The offsets are never prefixed and always exact:
// scripts wanting the exact covered text slice the document by them (or drop the apostrophe
// from a text cell whose second character is one of = + - @ TAB CR).
import { linkReference } from '../entities/entity-ref'
import { createOffsetConverter, type OffsetUnit } from '../offsets'
import { ExportTally } from './export-tally'
import { prepareSpans } from './prepared-spans'
import type { ExportDocument, ExportGenerator, ExportOptions } from './types'

export interface CsvExportOptions extends ExportOptions {
  /** Unit of the start/end columns; default "codepoint". */
  offsets?: OffsetUnit
  /** Whether to start with the BOM and header row; default true. False for a continuation of a file. */
  header?: boolean
}

export const CSV_COLUMNS = ['document', 'start', 'end', 'text', 'label', 'annotator', 'note', 'created', 'document_id', 'document_sha256', 'offsets', 'entity', 'entity_ref'] as const

const BOM = '\ufeff'
const ROW_END = '\r\n'

/** Yields the BOM and header (unless told not to), then the rows of each document. */
export function* exportCsv(documents: Iterable<ExportDocument>, options: CsvExportOptions = {}): ExportGenerator {
  const unit = options.offsets ?? 'codepoint'
  const tally = new ExportTally(options)
  if (options.header !== false) yield BOM + CSV_COLUMNS.join(',') + ROW_END
  for (const document of documents) {
    const converter = createOffsetConverter(document.text)
    const rows: string[] = []
    for (const span of prepareSpans(document, converter, tally)) {
      rows.push(
        [
          textCell(document.name),
          String(converter.toUnit(span.start, unit)),
          String(converter.toUnit(span.end, unit)),
          textCell(span.text),
          textCell(span.label),
          textCell(span.annotator),
          textCell(span.note ?? ''),
          textCell(span.createdAt ?? ''),
          textCell(document.id),
          textCell(document.sha256),
          unit,
          textCell(span.entity?.name ?? ''),
          textCell(span.entity === undefined ? '' : linkReference(span.entity))
        ].join(',') + ROW_END
      )
    }
    tally.document()
    tally.written(rows.length)
    if (rows.length > 0) yield rows.join('')
  }
  return tally.result()
}

const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/** A text cell made safe against formula injection, then quoted as RFC 4180 requires. */
export function textCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
