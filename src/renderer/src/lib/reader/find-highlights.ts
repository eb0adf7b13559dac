// Draws the find bar's matches in the reader with the CSS Custom Highlight API: a Range per
// match in the rendered blocks, registered as named highlights that CSS styles
// (::highlight(quire-find) and ::highlight(quire-find-current)). Thousands of matches then
// cost no DOM nodes and never touch the blocks' own elements; only the blocks on screen are
// in the DOM (the reader is virtualised), so ranges are made again whenever blocks render.

export const FIND_HIGHLIGHT = 'quire-find'
export const FIND_CURRENT_HIGHLIGHT = 'quire-find-current'

export interface MatchesToDraw {
  offsets: Int32Array
  count: number
  current: number
}

interface RenderedSegment {
  start: number
  end: number
  node: Text
}

interface HighlightRegistry {
  set(name: string, highlight: unknown): void
  delete(name: string): void
}

type HighlightConstructor = new (...ranges: Range[]) => unknown

function highlightApi(): { registry: HighlightRegistry; Highlight: HighlightConstructor } | null {
  const registry = (globalThis.CSS as unknown as { highlights?: HighlightRegistry } | undefined)?.highlights
  const Highlight = (globalThis as unknown as { Highlight?: HighlightConstructor }).Highlight
  return registry && Highlight ? { registry, Highlight } : null
}

/** The rendered text segments in document order (each is one element with one text node). */
function renderedSegments(root: Element): RenderedSegment[] {
  const segments: RenderedSegment[] = []
  for (const element of root.querySelectorAll('[data-offset]')) {
    const node = element.firstChild
    if (!(node instanceof Text)) continue
    const start = Number(element.getAttribute('data-offset'))
    if (!Number.isFinite(start)) continue
    segments.push({ start, end: start + node.data.length, node })
  }
  return segments
}

/** The last segment starting at or before `offset` (-1 when none). */
function segmentAt(segments: readonly RenderedSegment[], offset: number): number {
  let low = 0
  let high = segments.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((segments[middle] as RenderedSegment).start <= offset) low = middle + 1
    else high = middle
  }
  return low - 1
}

/** A DOM point for an offset: inside its segment, or the end of the segment before a gap (a line break between blocks). */
function pointAt(segments: readonly RenderedSegment[], offset: number): { node: Text; offset: number } | null {
  const index = segmentAt(segments, offset)
  if (index < 0) {
    const first = segments[0]
    return first ? { node: first.node, offset: 0 } : null
  }
  const segment = segments[index] as RenderedSegment
  return { node: segment.node, offset: Math.min(offset, segment.end) - segment.start }
}

/** The ranges of the matches that fall in the rendered text: all of them, and the current one. */
export function matchRanges(root: Element, matches: MatchesToDraw): { all: Range[]; current: Range | null } {
  const segments = renderedSegments(root)
  const all: Range[] = []
  let current: Range | null = null
  const first = segments[0]
  const last = segments.at(-1)
  if (!first || !last || matches.count === 0) return { all, current }
  const { offsets } = matches
  // The first match ending after the rendered text starts.
  let low = 0
  let high = matches.count
  while (low < high) {
    const middle = (low + high) >> 1
    if ((offsets[middle * 2 + 1] ?? 0) <= first.start) low = middle + 1
    else high = middle
  }
  const document = root.ownerDocument
  for (let index = low; index < matches.count; index++) {
    const start = offsets[index * 2] ?? 0
    const end = offsets[index * 2 + 1] ?? 0
    if (start >= last.end) break
    const from = pointAt(segments, Math.max(start, first.start))
    const to = pointAt(segments, Math.min(end, last.end))
    if (!from || !to) continue
    const range = document.createRange()
    range.setStart(from.node, from.offset)
    range.setEnd(to.node, to.offset)
    if (index === matches.current) current = range
    else all.push(range)
  }
  return { all, current }
}

/**
 * Keeps the highlights in step with the matches and with what the reader renders: any change
 * under `root` (blocks scrolled in, a block repainted after tagging) redraws them in the next
 * frame, once.
 */
export class FindHighlighter {
  readonly #root: Element
  readonly #observer: MutationObserver | null
  #matches: MatchesToDraw | null = null
  #frame: number | null = null

  constructor(root: Element) {
    this.#root = root
    this.#observer = typeof MutationObserver === 'undefined' ? null : new MutationObserver(() => this.#schedule())
    this.#observer?.observe(root, { childList: true, subtree: true })
  }

  show(matches: MatchesToDraw | null): void {
    this.#matches = matches
    this.#draw()
  }

  dispose(): void {
    this.#observer?.disconnect()
    if (this.#frame !== null) cancelAnimationFrame(this.#frame)
    this.#clear()
  }

  #schedule(): void {
    if (this.#frame !== null || !this.#matches) return
    this.#frame = requestAnimationFrame(() => {
      this.#frame = null
      this.#draw()
    })
  }

  #draw(): void {
    const api = highlightApi()
    if (!api) return
    if (!this.#matches) {
      this.#clear()
      return
    }
    const { all, current } = matchRanges(this.#root, this.#matches)
    api.registry.set(FIND_HIGHLIGHT, new api.Highlight(...all))
    if (current) api.registry.set(FIND_CURRENT_HIGHLIGHT, new api.Highlight(current))
    else api.registry.delete(FIND_CURRENT_HIGHLIGHT)
  }

  #clear(): void {
    const api = highlightApi()
    api?.registry.delete(FIND_HIGHLIGHT)
    api?.registry.delete(FIND_CURRENT_HIGHLIGHT)
  }
}
