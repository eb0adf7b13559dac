// Turns a rough selection into the span an editor meant: whole words, no stray spaces or
// punctuation, never half a grapheme. Offsets are UTF-16 code units throughout.

export interface SnapOptions {
  /** Keep the selection as made (Alt held); only widen it to whole grapheme clusters. */
  exact?: boolean
  /** Locale for word segmentation, e.g. "az" or "ar". Defaults to the runtime locale. */
  locale?: string
}

export interface OffsetRange {
  start: number
  end: number
}

interface Segmenters {
  word: Intl.Segmenter
  grapheme: Intl.Segmenter
}

const segmentersByLocale = new Map<string, Segmenters>()

function segmentersFor(locale: string | undefined): Segmenters {
  const key = locale ?? ''
  let segmenters = segmentersByLocale.get(key)
  if (!segmenters) {
    segmenters = {
      word: new Intl.Segmenter(locale, { granularity: 'word' }),
      grapheme: new Intl.Segmenter(locale, { granularity: 'grapheme' })
    }
    segmentersByLocale.set(key, segmenters)
  }
  return segmenters
}

// Segmenting a whole 5 MB document for one selection would be wasteful, so work on a window.
// The window edges sit just before whitespace: neither words nor grapheme clusters (flag
// pairs included) continue across whitespace, so segmenting the window gives the same
// boundaries as segmenting the whole text.
const WINDOW_SEARCH_LIMIT = 8192

function isWhitespaceCode(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0x0c || code === 0x0b
}

interface TextWindow {
  offset: number
  text: string
}

function windowAround(text: string, start: number, end: number): TextWindow {
  let windowStart = start
  const lowestStart = Math.max(0, start - WINDOW_SEARCH_LIMIT)
  while (windowStart > lowestStart && !isWhitespaceCode(text.charCodeAt(windowStart - 1))) windowStart--
  if (windowStart > 0) windowStart-- // include the whitespace so the window starts before it
  let windowEnd = end
  const highestEnd = Math.min(text.length, end + WINDOW_SEARCH_LIMIT)
  while (windowEnd < highestEnd && !isWhitespaceCode(text.charCodeAt(windowEnd))) windowEnd++
  return { offset: windowStart, text: text.slice(windowStart, windowEnd) }
}

const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u
const NON_WHITESPACE = /\S/u
// "U.S" segments as one word; its closing period belongs to the abbreviation.
const DOTTED_ABBREVIATION = /^(?:\p{L}\.)+\p{L}$/u

function isWordy(segment: Intl.SegmentData): boolean {
  return segment.isWordLike === true || LETTER_OR_NUMBER.test(segment.segment)
}

function segmentEnd(segment: Intl.SegmentData): number {
  return segment.index + segment.segment.length
}

function clampRange(text: string, start: number, end: number): OffsetRange {
  const low = Math.max(0, Math.min(start, end, text.length))
  const high = Math.min(text.length, Math.max(start, end, 0))
  return { start: Number.isFinite(low) ? low : 0, end: Number.isFinite(high) ? high : 0 }
}

/**
 * Snaps a selection to whole words and trims whitespace and punctuation around it, keeping
 * punctuation inside ("al-Malik", "co-operation", "U.S."). Returns null when nothing word-like
 * is selected. With `exact`, the selected characters are kept, widened only to whole grapheme
 * clusters; a selection of only whitespace is still null.
 */
export function snapToWords(text: string, start: number, end: number, options: SnapOptions = {}): OffsetRange | null {
  const range = clampRange(text, start, end)
  if (range.start === range.end) return null
  const window = windowAround(text, range.start, range.end)
  let from = range.start - window.offset
  let to = range.end - window.offset
  const segmenters = segmentersFor(options.locale)

  if (options.exact) {
    const graphemes = segmenters.grapheme.segment(window.text)
    const first = graphemes.containing(from)
    const last = graphemes.containing(to - 1)
    if (first) from = first.index
    if (last) to = segmentEnd(last)
    if (!NON_WHITESPACE.test(window.text.slice(from, to))) return null
    return { start: from + window.offset, end: to + window.offset }
  }

  const words = segmenters.word.segment(window.text)
  const firstTouched = words.containing(from)
  if (firstTouched && isWordy(firstTouched)) from = firstTouched.index
  const lastTouched = words.containing(to - 1)
  if (lastTouched && isWordy(lastTouched)) to = segmentEnd(lastTouched)

  let leading = words.containing(from)
  while (leading && leading.index < to && !isWordy(leading)) leading = words.containing(segmentEnd(leading))
  if (!leading || leading.index >= to) return null
  from = leading.index

  let trailing = words.containing(to - 1)
  while (trailing && !isWordy(trailing)) trailing = words.containing(trailing.index - 1)
  if (!trailing) return null
  to = segmentEnd(trailing)
  if (DOTTED_ABBREVIATION.test(trailing.segment) && window.text[to] === '.') to += 1

  return { start: from + window.offset, end: to + window.offset }
}

/** The word under a caret (inside it, or just after its last character), or null. */
export function wordAt(text: string, offset: number, options: Pick<SnapOptions, 'locale'> = {}): OffsetRange | null {
  if (text.length === 0) return null
  const caret = Math.max(0, Math.min(offset, text.length))
  const window = windowAround(text, caret, caret)
  const words = segmentersFor(options.locale).word.segment(window.text)
  const local = caret - window.offset
  const candidates = [words.containing(local), local > 0 ? words.containing(local - 1) : undefined]
  for (const candidate of candidates) {
    if (candidate && isWordy(candidate)) {
      return { start: candidate.index + window.offset, end: segmentEnd(candidate) + window.offset }
    }
  }
  return null
}

/** Where Ctrl+Right lands: the end of the next word after the caret (or the text end). */
export function nextWordBoundary(text: string, offset: number, options: Pick<SnapOptions, 'locale'> = {}): number {
  let caret = Math.max(0, Math.min(offset, text.length))
  while (caret < text.length) {
    const window = windowAround(text, caret, Math.min(text.length, caret + 1))
    const words = segmentersFor(options.locale).word.segment(window.text)
    let segment = words.containing(caret - window.offset)
    while (segment) {
      const end = segmentEnd(segment) + window.offset
      if (isWordy(segment) && end > caret) return end
      segment = words.containing(segmentEnd(segment))
    }
    caret = window.offset + window.text.length
  }
  return text.length
}

/** Where Ctrl+Left lands: the start of the word before the caret (or the text start). */
export function previousWordBoundary(text: string, offset: number, options: Pick<SnapOptions, 'locale'> = {}): number {
  let caret = Math.max(0, Math.min(offset, text.length))
  while (caret > 0) {
    const window = windowAround(text, Math.max(0, caret - 1), caret)
    const words = segmentersFor(options.locale).word.segment(window.text)
    let segment = words.containing(caret - 1 - window.offset)
    while (segment) {
      const start = segment.index + window.offset
      if (isWordy(segment) && start < caret) return start
      segment = segment.index > 0 ? words.containing(segment.index - 1) : undefined
    }
    caret = window.offset
  }
  return 0
}

/** The next grapheme boundary after `offset`, so Shift+Right never splits an emoji or accent. */
export function nextGraphemeBoundary(text: string, offset: number): number {
  if (offset >= text.length) return text.length
  const caret = Math.max(0, offset)
  const window = windowAround(text, caret, caret + 1)
  const cluster = segmentersFor(undefined).grapheme.segment(window.text).containing(caret - window.offset)
  return cluster ? segmentEnd(cluster) + window.offset : caret + 1
}

/** The grapheme boundary before `offset`. */
export function previousGraphemeBoundary(text: string, offset: number): number {
  if (offset <= 0) return 0
  const caret = Math.min(offset, text.length)
  const window = windowAround(text, caret - 1, caret)
  const cluster = segmentersFor(undefined).grapheme.segment(window.text).containing(caret - 1 - window.offset)
  return cluster ? cluster.index + window.offset : caret - 1
}
