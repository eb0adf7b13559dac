// Where the lexicon's texts occur untagged in one document: the suggestions for one layer.
//
// Matching is exact (case and diacritics as tagged) and whole-word (isWholeWord, the search's
// rule). Exact because a suggestion is a claim that this is the name someone tagged: "Bank" at
// a sentence's start is not "bank", "Aliyev" and "Əliyev" may be two people, and the entities
// panel is where variants are grouped by the editor's judgement. Whole words because "Baku"
// inside "Bakuvian" is not Baku.
//
// Thousands of lexicon texts over a 5 MB text cannot each scan the text (thousands of passes):
// the texts are indexed by their first word; one regular expression finds, in native code,
// the places where a text may start (a character some text starts with, after no word
// character), and only the word there is looked up. Where several texts start at one place the
// longest wins ("Baku Process" over "Baku"); matches never overlap, the leftmost first.
// tests/unit/suggestions-core.test.ts checks this against the plain rule (findMatches per text).
import type { Suggestion } from '../../shared/finding-model'
import { asUtf16 } from '../../shared/model'
import { isWholeWord, WORD_CHAR } from '../search/find-matches'
import { suggestionReason, type Lexicon } from './lexicon'
import { suggestionKey } from './suggestion-key'

interface IndexedEntry {
  text: string
  tag: string
  reason: string
}

/** A lexicon ready to run over texts: build once per lexicon version, use for every document. */
export interface SuggestionIndex {
  /**
   * Texts starting with a word, by a hash of that first word (wordHash): a word of the text is
   * looked up by a number worked out while finding its end, with no string made for it.
   * Longest first; the rare texts sharing a hash are told apart by comparing the text.
   */
  byFirstWord: Map<number, IndexedEntry[]>
  /** Texts starting with another character ("«Azərbaycan»"), by that character; longest first. */
  byFirstChar: Map<string, IndexedEntry[]>
  /**
   * Finds the places a lexicon text may start: a character some text starts with, after no word
   * character. The regular expression engine skips the rest of the text (most of it: words in
   * lower case) in native code, far faster than a loop over every character.
   */
  starts: RegExp | null
  entries: number
}

/** Kept in 30 bits: a small integer, which a Map hashes fastest. */
const HASH_MASK = 0x3fffffff

/** The hash of text[start, end), as wordEndAndHash works it out. */
function wordHash(text: string, start: number, end: number): number {
  let hash = 0
  for (let at = start; at < end; at++) hash = (Math.imul(hash, 31) + text.charCodeAt(at)) & HASH_MASK
  return hash
}

const ASCII_WORD = new Uint8Array(128)
for (let code = 0; code < 128; code++) ASCII_WORD[code] = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 0
/** Whether a BMP code unit is a word character: 0 unknown, 1 no, 2 yes (filled as met). */
const BMP_WORD = new Uint8Array(0x10000)

/** Whether the code point at `index` (its first unit) is a word character, by the search's rule. */
function isWordAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index)
  if (code < 128) return ASCII_WORD[code] === 1
  if (code >= 0xd800 && code <= 0xdbff) return WORD_CHAR.test(text.slice(index, index + 2))
  let known = BMP_WORD[code]
  if (known === 0) {
    known = WORD_CHAR.test(String.fromCharCode(code)) ? 2 : 1
    BMP_WORD[code] = known
  }
  return known === 2
}

function widthAt(text: string, index: number): number {
  const code = text.charCodeAt(index)
  if (code < 0xd800 || code > 0xdbff || index + 1 >= text.length) return 1
  const next = text.charCodeAt(index + 1)
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1
}

/** End of the run of word characters from `index`. */
function wordEnd(text: string, index: number): number {
  let at = index
  while (at < text.length && isWordAt(text, at)) at += widthAt(text, at)
  return at
}

/** The hash of the word found by the last wordEndAndHash. */
let foundHash = 0

/** wordEnd, hashing the word's code units on the way (foundHash), as wordHash does. */
function wordEndAndHash(text: string, index: number): number {
  let at = index
  let hash = 0
  while (at < text.length && isWordAt(text, at)) {
    const width = widthAt(text, at)
    hash = (Math.imul(hash, 31) + text.charCodeAt(at)) & HASH_MASK
    if (width === 2) hash = (Math.imul(hash, 31) + text.charCodeAt(at + 1)) & HASH_MASK
    at += width
  }
  foundHash = hash
  return at
}

/** The key a text is indexed under: its first word, or its first character when it starts with no word. */
function firstKey(text: string): { word: boolean; key: string } {
  if (isWordAt(text, 0)) return { word: true, key: text.slice(0, wordEnd(text, 0)) }
  return { word: false, key: text.slice(0, widthAt(text, 0)) }
}

/** Indexes every lexicon entry under its most frequent tag, with the reason said for it. */
export function buildSuggestionIndex(lexicon: Lexicon, tagLabel: (tagId: string) => string): SuggestionIndex {
  const byFirstWord = new Map<number, IndexedEntry[]>()
  const byFirstChar = new Map<string, IndexedEntry[]>()
  const add = <Key>(map: Map<Key, IndexedEntry[]>, key: Key, entry: IndexedEntry): void => {
    const list = map.get(key)
    if (list) list.push(entry)
    else map.set(key, [entry])
  }
  const firstCodePoints = new Set<number>()
  let entries = 0
  for (const entry of lexicon.entries()) {
    const chosen = entry.taggings[0]
    if (!chosen) continue
    firstCodePoints.add(entry.text.codePointAt(0) as number)
    const indexed = { text: entry.text, tag: chosen.tag, reason: suggestionReason(entry, tagLabel) }
    const { word, key } = firstKey(entry.text)
    if (word) add(byFirstWord, wordHash(key, 0, key.length), indexed)
    else add(byFirstChar, key, indexed)
    entries++
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.text.length - a.text.length)
  for (const list of byFirstChar.values()) list.sort((a, b) => b.text.length - a.text.length)
  const starts =
    firstCodePoints.size === 0
      ? null
      : new RegExp(`(?<!${WORD_CHAR.source})[${[...firstCodePoints].map((code) => `\\u{${code.toString(16)}}`).join('')}]`, 'gu')
  return { byFirstWord, byFirstChar, starts, entries }
}

/**
 * Suggestions listed for one document at most. A project whose lexicon is most of its words
 * (a corpus imported fully tagged) can suggest hundreds of thousands of places; the window
 * would spend a long frame reading such a list, and no one accepts them one by one.
 */
export const MAX_SUGGESTIONS = 5000

export interface SuggestOptions {
  /** The layer's spans: nothing is suggested that overlaps one. */
  layerSpans: readonly { start: number; end: number }[]
  /** Keys (suggestionKey) of suggestions the layer rejected: not suggested again. */
  rejected: ReadonlySet<string>
  /** List at most this many (MAX_SUGGESTIONS by default); the rest are counted in `omitted`. */
  limit?: number
}

export interface SuggestResult {
  /** In text order, never overlapping one another: the first `limit`. */
  suggestions: Suggestion[]
  /** Suggestions found past the limit, not listed. */
  omitted: number
  /** Occurrences not suggested because the layer rejected them. */
  hiddenByRejection: number
}

/** Every suggestion for a layer of `text`. */
export function suggestInText(text: string, index: SuggestionIndex, options: SuggestOptions): SuggestResult {
  const suggestions: Suggestion[] = []
  const limit = options.limit ?? MAX_SUGGESTIONS
  let hiddenByRejection = 0
  let omitted = 0
  if (index.entries === 0) return { suggestions, omitted, hiddenByRejection }
  const covered = mergedRanges(options.layerSpans)
  let coveredAt = 0
  const overlapsLayer = (start: number, end: number): boolean => {
    while (coveredAt < covered.length && (covered[coveredAt + 1] as number) <= start) coveredAt += 2
    return coveredAt < covered.length && (covered[coveredAt] as number) < end
  }
  /** The end of the match taken at `start`, or -1. */
  const take = (candidates: readonly IndexedEntry[], start: number): number => {
    for (const candidate of candidates) {
      const end = start + candidate.text.length
      if (end > text.length || !text.startsWith(candidate.text, start)) continue
      if (!isWholeWord(text, start, end) || splitsCharacter(text, start) || splitsCharacter(text, end)) continue
      if (overlapsLayer(start, end)) continue
      const key = suggestionKey(candidate.tag, start, end)
      if (options.rejected.has(key)) {
        hiddenByRejection++
        continue
      }
      if (suggestions.length < limit) suggestions.push({ key, start: asUtf16(start), end: asUtf16(end), tag: candidate.tag, text: candidate.text, reason: candidate.reason, source: 'lexicon' })
      else omitted++
      return end
    }
    return -1
  }
  const { byFirstWord, byFirstChar } = index
  if (!index.starts) return { suggestions, omitted, hiddenByRejection }
  // A copy: lastIndex is this walk's own.
  const starts = new RegExp(index.starts)
  for (let found = starts.exec(text); found; found = starts.exec(text)) {
    const at = found.index
    if (isWordAt(text, at)) {
      const end = wordEndAndHash(text, at)
      const candidates = byFirstWord.get(foundHash)
      const taken = candidates ? take(candidates, at) : -1
      // After a match the next may start only past it (its end is whole-word); else past this word.
      starts.lastIndex = taken > 0 ? taken : end
    } else {
      const candidates = byFirstChar.get(text.slice(at, at + widthAt(text, at)))
      const taken = candidates ? take(candidates, at) : -1
      if (taken > 0) starts.lastIndex = taken
    }
  }
  return { suggestions, omitted, hiddenByRejection }
}

/** An offset between a surrogate pair's halves or between CR and LF. */
function splitsCharacter(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false
  const before = text.charCodeAt(offset - 1)
  const after = text.charCodeAt(offset)
  return (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff) || (before === 13 && after === 10)
}

/** The union of the ranges, sorted: start0, end0, start1, end1, … */
function mergedRanges(ranges: readonly { start: number; end: number }[]): number[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start)
  const merged: number[] = []
  for (const range of sorted) {
    const lastEnd = merged[merged.length - 1]
    if (lastEnd !== undefined && range.start <= lastEnd) merged[merged.length - 1] = Math.max(lastEnd, range.end)
    else merged.push(range.start, range.end)
  }
  return merged
}
