// A line longer than a block is cut into several blocks (src/core/text-blocks.ts), and each
// block is laid out on its own, so every cut would end a line early. Here a block that
// continues a line is drawn from where the block before it ended: its first line is indented
// by the width the text before the cut took on its last line, and pulled up onto that line.
// Lines then break exactly as one long line would (a line is filled word by word from its
// start), and the block frames' heights still add up to the text's height, since the frame
// (display: flow-root) ends where the pulled-up block ends.

/** What the join of one block to the text before it looks like; null draws it on a line of its own. */
export interface LineJoin {
  /** Where on the shared line the block's text starts, px from the line's start edge. */
  indentPx: number
  /** The line height the block is pulled up by. */
  liftPx: number
}

/**
 * Where the text before a cut ends on its last line, and whether the first word after it fits
 * there. `endPx` is measured from the line's start edge (left in ltr, right in rtl).
 */
export function joinAfter(endPx: number, lineWidthPx: number, firstWordPx: number, lineHeightPx: number): LineJoin | null {
  if (!(endPx > 0) || endPx + firstWordPx > lineWidthPx) return null
  return { indentPx: endPx, liftPx: lineHeightPx }
}

// Measuring a block forces the browser to lay it out, and each join written dirties the layout
// again, so a pass that measured every rendered block on each scroll step spent over 100 ms in
// forced layouts (a single 1 MB line). A block's end and first word depend only on its own
// segments, its own indent and the width, so they are kept per block and measured again only
// when one of those changed: a scroll step measures the block or two it brings in.

/** Where a block's text ends on its last line, measured with the indent and segments it had then. */
interface MeasuredEnd {
  lastChild: Node | null
  indent: string
  layoutWidth: number
  endPx: number
  lineWidthPx: number
}

/** The room a block's first word takes, measured with the segments it had then. */
interface MeasuredStart {
  firstChild: Node | null
  layoutWidth: number
  firstWordPx: number
}

const measuredEnds = new WeakMap<HTMLElement, MeasuredEnd>()
const measuredStarts = new WeakMap<HTMLElement, MeasuredStart>()

/**
 * Draws every rendered block that continues a line as a continuation of the block before it.
 * `layoutWidth` is the width the blocks are laid out in: measurements taken at another are stale.
 */
export function joinLineCuts(container: HTMLElement, layoutWidth: number): void {
  const continuing = container.querySelectorAll<HTMLElement>('.block.continues')
  if (continuing.length === 0) return
  let lineHeightPx = Number.NaN
  // Blocks in document order, so a block's own join is written before its end is read.
  for (const block of continuing) {
    const frame = block.parentElement
    const previous = frame?.previousElementSibling?.firstElementChild
    if (!(previous instanceof HTMLElement) || !isBlockBefore(previous, block)) {
      applyJoin(block, null)
      continue
    }
    const end = endOf(previous, layoutWidth)
    if (!end) {
      applyJoin(block, null)
      continue
    }
    if (Number.isNaN(lineHeightPx)) lineHeightPx = parseFloat(getComputedStyle(block).lineHeight)
    if (!(lineHeightPx > 0)) {
      applyJoin(block, null)
      continue
    }
    applyJoin(block, joinAfter(end.endPx, end.lineWidthPx, firstWordOf(block, layoutWidth, lineHeightPx), lineHeightPx))
  }
}

function isBlockBefore(previous: HTMLElement, block: HTMLElement): boolean {
  return previous.classList.contains('block') && Number(previous.dataset.blockIndex) === Number(block.dataset.blockIndex) - 1
}

function applyJoin(block: HTMLElement, join: LineJoin | null): void {
  const indent = join ? `${join.indentPx}px` : ''
  const lift = join ? `${-join.liftPx}px` : ''
  if (block.style.textIndent !== indent) block.style.textIndent = indent
  if (block.style.marginTop !== lift) block.style.marginTop = lift
}

function isRightToLeft(block: HTMLElement): boolean {
  // The reader puts each block's direction on it; the computed style (a layout read) only without it.
  const dir = block.getAttribute('dir')
  return dir === 'rtl' || (dir !== 'ltr' && getComputedStyle(block).direction === 'rtl')
}

function endOf(block: HTMLElement, layoutWidth: number): MeasuredEnd | null {
  const known = measuredEnds.get(block)
  if (known && known.lastChild === block.lastChild && known.indent === block.style.textIndent && known.layoutWidth === layoutWidth) return known
  const lastRect = lastCharacterRect(block)
  if (!lastRect) return null
  const box = block.getBoundingClientRect()
  const endPx = isRightToLeft(block) ? box.right - lastRect.left : lastRect.right - box.left
  const measured = { lastChild: block.lastChild, indent: block.style.textIndent, layoutWidth, endPx, lineWidthPx: box.width }
  measuredEnds.set(block, measured)
  return measured
}

function firstWordOf(block: HTMLElement, layoutWidth: number, lineHeightPx: number): number {
  const known = measuredStarts.get(block)
  if (known && known.firstChild === block.firstChild && known.layoutWidth === layoutWidth) return known.firstWordPx
  const firstWordPx = firstWordWidth(block, isRightToLeft(block), lineHeightPx)
  measuredStarts.set(block, { firstChild: block.firstChild, layoutWidth, firstWordPx })
  return firstWordPx
}

function lastCharacterRect(element: HTMLElement): DOMRect | null {
  const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  let last: Text | null = null
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Text).data.length > 0) last = node as Text
  if (!last) return null
  const range = element.ownerDocument.createRange()
  // No layout, no join (jsdom has no Range geometry).
  if (typeof range.getClientRects !== 'function') return null
  range.setStart(last, last.data.length - 1)
  range.setEnd(last, last.data.length)
  const rects = range.getClientRects()
  return rects[rects.length - 1] ?? null
}

/**
 * The room the block's first word takes on its first line, from the line's start (a label chip
 * before it included). Measured with whatever indent the block has now: a word the indent pushed
 * onto the next line is measured from that line's start, so the result never depends on the indent.
 */
function firstWordWidth(block: HTMLElement, rtl: boolean, lineHeightPx: number): number {
  const walker = block.ownerDocument.createTreeWalker(block, NodeFilter.SHOW_TEXT)
  let first: Text | null = null
  for (let node = walker.nextNode(); node && !first; node = walker.nextNode()) if ((node as Text).data.length > 0) first = node as Text
  if (!first) return 0
  let end = 0
  while (end < first.data.length && !/\s/.test(first.data[end] as string)) end++
  const range = block.ownerDocument.createRange()
  range.setStart(first, 0)
  range.setEnd(first, Math.max(1, end))
  const word = range.getClientRects()[0]
  if (!word) return 0
  const box = block.getBoundingClientRect()
  const onFirstLine = word.top < box.top + lineHeightPx / 2
  const indent = onFirstLine ? parseFloat(block.style.textIndent) || 0 : 0
  return rtl ? box.right - indent - word.left : word.right - (box.left + indent)
}
