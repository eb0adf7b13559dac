// Every match of a query in a text: plain text or a regular expression, with match case,
// match diacritics and whole word (src/core/search/fold.ts says how letters compare). Pure:
// main's project search and tag-all and the window's find bar all use it. A regular
// expression can run away (`(a+)+$` on a long line) and JavaScript cannot interrupt one, so
// callers run it where they can stop it after a time limit (a worker) and say so.
import { foldQuery, foldText, type FoldedText, type FoldOptions } from './fold'

export interface SearchOptions extends FoldOptions {
  wholeWord: boolean
  regex: boolean
}

export interface SearchQuery extends SearchOptions {
  text: string
}

/** A query ready to run, or why it cannot: said at the field, nothing else changes. */
export type CompiledSearch =
  | { ok: true; query: SearchQuery; pattern: RegExp | null; needle: string }
  | { ok: false; query: SearchQuery; problem: string }

export const MAX_QUERY_LENGTH = 1000

/** Checks and prepares a query once, for any number of texts. */
export function compileSearch(query: SearchQuery): CompiledSearch {
  if (query.text.length === 0) return { ok: false, query, problem: 'Type something to find' }
  if (query.text.length > MAX_QUERY_LENGTH) return { ok: false, query, problem: `The search is longer than ${MAX_QUERY_LENGTH} characters` }
  if (!query.regex) return { ok: true, query, pattern: null, needle: foldQuery(query.text, query) }
  const flags = query.matchCase ? 'gu' : 'giu'
  try {
    // Case by the flag; diacritics by running over the text folded without them.
    const pattern = new RegExp(query.text, flags)
    if (matchesEmptyText(pattern)) return { ok: false, query, problem: 'This expression matches empty text; it must match at least one character' }
    return { ok: true, query, pattern, needle: '' }
  } catch (error) {
    // The engine repeats the expression and its flags ("/(a/giu: Unterminated group"): the field already shows it.
    const reason = (error as Error).message.replace(`Invalid regular expression: /${query.text}/${flags}: `, '').replace(/^Invalid regular expression: /, '')
    return { ok: false, query, problem: `Not a valid regular expression: ${reason}` }
  }
}

/**
 * Whether an expression can match empty text, found by trying it on a few short probes (short,
 * so even a runaway expression cannot hang on them). An empty match cannot be selected or
 * tagged; one that slips past the probes (`(?=q)`) is skipped by findMatches.
 */
function matchesEmptyText(pattern: RegExp): boolean {
  for (const probe of ['', 'a', 'Aa 0_\n']) {
    const tester = new RegExp(pattern.source, pattern.flags)
    for (let match = tester.exec(probe); match; match = tester.exec(probe)) {
      if (match[0].length === 0) return true
    }
  }
  return false
}

/** Matches as [start, end) pairs in UTF-16 offsets of the original text, in order. */
export interface MatchList {
  /** start0, end0, start1, end1, … */
  offsets: Int32Array
  count: number
  /** Stopped at `limit` before the end of the text. */
  truncated: boolean
}

export interface FindOptions {
  /** Stop after this many matches. */
  limit?: number
  /** Only matches starting at or after this offset of the original. */
  from?: number
  /**
   * The text already folded with `searchFolding(query)`: a caller searching one text again and
   * again (the find bar as the user types) folds it once.
   */
  folded?: FoldedText
}

/** How findMatches folds the text for a query: a regex keeps case (its flag decides it). */
export function searchFolding(query: SearchOptions): FoldOptions {
  return { matchCase: query.regex || query.matchCase, matchDiacritics: query.matchDiacritics }
}

/** One code point of a word: letters, digits, marks, "_" (whole-word matching, and the suggester's first-word index). */
export const WORD_CHAR = /[\p{L}\p{N}\p{M}\p{Pc}]/u

function isWordCharAt(text: string, index: number, backwards: boolean): boolean {
  if (index < 0 || index >= text.length) return false
  const code = text.charCodeAt(index)
  // The code point around a surrogate half.
  let char: string
  if (backwards && code >= 0xdc00 && code <= 0xdfff && index > 0) char = text.slice(index - 1, index + 1)
  else if (!backwards && code >= 0xd800 && code <= 0xdbff) char = text.slice(index, index + 2)
  else char = text[index] ?? ''
  return WORD_CHAR.test(char)
}

/** A match whose ends are not inside a word (letters, digits, marks, "_" count as word). */
export function isWholeWord(text: string, start: number, end: number): boolean {
  return !isWordCharAt(text, start - 1, true) && !isWordCharAt(text, end, false)
}

/** Moves an offset between CR and LF to before the CR (start) or after the LF (end). */
function keepCrlfWhole(text: string, offset: number, isEnd: boolean): number {
  if (offset > 0 && offset < text.length && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10) return isEnd ? offset + 1 : offset - 1
  return offset
}

/**
 * Every match of `search` in `text`, without overlaps, left to right. A match never splits a
 * surrogate pair (folding and the `u` flag work on code points) or a CRLF (its ends move out).
 */
export function findMatches(text: string, search: CompiledSearch & { ok: true }, options: FindOptions = {}): MatchList {
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  const { query } = search
  const folded = options.folded ?? foldText(text, searchFolding(query))
  const haystack = folded.text
  const back = folded.toOriginal
  const toOriginal = (offset: number): number => (back ? (back[offset] ?? text.length) : offset)
  let from = options.from ?? 0
  if (back && from > 0) from = firstFoldedAtOrAfter(back, from)
  let offsets = new Int32Array(64)
  let count = 0
  let lastEnd = -1
  /** Adds a match found in the folded text: 'added', 'skipped' (not a whole word, or inside the last match) or 'full'. */
  const push = (foldedStart: number, foldedEnd: number): 'added' | 'skipped' | 'full' => {
    let start = keepCrlfWhole(text, toOriginal(foldedStart), false)
    const end = keepCrlfWhole(text, toOriginal(foldedEnd), true)
    if (start < lastEnd) start = lastEnd
    if (start >= end) return 'skipped'
    if (query.wholeWord && !isWholeWord(text, start, end)) return 'skipped'
    if (count * 2 + 2 > offsets.length) {
      const grown = new Int32Array(offsets.length * 2)
      grown.set(offsets)
      offsets = grown
    }
    offsets[count * 2] = start
    offsets[count * 2 + 1] = end
    count += 1
    lastEnd = end
    return count < limit ? 'added' : 'full'
  }
  let truncated = false
  if (search.pattern) {
    const pattern = new RegExp(search.pattern.source, search.pattern.flags)
    pattern.lastIndex = from
    for (let match = pattern.exec(haystack); match; match = pattern.exec(haystack)) {
      if (match[0].length === 0) {
        pattern.lastIndex += 1
        continue
      }
      if (push(match.index, match.index + match[0].length) === 'full') {
        truncated = pattern.exec(haystack) !== null
        break
      }
    }
  } else {
    const needle = search.needle
    if (needle.length > 0) {
      // After a match the next is looked for past it; after a skipped one (not a whole word)
      // from its next character, since a match may start inside it ("aa" in "aaa aa").
      for (let at = haystack.indexOf(needle, from); at >= 0; ) {
        const added = push(at, at + needle.length)
        if (added === 'full') {
          truncated = haystack.indexOf(needle, at + needle.length) >= 0
          break
        }
        at = haystack.indexOf(needle, added === 'added' ? at + needle.length : at + 1)
      }
    }
  }
  return { offsets: offsets.subarray(0, count * 2), count, truncated }
}

function firstFoldedAtOrAfter(back: Int32Array, original: number): number {
  let low = 0
  let high = back.length - 1
  while (low < high) {
    const middle = (low + high) >> 1
    if ((back[middle] ?? 0) < original) low = middle + 1
    else high = middle
  }
  return low
}
