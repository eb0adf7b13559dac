// Sentences and word tokens from Intl.Segmenter, with their UTF-16 offsets in the text.
// Tokens never contain whitespace (formats such as CoNLL separate columns with spaces) and
// punctuation is its own token.
import { asUtf16, type Utf16Offset } from '../shared/model'

export interface TextToken {
  start: Utf16Offset
  end: Utf16Offset
  text: string
}

export interface SentenceTokens {
  start: Utf16Offset
  end: Utf16Offset
  tokens: TextToken[]
}

/** Whitespace as the tokenizer skips it; token-to-text alignment (CoNLL import) must use the same set. */
export const WHITESPACE = /\s/u
const NON_WHITESPACE_RUN = /\S+/gu

export interface SegmentationOptions {
  /** BCP 47 locale for Intl.Segmenter; undefined uses the runtime default. */
  locale?: string
}

/** Word tokens (and punctuation marks) of the text in order, whitespace skipped. */
export function* tokenize(text: string, options: SegmentationOptions = {}): Generator<TextToken> {
  const segmenter = new Intl.Segmenter(options.locale, { granularity: 'word' })
  for (const segment of segmentInWindows(segmenter, text)) {
    if (segment.isWordLike) {
      yield* splitOnWhitespace(segment.segment, segment.index)
      continue
    }
    // Non-word segments are whitespace runs or punctuation; ICU usually yields one mark per
    // segment, but split any run of marks so "?!" gives two tokens everywhere.
    for (const run of splitOnWhitespace(segment.segment, segment.index)) {
      if (isSinglePunctuationRun(run.text)) yield run
      else yield* splitIntoCharacters(run)
    }
  }
}

function* splitOnWhitespace(segmentText: string, segmentStart: number): Generator<TextToken> {
  if (!WHITESPACE.test(segmentText)) {
    yield token(segmentStart, segmentStart + segmentText.length, segmentText)
    return
  }
  for (const match of segmentText.matchAll(NON_WHITESPACE_RUN)) {
    const start = segmentStart + match.index
    yield token(start, start + match[0].length, match[0])
  }
}

// Grapheme boundaries do not depend on the locale; one segmenter serves every call.
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** One grapheme (e.g. an emoji with modifiers, or a mark with its accent) stays one token. */
function isSinglePunctuationRun(runText: string): boolean {
  if (runText.length === 1) return true
  let count = 0
  for (const _ of graphemeSegmenter.segment(runText)) if (++count > 1) return false
  return true
}

function* splitIntoCharacters(run: TextToken): Generator<TextToken> {
  for (const grapheme of graphemeSegmenter.segment(run.text)) {
    const start = run.start + grapheme.index
    yield token(start, start + grapheme.segment.length, grapheme.segment)
  }
}

const token = (start: number, end: number, text: string): TextToken => ({
  start: asUtf16(start),
  end: asUtf16(end),
  text
})

/** Sentence ranges from Intl.Segmenter, trailing whitespace included as the segmenter gives it. */
export function* sentenceRanges(
  text: string,
  options: SegmentationOptions = {}
): Generator<{ start: Utf16Offset; end: Utf16Offset }> {
  const segmenter = new Intl.Segmenter(options.locale, { granularity: 'sentence' })
  for (const segment of segmentInWindows(segmenter, text)) {
    yield { start: asUtf16(segment.index), end: asUtf16(segment.index + segment.segment.length) }
  }
}

/**
 * Sentences with their tokens, each spanning its first token's start to its last token's end;
 * sentences without tokens (whitespace only) are left out. Tokens are assigned by their start
 * offset, so a token the word segmenter lets straddle a sentence boundary stays whole.
 */
export function* segmentSentences(text: string, options: SegmentationOptions = {}): Generator<SentenceTokens> {
  const sentences = sentenceRanges(text, options)
  let sentence = sentences.next()
  let current: SentenceTokens | null = null
  let currentSentenceStart = -1
  for (const nextToken of tokenize(text, options)) {
    while (!sentence.done && nextToken.start >= sentence.value.end) sentence = sentences.next()
    // Past the last sentence (cannot happen with ICU, which covers the whole text): keep adding.
    const sentenceStart = sentence.done ? currentSentenceStart : sentence.value.start
    if (current === null || sentenceStart !== currentSentenceStart) {
      if (current !== null) yield current
      current = { start: nextToken.start, end: nextToken.end, tokens: [] }
      currentSentenceStart = sentenceStart
    }
    current.tokens.push(nextToken)
    current.end = nextToken.end
  }
  if (current !== null) yield current
}

// Intl.Segmenter over a long text, a window at a time. V8's segment iterator slows down
// super-linearly with the length of the string (a 200,000-character text takes tens of
// seconds, a 5 MB one hours), so long texts are segmented in windows of a few thousand
// characters and the results stitched together.

export interface WindowSegment {
  segment: string
  /** UTF-16 offset in the whole text. */
  index: number
  isWordLike: boolean
}

const WINDOW = 4096
// Segments ending this close to a window's cut are not trusted: the segmenter could not see
// what follows them. The next window restarts at the first untrusted segment, which starts on
// a boundary decided with enough context on both sides (UAX #29 rules look a few characters
// around a boundary; only pathological runs of hundreds of combining marks or closing
// punctuation could differ).
const TRUSTED_MARGIN = 256

export function* segmentInWindows(segmenter: Intl.Segmenter, text: string): Generator<WindowSegment> {
  let windowStart = 0
  let windowSize = WINDOW
  while (windowStart < text.length) {
    let windowEnd = Math.min(text.length, windowStart + windowSize)
    // Never cut between the two halves of a surrogate pair.
    if (windowEnd < text.length && isLowSurrogate(text.charCodeAt(windowEnd)) && isHighSurrogate(text.charCodeAt(windowEnd - 1))) {
      windowEnd--
    }
    const isLastWindow = windowEnd === text.length
    let resumeAt = windowEnd
    for (const segment of segmenter.segment(text.slice(windowStart, windowEnd))) {
      const index = windowStart + segment.index
      if (!isLastWindow && index + segment.segment.length > windowEnd - TRUSTED_MARGIN) {
        resumeAt = index
        break
      }
      yield { segment: segment.segment, index, isWordLike: segment.isWordLike === true }
    }
    if (isLastWindow) return
    if (resumeAt === windowStart) {
      // One segment fills the whole window (a very long "sentence" or word): widen and retry.
      windowSize *= 2
      continue
    }
    windowStart = resumeAt
    windowSize = WINDOW
  }
}

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff
