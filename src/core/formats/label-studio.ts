// Label Studio's JSON export: an array of tasks,
//   [{"id", "data": {"text": "..."}, "annotations": [{"completed_by", "was_cancelled",
//     "result": [{"type": "labels", "value": {"start", "end", "text", "labels": ["TAG"]}}]}]}]
// Offsets are Unicode code points (Label Studio since 1.6 counts them so, like Python); older
// versions counted UTF-16 code units, so a region whose "text" matches only when read that
// way is read that way, with a warning. Each annotation is one annotator's layer:
// "completed_by" is a user id (a number) or the user ({"email", "first_name", "last_name"}).
// The text is data.text, or the task's only text field, or the one the results' "to_name" names.
import { createOffsetConverter, type OffsetConverter } from '../offsets'
import { jsonLine } from './doccano'
import { ExportTally } from './export-tally'
import { fileStem, type ForeignDocument } from './foreign-document'
import { readOffsetField } from './json-fields'
import { JsonSyntaxError, parseJsonWithPositions, type PositionedJson } from './json-positions'
import { isPlainRecord, ownField } from './lines'
import { clip, prepareSpans } from './prepared-spans'
import type { ExportDocument, ExportGenerator, ExportOptions, FormatError, ParsedSpan, ParseResult } from './types'

/** Yields the JSON array, one task per line. */
export function* exportLabelStudio(documents: Iterable<ExportDocument>, options: ExportOptions = {}): ExportGenerator {
  const tally = new ExportTally(options)
  let taskNumber = 0
  yield '['
  for (const document of documents) {
    const converter = createOffsetConverter(document.text)
    const spans = prepareSpans(document, converter, tally)
    const annotators = [...new Set(spans.map((span) => span.annotator))].sort()
    taskNumber++
    const annotations = annotators.map((annotator, index) => {
      const own = spans.filter((span) => span.annotator === annotator)
      tally.written(own.length)
      return {
        id: index + 1,
        // Quire's annotators are names, not Label Studio accounts: the name travels as first_name.
        completed_by: { id: index + 1, email: '', first_name: annotator, last_name: '' },
        was_cancelled: false,
        result: own.map((span, spanIndex) => ({
          id: `q${taskNumber}-${index + 1}-${spanIndex + 1}`,
          from_name: 'label',
          to_name: 'text',
          type: 'labels',
          value: { start: converter.toCodePoint(span.start), end: converter.toCodePoint(span.end), text: span.text, labels: [span.label] }
        }))
      }
    })
    tally.document()
    const task = { id: taskNumber, data: { text: document.text, name: document.name }, annotations, predictions: [] }
    yield `${taskNumber === 1 ? '\n' : ',\n'}${jsonLine(task).slice(0, -1)}`
  }
  yield taskNumber === 0 ? ']\n' : '\n]\n'
  return tally.result()
}

export interface LabelStudioParseOptions {
  file: string
}

/** Reads a Label Studio JSON export. Every problem is reported with its line; apply nothing when there are errors. */
export function parseLabelStudio(content: string, options: LabelStudioParseOptions): ParseResult<ForeignDocument[]> {
  const { file } = options
  const errors: FormatError[] = []
  const warnings: FormatError[] = []
  let json: PositionedJson
  try {
    json = parseJsonWithPositions(content)
  } catch (error) {
    const line = error instanceof JsonSyntaxError ? error.line : 0
    return { value: [], errors: [{ file, line, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` }], warnings }
  }
  const tasks = json.value
  if (!Array.isArray(tasks)) {
    return { value: [], errors: [{ file, line: 1, message: 'expected Label Studio\'s JSON export: a list of tasks, each with "data" and "annotations"' }], warnings }
  }
  const reader = new TaskReader(file, json, errors)
  const documents: ForeignDocument[] = []
  tasks.forEach((task: unknown, index) => {
    const document = reader.read(task, index)
    if (document !== null) documents.push(document)
  })
  warnings.push(...reader.summaryWarnings())
  return { value: errors.length === 0 ? documents : [], errors: errors.slice(0, 1000), warnings }
}

class TaskReader {
  private readonly ignoredResults = new Map<string, number>()
  private cancelled = 0
  private predictions = 0
  private utf16Regions = 0
  private firstUtf16Line = 0

  constructor(
    private readonly file: string,
    private readonly json: PositionedJson,
    private readonly errors: FormatError[]
  ) {}

  private error(at: unknown, message: string, fallbackLine: number): void {
    this.errors.push({ file: this.file, line: this.json.lineOf(at) || fallbackLine, message })
  }

  read(task: unknown, index: number): ForeignDocument | null {
    const taskLine = this.json.lineOf(task)
    if (!isPlainRecord(task)) {
      this.error(task, `task ${index + 1}: expected an object with "data" and "annotations"`, 0)
      return null
    }
    const id = ownField(task, 'id')
    const where = `task ${typeof id === 'number' || typeof id === 'string' ? String(id) : index + 1}`
    const data = ownField(task, 'data')
    if (!isPlainRecord(data)) {
      const minimal = typeof ownField(task, 'text') === 'string' && ownField(task, 'annotations') === undefined
      this.error(task, minimal ? `${where}: this is Label Studio's JSON-MIN export, which leaves out who annotated; export as "JSON" instead` : `${where}: "data" must be an object holding the text`, taskLine)
      return null
    }
    const annotations = ownField(task, 'annotations') ?? ownField(task, 'completions') ?? []
    if (!Array.isArray(annotations)) {
      this.error(task, `${where}: "annotations" must be a list`, taskLine)
      return null
    }
    const predictions = ownField(task, 'predictions')
    if (Array.isArray(predictions)) this.predictions += predictions.length
    const textKey = this.textKey(data, annotations)
    if (typeof textKey !== 'string') {
      this.error(data, `${where}: ${textKey.problem}`, taskLine)
      return null
    }
    const text = ownField(data, textKey) as string
    const name = typeof ownField(data, 'name') === 'string' && (ownField(data, 'name') as string).trim() !== '' ? (ownField(data, 'name') as string).trim() : `${fileStem(this.file)} ${where.slice('task '.length)}`
    if (text.length === 0) {
      this.error(data, `${where}: document ${JSON.stringify(name)} has an empty text`, taskLine)
      return null
    }
    const converter = createOffsetConverter(text)
    const spans: ParsedSpan[] = []
    const before = this.errors.length
    annotations.forEach((annotation: unknown, annotationIndex) => {
      const at = `${where}, annotation ${annotationIndex + 1}`
      if (!isPlainRecord(annotation)) {
        this.error(annotation, `${at}: expected an object with "result"`, taskLine)
        return
      }
      if (ownField(annotation, 'was_cancelled') === true) {
        this.cancelled++
        return
      }
      const annotator = annotatorName(ownField(annotation, 'completed_by'))
      if (typeof annotator === 'object') {
        this.error(annotation, `${at}: "completed_by" ${annotator.problem}`, taskLine)
        return
      }
      const result = ownField(annotation, 'result') ?? []
      if (!Array.isArray(result)) {
        this.error(annotation, `${at}: "result" must be a list`, taskLine)
        return
      }
      result.forEach((region: unknown, regionIndex) => {
        const regionSpans = this.readRegion(region, `${at}, result ${regionIndex + 1}`, text, converter, this.json.lineOf(annotation) || taskLine)
        for (const span of regionSpans) spans.push(annotator === undefined ? span : { ...span, annotator })
      })
    })
    if (this.errors.length > before) return null
    return { name, text, spans, line: taskLine }
  }

  /** Which field of "data" holds the text. */
  private textKey(data: object, annotations: unknown[]): string | { problem: string } {
    const textFields = Object.keys(data).filter((key) => typeof ownField(data, key) === 'string' && key !== 'name')
    if (typeof ownField(data, 'text') === 'string') return 'text'
    if (textFields.length === 1) return textFields[0] as string
    const named = new Set<string>()
    for (const annotation of annotations) {
      const result = isPlainRecord(annotation) ? ownField(annotation, 'result') : undefined
      for (const region of Array.isArray(result) ? result : []) {
        const toName = isPlainRecord(region) ? ownField(region, 'to_name') : undefined
        if (typeof toName === 'string' && textFields.includes(toName)) named.add(toName)
      }
    }
    if (named.size === 1) return [...named][0] as string
    return textFields.length === 0
      ? { problem: '"data" holds no text field' }
      : { problem: `cannot tell which field of "data" holds the text (${textFields.map((key) => `"${key}"`).join(', ')}); rename it to "text"` }
  }

  private readRegion(region: unknown, where: string, text: string, converter: OffsetConverter, fallbackLine: number): ParsedSpan[] {
    const line = this.json.lineOf(region) || fallbackLine
    if (!isPlainRecord(region)) {
      this.error(region, `${where}: expected an object`, fallbackLine)
      return []
    }
    const type = ownField(region, 'type')
    if (type !== 'labels') {
      const kind = typeof type === 'string' ? type : 'untyped'
      this.ignoredResults.set(kind, (this.ignoredResults.get(kind) ?? 0) + 1)
      return []
    }
    const value = ownField(region, 'value')
    if (!isPlainRecord(value)) {
      this.error(region, `${where}: "value" must be an object with "start", "end" and "labels"`, line)
      return []
    }
    const labels = ownField(value, 'labels')
    const regionText = ownField(value, 'text')
    const problems: string[] = []
    if (!Array.isArray(labels) || labels.length === 0 || !labels.every((label) => typeof label === 'string' && label.trim() !== '')) {
      problems.push(`${where}: "labels" must be a non-empty list of label names`)
    }
    if (regionText !== undefined && typeof regionText !== 'string') problems.push(`${where}: "text" must be a string`)
    const rawStart = ownField(value, 'start')
    const rawEnd = ownField(value, 'end')
    const offsetProblems: string[] = []
    let start = readOffsetField(rawStart, 'start', where, 'codepoint', converter, offsetProblems)
    let end = readOffsetField(rawEnd, 'end', where, 'codepoint', converter, offsetProblems)
    if (typeof regionText === 'string' && (start === null || end === null || text.slice(start, end) !== regionText)) {
      // Written by a Label Studio that counted UTF-16 code units (before 1.6)? Its text says so.
      if (typeof rawStart === 'number' && typeof rawEnd === 'number' && converter.isBoundary(rawStart, 'utf16') && converter.isBoundary(rawEnd, 'utf16') && text.slice(rawStart, rawEnd) === regionText) {
        start = converter.fromUnit(rawStart, 'utf16')
        end = converter.fromUnit(rawEnd, 'utf16')
        offsetProblems.length = 0
        this.utf16Regions++
        this.firstUtf16Line ||= line
      } else if (start !== null && end !== null) {
        offsetProblems.push(`${where}: "text" ${JSON.stringify(clip(regionText))} does not match the text at ${String(rawStart)}-${String(rawEnd)} (code points), which reads ${JSON.stringify(clip(text.slice(start, end)))}`)
      }
    }
    problems.push(...offsetProblems)
    if (start !== null && end !== null && end <= start) problems.push(`${where}: "end" must be greater than "start"`)
    for (const message of problems) this.errors.push({ file: this.file, line, message })
    if (problems.length > 0 || start === null || end === null) return []
    const span = { start, end, text: text.slice(start, end), line }
    return [...new Set((labels as string[]).map((label) => label.trim()))].map((label) => ({ ...span, label }))
  }

  summaryWarnings(): FormatError[] {
    const warnings: FormatError[] = []
    const say = (message: string, line = 0): void => void warnings.push({ file: this.file, line, message })
    if (this.utf16Regions > 0) {
      say(`${this.utf16Regions === 1 ? '1 region counts' : `${this.utf16Regions} regions count`} offsets in UTF-16 code units (Label Studio before 1.6); read as such, their "text" matches`, this.firstUtf16Line)
    }
    if (this.cancelled > 0) say(`${this.cancelled === 1 ? '1 cancelled (skipped) annotation is' : `${this.cancelled} cancelled (skipped) annotations are`} not imported`)
    if (this.predictions > 0) say(`${this.predictions === 1 ? '1 prediction is' : `${this.predictions} predictions are`} not imported (only annotations are)`)
    for (const [type, count] of this.ignoredResults) say(`${count === 1 ? `1 result of type "${type}" is` : `${count} results of type "${type}" are`} not imported (only "labels" regions are)`)
    return warnings
  }
}

/**
 * The annotator an annotation's "completed_by" names: the user's e-mail, else their name, else
 * "Label Studio user N". Undefined when absent (the import's annotator is used).
 */
export function annotatorName(completedBy: unknown): string | undefined | { problem: string } {
  if (completedBy === undefined || completedBy === null) return undefined
  if (typeof completedBy === 'number' && Number.isSafeInteger(completedBy)) return `Label Studio user ${completedBy}`
  if (isPlainRecord(completedBy)) {
    const email = ownField(completedBy, 'email')
    if (typeof email === 'string' && email.trim() !== '') return email.trim()
    const first = ownField(completedBy, 'first_name')
    const last = ownField(completedBy, 'last_name')
    const name = [first, last].filter((part): part is string => typeof part === 'string').join(' ').trim()
    if (name !== '') return name
    const id = ownField(completedBy, 'id')
    if (typeof id === 'number' && Number.isSafeInteger(id)) return `Label Studio user ${id}`
  }
  return { problem: 'must be a user id or a user with an "email", a name or an "id"' }
}
