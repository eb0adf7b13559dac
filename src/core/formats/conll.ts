// CoNLL-2003 style: one token per line in four space-separated columns
//   TOKEN -X- _ TAG
// (word, part of speech "-X-" = none, chunk "_" = none, named-entity tag), sentences separated
// by a blank line, each document opened by "-DOCSTART- -X- -X- O" and a blank line. Readers
// that take the first column as the word and the last as the tag (CoNLL-2003 loaders, spaCy's
// `convert`, seqeval) read it as is. NE tags are IOB2 by default, IOB1 or BIOES on request.
//
// Tokens and sentences come from Intl.Segmenter (src/core/segmentation.ts); control and
// line-breaking characters (\x00-\x1f, \x7f-\x9f: \f \v \x1c-\x1f \x85 among them; U+2028 and
// U+2029 are whitespace already) are whitespace between tokens, never a token or part of one,
// so no reader splits a line or its columns on them. What CoNLL cannot
// hold is changed and reported: overlapping or nested spans keep the longest (ties: earliest
// start, then tag order), spans not on token boundaries grow to the tokens they touch, and
// sentences that a span crosses are written as one sentence (a blank line would end the span).
//
// CoNLL loses whitespace and document names, so the parser needs the project's texts, in the
// order the documents appear in the file, and lays the tokens back onto each text in order.
import { asUtf16 } from '../../shared/model'
import { createOffsetConverter } from '../offsets'
import { segmentSentences, type SegmentationOptions, type TextToken } from '../segmentation'
import { TOKEN_SEPARATOR } from './breaking-characters'
import { plural } from '../quantities'
import { ExportTally } from './export-tally'
import { ErrorList, numberedLines, type NumberedLine } from './lines'
import { keepLongestNonOverlapping } from './overlaps'
import { clip, DEFAULT_LABEL_ORDER, prepareSpans, type PreparedSpan } from './prepared-spans'
import type { ExportDocument, ExportGenerator, ExportOptions, FormatError, ParsedSpan, ParseResult } from './types'

export type ConllScheme = 'IOB1' | 'IOB2' | 'BIOES'
export const CONLL_SCHEMES: readonly ConllScheme[] = ['IOB1', 'IOB2', 'BIOES']

export const DOCSTART_LINE = '-DOCSTART- -X- -X- O'

export interface ConllExportOptions extends ExportOptions, SegmentationOptions {
  /** Default IOB2. */
  scheme?: ConllScheme
  /** Tag order for breaking ties between overlapping spans of equal length. */
  labelOrder?: readonly string[]
}

interface TokenSpan {
  start: number
  end: number
  label: string
  firstToken: number
  lastToken: number
}

export function* exportConll(documents: Iterable<ExportDocument>, options: ConllExportOptions = {}): ExportGenerator {
  const scheme = options.scheme ?? 'IOB2'
  const tally = new ExportTally(options)
  for (const document of documents) {
    let sentences = [...segmentSentences(document.text, options)]
    // One scan of the text spares the per-token check in the usual text without controls.
    if (CONTROL_CHARACTER.test(document.text)) {
      sentences = sentences.map((sentence) => ({ ...sentence, tokens: withoutSeparators(sentence.tokens) })).filter((sentence) => sentence.tokens.length > 0)
    }
    const tokens = sentences.flatMap((sentence) => sentence.tokens)
    const prepared = prepareSpans(document, createOffsetConverter(document.text), tally, options.labelOrder)
    const kept = representableSpans(document, prepared, tokens, tally, options.labelOrder ?? DEFAULT_LABEL_ORDER)
    const tags = tagTokens(tokens.length, kept, scheme)
    const lines: string[] = [DOCSTART_LINE, '']
    // Sentence boundaries inside a span are dropped: the span's sentences are written as one.
    const insideSpan = new Uint8Array(tokens.length)
    for (const span of kept) insideSpan.fill(1, span.firstToken + 1, span.lastToken + 1)
    let tokenIndex = 0
    for (const sentence of sentences) {
      if (tokenIndex > 0 && insideSpan[tokenIndex] !== 1) lines.push('')
      for (const token of sentence.tokens) {
        lines.push(`${token.text} -X- _ ${tags[tokenIndex] as string}`)
        tokenIndex++
      }
    }
    if (tokenIndex > 0) lines.push('')
    tally.document()
    tally.written(kept.length)
    yield `${lines.join('\n')}\n`
  }
  return tally.result()
}

const TOKEN_PIECE = /[^\s\u0000-\u001f\u007f-\u009f]+/gu
/** The token separators that are not JavaScript whitespace (which the tokenizer skips already). */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/

/**
 * The tokens with every control or line-breaking character taken out as whitespace between
 * tokens (TOKEN_SEPARATOR): Python readers split lines at \x1c-\x1e, \x85, \v, \f and columns
 * at \x1f too, so such a character inside or as a token would break the line or its columns.
 */
function withoutSeparators(tokens: readonly TextToken[]): TextToken[] {
  if (!tokens.some((token) => TOKEN_SEPARATOR.test(token.text))) return tokens as TextToken[]
  const pieces: TextToken[] = []
  for (const token of tokens) {
    if (!TOKEN_SEPARATOR.test(token.text)) {
      pieces.push(token)
      continue
    }
    for (const piece of token.text.matchAll(TOKEN_PIECE)) {
      const start = token.start + piece.index
      pieces.push({ start: asUtf16(start), end: asUtf16(start + piece[0].length), text: piece[0] })
    }
  }
  return pieces
}

function representableSpans(
  document: ExportDocument,
  spans: readonly PreparedSpan[],
  tokens: readonly TextToken[],
  tally: ExportTally,
  labelOrder: readonly string[]
): TokenSpan[] {
  const aligned: TokenSpan[] = []
  let expanded = 0
  for (const span of spans) {
    if (/\s/u.test(span.label)) {
      tally.dropped()
      tally.warn(document.id, `span ${JSON.stringify(clip(span.text))}: label ${JSON.stringify(span.label)} contains whitespace, which CoNLL columns cannot hold; left out`)
      continue
    }
    const firstToken = countTokens(tokens, (token) => token.end <= span.start)
    const lastToken = countTokens(tokens, (token) => token.start < span.end) - 1
    const first = tokens[firstToken]
    const last = tokens[lastToken]
    if (first === undefined || last === undefined || lastToken < firstToken || first.start >= span.end) {
      tally.dropped()
      tally.warn(document.id, `${span.label} span at ${span.start}-${span.end} covers no token (only whitespace); left out`)
      continue
    }
    if (first.start !== span.start || last.end !== span.end) expanded++
    aligned.push({ start: first.start, end: last.end, label: span.label, firstToken, lastToken })
  }
  if (expanded > 0) {
    tally.adjusted(expanded)
    tally.warn(document.id, `${plural(expanded, 'span')} did not start or end on a token boundary and ${expanded === 1 ? 'was' : 'were'} expanded to the tokens ${expanded === 1 ? 'it touches' : 'they touch'}`)
  }
  const { kept, dropped } = keepLongestNonOverlapping(aligned, labelOrder)
  if (dropped.length > 0) {
    tally.dropped(dropped.length)
    const examples = dropped.slice(0, 5).map((span) => `${span.label} ${JSON.stringify(clip(document.text.slice(span.start, span.end), 30))}`)
    tally.warn(
      document.id,
      `${plural(dropped.length, 'overlapping span')} left out (CoNLL cannot nest; the longest was kept): ${examples.join(', ')}${dropped.length > 5 ? ', …' : ''}`
    )
  }
  return kept.sort((a, b) => a.start - b.start)
}

/** How many leading tokens satisfy `isBefore` (which must hold for a prefix of the tokens). */
function countTokens(tokens: readonly TextToken[], isBefore: (token: TextToken) => boolean): number {
  let low = 0
  let high = tokens.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (isBefore(tokens[middle] as TextToken)) low = middle + 1
    else high = middle
  }
  return low
}

function tagTokens(tokenCount: number, spans: readonly TokenSpan[], scheme: ConllScheme): string[] {
  const tags = new Array<string>(tokenCount).fill('O')
  let previous: TokenSpan | undefined
  for (const span of spans) {
    const single = span.firstToken === span.lastToken
    for (let index = span.firstToken; index <= span.lastToken; index++) {
      let prefix = 'I'
      if (scheme === 'IOB2' && index === span.firstToken) prefix = 'B'
      if (scheme === 'IOB1' && index === span.firstToken && previous?.lastToken === index - 1 && previous.label === span.label) prefix = 'B'
      if (scheme === 'BIOES') {
        if (single) prefix = 'S'
        else if (index === span.firstToken) prefix = 'B'
        else if (index === span.lastToken) prefix = 'E'
      }
      tags[index] = `${prefix}-${span.label}`
    }
    previous = span
  }
  return tags
}

export interface ConllTargetDocument {
  id: string
  text: string
}

export interface ConllParseOptions {
  /** The CoNLL file's name, for error messages. */
  file: string
  /** The project's documents, in the order they appear in the file. */
  documents: readonly ConllTargetDocument[]
  /** Tagging scheme; default "auto": BIOES if S-/E- tags appear, IOB1 if an entity starts with I-, else IOB2. */
  scheme?: ConllScheme | 'auto'
  /** Allowed labels; undefined accepts any. */
  knownLabels?: readonly string[]
}

export interface ParsedConllDocument {
  documentId: string
  spans: ParsedSpan[]
}

interface TokenLine {
  token: string
  prefix: 'B' | 'I' | 'E' | 'S' | 'O'
  label: string
  line: number
  /** True for the first token of a sentence. */
  sentenceStart: boolean
}

interface DocumentBlock {
  tokens: TokenLine[]
  line: number
  /** Lines of this document already reported as unreadable: aligning it would only add noise. */
  unreadableLines: number
}

const TAG = /^([BIES])-(\S+)$/

/**
 * Rebuilds spans from a CoNLL file against the project's texts. Every line is checked; a
 * document whose tokens do not match its text gets an error at the first line that differs.
 */
export function parseConll(content: string, options: ConllParseOptions): ParseResult<ParsedConllDocument[]> {
  const errors = new ErrorList<FormatError>()
  const error = (line: number, message: string): void => errors.add({ file: options.file, line, message })
  const blocks = readBlocks(content, options, error)
  const finish = (value: ParsedConllDocument[]): ParseResult<ParsedConllDocument[]> => ({
    value,
    errors: errors.finish((omitted) => ({ file: options.file, line: 0, message: `${omitted} more errors not listed` })),
    warnings: []
  })
  if (blocks.length !== options.documents.length) {
    error(0, `the file has ${plural(blocks.length, 'document')} but ${plural(options.documents.length, 'text')} ${options.documents.length === 1 ? 'was' : 'were'} given to match them against`)
    return finish([])
  }
  const scheme = options.scheme === undefined || options.scheme === 'auto' ? detectScheme(blocks) : options.scheme
  const documents: ParsedConllDocument[] = []
  blocks.forEach((block, index) => {
    const target = options.documents[index] as ConllTargetDocument
    const before = errors.count
    if (block.unreadableLines > 0) return
    checkScheme(block.tokens, scheme, error)
    const offsets = alignTokens(block, target, error)
    if (offsets === null || errors.count > before) return
    documents.push({ documentId: target.id, spans: decodeSpans(block.tokens, offsets, target.text) })
  })
  return finish(documents)
}

/**
 * Splits a CoNLL file into its -DOCSTART- blocks; tokens before any marker form a block too (a
 * file holding one document without the marker). Blank lines end sentences. `readToken` takes
 * each other line of a block and says whether it was read: a refused line does not open the
 * sentence. The parser and the import's document matching both split files through this.
 */
export function splitConllBlocks<Block>(
  content: string,
  startBlock: (line: number) => Block,
  readToken: (block: Block, columns: string[], line: NumberedLine, sentenceStart: boolean) => boolean
): Block[] {
  const blocks: Block[] = []
  let current: Block | null = null
  let sentenceStart = true
  for (const line of numberedLines(content)) {
    const columns = line.text.trim().split(/[ \t]+/)
    if (columns[0] === '') {
      sentenceStart = true
      continue
    }
    if (columns[0] === '-DOCSTART-') {
      current = startBlock(line.number)
      blocks.push(current)
      sentenceStart = true
      continue
    }
    if (current === null) {
      current = startBlock(line.number)
      blocks.push(current)
    }
    if (readToken(current, columns, line, sentenceStart)) sentenceStart = false
  }
  return blocks
}

function readBlocks(content: string, options: ConllParseOptions, reportError: (line: number, message: string) => void): DocumentBlock[] {
  return splitConllBlocks(
    content,
    (line): DocumentBlock => ({ tokens: [], line, unreadableLines: 0 }),
    (block, columns, { text, number }, sentenceStart) => {
      if (columns.length < 2) {
        block.unreadableLines++
        reportError(number, `expected a token and a tag separated by a space, found ${JSON.stringify(clip(text))}`)
        return false
      }
      const token = columns[0] as string
      const tag = columns[columns.length - 1] as string
      const match = TAG.exec(tag)
      if (tag !== 'O' && match === null) {
        block.unreadableLines++
        reportError(number, `tag ${JSON.stringify(clip(tag))} is not O or B-/I-/E-/S- followed by a label`)
        return false
      }
      const label = match?.[2] ?? ''
      if (match !== null && options.knownLabels !== undefined && !options.knownLabels.includes(label)) {
        block.unreadableLines++
        reportError(number, `unknown label ${JSON.stringify(clip(label))} (known: ${options.knownLabels.join(', ')})`)
        return false
      }
      const prefix = (match?.[1] ?? 'O') as TokenLine['prefix']
      block.tokens.push({ token, prefix, label, line: number, sentenceStart })
      return true
    }
  )
}

function continuesEntity(previous: TokenLine | undefined, token: TokenLine): boolean {
  return previous !== undefined && !token.sentenceStart && previous.prefix !== 'O' && previous.label === token.label
}

function detectScheme(blocks: readonly DocumentBlock[]): ConllScheme {
  let startsWithInside = false
  for (const block of blocks) {
    let previous: TokenLine | undefined
    for (const token of block.tokens) {
      if (token.prefix === 'S' || token.prefix === 'E') return 'BIOES'
      if (token.prefix === 'I' && !continuesEntity(previous, token)) startsWithInside = true
      previous = token
    }
  }
  return startsWithInside ? 'IOB1' : 'IOB2'
}

function checkScheme(tokens: readonly TokenLine[], scheme: ConllScheme, error: (line: number, message: string) => void): void {
  let previous: TokenLine | undefined
  for (const token of tokens) {
    const continues = continuesEntity(previous, token)
    const previousOpen = previous !== undefined && (previous.prefix === 'B' || previous.prefix === 'I')
    if (scheme === 'BIOES') {
      if (previousOpen && !(continues && (token.prefix === 'I' || token.prefix === 'E'))) {
        error(token.line, `BIOES: the ${previous?.label} entity opened on line ${previous?.line} is not closed with E-${previous?.label} before this line`)
      } else if ((token.prefix === 'I' || token.prefix === 'E') && !continues) {
        error(token.line, `BIOES: ${token.prefix}-${token.label} does not continue a ${token.label} entity (entities start with B- or S-)`)
      }
    } else if (token.prefix === 'S' || token.prefix === 'E') {
      error(token.line, `${scheme} has no ${token.prefix}- tags (use the BIOES scheme)`)
    } else if (scheme === 'IOB2' && token.prefix === 'I' && !continues) {
      error(token.line, `IOB2: I-${token.label} does not continue a ${token.label} entity (IOB2 entities start with B-)`)
    }
    previous = token
  }
  const last = tokens[tokens.length - 1]
  if (scheme === 'BIOES' && last !== undefined && (last.prefix === 'B' || last.prefix === 'I')) {
    error(last.line, `BIOES: the ${last.label} entity is not closed with E-${last.label} at the end of the document`)
  }
}

/** Start offset of every token in the text, or null after reporting the first token that does not match. */
function alignTokens(block: DocumentBlock, target: ConllTargetDocument, error: (line: number, message: string) => void): number[] | null {
  const text = target.text
  const starts: number[] = []
  let position = 0
  for (const token of block.tokens) {
    position = skipWhitespace(text, position)
    if (!text.startsWith(token.token, position)) {
      const found = position >= text.length ? 'the end of the text' : JSON.stringify(clip(text.slice(position, position + Math.max(token.token.length, 10)), 30))
      error(token.line, `token ${JSON.stringify(clip(token.token, 30))} does not match document ${JSON.stringify(target.id)} at offset ${position}, which reads ${found}`)
      return null
    }
    starts.push(position)
    position += token.token.length
  }
  const rest = skipWhitespace(text, position)
  if (rest < text.length) {
    error(block.tokens[block.tokens.length - 1]?.line ?? block.line, `document ${JSON.stringify(target.id)} continues after the last token (at offset ${rest}: ${JSON.stringify(clip(text.slice(rest, rest + 30)))}); the file does not hold this text`)
    return null
  }
  return starts
}

function skipWhitespace(text: string, from: number): number {
  let position = from
  while (position < text.length) {
    // Whole code points, so a whitespace test never sees half a surrogate pair.
    const character = String.fromCodePoint(text.codePointAt(position) as number)
    if (!TOKEN_SEPARATOR.test(character)) break
    position += character.length
  }
  return position
}

function decodeSpans(tokens: readonly TokenLine[], starts: readonly number[], text: string): ParsedSpan[] {
  const spans: ParsedSpan[] = []
  let open: { first: number; last: number; label: string } | null = null
  const close = (): void => {
    if (open === null) return
    const start = asUtf16(starts[open.first] as number)
    const end = asUtf16((starts[open.last] as number) + (tokens[open.last] as TokenLine).token.length)
    spans.push({ start, end, label: open.label, text: text.slice(start, end), line: (tokens[open.first] as TokenLine).line })
    open = null
  }
  tokens.forEach((token, index) => {
    if (token.sentenceStart) close()
    const continues: boolean = open !== null && open.label === token.label
    if (token.prefix === 'O') close()
    else if (token.prefix === 'B' || token.prefix === 'S' || !continues) {
      close()
      open = { first: index, last: index, label: token.label }
    } else if (open !== null) open.last = index
    if (token.prefix === 'S' || token.prefix === 'E') close()
  })
  close()
  return spans
}
