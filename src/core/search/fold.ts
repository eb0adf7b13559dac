// Folding a text for search: with "match case" off letters compare by their lower case, with
// "match diacritics" off by their base letter ("Əliyev" is found by "Aliyev", "Şuşa" by
// "Susa", "أحمد" by "احمد"). The folded text keeps a map back to the original's offsets, so
// a match found in it is a span of the original.
//
// Folding goes code point by code point, never across two, so a match can never start or end
// inside a surrogate pair. Letters that Unicode does not decompose into a base letter and a
// mark (Ə, ı, Ø, Ł, Đ…) get their base letter from a table, the way an Azerbaijani or Turkish
// reader would write them without diacritics. With "match case" off, I, İ, ı and i all match
// one another: which of them pair as upper and lower case depends on the language (Turkish
// and Azerbaijani pair I/ı and İ/i, English I/i), and a search cannot know the language.

export interface FoldOptions {
  matchCase: boolean
  matchDiacritics: boolean
}

export interface FoldedText {
  text: string
  /**
   * For each UTF-16 unit of `text` (and one past its end), the offset in the original it came
   * from; null when the folded text has the original's offsets (nothing changed length).
   */
  toOriginal: Int32Array | null
}

/** Base letters for letters that carry a diacritic but have no Unicode decomposition. */
const BASE_LETTERS: Readonly<Record<string, string>> = {
  Ə: 'A', ə: 'a', Ǝ: 'E', ǝ: 'e',
  ı: 'i', ȷ: 'j',
  Ø: 'O', ø: 'o', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Ħ: 'H', ħ: 'h',
  Ŧ: 'T', ŧ: 't', Ƶ: 'Z', ƶ: 'z', Ɨ: 'I', ɨ: 'i', Ɵ: 'O', ɵ: 'o',
  ß: 'ss', ẞ: 'SS', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Þ: 'Th', þ: 'th',
  // Arabic: the elongation stroke (tatweel) is ornament, not a letter.
  'ـ': ''
}

/** The dotted and dotless i: one letter for a search that ignores case. */
const I_LETTERS = new Set(['I', 'İ', 'ı', 'i'])

const MARK = /\p{M}/gu

/** One code point folded; cached per options because texts repeat their letters. */
function foldCodePoint(char: string, options: FoldOptions): string {
  let folded = char
  if (!options.matchDiacritics) {
    const base = BASE_LETTERS[folded]
    folded = base ?? folded.normalize('NFD').replace(MARK, '')
  }
  if (!options.matchCase) {
    folded = I_LETTERS.has(char) || I_LETTERS.has(folded) ? 'i' : folded.toLowerCase()
  }
  return folded
}

const caches = new Map<string, Map<string, string>>()

function cacheFor(options: FoldOptions): Map<string, string> {
  const key = `${options.matchCase ? 'C' : 'c'}${options.matchDiacritics ? 'D' : 'd'}`
  let cache = caches.get(key)
  if (!cache) {
    cache = new Map()
    caches.set(key, cache)
  }
  return cache
}

/** True when folding can change nothing: both options on. */
export function foldsNothing(options: FoldOptions): boolean {
  return options.matchCase && options.matchDiacritics
}

// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\u0000-\u007f]*$/

/** The text folded by `options`, with its way back to the original's offsets. */
export function foldText(text: string, options: FoldOptions): FoldedText {
  if (foldsNothing(options)) return { text, toOriginal: null }
  // ASCII folds to ASCII of the same length: only case can change.
  if (ASCII_ONLY.test(text)) return { text: options.matchCase ? text : text.toLowerCase(), toOriginal: null }
  const cache = cacheFor(options)
  const pieces: string[] = []
  const map = new Int32Array(text.length + 1)
  let folded = 0
  let sameLength = true
  for (let index = 0; index < text.length; ) {
    const code = text.charCodeAt(index)
    const width = code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1
    let out: string
    if (code < 0x80) {
      out = !options.matchCase && code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[index] ?? ''
    } else {
      const char = text.slice(index, index + width)
      let cached = cache.get(char)
      if (cached === undefined) {
        cached = foldCodePoint(char, options)
        cache.set(char, cached)
      }
      out = cached
    }
    if (out.length !== width) sameLength = false
    for (let unit = 0; unit < out.length; unit += 1) map[folded + unit] = index
    folded += out.length
    pieces.push(out)
    index += width
  }
  map[folded] = text.length
  return { text: pieces.join(''), toOriginal: sameLength ? null : map.subarray(0, folded + 1) }
}

/** A query folded like the text it is looked for in. */
export function foldQuery(query: string, options: FoldOptions): string {
  return foldText(query, options).text
}

/**
 * Text compared for entity grouping: case, diacritics and runs of whitespace ignored
 * ("İlham  Əliyev" and "ilham aliyev" are one key).
 */
export function normalizeForGrouping(text: string): string {
  return foldText(text.trim().replace(/\s+/gu, ' '), { matchCase: false, matchDiacritics: false }).text
}
