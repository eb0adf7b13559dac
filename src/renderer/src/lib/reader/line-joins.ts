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

/** Draws every rendered block that continues a line as a continuation of the block before it. */
export function joinLineCuts(container: HTMLElement): void {
  const continuing = container.querySelectorAll<HTMLElement>('.block.continues')
  if (continuing.length === 0) return
  for (const block of continuing) {
    const frame = block.parentElement
    const previous = frame?.previousElementSibling?.firstElementChild
    const join = previous instanceof HTMLElement && isBlockBefore(previous, block) ? measureJoin(previous, block) : null
    applyJoin(block, join)
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

function measureJoin(previous: HTMLElement, block: HTMLElement): LineJoin | null {
  const rtl = getComputedStyle(block).direction === 'rtl'
  const box = previous.getBoundingClientRect()
  const lastRect = lastCharacterRect(previous)
  if (!lastRect) return null
  const endPx = rtl ? box.right - lastRect.left : lastRect.right - box.left
  const lineHeightPx = parseFloat(getComputedStyle(block).lineHeight)
  if (!(lineHeightPx > 0)) return null
  return joinAfter(endPx, box.width, firstWordWidth(block, rtl), lineHeightPx)
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

/** The room the block's first word takes on its first line, from the line's start (a label chip before it included). */
function firstWordWidth(block: HTMLElement, rtl: boolean): number {
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
  const indent = parseFloat(block.style.textIndent) || 0
  return rtl ? box.right - indent - word.left : word.right - (box.left + indent)
}
