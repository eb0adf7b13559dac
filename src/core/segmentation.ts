// Sentences and word tokens from Intl.Segmenter, with their UTF-16 offsets in the text.
// Tokens never contain whitespace (formats such as CoNLL separate columns with spaces) and
// punctuation is its own token.
import { asUtf16, type Utf16Offset } from '../shared/model'
import { isHighSurrogate, isLowSurrogate } from './surrogates'

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
  // V8's word segmenter costs about 2 µs per segment (CoNLL export of a 35 MB corpus spent
  // 30 s in it), so runs of plain text (ASCII, and letters of alphabetic scripts), where the
  // UAX #29 rules are a handful of cases, are split here; everything else (marks, emoji,
  // other scripts, "_") still goes through Intl.Segmenter. Separators always
  // break on both sides, so each region can be segmented on its own; a region handed to the
  // segmenter starts at the separator before it, which a combining mark could attach to.
  const segmenter = new Intl.Segmenter(options.locale, { granularity: 'word' })
  // The plain-run rules below are the root locale's; a tailored locale gets the segmenter alone.
  if (options.locale !== undefined) {
    yield* tokenizeWithSegmenter(segmenter, text, 0, text.length)
    return
  }
  const units = new PlainUnits()
  let segmenterRegionStart = -1
  let segmenterRegionEnd = -1
  for (const run of text.matchAll(SEPARATED_RUN)) {
    const runStart = run.index
    const runEnd = runStart + run[0].length
    if (!readPlainUnits(units, text, runStart, runEnd)) {
      if (segmenterRegionStart < 0) segmenterRegionStart = Math.max(0, runStart - 1)
      segmenterRegionEnd = runEnd
      continue
    }
    if (segmenterRegionStart >= 0) {
      yield* tokenizeWithSegmenter(segmenter, text, segmenterRegionStart, segmenterRegionEnd)
      segmenterRegionStart = -1
    }
    yield* tokenizePlainUnits(units, text, runEnd)
  }
  if (segmenterRegionStart >= 0) yield* tokenizeWithSegmenter(segmenter, text, segmenterRegionStart, segmenterRegionEnd)
}

/** The root locale's word segmenter: one serves every call (segment() keeps no state in it). */
const rootWordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' })

/**
 * The offsets of tokenize(text)'s tokens (root locale), given to `visit` in order, without the
 * token objects, their texts or any generator: agreement reads 10,000 documents' tokens this
 * way at about half the cost. Not re-entrant: `visit` must not call it.
 */
export function forEachTokenRange(text: string, visit: (start: number, end: number) => void): void {
  const units = plainUnitsScratch
  let segmenterRegionStart = -1
  let segmenterRegionEnd = -1
  let index = 0
  while (index < text.length) {
    // The runs SEPARATED_RUN matches, found by hand.
    while (index < text.length && isSeparator(text.charCodeAt(index))) index++
    if (index === text.length) break
    const runStart = index
    while (index < text.length && !isSeparator(text.charCodeAt(index))) index++
    const runEnd = index
    if (!readPlainUnits(units, text, runStart, runEnd)) {
      if (segmenterRegionStart < 0) segmenterRegionStart = Math.max(0, runStart - 1)
      segmenterRegionEnd = runEnd
      continue
    }
    if (segmenterRegionStart >= 0) {
      for (const token of tokenizeWithSegmenter(rootWordSegmenter, text, segmenterRegionStart, segmenterRegionEnd)) visit(token.start, token.end)
      segmenterRegionStart = -1
    }
    const count = plainTokenStarts(units)
    for (let token = 0; token < count; token++) visit(units.tokenStarts[token] as number, token + 1 < count ? (units.tokenStarts[token + 1] as number) : runEnd)
  }
  if (segmenterRegionStart >= 0) {
    for (const token of tokenizeWithSegmenter(rootWordSegmenter, text, segmenterRegionStart, segmenterRegionEnd)) visit(token.start, token.end)
  }
}

/** Space, tab, LF, VT, FF, CR: what SEPARATED_RUN leaves out. */
function isSeparator(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d)
}

/** Word tokens of the whole text by Intl.Segmenter alone: the reference the fast path is tested against. */
export function* tokenizeWithIntlSegmenter(text: string, options: SegmentationOptions = {}): Generator<TextToken> {
  yield* tokenizeWithSegmenter(new Intl.Segmenter(options.locale, { granularity: 'word' }), text, 0, text.length)
}

function* tokenizeWithSegmenter(segmenter: Intl.Segmenter, text: string, regionStart: number, regionEnd: number): Generator<TextToken> {
  const region = regionStart === 0 && regionEnd === text.length ? text : text.slice(regionStart, regionEnd)
  for (const segment of segmentInWindows(segmenter, region)) {
    const segmentStart = regionStart + segment.index
    if (segment.isWordLike) {
      yield* splitOnWhitespace(segment.segment, segmentStart)
      continue
    }
    // Non-word segments are whitespace runs or punctuation; ICU usually yields one mark per
    // segment, but split any run of marks so "?!" gives two tokens everywhere.
    for (const run of splitOnWhitespace(segment.segment, segmentStart)) {
      if (isSinglePunctuationRun(run.text)) yield run
      else yield* splitIntoCharacters(run)
    }
  }
}

// Characters UAX #29 always breaks before and after (WSegSpace, Newline, CR, LF, and tab,
// which is Other); a combining mark after one is the only thing that joins it, hence the
// one-character lead-in of a segmenter region.
const SEPARATED_RUN = /[^ \t\n\v\f\r]+/g
/**
 * Letters UAX #29 gives the ALetter class with no further rules: those of alphabetic scripts
 * (not Hebrew, whose quotes join words, nor scripts ICU splits with dictionaries). Each one is
 * checked against Intl.Segmenter in every context the plain-run rules use (segmentation test).
 */
export const PLAIN_LETTER = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Arabic}]$/u
const LETTER_CLASS_UNKNOWN = 0
const LETTER_CLASS_PLAIN = 1
const LETTER_CLASS_OTHER = 2
/** Filled on first sight of each BMP code unit; letters outside the BMP go to the segmenter. */
const bmpLetterClass = new Uint8Array(0x10000)

function isPlainLetter(code: number): boolean {
  let letterClass = bmpLetterClass[code]
  if (letterClass === LETTER_CLASS_UNKNOWN) {
    const character = String.fromCharCode(code)
    letterClass = /\p{L}/u.test(character) && PLAIN_LETTER.test(character) ? LETTER_CLASS_PLAIN : LETTER_CLASS_OTHER
    bmpLetterClass[code] = letterClass
  }
  return letterClass === LETTER_CLASS_PLAIN
}

// A plain run is read as units: a base character (printable ASCII but "_", a plain letter,
// an emoji or a regional indicator) with the marks that follow it, which UAX #29 (WB4) makes
// transparent: a unit acts as its base. "_" is left out because ICU treats ExtendNumLet runs
// inconsistently ("_" is punctuation, "__" a word); ZWJ sequences (WB3c), a mark opening a
// run (it joins the separator before it) or following a regional indicator (ICU then breaks
// the pair), and everything else go to the segmenter.
const enum PlainWordClass {
  Letter,
  Digit,
  /** ":" (MidLetter) joins letters only. */
  MidLetter,
  /** "." and "'" (MidNumLet, Single_Quote) join letters or digits. */
  MidNumLet,
  /** "," and ";" (MidNum) join digits only. */
  MidNum,
  /** Pairs with the next one into a flag (WB15, WB16). */
  RegionalIndicator,
  Other
}

/** A run's units: where each starts (UTF-16 offset) and its class; reused from run to run. */
class PlainUnits {
  starts = new Int32Array(64)
  classes = new Uint8Array(64)
  count = 0
  /** Where the run's tokens start (plainTokenStarts): never more than its units. */
  tokenStarts = new Int32Array(64)

  push(start: number, wordClass: PlainWordClass): void {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2)
      starts.set(this.starts)
      this.starts = starts
      const classes = new Uint8Array(this.count * 2)
      classes.set(this.classes)
      this.classes = classes
      this.tokenStarts = new Int32Array(this.count * 2)
    }
    this.starts[this.count] = start
    this.classes[this.count] = wordClass
    this.count++
  }

  classAt(unit: number): PlainWordClass {
    return unit >= 0 && unit < this.count ? (this.classes[unit] as PlainWordClass) : PlainWordClass.Other
  }

  lastClass(): PlainWordClass | null {
    return this.count === 0 ? null : (this.classes[this.count - 1] as PlainWordClass)
  }
}

/** forEachTokenRange's units, reused from run to run and call to call. */
const plainUnitsScratch = new PlainUnits()

/** Reads the run into units; false when some part of it needs the segmenter. */
function readPlainUnits(units: PlainUnits, text: string, runStart: number, runEnd: number): boolean {
  units.count = 0
  for (let index = runStart; index < runEnd; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x80) {
      if (code === 0x5f || code < 0x21 || code > 0x7e) return false
      units.push(index, asciiWordClass(code))
    } else if (isTransparentMark(code)) {
      if (units.lastClass() === null || units.lastClass() === PlainWordClass.RegionalIndicator) return false
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const codePoint = text.codePointAt(index) as number
      if (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) {
        // Skin-tone modifiers are Extend too.
        if (units.lastClass() === null || units.lastClass() === PlainWordClass.RegionalIndicator) return false
      } else if (codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff) {
        units.push(index, PlainWordClass.RegionalIndicator)
      } else if (codePoint >= 0x1f300 && isAstralEmoji(codePoint)) {
        // Only from U+1F300: below it some pictographs are letters to UAX #29 (squared 🅰).
        units.push(index, PlainWordClass.Other)
      } else {
        return false
      }
      index++ // the low surrogate
    } else if (isPlainLetter(code)) {
      units.push(index, PlainWordClass.Letter)
    } else {
      return false
    }
  }
  return true
}

/** Combining diacritics and variation selectors: Extend in UAX #29, never a base. */
function isTransparentMark(code: number): boolean {
  return (code >= 0x300 && code <= 0x36f) || (code >= 0xfe00 && code <= 0xfe0f)
}

const EMOJI = /^\p{Extended_Pictographic}$/u
const astralEmojiCache = new Map<number, boolean>()

function isAstralEmoji(codePoint: number): boolean {
  let known = astralEmojiCache.get(codePoint)
  if (known === undefined) {
    known = EMOJI.test(String.fromCodePoint(codePoint))
    astralEmojiCache.set(codePoint, known)
  }
  return known
}

function asciiWordClass(code: number): PlainWordClass {
  if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return PlainWordClass.Letter
  if (code >= 0x30 && code <= 0x39) return PlainWordClass.Digit
  if (code === 0x3a) return PlainWordClass.MidLetter
  if (code === 0x2e || code === 0x27) return PlainWordClass.MidNumLet
  if (code === 0x2c || code === 0x3b) return PlainWordClass.MidNum
  return PlainWordClass.Other
}

// The helpers below are module functions, not closures: they run once per character, and
// tsx (the CLI and benchmarks) wraps every closure it creates in a naming call.

/** The run's tokens, from the units readPlainUnits found. */
function* tokenizePlainUnits(units: PlainUnits, text: string, runEnd: number): Generator<TextToken> {
  const count = plainTokenStarts(units)
  for (let index = 0; index < count; index++) {
    const start = units.tokenStarts[index] as number
    const end = index + 1 < count ? (units.tokenStarts[index + 1] as number) : runEnd
    yield token(start, end, text.slice(start, end))
  }
}

/**
 * UAX #29 word boundaries between the units readPlainUnits found (WB4–WB16; WB999 elsewhere):
 * writes where each token starts into units.tokenStarts (the first at the first unit) and
 * returns how many there are; each ends where the next starts, the last at the run's end.
 */
function plainTokenStarts(units: PlainUnits): number {
  let count = 0
  units.tokenStarts[count++] = units.starts[0] as number
  let indicatorsBefore = units.classAt(0) === PlainWordClass.RegionalIndicator ? 1 : 0
  for (let unit = 1; unit < units.count; unit++) {
    const before = units.classAt(unit - 1)
    const here = units.classAt(unit)
    const joined =
      before === PlainWordClass.RegionalIndicator && here === PlainWordClass.RegionalIndicator
        ? indicatorsBefore % 2 === 1
        : !plainWordBreak(units.classAt(unit - 2), before, here, units.classAt(unit + 1))
    indicatorsBefore = here !== PlainWordClass.RegionalIndicator ? 0 : before === PlainWordClass.RegionalIndicator ? indicatorsBefore + 1 : 1
    if (!joined) units.tokenStarts[count++] = units.starts[unit] as number
  }
  return count
}

function plainWordBreak(twoBefore: PlainWordClass, before: PlainWordClass, here: PlainWordClass, after: PlainWordClass): boolean {
  if (isAlphanumeric(before) && isAlphanumeric(here)) return false // WB5, WB8, WB9, WB10
  if (before === PlainWordClass.Letter && joinsLetters(here) && after === PlainWordClass.Letter) return false // WB6
  if (twoBefore === PlainWordClass.Letter && joinsLetters(before) && here === PlainWordClass.Letter) return false // WB7
  if (before === PlainWordClass.Digit && joinsDigits(here) && after === PlainWordClass.Digit) return false // WB12
  if (twoBefore === PlainWordClass.Digit && joinsDigits(before) && here === PlainWordClass.Digit) return false // WB11
  return true
}

function isAlphanumeric(wordClass: PlainWordClass): boolean {
  return wordClass === PlainWordClass.Letter || wordClass === PlainWordClass.Digit
}
function joinsLetters(wordClass: PlainWordClass): boolean {
  return wordClass === PlainWordClass.MidLetter || wordClass === PlainWordClass.MidNumLet
}
function joinsDigits(wordClass: PlainWordClass): boolean {
  return wordClass === PlainWordClass.MidNum || wordClass === PlainWordClass.MidNumLet
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
