// How a text becomes the units that token-level agreement (Cohen's κ, Fleiss' κ,
// Krippendorff's α) counts: its word-like tokens, each labelled with one tag or O.
import { forEachTokenRange, PLAIN_LETTER, segmentInWindows } from '../segmentation'

/** A tagged range of UTF-16 code units, end exclusive; an Annotation satisfies it. */
export interface TaggedSpan {
  start: number
  end: number
  tag: string
}

/** The label of a token no span touches. */
export const OUTSIDE_LABEL = 'O'

/**
 * Word-like tokens of a text as two parallel arrays of UTF-16 offsets (end exclusive), in
 * text order and never overlapping. A 5 MB text has about 900,000 tokens; as objects they
 * would cost ten times the memory.
 */
export interface TokenOffsets {
  readonly count: number
  readonly starts: Int32Array
  readonly ends: Int32Array
}

/** Token offsets from a list of ranges (which must be in text order and not overlap). */
export function tokenOffsetsOf(ranges: readonly { start: number; end: number }[]): TokenOffsets {
  return {
    count: ranges.length,
    starts: Int32Array.from(ranges, (range) => range.start),
    ends: Int32Array.from(ranges, (range) => range.end)
  }
}

/**
 * The tokens Intl.Segmenter (root locale, word granularity) marks isWordLike: words and
 * numbers, not punctuation, spaces or emoji. The fast tokenizer (forEachTokenRange: tokenize's
 * tokens as bare offsets) yields the same segments as
 * Intl.Segmenter, all but whitespace, without saying which are word-like. Most tokens say it
 * by their first character (see classifyToken). The others — emoji, "__", "²", CJK, … whose
 * UAX #29 word class no regex over Unicode categories can tell — are given back to
 * Intl.Segmenter with the tokens they touch (their run between two whitespaces), consecutive
 * such runs at once: the segmenter judges a segment by its neighbours. The dictionary
 * segmenter of Han text calls "々" alone not word-like but "々々" two word-like segments, and
 * ICU makes "a_\u0301" one segment that is not word-like, which the fast tokenizer splits
 * into "a" and "_\u0301". So are runs next to whitespace other than space, tab and line
 * breaks: a narrow no-break space joins words like "_" does ("a\u202f\ufe0f" is one segment,
 * not word-like, though the tokenizer, for which it is whitespace, yields "a" alone).
 */
export function wordTokens(text: string): TokenOffsets {
  // Scratch lists, reused from call to call (this runs to completion, never re-entered): a
  // project's 10,000 small documents would otherwise allocate 150,000 typed arrays.
  const words = wordScratch
  const run = runScratch // tokens since the last whitespace, with their TokenClass
  const undecided = undecidedScratch // runs waiting for Intl.Segmenter
  words.count = 0
  run.count = 0
  undecided.count = 0
  let runIsUndecided = false
  const endRun = (): void => {
    // Only these always separate words (UAX #29 breaks on both sides of them); next to any
    // other whitespace, such as a no-break space, the run's words are the segmenter's to judge.
    if (!runIsUndecided && run.count > 0) {
      runIsUndecided = !isSeparatorOrEdge(text, (run.starts[0] as number) - 1) || !isSeparatorOrEdge(text, run.ends[run.count - 1] as number)
    }
    if (runIsUndecided) {
      for (let index = 0; index < run.count; index++) undecided.push(run.starts[index] as number, run.ends[index] as number)
    } else {
      if (undecided.count > 0) appendWordLike(text, undecided, words)
      for (let index = 0; index < run.count; index++) {
        if (run.flags[index] === TokenClass.WordLike) words.push(run.starts[index] as number, run.ends[index] as number)
      }
    }
    run.count = 0
    runIsUndecided = false
  }
  forEachTokenRange(text, (start, end) => {
    if (run.count > 0 && start !== run.ends[run.count - 1]) endRun()
    const tokenClass = classifyToken(text, start, end)
    if (tokenClass === TokenClass.Undecided) runIsUndecided = true
    run.push(start, end, tokenClass)
  })
  endRun()
  if (undecided.count > 0) appendWordLike(text, undecided, words)
  return { count: words.count, starts: words.starts.slice(0, words.count), ends: words.ends.slice(0, words.count) }
}

/** Space, tab, LF, VT, FF, CR — or before the start or past the end of the text. */
function isSeparatorOrEdge(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return true
  const code = text.charCodeAt(index)
  return code === 0x20 || (code >= 0x09 && code <= 0x0d)
}

/** A growable list of offset pairs, each with a small flag. */
class OffsetList {
  starts: Int32Array
  ends: Int32Array
  flags: Uint8Array
  count = 0

  constructor(capacity: number) {
    this.starts = new Int32Array(capacity)
    this.ends = new Int32Array(capacity)
    this.flags = new Uint8Array(capacity)
  }

  push(start: number, end: number, flag = 0): void {
    if (this.count === this.starts.length) {
      this.starts = grown(this.starts)
      this.ends = grown(this.ends)
      const flags = new Uint8Array(this.flags.length * 2)
      flags.set(this.flags)
      this.flags = flags
    }
    this.starts[this.count] = start
    this.ends[this.count] = end
    this.flags[this.count] = flag
    this.count++
  }
}

const wordScratch = new OffsetList(1024)
const runScratch = new OffsetList(16)
const undecidedScratch = new OffsetList(16)

function grown(array: Int32Array): Int32Array {
  const larger = new Int32Array(array.length * 2)
  larger.set(array)
  return larger
}

const enum TokenClass {
  WordLike,
  NotWordLike,
  Undecided
}

/**
 * A token starting with an ASCII letter or digit, or with a letter of an alphabetic script
 * that UAX #29 classes as ALetter (Latin, Greek, Cyrillic, Armenian, Georgian, Arabic: the
 * segmentation module's PLAIN_LETTER), is a word or a number. A lone ASCII character that is
 * neither is punctuation, but for "_". Anything else is left to Intl.Segmenter.
 */
function classifyToken(text: string, start: number, end: number): TokenClass {
  const first = text.charCodeAt(start)
  if (first < 0x80) {
    if ((first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a) || (first >= 0x30 && first <= 0x39)) return TokenClass.WordLike
    // "_" joins words (ExtendNumLet), even across a narrow no-break space, which is whitespace
    // to the tokenizer: "\u202f_" is a word-like segment.
    return end - start === 1 && first !== 0x5f ? TokenClass.NotWordLike : TokenClass.Undecided
  }
  return isPlainLetter(first) ? TokenClass.WordLike : TokenClass.Undecided
}

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' })

/**
 * Segments the text from the first undecided token to the last, with the whitespace character
 * on either side (only whitespace lies between consecutive runs), and appends those tokens
 * that fall in a word-like segment; empties the list. The whitespace is included because some
 * of it joins a word: a narrow no-break space is ExtendNumLet to UAX #29, like "_", so
 * "_\u202f" is a word-like segment.
 */
function appendWordLike(text: string, undecided: OffsetList, words: OffsetList): void {
  const regionStart = Math.max(0, (undecided.starts[0] as number) - 1)
  const regionEnd = Math.min(text.length, (undecided.ends[undecided.count - 1] as number) + 1)
  const wordLike = regionEnd - regionStart <= REMEMBERED_REGION_CHARS ? rememberedWordLike(text, regionStart, regionEnd, undecided) : wordLikeTokens(text, regionStart, regionEnd, undecided)
  for (let token = 0; token < undecided.count; token++) {
    if (wordLike[token] === 1) words.push(undecided.starts[token] as number, undecided.ends[token] as number)
  }
  undecided.count = 0
}

/** For each undecided token, 1 when it falls in a word-like segment of the region. */
function wordLikeTokens(text: string, regionStart: number, regionEnd: number, undecided: OffsetList): Uint8Array {
  const wordLike = new Uint8Array(undecided.count)
  let token = 0
  for (const segment of segmentInWindows(wordSegmenter, text.slice(regionStart, regionEnd))) {
    const segmentEnd = regionStart + segment.index + segment.segment.length
    // Each token lies inside one segment: it is a segment, a piece of one split at whitespace,
    // or a character of a non-word-like one.
    while (token < undecided.count && (undecided.ends[token] as number) <= segmentEnd) {
      if (segment.isWordLike) wordLike[token] = 1
      token++
    }
    if (token === undecided.count) break
  }
  return wordLike
}

// Small undecided regions come back again and again (an emoji between two spaces, "x²"), and
// segmenting each costs a few microseconds. wordLikeTokens' answer depends on nothing but the
// region's text and where its tokens lie in it, so it is remembered by exactly those.
const REMEMBERED_REGION_CHARS = 48
const MAX_REMEMBERED_REGIONS = 4096
const wordLikeByRegion = new Map<string, Uint8Array>()

function rememberedWordLike(text: string, regionStart: number, regionEnd: number, undecided: OffsetList): Uint8Array {
  // The region's length first, so the text and the offsets after it cannot run into each other.
  let key = `${regionEnd - regionStart}:${text.slice(regionStart, regionEnd)}`
  for (let token = 0; token < undecided.count; token++) key += `:${(undecided.starts[token] as number) - regionStart}-${(undecided.ends[token] as number) - regionStart}`
  let wordLike = wordLikeByRegion.get(key)
  if (wordLike === undefined) {
    wordLike = wordLikeTokens(text, regionStart, regionEnd, undecided)
    if (wordLikeByRegion.size >= MAX_REMEMBERED_REGIONS) wordLikeByRegion.clear()
    wordLikeByRegion.set(key, wordLike)
  }
  return wordLike
}

const LETTER = /\p{L}/u
const UNKNOWN = 0
const PLAIN = 1
const NOT_PLAIN = 2
/** Filled on first sight of each BMP code unit (a lone surrogate is never a letter). */
const plainLetterClass = new Uint8Array(0x10000)

function isPlainLetter(code: number): boolean {
  let letterClass = plainLetterClass[code]
  if (letterClass === UNKNOWN) {
    const character = String.fromCharCode(code)
    letterClass = LETTER.test(character) && PLAIN_LETTER.test(character) ? PLAIN : NOT_PLAIN
    plainLetterClass[code] = letterClass
  }
  return letterClass === PLAIN
}

/**
 * The label of every token: the index in `tags` of the tag of the span that touches it (shares
 * at least one UTF-16 code unit with it), or tags.length for O when none does. When several
 * spans touch a token the longest wins, then the one starting earlier, then the tag id first
 * in code-unit order — so a token under a PERSON nested in a longer ORG counts as ORG.
 * Empty spans (end ≤ start) touch nothing. A span whose tag is not in `tags` is an error.
 *
 * O(tokens + spans · log spans): see paintLabels.
 */
export function labelTokens(tokens: TokenOffsets, spans: readonly TaggedSpan[], tags: readonly string[]): Int32Array {
  const outside = tags.length
  const labels = new Int32Array(tokens.count).fill(outside)
  if (tokens.count === 0 || spans.length === 0) return labels
  const tagIndex = new Map(tags.map((tag, index) => [tag, index]))
  const painted = spans.filter((span) => span.end > span.start)
  const unknown = painted.filter((span) => !tagIndex.has(span.tag))
  if (unknown.length > 0) {
    // Named as painting in priority order would meet it first.
    const first = unknown.sort(compareLabelPriority)[0] as TaggedSpan
    throw new RangeError(`span ${first.start}–${first.end} has tag "${first.tag}", which is not one of ${tags.join(', ')}`)
  }
  if (!isOrderedByStart(painted)) painted.sort((a, b) => a.start - b.start)
  const tagIndexes = Int32Array.from(painted, (span) => tagIndex.get(span.tag) as number)
  paintLabels(painted, tagIndexes, tokenRangesOf(tokens, painted), labels)
  return labels
}

/** Which tokens each span touches: tokens [firsts[i], pasts[i]) for spans[i] (none when first ≥ past). */
export interface SpanTokenRanges {
  firsts: Int32Array
  pasts: Int32Array
}

/** The token ranges of non-empty spans. */
export function tokenRangesOf(tokens: TokenOffsets, spans: readonly TaggedSpan[]): SpanTokenRanges {
  const firsts = new Int32Array(spans.length)
  const pasts = new Int32Array(spans.length)
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index] as TaggedSpan
    firsts[index] = firstIndexAbove(tokens.ends, tokens.count, span.start) // first token ending after the span starts
    pasts[index] = firstIndexAtOrAbove(tokens.starts, tokens.count, span.end) // first token starting at or after its end
  }
  return { firsts, pasts }
}

/**
 * labelTokens' painting, for spans that are non-empty, ordered by start, with their tags'
 * indices and token ranges given; `labels` holds the O label for every token and receives the
 * others. A token's label depends only on the spans touching it, and those lie in one cluster
 * of spans whose token ranges overlap (found in one sweep in start order). Most clusters are a
 * single span, painted directly; in a larger one the spans are painted longest first, each
 * over the tokens it touches that are still unlabelled, skipping labelled runs through a
 * union–find of "next unlabelled token", so no token is visited twice however deeply spans
 * nest.
 */
export function paintLabels(spans: readonly TaggedSpan[], tagIndexes: Int32Array, ranges: SpanTokenRanges, labels: Int32Array): void {
  const { firsts, pasts } = ranges
  const cluster: number[] = []
  let clusterPast = -1
  const flush = (): void => {
    if (cluster.length === 1) {
      const only = cluster[0] as number
      labels.fill(tagIndexes[only] as number, firsts[only], pasts[only])
    } else if (cluster.length > 1) {
      paintCluster(spans, tagIndexes, ranges, cluster, labels)
    }
    cluster.length = 0
  }
  for (let index = 0; index < spans.length; index++) {
    const first = firsts[index] as number
    const past = pasts[index] as number
    if (first >= past) continue
    if (cluster.length > 0 && first >= clusterPast) flush()
    if (cluster.length === 0) clusterPast = past
    else if (past > clusterPast) clusterPast = past
    cluster.push(index)
  }
  flush()
}

/** Scratch for paintCluster's union–find, grown as needed. */
let nextUnlabelledScratch = new Int32Array(64)

function paintCluster(spans: readonly TaggedSpan[], tagIndexes: Int32Array, { firsts, pasts }: SpanTokenRanges, cluster: number[], labels: Int32Array): void {
  let base = Infinity
  let end = 0
  for (const index of cluster) {
    base = Math.min(base, firsts[index] as number)
    end = Math.max(end, pasts[index] as number)
  }
  cluster.sort((a, b) => compareLabelPriority(spans[a] as TaggedSpan, spans[b] as TaggedSpan))
  // nextUnlabelled[i - base] leads (through path halving) to the first unlabelled token ≥ i;
  // the extra last entry stands for "past the cluster".
  const size = end - base + 1
  if (nextUnlabelledScratch.length < size) nextUnlabelledScratch = new Int32Array(Math.max(size, nextUnlabelledScratch.length * 2))
  const nextUnlabelled = nextUnlabelledScratch
  for (let offset = 0; offset < size; offset++) nextUnlabelled[offset] = offset
  for (const index of cluster) {
    const tag = tagIndexes[index] as number
    const past = (pasts[index] as number) - base
    for (let token = findUnlabelled(nextUnlabelled, (firsts[index] as number) - base); token < past; token = findUnlabelled(nextUnlabelled, token + 1)) {
      labels[base + token] = tag
      nextUnlabelled[token] = token + 1
    }
  }
}

function isOrderedByStart(spans: readonly TaggedSpan[]): boolean {
  for (let index = 1; index < spans.length; index++) if ((spans[index] as TaggedSpan).start < (spans[index - 1] as TaggedSpan).start) return false
  return true
}

/**
 * Whether each token is touched by a span of one tag: 0 where one is, 1 (O) elsewhere — what
 * labelTokens gives for that tag's spans alone with [tag] as the tag list. Spans must be
 * non-empty and ordered by start (their token ranges then start in order), so one sweep marks
 * each token at most once.
 */
export function tagCoverage(spans: readonly TaggedSpan[], tagIndexes: Int32Array, { firsts, pasts }: SpanTokenRanges, tag: number, labels: Uint8Array): void {
  labels.fill(1)
  let reach = 0
  for (let index = 0; index < spans.length; index++) {
    if (tagIndexes[index] !== tag) continue
    const from = Math.max(firsts[index] as number, reach)
    const past = pasts[index] as number
    if (past > from) {
      labels.fill(0, from, past)
      reach = past
    }
  }
}

/** Longest first, then earlier start, then tag id in code-unit order. */
function compareLabelPriority(a: TaggedSpan, b: TaggedSpan): number {
  const lengthDifference = b.end - b.start - (a.end - a.start)
  if (lengthDifference !== 0) return lengthDifference
  if (a.start !== b.start) return a.start - b.start
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0
}

function findUnlabelled(nextUnlabelled: Int32Array, from: number): number {
  let index = from
  while (nextUnlabelled[index] !== index) {
    const next = nextUnlabelled[index] as number
    nextUnlabelled[index] = nextUnlabelled[next] as number // path halving keeps later lookups short
    index = next
  }
  return index
}

/** First index i < count with sorted[i] > value, or count. */
function firstIndexAbove(sorted: Int32Array, count: number, value: number): number {
  let low = 0
  let high = count
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) > value) high = middle
    else low = middle + 1
  }
  return low
}

/** First index i < count with sorted[i] ≥ value, or count. */
function firstIndexAtOrAbove(sorted: Int32Array, count: number, value: number): number {
  let low = 0
  let high = count
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) >= value) high = middle
    else low = middle + 1
  }
  return low
}
