// Prodigy's and spaCy's JSONL of named-entity tasks, one per line, offsets in Unicode code
// points (Python):
//   {"text": "...", "spans": [{"start", "end", "label", "token_start"?, "token_end"?}],
//    "tokens"?: [{"text", "start", "end", "id"}], "answer"?: "accept" | "reject" | "ignore"}
// Only accepted tasks are imported: "reject" says the task's spans are wrong (or the example
// is bad) and "ignore" that it was skipped, so neither may become annotations; a line without
// "answer" (spaCy-style training data) counts as accepted. Prodigy repeats a text once per
// task: every task of one text lands on the same document. "_annotator_id" (Prodigy's
// multi-user sessions) names the annotator.
import { createOffsetConverter, type OffsetConverter } from '../offsets'
import { fileStem, type ForeignDocument } from './foreign-document'
import { parseJsonObjectLine, readOffsetField } from './json-fields'
import { ErrorList, isPlainRecord, numberedLines, ownField } from './lines'
import { clip } from './prepared-spans'
import type { FormatError, ParsedSpan, ParseResult } from './types'

export interface ProdigyParseOptions {
  file: string
}

const ANSWERS = ['accept', 'reject', 'ignore']

/** Reads a Prodigy/spaCy JSONL file. Every problem is reported with its line; apply nothing when there are errors. */
export function parseProdigy(content: string, options: ProdigyParseOptions): ParseResult<ForeignDocument[]> {
  const { file } = options
  const errors = new ErrorList<FormatError>()
  const documents: ForeignDocument[] = []
  const skipped = { reject: 0, ignore: 0, firstLine: 0 }
  for (const line of numberedLines(content)) {
    if (line.text.trim() === '') continue
    const problems: string[] = []
    const task = parseTask(line.text, line.number, file, problems)
    for (const message of problems) errors.add({ file, line: line.number, message })
    if (task === null || problems.length > 0) continue
    if (task.answer === 'reject' || task.answer === 'ignore') {
      skipped[task.answer]++
      skipped.firstLine ||= line.number
      continue
    }
    documents.push(task.document)
  }
  const warnings: FormatError[] = []
  if (skipped.reject + skipped.ignore > 0) {
    const parts = [skipped.reject > 0 ? `${skipped.reject} rejected` : '', skipped.ignore > 0 ? `${skipped.ignore} ignored` : ''].filter(Boolean)
    warnings.push({ file, line: skipped.firstLine, message: `${parts.join(' and ')} ${skipped.reject + skipped.ignore === 1 ? 'task is' : 'tasks are'} not imported: only accepted answers are annotations` })
  }
  return { value: documents, errors: errors.finish((omitted) => ({ file, line: 0, message: `${omitted} more errors not listed` })), warnings }
}

function parseTask(lineText: string, lineNumber: number, file: string, problems: string[]): { document: ForeignDocument; answer: string } | null {
  const record = parseJsonObjectLine(lineText, 'one task per line', problems)
  if (record === null) return null
  const text = ownField(record, 'text')
  const spans = ownField(record, 'spans') ?? []
  const tokens = ownField(record, 'tokens')
  const answer = ownField(record, 'answer') ?? 'accept'
  const annotator = ownField(record, '_annotator_id')
  const name = `${fileStem(file)} ${lineNumber}`
  if (typeof text !== 'string') problems.push('"text" must be a string')
  else if (text.length === 0) problems.push(`document ${JSON.stringify(name)} has an empty text`)
  if (!Array.isArray(spans)) problems.push('"spans" must be a list')
  if (tokens !== undefined && !Array.isArray(tokens)) problems.push('"tokens" must be a list')
  if (typeof answer !== 'string' || !ANSWERS.includes(answer)) problems.push(`"answer" must be "accept", "reject" or "ignore", not ${clip(JSON.stringify(answer) ?? String(answer))}`)
  if (annotator !== undefined && (typeof annotator !== 'string' || annotator.trim() === '')) problems.push('"_annotator_id" must be a non-empty string')
  if (problems.length > 0 || typeof text !== 'string' || !Array.isArray(spans) || typeof answer !== 'string') return null
  const converter = createOffsetConverter(text)
  const parsed: ParsedSpan[] = []
  spans.forEach((span: unknown, index) => {
    const read = readSpan(span, `span ${index + 1}`, text, converter, Array.isArray(tokens) ? tokens : undefined, lineNumber, problems)
    if (read !== null) parsed.push(typeof annotator === 'string' ? { ...read, annotator: annotator.trim() } : read)
  })
  if (problems.length > 0) return null
  return { document: { name, text, spans: parsed, line: lineNumber }, answer }
}

function readSpan(
  span: unknown,
  where: string,
  text: string,
  converter: OffsetConverter,
  tokens: unknown[] | undefined,
  line: number,
  problems: string[]
): ParsedSpan | null {
  if (!isPlainRecord(span)) {
    problems.push(`${where}: expected an object {"start", "end", "label"}`)
    return null
  }
  const before = problems.length
  const label = ownField(span, 'label')
  const spanText = ownField(span, 'text')
  if (typeof label !== 'string' || label.trim() === '') problems.push(`${where}: "label" must be a non-empty string`)
  if (spanText !== undefined && typeof spanText !== 'string') problems.push(`${where}: "text" must be a string`)
  const rawStart = ownField(span, 'start')
  const rawEnd = ownField(span, 'end')
  const start = readOffsetField(rawStart, 'start', where, 'codepoint', converter, problems)
  const end = readOffsetField(rawEnd, 'end', where, 'codepoint', converter, problems)
  if (start !== null && end !== null && end <= start) problems.push(`${where}: "end" ${String(rawEnd)} must be greater than "start" ${String(rawStart)}`)
  if (problems.length > before || start === null || end === null || typeof label !== 'string') return null
  const covered = text.slice(start, end)
  if (typeof spanText === 'string' && spanText !== covered) {
    problems.push(`${where}: "text" ${JSON.stringify(clip(spanText))} does not match the text at ${String(rawStart)}-${String(rawEnd)} (code points), which reads ${JSON.stringify(clip(covered))}`)
    return null
  }
  if (tokens !== undefined) {
    for (const [field, edge, offset] of [
      ['token_start', 'start', rawStart],
      ['token_end', 'end', rawEnd]
    ] as const) {
      const tokenIndex = ownField(span, field)
      if (tokenIndex === undefined) continue
      const token = typeof tokenIndex === 'number' && Number.isSafeInteger(tokenIndex) ? tokens[tokenIndex] : undefined
      const tokenOffset = isPlainRecord(token) ? ownField(token, edge) : undefined
      if (tokenOffset !== offset) {
        problems.push(
          token === undefined
            ? `${where}: "${field}" ${clip(JSON.stringify(tokenIndex) ?? String(tokenIndex))} is not the index of a token`
            : `${where}: "${field}" ${String(tokenIndex)} is a token whose ${edge} is ${clip(JSON.stringify(tokenOffset) ?? String(tokenOffset))}, but the span's ${edge} is ${String(offset)}`
        )
      }
    }
    if (problems.length > before) return null
  }
  return { start, end, label: label.trim(), text: covered, line }
}
