// JSONL: one document per line, readable by spaCy- and doccano-style scripts as is:
// {"id","name","text","sha256","offsets":"codepoint","spans":[{"start","end","label","text","annotator","note","created","entity"}]}
// Offsets are code points by default (Python: text[start:end] == span["text"]); "utf16" and
// "utf8" (byte offsets into text.encode("utf-8")) on request. "note", "created" and "entity" are
// null when absent so every line has the same keys; "entity" is {"id","name","ref"} ("ref" only
// when the entity has an identifier, e.g. "Wikidata:Q1630451").
import { asUtf16, type Utf16Offset } from '../../shared/model'
import { createOffsetConverter, isOffsetUnit, OFFSET_UNITS, type OffsetUnit } from '../offsets'
import { ExportTally } from './export-tally'
import { ErrorList, isPlainRecord, numberedLines, ownField } from './lines'
import { clip, prepareSpans } from './prepared-spans'
import { parseJsonObjectLine, readOffsetField } from './json-fields'
import type { ExportDocument, ExportGenerator, ExportOptions, FormatError, ParsedEntityLink, ParsedSpan, ParseResult } from './types'

export interface JsonlExportOptions extends ExportOptions {
  /** Unit of "start"/"end"; default "codepoint". */
  offsets?: OffsetUnit
}

/** Yields one line (with its "\n") per document. */
export function* exportJsonl(documents: Iterable<ExportDocument>, options: JsonlExportOptions = {}): ExportGenerator {
  const unit = options.offsets ?? 'codepoint'
  const tally = new ExportTally(options)
  for (const document of documents) {
    const converter = createOffsetConverter(document.text)
    const spans = prepareSpans(document, converter, tally).map((span) => ({
      start: converter.toUnit(span.start, unit),
      end: converter.toUnit(span.end, unit),
      label: span.label,
      text: span.text,
      annotator: span.annotator,
      note: span.note ?? null,
      created: span.createdAt ?? null,
      entity: span.entity === undefined ? null : { id: span.entity.id, name: span.entity.name, ...(span.entity.ref !== undefined ? { ref: span.entity.ref } : {}) }
    }))
    const line = {
      id: document.id,
      name: document.name,
      text: document.text,
      sha256: document.sha256,
      ...(document.revision !== undefined ? { revision: document.revision } : {}),
      offsets: unit,
      spans
    }
    tally.document()
    tally.written(spans.length)
    yield `${escapeLineSeparators(JSON.stringify(line))}\n`
  }
  return tally.result()
}

// JSON allows U+2028, U+2029 and U+0085 raw, but Python's str.splitlines() and some editors
// break lines there; escaping them keeps one document per physical line for every reader.
function escapeLineSeparators(json: string): string {
  return json.replace(/[\u0085\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export interface ParsedJsonlDocument {
  id: string
  name: string
  text: string
  sha256?: string
  /** The unit the file used; spans are already converted to UTF-16. */
  offsets: OffsetUnit
  spans: ParsedSpan[]
  line: number
}

export interface JsonlParseOptions {
  /** Name of the file, for error messages. */
  file: string
  /** Checks "sha256" against the text when both are given; core has no crypto, the caller injects it. */
  computeSha256?: (text: string) => string
  /** Allowed labels; undefined accepts any non-empty label. */
  knownLabels?: readonly string[]
}

/**
 * Reads a JSONL export. A document with any problem is left out of `value` and every problem
 * is reported with its line; callers apply nothing when `errors` is not empty.
 */
export function parseJsonl(content: string, options: JsonlParseOptions): ParseResult<ParsedJsonlDocument[]> {
  const reader = new JsonlDocumentReader(options)
  const documents: ParsedJsonlDocument[] = []
  for (const line of numberedLines(content)) {
    const document = reader.read(line.text, line.number)
    if (document !== null) documents.push(document)
  }
  return { value: documents, errors: reader.finish(), warnings: [] }
}

/**
 * Reads a JSONL file a line at a time, so a caller can stream a file of 100,000 documents:
 * what it keeps between lines is each document id's line (ids must be unique) and the errors.
 */
export class JsonlDocumentReader {
  readonly #errors = new ErrorList<FormatError>()
  readonly #lineById = new Map<string, number>()

  constructor(private readonly options: JsonlParseOptions) {}

  /** The line's document, or null when it is blank or has a problem (then recorded). */
  read(lineText: string, lineNumber: number): ParsedJsonlDocument | null {
    if (lineText.trim() === '') return null
    const lineErrors: string[] = []
    const document = parseJsonlLine(lineText, lineNumber, this.options, lineErrors)
    if (document !== null) {
      const earlierLine = this.#lineById.get(document.id)
      if (earlierLine !== undefined) lineErrors.push(`document id ${JSON.stringify(document.id)} already appears on line ${earlierLine}`)
      else this.#lineById.set(document.id, lineNumber)
    }
    for (const message of lineErrors) this.#errors.add({ file: this.options.file, line: lineNumber, message })
    return document !== null && lineErrors.length === 0 ? document : null
  }

  /** Every problem found, the list capped as ErrorList caps it. */
  finish(): FormatError[] {
    return this.#errors.finish((omitted) => ({ file: this.options.file, line: 0, message: `${omitted} more errors not listed` }))
  }
}

/** Parses one line; problems go to `problems`. Returns null when the line is not a usable document. */
export function parseJsonlLine(
  lineText: string,
  lineNumber: number,
  options: Omit<JsonlParseOptions, 'file'>,
  problems: string[]
): ParsedJsonlDocument | null {
  const record = parseJsonObjectLine(lineText, 'one document per line', problems)
  if (record === null) return null
  const id = ownField(record, 'id')
  const name = ownField(record, 'name')
  const text = ownField(record, 'text')
  const sha256 = ownField(record, 'sha256')
  const declaredOffsets = ownField(record, 'offsets')
  // Without "offsets" the file is read as code points, what spaCy- and doccano-style files use.
  const offsets = declaredOffsets === undefined ? 'codepoint' : declaredOffsets
  const spans = ownField(record, 'spans')
  if (typeof id !== 'string' || id.length === 0) problems.push('"id" must be a non-empty string')
  if (name !== undefined && typeof name !== 'string') problems.push('"name" must be a string')
  if (typeof text !== 'string') problems.push('"text" must be a string')
  if (sha256 !== undefined && sha256 !== null && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256))) {
    problems.push('"sha256" must be 64 hexadecimal digits')
  }
  if (!isOffsetUnit(offsets)) {
    problems.push(`"offsets" must be one of ${OFFSET_UNITS.map((unit) => `"${unit}"`).join(', ')}, not ${clip(JSON.stringify(offsets) ?? String(offsets))}`)
  }
  if (!Array.isArray(spans)) problems.push('"spans" must be an array')
  if (problems.length > 0 || typeof id !== 'string' || typeof text !== 'string' || !isOffsetUnit(offsets) || !Array.isArray(spans)) {
    return null
  }
  if (typeof sha256 === 'string' && options.computeSha256 !== undefined) {
    const actual = options.computeSha256(text)
    if (actual.toLowerCase() !== sha256.toLowerCase()) {
      problems.push(`"sha256" ${sha256} does not match the text (its SHA-256 is ${actual})`)
    }
  }
  const converter = createOffsetConverter(text)
  const parsedSpans: ParsedSpan[] = []
  spans.forEach((span: unknown, index) => {
    const where = `span ${index + 1}`
    if (!isPlainRecord(span)) {
      problems.push(`${where}: expected an object`)
      return
    }
    const start = ownField(span, 'start')
    const end = ownField(span, 'end')
    const label = ownField(span, 'label')
    const spanText = ownField(span, 'text')
    const annotator = ownField(span, 'annotator')
    const note = ownField(span, 'note')
    const created = ownField(span, 'created')
    const entity = readEntityField(ownField(span, 'entity'), where, problems)
    const before = problems.length
    if (typeof label !== 'string' || label.length === 0) problems.push(`${where}: "label" must be a non-empty string`)
    else if (options.knownLabels !== undefined && !options.knownLabels.includes(label)) {
      problems.push(`${where}: unknown label ${JSON.stringify(clip(label))} (known: ${options.knownLabels.join(', ')})`)
    }
    if (spanText !== undefined && typeof spanText !== 'string') problems.push(`${where}: "text" must be a string`)
    if (annotator !== undefined && typeof annotator !== 'string') problems.push(`${where}: "annotator" must be a string`)
    if (note !== undefined && note !== null && typeof note !== 'string') problems.push(`${where}: "note" must be a string or null`)
    if (created !== undefined && created !== null && typeof created !== 'string') problems.push(`${where}: "created" must be a string or null`)
    const startUtf16 = readOffsetField(start, 'start', where, offsets, converter, problems)
    const endUtf16 = readOffsetField(end, 'end', where, offsets, converter, problems)
    if (startUtf16 !== null && endUtf16 !== null && endUtf16 <= startUtf16) {
      problems.push(`${where}: "end" ${String(end)} must be greater than "start" ${String(start)}`)
    }
    if (problems.length > before || startUtf16 === null || endUtf16 === null || typeof label !== 'string') return
    const covered = text.slice(startUtf16, endUtf16)
    if (typeof spanText === 'string' && spanText !== covered) {
      problems.push(`${where}: "text" ${JSON.stringify(clip(spanText))} does not match the text at ${String(start)}-${String(end)} (${offsets}), which reads ${JSON.stringify(clip(covered))}`)
      return
    }
    const parsed: ParsedSpan = { start: startUtf16, end: endUtf16, label, text: covered, line: lineNumber }
    if (typeof annotator === 'string') parsed.annotator = annotator
    if (typeof note === 'string') parsed.note = note
    if (typeof created === 'string') parsed.createdAt = created
    if (entity !== null) parsed.entity = entity
    parsedSpans.push(parsed)
  })
  if (problems.length > 0) return null
  const document: ParsedJsonlDocument = {
    id,
    name: typeof name === 'string' ? name : id,
    text,
    offsets,
    spans: parsedSpans,
    line: lineNumber
  }
  if (typeof sha256 === 'string') document.sha256 = sha256.toLowerCase()
  return document
}

/** A span's "entity": null or absent for none, else {"id"?, "ref"?, "name"} with an id or a ref. */
function readEntityField(value: unknown, where: string, problems: string[]): ParsedEntityLink | null {
  if (value === undefined || value === null) return null
  if (!isPlainRecord(value)) {
    problems.push(`${where}: "entity" must be an object {"id", "name", "ref"} or null`)
    return null
  }
  const id = ownField(value, 'id')
  const name = ownField(value, 'name')
  const ref = ownField(value, 'ref')
  const before = problems.length
  if (id !== undefined && (typeof id !== 'string' || id.trim() === '' || /\s/.test(id))) problems.push(`${where}: "entity.id" must be a string without spaces`)
  if (name !== undefined && typeof name !== 'string') problems.push(`${where}: "entity.name" must be a string`)
  if (ref !== undefined && ref !== null && (typeof ref !== 'string' || ref.trim() === '')) problems.push(`${where}: "entity.ref" must be a non-empty string or null`)
  if (id === undefined && (ref === undefined || ref === null)) problems.push(`${where}: "entity" needs an "id" or a "ref"`)
  if (problems.length > before) return null
  const link: ParsedEntityLink = { name: typeof name === 'string' ? name : '' }
  if (typeof id === 'string') link.id = id
  if (typeof ref === 'string') link.ref = ref.trim()
  return link
}
