// Builds one block's segment elements directly. A block holds up to ~100 segments and a jump
// through a long document renders dozens of blocks in one frame; creating plain spans costs a
// fraction of a component per segment (no per-segment effects, far less garbage to collect),
// which keeps such frames under 50 ms. The elements are exactly what selection.ts expects:
// one text node per segment element, which carries its document offset in data-offset.
import type { TagDefinition } from '../../../../shared/model'
import type { BlockSegment } from './block-segments'
import { bandStyle } from './highlight-style'
import { FILLED_STYLES, type MarkStyle, type ReaderMark } from './marks'

export interface SegmentView {
  start: number
  text: string
  /** The innermost filled mark (your span, an agreed position) covering the segment. */
  fill?: ReaderMark
  /** The innermost outlined mark (a colleague's span, a disagreement) covering it. */
  box?: ReaderMark
  /** The outline's left and right edges are drawn where its mark starts and ends. */
  boxStart: boolean
  boxEnd: boolean
  /** Only for nested or overlapped segments: the bands of the enclosing marks. */
  style?: string
  /** Chips of the marks starting here, e.g. "PER ORG·AB". */
  labels?: string
  /** The tag whose colour the chip takes, and its look (the innermost mark starting here). */
  labelTag?: string
  labelStyle?: MarkStyle
  title?: string
  /** Every covering mark as a screen reader says it ("Person, by Leyla"): the highlight's accessible description. */
  description?: string
  flashing: boolean
  noted: boolean
  /** Covered by the compared position being looked at now. */
  current?: boolean
  commented?: boolean
}

export interface SegmentViewContext {
  tags: readonly TagDefinition[]
  /** The mark (by key or id) to flash. */
  flashId: string | null
}

// Made for every segment a scroll brings into view: a segment under one mark (most of them) takes
// its strings from the mark as they are, and no list or callback is made for it.
export function viewSegments(segments: readonly BlockSegment<ReaderMark>[], context: SegmentViewContext): SegmentView[] {
  return segments.map((segment) => {
    const view: SegmentView = { start: segment.start, text: segment.text, boxStart: false, boxEnd: false, flashing: false, noted: false }
    const covering = segment.covering
    if (covering.length === 0) return view
    let fill: ReaderMark | undefined
    let box: ReaderMark | undefined
    for (const mark of covering) {
      if (FILLED_STYLES.has(mark.style)) fill = mark
      else box = mark
      if (context.flashId !== null && (mark.key === context.flashId || mark.id === context.flashId)) view.flashing = true
      if (mark.noted) view.noted = true
      if (mark.current) view.current = true
      if (mark.commented) view.commented = true
    }
    if (fill) view.fill = fill
    if (box) {
      view.box = box
      view.boxStart = box.start === segment.start
      view.boxEnd = box.end === segment.end
    }
    const only = covering.length === 1 ? covering[0] : undefined
    view.title = only ? only.title : covering.map((mark) => mark.title).join('\n')
    view.description = only ? only.spoken : covering.map((mark) => mark.spoken).join('; ')
    // Enclosing marks, nearest first, each as one more band below the text.
    if (covering.length > (fill ? 1 : 0) + (box ? 1 : 0)) {
      const outer = covering.filter((mark) => mark !== fill && mark !== box).reverse()
      const style = bandStyle(
        outer.map((mark) => mark.tag),
        context.tags
      )
      if (style !== undefined) view.style = style
    }
    const starting = segment.starting
    const innermostStarting = starting.at(-1)
    if (innermostStarting) {
      view.labels = starting.length === 1 ? innermostStarting.chip : starting.map((mark) => mark.chip).join(' ')
      view.labelTag = innermostStarting.tag
      view.labelStyle = innermostStarting.style
    }
    return view
  })
}

/** Replaces the container's children with one span per segment. */
export function renderSegments(container: HTMLElement, views: readonly SegmentView[]): void {
  const document = container.ownerDocument
  const fragment = document.createDocumentFragment()
  for (const view of views) fragment.appendChild(segmentElement(document, view))
  container.replaceChildren(fragment)
}

/**
 * Brings the container from `shown` (the views it was last rendered with) to `views`, building
 * only the segments between the unchanged ones at its start and end. A new highlight changes a
 * segment or two of a block's hundred or more: the rest keep their elements, so the browser
 * styles and paints only what changed, not the whole block, in the frame that shows it.
 */
export function updateSegments(container: HTMLElement, shown: readonly SegmentView[], views: readonly SegmentView[]): void {
  const children = container.children
  if (shown.length === 0 || children.length !== shown.length || container.childNodes.length !== shown.length) {
    renderSegments(container, views)
    return
  }
  const shortest = Math.min(shown.length, views.length)
  let head = 0
  while (head < shortest && sameSegmentView(shown[head] as SegmentView, views[head] as SegmentView)) head++
  let tail = 0
  while (tail < shortest - head && sameSegmentView(shown[shown.length - 1 - tail] as SegmentView, views[views.length - 1 - tail] as SegmentView)) tail++
  const document = container.ownerDocument
  const fragment = document.createDocumentFragment()
  for (let index = head; index < views.length - tail; index++) fragment.appendChild(segmentElement(document, views[index] as SegmentView))
  const after = children[shown.length - tail] ?? null
  for (let index = shown.length - tail - 1; index >= head; index--) children[index]?.remove()
  container.insertBefore(fragment, after)
}

function segmentElement(document: Document, view: SegmentView): HTMLSpanElement {
  const span = document.createElement('span')
  span.setAttribute('data-offset', String(view.start))
  const { fill, box } = view
  if (fill || box) {
    let className = 'segment'
    if (fill) className += ' highlight'
    if (box) className += ` boxed box-${box.style}${view.boxStart ? ' box-start' : ''}${view.boxEnd ? ' box-end' : ''}`
    if (view.flashing) className += ' flash'
    if (view.current) className += ' current-position'
    if (view.noted) className += ' noted'
    if (view.commented) className += ' commented'
    span.className = className
    span.setAttribute('data-mark', '')
    if (fill?.style === 'own') span.setAttribute('data-annotation-id', fill.id)
    if (box?.style === 'suggestion') span.setAttribute('data-suggestion', box.id)
    if (fill) span.setAttribute('data-tag', fill.tag)
    if (box) span.setAttribute('data-box-tag', box.tag)
    if (view.labels !== undefined && view.labelTag !== undefined) {
      span.setAttribute('data-labels', view.labels)
      span.setAttribute('data-chip-tag', view.labelTag)
      if (view.labelStyle !== 'own') span.setAttribute('data-chip-style', view.labelStyle ?? 'own')
    }
    if (view.style !== undefined) span.setAttribute('style', view.style)
    if (view.title) span.title = view.title
    // A highlight is announced as one ("mark", ARIA 1.3) with its tag and annotator as its
    // description: two attributes, no extra element, so the reader stays as light to build.
    span.setAttribute('role', 'mark')
    if (view.description) span.setAttribute('aria-description', view.description)
  } else {
    span.className = 'segment'
  }
  span.appendChild(document.createTextNode(view.text))
  return span
}

/** True when both lists would render the same elements (so a block need not be rebuilt). */
export function sameSegmentViews(a: readonly SegmentView[], b: readonly SegmentView[]): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) if (!sameSegmentView(a[index] as SegmentView, b[index] as SegmentView)) return false
  return true
}

function sameSegmentView(x: SegmentView, y: SegmentView): boolean {
  return (
    x.start === y.start &&
    x.text === y.text &&
    sameMark(x.fill, y.fill) &&
    sameMark(x.box, y.box) &&
    x.boxStart === y.boxStart &&
    x.boxEnd === y.boxEnd &&
    x.style === y.style &&
    x.labels === y.labels &&
    x.labelTag === y.labelTag &&
    x.labelStyle === y.labelStyle &&
    x.title === y.title &&
    x.description === y.description &&
    x.flashing === y.flashing &&
    x.current === y.current &&
    x.commented === y.commented &&
    x.noted === y.noted
  )
}

function sameMark(a: ReaderMark | undefined, b: ReaderMark | undefined): boolean {
  if (a === b) return true
  if (!a || !b) return false
  return a.key === b.key && a.tag === b.tag && a.style === b.style
}
