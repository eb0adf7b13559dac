// A line longer than a block is cut into several blocks (src/core/text-blocks.ts), and each
// block is laid out on its own, so every cut would end a line early. Here a block that
// continues a line is drawn from where the block before it ended: its first line is indented
// by the width the text before the cut took on its last line, and pulled up onto that line.
// Lines then break exactly as one long line would (a line is filled word by word from its
// start), and the block frames' heights still add up to the text's height, since the frame
// (display: flow-root) ends where the pulled-up block ends.
//
// Whether the first word after the cut fits on that line is left to the browser's own line
// breaking: a continuing block starts with a zero-width space (app.css, `.block.continues::before`),
// a break opportunity before its first word, so a word with no room there goes to the next line
// whole, where one long line would have put it, instead of being split by overflow-wrap. So the
// word is not measured (a range and its rectangles per block brought in).

/** What the join of one block to the text before it looks like; null draws it on a line of its own. */
export interface LineJoin {
  /** Where on the shared line the block's text starts, px from the line's start edge. */
  indentPx: number
  /** The line height the block is pulled up by. */
  liftPx: number
}

/**
 * Where the text before a cut ends on its last line: the block after it starts there, unless
 * that line has no room left at all. `endPx` is measured from the line's start edge (left in
 * ltr, right in rtl).
 */
export function joinAfter(endPx: number, lineWidthPx: number, lineHeightPx: number): LineJoin | null {
  if (!(endPx > 0) || endPx >= lineWidthPx) return null
  return { indentPx: endPx, liftPx: lineHeightPx }
}

// Measuring a block forces the browser to lay it out, and each join written dirties the layout
// again, so a pass that measured every rendered block on each scroll step spent over 100 ms in
// forced layouts (a single 1 MB line). A block's end depends only on its own segments, its own
// indent and the width, so it is kept per block and measured again only when one of those
// changed: a scroll step measures at most the blocks it brings in, but the last.

/** Where a block's text ends on its last line, measured with the indent and segments it had then. */
interface MeasuredEnd {
  lastChild: Node | null
  indent: string
  layoutWidth: number
  endPx: number
  lineWidthPx: number
}

const measuredEnds = new WeakMap<HTMLElement, MeasuredEnd>()
/**
 * Blocks whose join has been written: the browser has laid them out with it. Such a block is
 * never taken out of the layout to wait for its join again (a tag key in the block before it):
 * shown again, it would be styled and laid out from scratch even when its join comes out the same.
 */
const joinedBlocks = new WeakSet<HTMLElement>()
/** The blocks' line height in a container, read once per layout width (reading a computed style restyles the blocks just rendered). */
const lineHeights = new WeakMap<HTMLElement, { layoutWidth: number; px: number }>()

/**
 * Drops what was measured of the blocks whose segments changed in these mutations. A new
 * highlight in the middle of a block (its label takes room) moves where its last line ends
 * although its last segment is the same element: the join after it must be measured again.
 */
export function forgetChangedBlocks(mutations: readonly MutationRecord[]): void {
  for (const mutation of mutations) {
    const target = mutation.target
    if (mutation.type !== 'childList' || !(target instanceof HTMLElement) || !target.classList.contains('block')) continue
    measuredEnds.delete(target)
  }
}

/**
 * Measures where these blocks end, for the blocks that will continue them. Called after a
 * layout the browser did anyway (a ResizeObserver callback: a block's first layout or a new
 * height), this costs no layout of its own; the block after one of them, rendered on a later
 * scroll step, then gets its join in the same task that inserts it, before it is first styled,
 * instead of forcing a layout of the new block to measure the one before it and laying both out
 * again once the join is written (two style and layout passes per step on a single long line).
 */
export function rememberLineEnds(blocks: Iterable<HTMLElement>, layoutWidth: number): void {
  for (const block of blocks) endOf(block, layoutWidth)
}

/**
 * Draws every rendered block that continues a line as a continuation of the block before it.
 * `layoutWidth` is the width the blocks are laid out in: measurements taken at another are stale.
 *
 * A join is written from an end measured after an earlier layout when there is one. A block whose
 * previous block has no such end (both drawn in this step, e.g. a jump or a fast scroll into a
 * single long line) is kept out of the layout (display: none) until its join is written: measuring
 * the end before it lays out everything drawn since the last frame, and a block laid out there
 * without its join would be styled and laid out again once the join is written (text-indent is
 * inherited: every segment restyled). So each block is laid out once, with the join it keeps.
 * A block joined before (its previous block changed: a new highlight, an undo) waits in place:
 * its previous end is measured with it still in the layout, where it is already laid out.
 */
export function joinLineCuts(container: HTMLElement, layoutWidth: number): void {
  const continuing = container.querySelectorAll<HTMLElement>('.block.continues')
  if (continuing.length === 0) return
  let lineHeightPx = lineHeights.get(container)?.layoutWidth === layoutWidth ? (lineHeights.get(container)?.px ?? Number.NaN) : Number.NaN
  const lineHeight = (block: HTMLElement): number => {
    if (Number.isNaN(lineHeightPx)) {
      lineHeightPx = parseFloat(getComputedStyle(block).lineHeight)
      lineHeights.set(container, { layoutWidth, px: lineHeightPx })
    }
    return lineHeightPx
  }
  const join = (block: HTMLElement, end: MeasuredEnd | null): void => {
    const height = end ? lineHeight(block) : 0
    applyJoin(block, end && height > 0 ? joinAfter(end.endPx, end.lineWidthPx, height) : null)
  }
  // First, reading no layout: joins from ends already measured, in document order (a block's own
  // join is written before the next block's check of its end). The rest wait, out of the layout.
  const waiting: { block: HTMLElement; previous: HTMLElement; hidden: boolean }[] = []
  for (const block of continuing) {
    const frame = block.parentElement
    const previous = frame?.previousElementSibling?.firstElementChild
    // The first rendered block (scrolled past, in the margin above the view) keeps the join it
    // had: dropping it would move its end, and the next block's join would have to be measured
    // again, a forced layout on every scroll step. A block rendered first with no join yet is
    // drawn on a line of its own until the block before it is rendered.
    if (!previous) continue
    if (!(previous instanceof HTMLElement) || !isBlockBefore(previous, block)) {
      applyJoin(block, null)
      continue
    }
    const known = waiting.at(-1)?.block === previous ? undefined : knownEnd(previous, layoutWidth)
    if (known) {
      join(block, known)
      continue
    }
    const hidden = !joinedBlocks.has(block)
    if (hidden) block.style.display = 'none'
    waiting.push({ block, previous, hidden })
  }
  // Then each waiting block's previous end, measured in order: the layout this forces holds the
  // previous block (with its own join now) but not the new blocks waiting after it.
  for (const { block, previous, hidden } of waiting) {
    join(block, endOf(previous, layoutWidth))
    if (hidden) block.style.display = ''
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
  joinedBlocks.add(block)
}

function isRightToLeft(block: HTMLElement): boolean {
  // The reader puts each block's direction on it; the computed style (a layout read) only without it.
  const dir = block.getAttribute('dir')
  return dir === 'rtl' || (dir !== 'ltr' && getComputedStyle(block).direction === 'rtl')
}

/** The block's end as measured with its present last segment, indent and width; undefined when it must be measured. */
function knownEnd(block: HTMLElement, layoutWidth: number): MeasuredEnd | undefined {
  const known = measuredEnds.get(block)
  return known && known.lastChild === block.lastChild && known.indent === block.style.textIndent && known.layoutWidth === layoutWidth ? known : undefined
}

function endOf(block: HTMLElement, layoutWidth: number): MeasuredEnd | null {
  const known = knownEnd(block, layoutWidth)
  if (known) return known
  const lastRect = lastCharacterRect(block)
  if (!lastRect) return null
  const box = block.getBoundingClientRect()
  const endPx = isRightToLeft(block) ? box.right - lastRect.left : lastRect.right - box.left
  const measured = { lastChild: block.lastChild, indent: block.style.textIndent, layoutWidth, endPx, lineWidthPx: box.width }
  measuredEnds.set(block, measured)
  return measured
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
