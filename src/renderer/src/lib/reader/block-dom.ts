// Builds one block's segment elements directly. A block holds up to ~100 segments and a jump
// through a long document renders dozens of blocks in one frame; creating plain spans costs a
// fraction of a component per segment (no per-segment effects, far less garbage to collect),
// which keeps such frames under 50 ms. The elements are exactly what selection.ts expects:
// one text node per segment element, which carries its document offset in data-offset.
import type { Annotation, TagDefinition } from '../../../../shared/model'
import type { BlockSegment } from './block-segments'
import { chipLabel, highlightStyle } from './highlight-style'

export interface SegmentView {
  start: number
  text: string
  /** Set on highlighted segments: the innermost annotation covering it. */
  innermost?: Annotation
  /** Only for nested or overlapped segments: the bands of the enclosing annotations. */
  style?: string
  /** Short labels of the annotations starting here, e.g. "PER ORG". */
  labels?: string
  /** The tag whose colour the labels take (the innermost annotation starting here). */
  labelTag?: string
  title?: string
  flashing: boolean
  noted: boolean
}

export interface SegmentViewContext {
  tags: readonly TagDefinition[]
  tagLabel: (tagId: string) => string
  flashId: string | null
}

export function viewSegments(segments: readonly BlockSegment[], context: SegmentViewContext): SegmentView[] {
  return segments.map((segment) => {
    const innermost = segment.covering.at(-1)
    if (!innermost) return { start: segment.start, text: segment.text, flashing: false, noted: false }
    const view: SegmentView = {
      start: segment.start,
      text: segment.text,
      innermost,
      title: segment.covering.map((a) => context.tagLabel(a.tag) + (a.note ? `: ${a.note}` : '')).join('\n'),
      flashing: context.flashId !== null && segment.covering.some((a) => a.id === context.flashId),
      noted: segment.covering.some((a) => a.note !== undefined && a.note !== '')
    }
    const style = highlightStyle(segment.covering, context.tags)
    if (style !== undefined) view.style = style
    const labels = chipLabel(segment.starting, context.tags)
    const labelTag = segment.starting.at(-1)?.tag
    if (labels !== undefined && labelTag !== undefined) {
      view.labels = labels
      view.labelTag = labelTag
    }
    return view
  })
}

/** Replaces the container's children with one span per segment. */
export function renderSegments(container: HTMLElement, views: readonly SegmentView[]): void {
  const document = container.ownerDocument
  const fragment = document.createDocumentFragment()
  for (const view of views) {
    const span = document.createElement('span')
    span.setAttribute('data-offset', String(view.start))
    if (view.innermost) {
      span.className = `segment highlight${view.flashing ? ' flash' : ''}${view.noted ? ' noted' : ''}`
      span.setAttribute('data-annotation-id', view.innermost.id)
      span.setAttribute('data-tag', view.innermost.tag)
      if (view.labels !== undefined) span.setAttribute('data-labels', view.labels)
      if (view.labelTag !== undefined) span.setAttribute('data-chip-tag', view.labelTag)
      if (view.style !== undefined) span.setAttribute('style', view.style)
      if (view.title) span.title = view.title
    } else {
      span.className = 'segment'
    }
    span.appendChild(document.createTextNode(view.text))
    fragment.appendChild(span)
  }
  container.replaceChildren(fragment)
}

/** True when both lists would render the same elements (so a block need not be rebuilt). */
export function sameSegmentViews(a: readonly SegmentView[], b: readonly SegmentView[]): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) {
    const x = a[index] as SegmentView
    const y = b[index] as SegmentView
    if (
      x.start !== y.start ||
      x.text !== y.text ||
      x.innermost?.id !== y.innermost?.id ||
      x.innermost?.tag !== y.innermost?.tag ||
      x.style !== y.style ||
      x.labels !== y.labels ||
      x.labelTag !== y.labelTag ||
      x.title !== y.title ||
      x.flashing !== y.flashing ||
      x.noted !== y.noted
    ) {
      return false
    }
  }
  return true
}
