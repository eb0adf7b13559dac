// doccano's JSONL for sequence labelling, one example per line, offsets in Unicode code points
// (doccano's server is Python: text[start:end] is the span):
//   {"text": "...", "label": [[start, end, "TAG"], ...]}                      (the classic export)
//   {"text": "...", "entities": [{"id", "start_offset", "end_offset", "label"}, ...], "relations": [...]}
// Any other key is the example's metadata. Quire's export writes the classic form with two
// such keys: "name" (the document's) and "annotator" (one line per document and annotator
// with spans; a document without spans gets one line with no labels), which its import reads back.
import { createOffsetConverter, type OffsetConverter } from '../offsets'
import { ExportTally } from './export-tally'
import { fileStem, type ForeignDocument } from './foreign-document'
import { parseJsonObjectLine, readOffsetField } from './json-fields'
import { ErrorList, isPlainRecord, numberedLines, ownField } from './lines'
import { clip, prepareSpans } from './prepared-spans'
import type { ExportDocument, ExportGenerator, ExportOptions, FormatError, ParsedSpan, ParseResult } from './types'

/** Yields one line (with its "\n") per document and annotator. */
export function* exportDoccano(documents: Iterable<ExportDocument>, options: ExportOptions = {}): ExportGenerator {
  const tally = new ExportTally(options)
  for (const document of documents) {
    const converter = createOffsetConverter(document.text)
    const spans = prepareSpans(document, converter, tally)
    const annotators = [...new Set(spans.map((span) => span.annotator))].sort()
    tally.document()
    if (annotators.length === 0) {
      yield jsonLine({ text: document.text, label: [], name: document.name })
      continue
    }
    for (const annotator of annotators) {
      const own = spans.filter((span) => span.annotator === annotator)
      const label = own.map((span) => [converter.toCodePoint(span.start), converter.toCodePoint(span.end), span.label])
      tally.written(own.length)
      yield jsonLine({ text: document.text, label, name: document.name, annotator })
    }
  }
  return tally.result()
}

/** JSON on one physical line: U+2028, U+2029 and U+0085 escaped, as Python's splitlines() breaks there. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`
}

export interface DoccanoParseOptions {
  /** Name of the file, for messages and the names of the documents it creates. */
  file: string
}

/** A doccano document with the annotator its line names (Quire's export), if any. */
export interface ParsedDoccanoDocument extends ForeignDocument {
  annotator?: string
}

/** Reads a doccano JSONL export. Every problem is reported with its line; apply nothing when there are errors. */
export function parseDoccano(content: string, options: DoccanoParseOptions): ParseResult<ParsedDoccanoDocument[]> {
  const errors = new ErrorList<FormatError>()
  const warnings: FormatError[] = []
  const documents: ParsedDoccanoDocument[] = []
  for (const line of numberedLines(content)) {
    if (line.text.trim() === '') continue
    const problems: string[] = []
    const document = parseDoccanoLine(line.text, line.number, options.file, problems, (message) => warnings.push({ file: options.file, line: line.number, message }))
    for (const message of problems) errors.add({ file: options.file, line: line.number, message })
    if (document !== null && problems.length === 0) documents.push(document)
  }
  return { value: documents, errors: errors.finish((omitted) => ({ file: options.file, line: 0, message: `${omitted} more errors not listed` })), warnings }
}

function parseDoccanoLine(lineText: string, lineNumber: number, file: string, problems: string[], warn: (message: string) => void): ParsedDoccanoDocument | null {
  const record = parseJsonObjectLine(lineText, 'one example per line', problems)
  if (record === null) return null
  const text = ownField(record, 'text') ?? ownField(record, 'data')
  const name = documentName(record, file, lineNumber)
  const annotator = ownField(record, 'annotator')
  if (typeof text !== 'string') {
    problems.push('"text" must be a string (the example\'s text)')
    return null
  }
  if (text.length === 0) {
    problems.push(`document ${JSON.stringify(name)} has an empty text`)
    return null
  }
  if (annotator !== undefined && (typeof annotator !== 'string' || annotator.trim() === '')) problems.push('"annotator" must be a non-empty string')
  const converter = createOffsetConverter(text)
  const label = ownField(record, 'label')
  const entities = ownField(record, 'entities')
  let spans: ParsedSpan[] = []
  if (label !== undefined && entities !== undefined) problems.push('the line has both "label" and "entities"; a doccano export has one of them')
  else if (entities !== undefined) spans = readEntities(entities, text, converter, lineNumber, problems)
  else if (label !== undefined) spans = readLabelTriples(label, text, converter, lineNumber, problems)
  const relations = ownField(record, 'relations')
  if (Array.isArray(relations) && relations.length > 0) warn(`${relations.length === 1 ? '1 relation is' : `${relations.length} relations are`} not imported (Quire has spans only)`)
  if (problems.length > 0) return null
  const document: ParsedDoccanoDocument = { name, text, spans, line: lineNumber }
  if (typeof annotator === 'string') document.annotator = annotator.trim()
  return document
}

function documentName(record: object, file: string, lineNumber: number): string {
  const name = ownField(record, 'name')
  if (typeof name === 'string' && name.trim() !== '') return name.trim()
  const id = ownField(record, 'id')
  return `${fileStem(file)} ${typeof id === 'number' || (typeof id === 'string' && id.trim() !== '') ? String(id).trim() : String(lineNumber)}`
}

/** The classic form: [[start, end, "TAG"], ...]. */
function readLabelTriples(value: unknown, text: string, converter: OffsetConverter, line: number, problems: string[]): ParsedSpan[] {
  if (!Array.isArray(value)) {
    problems.push('"label" must be a list of [start, end, "TAG"]')
    return []
  }
  if (value.length > 0 && value.every((item) => typeof item === 'string')) {
    problems.push('"label" holds category names, not [start, end, "TAG"] spans: this is a text classification export, which has no spans to import')
    return []
  }
  const spans: ParsedSpan[] = []
  value.forEach((item: unknown, index) => {
    const where = `label ${index + 1}`
    if (!Array.isArray(item) || item.length !== 3) {
      problems.push(`${where}: expected [start, end, "TAG"], not ${clip(JSON.stringify(item) ?? String(item))}`)
      return
    }
    const span = readSpan(item[0], item[1], item[2], ['start', 'end'], where, text, converter, line, problems)
    if (span !== null) spans.push(span)
  })
  return spans
}

/** The form with relations: [{"id", "start_offset", "end_offset", "label"}, ...]. */
function readEntities(value: unknown, text: string, converter: OffsetConverter, line: number, problems: string[]): ParsedSpan[] {
  if (!Array.isArray(value)) {
    problems.push('"entities" must be a list of {"start_offset", "end_offset", "label"}')
    return []
  }
  const spans: ParsedSpan[] = []
  value.forEach((item: unknown, index) => {
    const where = `entity ${index + 1}`
    if (!isPlainRecord(item)) {
      problems.push(`${where}: expected an object {"start_offset", "end_offset", "label"}`)
      return
    }
    const span = readSpan(ownField(item, 'start_offset'), ownField(item, 'end_offset'), ownField(item, 'label'), ['start_offset', 'end_offset'], where, text, converter, line, problems)
    if (span !== null) spans.push(span)
  })
  return spans
}

function readSpan(
  start: unknown,
  end: unknown,
  label: unknown,
  fields: readonly [string, string],
  where: string,
  text: string,
  converter: OffsetConverter,
  line: number,
  problems: string[]
): ParsedSpan | null {
  const before = problems.length
  if (typeof label !== 'string' || label.trim() === '') problems.push(`${where}: the label must be a non-empty string`)
  const startUtf16 = readOffsetField(start, fields[0], where, 'codepoint', converter, problems)
  const endUtf16 = readOffsetField(end, fields[1], where, 'codepoint', converter, problems)
  if (startUtf16 !== null && endUtf16 !== null && endUtf16 <= startUtf16) problems.push(`${where}: the end ${String(end)} must be greater than the start ${String(start)}`)
  if (problems.length > before || startUtf16 === null || endUtf16 === null || typeof label !== 'string') return null
  return { start: startUtf16, end: endUtf16, label: label.trim(), text: text.slice(startUtf16, endUtf16), line }
}
