// INCEpTION's and WebAnno's TSV 3 (3.0-3.3), the named-entity layer
// (de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity, its "value" feature):
//   #FORMAT=WebAnno TSV 3.3
//   #T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value
//   (two empty lines)
//   #Text=Ms. Haag plays Elianti .
//   1-1	0-3	Ms.	*[1]	PER[1]|PERpart[2]
//   1-2	4-8	Haag	*[1]	PER[1]
// Offsets are UTF-16 code units (INCEpTION is Java), so they are Quire's own. "_" is no
// annotation, "*" one without a value, "|" separates stacked annotations and "[N]" ties the
// tokens of one multi-token annotation together. The document text is rebuilt as INCEpTION
// rebuilds it: each sentence's #Text lines (joined by line feeds) at its first token's offset,
// the gap before it filled with spaces, a line feed after it.
import { asUtf16, type Utf16Offset } from '../../shared/model'
import { fileStem, type ForeignDocument } from './foreign-document'
import { ErrorList, numberedLines } from './lines'
import { clip } from './prepared-spans'
import type { FormatError, ParsedSpan, ParseResult } from './types'

export const NAMED_ENTITY_LAYER = 'de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity'

export interface TsvSentence {
  /** UTF-16 offset of the sentence in the text. */
  start: Utf16Offset
  text: string
  line: number
}

export interface ParsedTsvDocument extends ForeignDocument {
  /** Where each sentence sits: a project document holding them all at these offsets is this file's text. */
  sentences: TsvSentence[]
}

export interface TsvParseOptions {
  file: string
}

interface OpenSpan {
  start: number
  end: number
  label: string | null
  line: number
}

/** Reads one WebAnno TSV 3 file (one document). Every problem is reported with its line; apply nothing when there are errors. */
export function parseWebannoTsv(content: string, options: TsvParseOptions): ParseResult<ParsedTsvDocument[]> {
  const { file } = options
  const errors = new ErrorList<FormatError>()
  const warnings: FormatError[] = []
  const error = (line: number, message: string): void => errors.add({ file, line, message })
  const finish = (value: ParsedTsvDocument[]): ParseResult<ParsedTsvDocument[]> => ({
    value: errors.count === 0 ? value : [],
    errors: errors.finish((omitted) => ({ file, line: 0, message: `${omitted} more errors not listed` })),
    warnings
  })
  const lines = [...numberedLines(content)]
  const format = /^#FORMAT=WebAnno TSV (\d+)\.(\d+)\s*$/.exec(lines[0]?.text ?? '')
  if (format === null) {
    error(1, 'not a WebAnno TSV file: the first line must be "#FORMAT=WebAnno TSV 3.x"')
    return finish([])
  }
  if (format[1] !== '3') {
    error(1, `WebAnno TSV ${format[1]}.${format[2]} is not read; export the document as WebAnno TSV 3 (INCEpTION's "WebAnno TSV 3.3")`)
    return finish([])
  }
  const unescapeText = Number(format[2]) >= 2 ? unescapeText32 : unescapeJava

  // The header: one line per layer, each feature one column after the first three.
  let columnCount = 0
  let valueColumn = -1
  const otherLayers: string[] = []
  let index = 1
  for (; index < lines.length; index++) {
    const { text, number } = lines[index] as { text: string; number: number }
    const layer = /^#T_(SP|CH|RL)=([^|]*)(?:\|(.*))?$/.exec(text)
    if (layer === null) break
    const typeName = layer[2] ?? ''
    const features = layer[3] === undefined ? [] : layer[3].split('|')
    if (typeName === NAMED_ENTITY_LAYER && layer[1] === 'SP') {
      const at = features.indexOf('value')
      if (at === -1) error(number, `the named-entity layer declares no "value" feature, which holds the entity type`)
      else valueColumn = columnCount + at
    } else otherLayers.push(typeName.split('.').pop() ?? typeName)
    columnCount += Math.max(1, features.length)
  }
  if (valueColumn === -1 && errors.count === 0) {
    error(lines.length > 1 ? 2 : 1, `the file has no named-entity layer ("#T_SP=${NAMED_ENTITY_LAYER}|value"); export it from INCEpTION with named entities`)
  }
  if (otherLayers.length > 0) warnings.push({ file, line: 2, message: `only named entities are imported; the ${otherLayers.length === 1 ? 'layer' : 'layers'} ${otherLayers.join(', ')} ${otherLayers.length === 1 ? 'is' : 'are'} not` })
  if (errors.count > 0) return finish([])

  let text = ''
  const sentences: TsvSentence[] = []
  let sentenceLines: string[] = []
  let sentenceLine = 0
  let inSentence = false
  let previousEnd = -1
  const spans: OpenSpan[] = []
  const byDisambiguation = new Map<string, OpenSpan>()
  for (; index < lines.length; index++) {
    const { text: lineText, number } = lines[index] as { text: string; number: number }
    if (lineText === '') {
      inSentence = false
      continue
    }
    if (lineText.startsWith('#')) {
      if (inSentence) {
        error(number, 'a sentence header inside a sentence: sentences are separated by an empty line')
        continue
      }
      if (sentenceLines.length === 0) sentenceLine = number
      if (lineText.startsWith('#Text=')) sentenceLines.push(unescapeText(lineText.slice('#Text='.length)))
      continue
    }
    const fields = lineText.split('\t')
    const id = /^(\d+)-(\d+)(?:\.(\d+))?$/.exec(fields[0] ?? '')
    const offsets = /^(\d+)-(\d+)$/.exec(fields[1] ?? '')
    if (id === null || offsets === null || fields.length < 3 + columnCount) {
      error(number, id === null || offsets === null ? `malformed token line ${JSON.stringify(clip(lineText))}: expected "SENTENCE-TOKEN<TAB>BEGIN-END<TAB>TOKEN" and the annotation columns` : `the token line has ${fields.length} columns; the header declares ${3 + columnCount}`)
      continue
    }
    const begin = Number(offsets[1])
    const end = Number(offsets[2])
    if (!inSentence) {
      // The first token of a sentence: place the sentence's text as INCEpTION does.
      if (sentenceLines.length === 0) {
        error(number, 'a token line before any "#Text=" line: each sentence starts with its text')
        continue
      }
      if (text.length === begin + 1 && text.endsWith('\n')) text = text.slice(0, -1)
      if (text.length > begin) {
        error(number, `the sentence starts at ${begin}, inside the previous sentence (which ends at ${text.length - 1})`)
        sentenceLines = []
        continue
      }
      text += ' '.repeat(begin - text.length)
      const sentenceText = sentenceLines.join('\n')
      sentences.push({ start: asUtf16(text.length), text: sentenceText, line: sentenceLine })
      text += `${sentenceText}\n`
      sentenceLines = []
      inSentence = true
      previousEnd = -1
    }
    const token = unescapeText(fields[2] ?? '')
    if (end <= begin || end > text.length - 1) {
      error(number, `the offsets ${begin}-${end} are not inside the sentence`)
      continue
    }
    if (text.slice(begin, end) !== token) {
      error(number, `the token ${JSON.stringify(clip(token))} at ${begin}-${end} does not match the sentence text there, which reads ${JSON.stringify(clip(text.slice(begin, end)))}`)
      continue
    }
    if (id[3] === undefined) {
      if (begin < previousEnd) error(number, `the token at ${begin}-${end} overlaps the previous token`)
      previousEnd = end
    }
    const cell = fields[3 + valueColumn] ?? '_'
    if (cell === '_') continue
    for (const raw of splitStack(cell)) {
      const { value, disambiguation } = splitDisambiguation(raw)
      const label = value === '*' || value === '' ? null : unescapeValue(value)
      if (disambiguation !== null) {
        const open = byDisambiguation.get(disambiguation)
        if (open !== undefined) {
          open.end = Math.max(open.end, end)
          continue
        }
      }
      const span: OpenSpan = { start: begin, end, label, line: number }
      spans.push(span)
      if (disambiguation !== null) byDisambiguation.set(disambiguation, span)
    }
  }
  if (sentenceLines.length > 0 && errors.count === 0) error(sentenceLine, 'the last sentence has no token lines')
  if (sentences.length === 0 && errors.count === 0) error(lines.length, 'the file holds no sentences')

  const parsed: ParsedSpan[] = []
  let unlabelled = 0
  for (const span of spans) {
    if (span.label === null) {
      unlabelled++
      continue
    }
    parsed.push({ start: asUtf16(span.start), end: asUtf16(span.end), label: span.label, text: text.slice(span.start, span.end), line: span.line })
  }
  if (unlabelled > 0) warnings.push({ file, line: 0, message: `${unlabelled === 1 ? '1 named entity has' : `${unlabelled} named entities have`} no value (shown as "*") and ${unlabelled === 1 ? 'is' : 'are'} not imported` })
  return finish([{ name: fileStem(file), text, sentences, spans: parsed, line: 1 }])
}

/** Splits a cell at "|" not escaped by a backslash. */
function splitStack(cell: string): string[] {
  const parts: string[] = []
  let current = ''
  for (let index = 0; index < cell.length; index++) {
    const character = cell[index] as string
    if (character === '\\' && index + 1 < cell.length) {
      current += character + (cell[index + 1] as string)
      index++
    } else if (character === '|') {
      parts.push(current)
      current = ''
    } else current += character
  }
  parts.push(current)
  return parts
}

/** "PER[3]" → PER and 3; an escaped "\[" is part of the value. */
function splitDisambiguation(raw: string): { value: string; disambiguation: string | null } {
  const match = /\[(\d+)\]$/.exec(raw)
  if (match === null) return { value: raw, disambiguation: null }
  const before = raw.slice(0, match.index)
  const backslashes = /\\*$/.exec(before)?.[0].length ?? 0
  return backslashes % 2 === 1 ? { value: raw, disambiguation: null } : { value: before, disambiguation: match[1] as string }
}

const VALUE_ESCAPES: Record<string, string> = { '\\': '\\', '[': '[', ']': ']', '|': '|', _: '_', ';': ';', t: '\t', n: '\n', '*': '*' }

/** A feature value: \\ \[ \] \| \_ \-> \; \t \n \* (INCEpTION's Escaping.unescapeValue). */
export function unescapeValue(value: string): string {
  let result = ''
  for (let index = 0; index < value.length; index++) {
    const character = value[index] as string
    const next = value[index + 1]
    if (character === '\\' && next !== undefined) {
      if (value.startsWith('->', index + 1)) {
        result += '->'
        index += 2
        continue
      }
      const replacement = VALUE_ESCAPES[next]
      if (replacement !== undefined) {
        result += replacement
        index++
        continue
      }
    }
    result += character
  }
  return result
}

const TEXT_ESCAPES: Record<string, string> = { t: '\t', n: '\n', f: '\f', r: '\r', b: '\b', '\\': '\\' }

/** Sentence and token text in TSV 3.2 and later: \t \n \f \r \b \\, and a backslash before any other control character. */
export function unescapeText32(text: string): string {
  let result = ''
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string
    const next = text[index + 1]
    if (character === '\\' && next !== undefined) {
      const replacement = TEXT_ESCAPES[next] ?? (next.charCodeAt(0) < 32 ? next : undefined)
      if (replacement !== undefined) {
        result += replacement
        index++
        continue
      }
    }
    result += character
  }
  return result
}

/** TSV 3.0 and 3.1 escaped text as Java string literals do. */
export function unescapeJava(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|[0-7]{1,3}|[tnfrb'"\\])/g, (_match, escape: string) => {
    if (escape.startsWith('u')) return String.fromCharCode(Number.parseInt(escape.slice(1), 16))
    if (/^[0-7]/.test(escape)) return String.fromCharCode(Number.parseInt(escape, 8))
    return TEXT_ESCAPES[escape] ?? escape
  })
}
