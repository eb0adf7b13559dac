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
/** Greek's word-final sigma: the same letter as σ to a search that ignores case. */
const FINAL_SIGMA = 'ς'

/** One code point folded (cached per options in a FoldTable: texts repeat their letters). */
function foldCodePoint(char: string, options: FoldOptions): string {
  let folded = char
  if (!options.matchDiacritics) {
    const base = BASE_LETTERS[folded]
    folded = base ?? folded.normalize('NFD').replace(MARK, '')
  }
  if (!options.matchCase) {
    folded = I_LETTERS.has(char) || I_LETTERS.has(folded) ? 'i' : folded === FINAL_SIGMA ? 'σ' : folded.toLowerCase()
  }
  return folded
}

/**
 * Folded forms of single UTF-16 units (the Basic Multilingual Plane), per options: a unit that
 * folds to one unit is stored as that unit, anything else (no letter, two letters) in
 * `longer`. Texts repeat their letters, so each is folded once and a 5 MB text takes one
 * tight loop.
 */
interface FoldTable {
  /** The folded unit, UNKNOWN (not folded yet) or LONGER (look in `longer`). */
  single: Int32Array
  longer: Map<number, string>
  /** Astral code points (emoji, historic scripts) by their string. */
  astral: Map<string, string>
}

const UNKNOWN = -1
const LONGER = -2
const tables = new Map<string, FoldTable>()

function tableFor(options: FoldOptions): FoldTable {
  const key = `${options.matchCase ? 'C' : 'c'}${options.matchDiacritics ? 'D' : 'd'}`
  let table = tables.get(key)
  if (!table) {
    table = { single: new Int32Array(0x10000).fill(UNKNOWN), longer: new Map(), astral: new Map() }
    tables.set(key, table)
  }
  return table
}

/** The folded form of one unit (not a surrogate half of a pair), as a unit or LONGER. */
function foldedUnit(table: FoldTable, code: number, options: FoldOptions): number {
  const known = table.single[code] ?? UNKNOWN
  if (known !== UNKNOWN) return known
  const folded = foldCodePoint(String.fromCharCode(code), options)
  const result = folded.length === 1 ? folded.charCodeAt(0) : LONGER
  table.single[code] = result
  if (result === LONGER) table.longer.set(code, folded)
  return result
}

function foldedAstral(table: FoldTable, char: string, options: FoldOptions): string {
  let folded = table.astral.get(char)
  if (folded === undefined) {
    folded = foldCodePoint(char, options)
    table.astral.set(char, folded)
  }
  return folded
}

/** True when folding can change nothing: both options on. */
export function foldsNothing(options: FoldOptions): boolean {
  return options.matchCase && options.matchDiacritics
}

// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\u0000-\u007f]*$/
const CASE_SPECIALS = /[\u0130\u0131\u03a3\u03c2]/g

/**
 * Lower case for a search, the same length as the text: the engine's own toLowerCase, after
 * the two letters it would not fold letter by letter. İ lowers to two units (i and a dot) and
 * ı stays ı, where a search wants both as i; Σ lowers to ς at a word's end, where one letter
 * alone (a query) lowers to σ, and a search takes ς and σ as one letter. The unit test compares this with foldCodePoint on every letter.
 */
function lowerCaseForSearch(text: string): string {
  CASE_SPECIALS.lastIndex = 0
  const plain = CASE_SPECIALS.test(text) ? text.replace(CASE_SPECIALS, (char) => (char === '\u0130' || char === '\u0131' ? 'i' : '\u03c3')) : text
  return plain.toLowerCase()
}

/** A growable map from folded offsets to the original's. */
class OffsetMap {
  values: Int32Array
  constructor(size: number) {
    this.values = new Int32Array(size)
  }
  ensure(size: number): void {
    if (size <= this.values.length) return
    const grown = new Int32Array(Math.max(size, this.values.length * 2))
    grown.set(this.values)
    this.values = grown
  }
  /** Folded units [folded, folded + count) came from the original's [original, original + count). */
  run(folded: number, original: number, count: number): void {
    this.ensure(folded + count + 1)
    const values = this.values
    for (let unit = 0; unit < count; unit += 1) values[folded + unit] = original + unit
  }
  /** Folded units [folded, folded + count) all came from the character at `original`. */
  same(folded: number, original: number, count: number): void {
    this.ensure(folded + count + 1)
    this.values.fill(original, folded, folded + count)
  }
}

/**
 * Diacritics taken off a text already in the case the search wants. Unchanged stretches are
 * copied as slices (no per-letter string building); the offset map is only made once a letter
 * changes length.
 */
function withoutDiacritics(cased: string, options: FoldOptions): FoldedText {
  const table = tableFor(options)
  const length = cased.length
  const pieces: string[] = []
  let map: OffsetMap | null = null
  /** Start of the stretch not yet copied, and how long the folded text is up to it. */
  let copiedTo = 0
  let folded = 0
  for (let index = 0; index < length; index += 1) {
    const code = cased.charCodeAt(index)
    if (code < 0x80) continue
    let width = 1
    let replacement: string
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < length && (cased.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      // An astral code point is folded whole, so a match never splits its surrogate pair.
      const char = cased.slice(index, index + 2)
      replacement = foldedAstral(table, char, options)
      if (replacement === char) {
        index += 1
        continue
      }
      width = 2
    } else {
      const unit = foldedUnit(table, code, options)
      if (unit === code) continue
      replacement = unit === LONGER ? (table.longer.get(code) ?? '') : String.fromCharCode(unit)
    }
    const unchanged = index - copiedTo
    if (unchanged > 0) pieces.push(cased.slice(copiedTo, index))
    if (!map && replacement.length !== width) {
      map = new OffsetMap(length + 64)
      map.run(0, 0, folded + unchanged)
    } else if (map) {
      map.run(folded, copiedTo, unchanged)
    }
    folded += unchanged
    pieces.push(replacement)
    if (map) {
      if (replacement.length === width) map.run(folded, index, width)
      else map.same(folded, index, replacement.length)
    }
    folded += replacement.length
    index += width - 1
    copiedTo = index + 1
  }
  if (copiedTo === 0) return { text: cased, toOriginal: null }
  pieces.push(cased.slice(copiedTo))
  if (!map) return { text: pieces.join(''), toOriginal: null }
  map.run(folded, copiedTo, length - copiedTo)
  folded += length - copiedTo
  map.ensure(folded + 1)
  map.values[folded] = length
  return { text: pieces.join(''), toOriginal: map.values.subarray(0, folded + 1) }
}

/** The text folded by `options`, with its way back to the original's offsets. */
export function foldText(text: string, options: FoldOptions): FoldedText {
  if (foldsNothing(options)) return { text, toOriginal: null }
  // Case folding keeps every offset (see lowerCaseForSearch); only diacritics can move them.
  const cased = options.matchCase ? text : lowerCaseForSearch(text)
  if (options.matchDiacritics || ASCII_ONLY.test(cased)) return { text: cased, toOriginal: null }
  return withoutDiacritics(cased, options)
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
