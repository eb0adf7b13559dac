// Maps between DOM positions inside the reader and UTF-16 document offsets. Every text node
// in the reader is the only child of a segment element carrying data-offset (its document
// offset), so a DOM point converts with one attribute read. Label chips are CSS pseudo-
// elements and add no text nodes, so they never shift an offset.

import { noteSelectionShown, selectionKnownEmpty } from './selection-presence'

const SEGMENT_SELECTOR = '[data-offset]'

function segmentStart(element: Element): number | null {
  const value = element.getAttribute('data-offset')
  if (value === null) return null
  const offset = Number(value)
  return Number.isFinite(offset) ? offset : null
}

function segmentLength(element: Element): number {
  return element.textContent?.length ?? 0
}

/** The document offset of a DOM point, or null when the point is outside any rendered text. */
export function domPointToOffset(node: Node, nodeOffset: number, root: Element): number | null {
  if (!root.contains(node)) return null
  if (node.nodeType === Node.TEXT_NODE) {
    const segment = node.parentElement?.closest(SEGMENT_SELECTOR)
    const start = segment ? segmentStart(segment) : null
    return start === null ? null : start + nodeOffset
  }
  const element = node as Element
  if (element.matches?.(SEGMENT_SELECTOR)) {
    const start = segmentStart(element)
    return start === null ? null : start + (nodeOffset === 0 ? 0 : segmentLength(element))
  }
  // A point between children: the first segment at or after it, else the end of the last one before it.
  const children = element.childNodes
  for (let index = nodeOffset; index < children.length; index++) {
    const child = children[index]
    const segment = child instanceof Element ? (child.matches(SEGMENT_SELECTOR) ? child : child.querySelector(SEGMENT_SELECTOR)) : null
    const start = segment ? segmentStart(segment) : null
    if (start !== null) return start
  }
  for (let index = Math.min(nodeOffset, children.length) - 1; index >= 0; index--) {
    const child = children[index]
    if (!(child instanceof Element)) continue
    const segments = child.matches(SEGMENT_SELECTOR) ? [child] : [...child.querySelectorAll(SEGMENT_SELECTOR)]
    const last = segments.at(-1)
    const start = last ? segmentStart(last) : null
    if (last && start !== null) return start + segmentLength(last)
  }
  return null
}

/** The text node and offset inside it for a document offset, when that text is rendered. */
export function offsetToDomPoint(offset: number, root: Element): { node: Node; offset: number } | null {
  let best: { node: Node; offset: number } | null = null
  for (const segment of root.querySelectorAll(SEGMENT_SELECTOR)) {
    const start = segmentStart(segment)
    if (start === null) continue
    const length = segmentLength(segment)
    if (offset >= start && offset <= start + length) {
      const textNode = segment.firstChild
      if (!textNode) continue
      best = { node: textNode, offset: offset - start }
      // Prefer the segment the offset is inside over the one it ends.
      if (offset < start + length) return best
    }
  }
  return best
}

export interface SelectionOffsets {
  anchor: number
  focus: number
}

/** The document offsets of a DOM selection inside `root`, or null when it is not in the reader. */
export function selectionToOffsets(selection: Selection | null, root: Element): SelectionOffsets | null {
  if (!selection || selection.rangeCount === 0 || !selection.anchorNode || !selection.focusNode) return null
  const anchor = domPointToOffset(selection.anchorNode, selection.anchorOffset, root)
  const focus = domPointToOffset(selection.focusNode, selection.focusOffset, root)
  if (anchor === null || focus === null) return null
  return { anchor, focus }
}

/** Shows a selection (or caret) made with the keyboard; returns false when its text is not rendered. */
export function showSelection(selection: Selection | null, root: Element, anchor: number, focus: number): boolean {
  if (!selection) return false
  const anchorPoint = offsetToDomPoint(anchor, root)
  const focusPoint = offsetToDomPoint(focus, root)
  if (!anchorPoint || !focusPoint) return false
  noteSelectionShown(root.ownerDocument)
  selection.setBaseAndExtent(anchorPoint.node, anchorPoint.offset, focusPoint.node, focusPoint.offset)
  return true
}

/**
 * Runs `repaint`, which replaces some of `container`'s segment elements, keeping the window's
 * selection at the same document offsets. A removed text node hands the selection's end in it
 * to its parent, which reads as the block's start: a drag under way when a colleague's layer or
 * a suggestion redraws the block would otherwise select from there.
 */
export function repaintKeepingSelection(container: Element, repaint: () => void): void {
  // A block drawn for the first time holds no selection; and reading a window's empty
  // selection lays the page out first (selection-presence.ts): a forced layout per block drawn.
  if (!container.firstChild || selectionKnownEmpty(container.ownerDocument)) {
    repaint()
    return
  }
  const selection = container.ownerDocument.getSelection()
  const { anchorNode, anchorOffset, focusNode, focusOffset } = selection ?? {}
  const anchorAt = selection?.rangeCount && anchorNode && container.contains(anchorNode) ? domPointToOffset(anchorNode, anchorOffset ?? 0, container) : null
  const focusAt = selection?.rangeCount && focusNode && container.contains(focusNode) ? domPointToOffset(focusNode, focusOffset ?? 0, container) : null
  repaint()
  if (!selection || (anchorAt === null && focusAt === null)) return
  const anchor = anchorAt === null ? null : offsetToDomPoint(anchorAt, container)
  const focus = focusAt === null ? null : offsetToDomPoint(focusAt, container)
  const unmoved = (point: { node: Node; offset: number } | null, node: Node | null, offset: number): boolean => point === null || (point.node === node && point.offset === offset)
  if (unmoved(anchor, selection.anchorNode, selection.anchorOffset) && unmoved(focus, selection.focusNode, selection.focusOffset)) return
  const anchorPoint = anchor ?? { node: selection.anchorNode, offset: selection.anchorOffset }
  const focusPoint = focus ?? { node: selection.focusNode, offset: selection.focusOffset }
  if (!anchorPoint.node || !focusPoint.node) return
  noteSelectionShown(container.ownerDocument)
  selection.setBaseAndExtent(anchorPoint.node, anchorPoint.offset, focusPoint.node, focusPoint.offset)
}
