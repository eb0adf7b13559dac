// Cuts a document into the blocks the reader renders one at a time. A block is a line
// (paragraph) with its line terminator, or a word-aligned chunk of a long line, so a 5 MB
// single-line text still renders a few kilobytes at a time. Chunks are 2–4k characters (about
// 500 words), so real paragraphs are rarely cut, and the reader draws a chunk from where the one
// before it ends (renderer reader/line-joins.ts), so a cut does not show as a line ending early.
// Not larger: the browser lays out and paints a whole block whenever it comes into view or a
// highlight in it changes, and with 8k chunks that alone cost a scroll step or a key press on
// a single-line text tens of milliseconds. Blocks cover the text exactly, in order, with no
// gaps, in UTF-16 offsets.

import { runToEnd } from './stepwise'

export type TextDirection = 'ltr' | 'rtl'

export interface TextBlock {
  index: number
  start: number
  end: number
  /** Direction of the paragraph the block belongs to, from its first strong character. */
  direction: TextDirection
  /** True when the block continues the paragraph of the block before it (a chunk of a long line). */
  continuesParagraph: boolean
}

export interface BlockSizeOptions {
  /** Long lines are cut at a word boundary after at least this many code units. */
  minChunkLength?: number
  /** ...and never longer than this, cutting mid-word only when a "word" is longer still. */
  maxChunkLength?: number
}

const DEFAULT_MIN_CHUNK = 2000
const DEFAULT_MAX_CHUNK = 4000

const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}\p{Script=Samaritan}\p{Script=Mandaic}]/u
const STRONG_LETTER = /\p{L}/u
// Search only a paragraph's opening stretch: a letter-free kilobyte is not worth scanning further.
const DIRECTION_SCAN_LIMIT = 4096

/** The direction given by a paragraph's first strong (letter) character; ltr when it has none. */
export function paragraphDirection(text: string, start = 0, end = text.length): TextDirection {
  const limit = Math.min(end, start + DIRECTION_SCAN_LIMIT)
  for (let offset = start; offset < limit; offset++) {
    const code = text.codePointAt(offset) ?? 0
    if (code < 0x41) continue
    // ASCII: a Latin letter is the only strong character there (most paragraphs start with one).
    if (code < 0x80) {
      if ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) return 'ltr'
      continue
    }
    const character = String.fromCodePoint(code)
    if (RTL_SCRIPT.test(character)) return 'rtl'
    if (STRONG_LETTER.test(character)) return 'ltr'
    if (code > 0xffff) offset++
  }
  return 'ltr'
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0c || code === 0x0b || code === 0xa0 || code === 0x3000
}

function isCombiningOrJoiner(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    (code >= 0x064b && code <= 0x065f) ||
    code === 0x0670 ||
    code === 0x200d
  )
}

/** Where to cut a long line: just after whitespace if there is some in [min, max], else a safe character boundary near max. */
function chunkCut(text: string, chunkStart: number, lineEnd: number, minLength: number, maxLength: number): number {
  const hardLimit = Math.min(lineEnd, chunkStart + maxLength)
  const softStart = chunkStart + minLength
  for (let offset = hardLimit; offset > softStart; offset--) {
    if (isWhitespace(text.charCodeAt(offset - 1)) && !isWhitespace(text.charCodeAt(offset))) return offset
  }
  // One enormous "word": cut anyway, but never between surrogates or before a combining mark.
  let cut = hardLimit
  while (cut > chunkStart + 1) {
    const code = text.charCodeAt(cut)
    const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff
    if (!isLowSurrogate && !isCombiningOrJoiner(code) && text.charCodeAt(cut - 1) !== 0x200d) break
    cut--
  }
  return cut
}

/**
 * The next line break (\r\n, \r or \n) at or after `from`, or -1, for calls with `from` never
 * going back: each kind is looked for with indexOf, and again only once `from` has passed it.
 * A regular expression run per line was most of the time cutting a 5 MB text (25,000 lines).
 */
function lineBreakFinder(text: string): (from: number) => number {
  let nextLf = -2
  let nextCr = -2
  return (from) => {
    if (nextLf !== -1 && nextLf < from) nextLf = text.indexOf('\n', from)
    if (nextCr !== -1 && nextCr < from) nextCr = text.indexOf('\r', from)
    return nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr)
  }
}

/** Splits the text into render blocks; an empty text yields no blocks. */
export function splitIntoBlocks(text: string, options: BlockSizeOptions = {}): TextBlock[] {
  return runToEnd(splitIntoBlocksInSteps(text, options))
}

/** Blocks cut between two chances to stop: a 5 MB text has some 25,000 (12-24 ms of CPU to cut). */
const STEP_BLOCKS = 2048

/** splitIntoBlocks with a yield after about every STEP_BLOCKS blocks, so a window can cut a long text in short tasks. */
export function* splitIntoBlocksInSteps(text: string, options: BlockSizeOptions = {}): Generator<void, TextBlock[]> {
  const maxLength = Math.max(2, options.maxChunkLength ?? DEFAULT_MAX_CHUNK)
  const minLength = Math.min(options.minChunkLength ?? DEFAULT_MIN_CHUNK, maxLength - 1)
  const blocks: TextBlock[] = []
  const nextLineBreak = lineBreakFinder(text)
  let lineStart = 0
  let nextStop = STEP_BLOCKS
  while (lineStart < text.length) {
    const lineBreak = nextLineBreak(lineStart)
    const contentEnd = lineBreak === -1 ? text.length : lineBreak
    const crLf = lineBreak !== -1 && text.charCodeAt(lineBreak) === 0x0d && text.charCodeAt(lineBreak + 1) === 0x0a
    const lineEnd = lineBreak === -1 ? text.length : lineBreak + (crLf ? 2 : 1)
    const direction = paragraphDirection(text, lineStart, contentEnd)
    let chunkStart = lineStart
    let continuesParagraph = false
    // The terminator stays with the last chunk so every block's text is exact.
    while (lineEnd - chunkStart > maxLength) {
      const cut = chunkCut(text, chunkStart, lineEnd, minLength, maxLength)
      blocks.push({ index: blocks.length, start: chunkStart, end: cut, direction, continuesParagraph })
      chunkStart = cut
      continuesParagraph = true
      if (blocks.length >= nextStop) {
        nextStop += STEP_BLOCKS
        yield
      }
    }
    blocks.push({ index: blocks.length, start: chunkStart, end: lineEnd, direction, continuesParagraph })
    lineStart = lineEnd
    if (blocks.length >= nextStop) {
      nextStop += STEP_BLOCKS
      yield
    }
  }
  return blocks
}

/**
 * Where a text's first blocks end: the end of the last block that ends within the first
 * `wanted` code units (at least the first block). Cut there, the text splits into exactly the
 * whole text's first blocks, so a window can draw the start of a long document before the rest
 * has come, each block as it will be (src/main/startup-ahead.ts). The text's length when it is
 * no longer than `wanted`.
 */
export function firstBlocksEnd(text: string, wanted: number): number {
  if (text.length <= wanted) return text.length
  // A block is cut looking at most one chunk past its start, and a paragraph's direction at most
  // DIRECTION_SCAN_LIMIT into it: this much more text cuts the blocks up to `wanted` as the whole does.
  const prefix = text.slice(0, Math.max(0, wanted) + 2 * DEFAULT_MAX_CHUNK + DIRECTION_SCAN_LIMIT)
  const blocks = splitIntoBlocks(prefix)
  let end = blocks[0]?.end ?? 0
  for (const block of blocks) {
    if (block.end > wanted) break
    end = block.end
  }
  return end
}

/** Index of the block containing `offset` (the last block for the text end), or -1 when there are no blocks. */
export function blockIndexAt(blocks: readonly TextBlock[], offset: number): number {
  if (blocks.length === 0) return -1
  let low = 0
  let high = blocks.length - 1
  while (low < high) {
    const middle = (low + high + 1) >>> 1
    if ((blocks[middle] as TextBlock).start <= offset) low = middle
    else high = middle - 1
  }
  return low
}

/** Indexes of the blocks sharing a character with [start, end) (the block at `start` for an empty range). */
export function blockIndexesTouching(blocks: readonly TextBlock[], start: number, end: number): number[] {
  const first = blockIndexAt(blocks, start)
  if (first < 0) return []
  const indexes = [first]
  for (let index = first + 1; index < blocks.length && (blocks[index] as TextBlock).start < end; index++) indexes.push(index)
  return indexes
}
