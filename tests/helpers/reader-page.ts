// Finding and selecting text in the reader from an end-to-end test, as a person would: by
// where it is drawn on screen, then dragging the mouse across it.
import type { Page } from 'playwright-core'

// The functions passed to page.evaluate run in the page. These module-local declarations give
// them types for the few DOM members they use without adding the DOM library to the Node
// typecheck (which would let DOM globals slip into main-process code unnoticed).
interface PageRect {
  left: number
  right: number
  top: number
  height: number
}
interface PageTextNode {
  textContent: string | null
}
interface PageElement {
  tagName: string
  className: string
}
interface PageDocument {
  activeElement: PageElement | null
  elementFromPoint(x: number, y: number): PageElement | null
  querySelector(selector: string): object | null
  createTreeWalker(root: object, whatToShow: number): { nextNode(): PageTextNode | null }
  createRange(): {
    setStart(node: PageTextNode, offset: number): void
    setEnd(node: PageTextNode, offset: number): void
    getClientRects(): Iterable<PageRect>
  }
}
declare const document: PageDocument
declare const NodeFilter: { SHOW_TEXT: number }
declare function requestAnimationFrame(callback: () => void): number

export interface TextBox {
  startX: number
  endX: number
  y: number
}

const READER = '[data-testid="reader"]'

/** Viewport coordinates of the first occurrence of `text` the reader (or the element `within` selects) draws on one line. */
export async function boxOfText(page: Page, text: string, within = READER): Promise<TextBox> {
  const box = await page.evaluate(({ needle, root }) => {
    const container = document.querySelector(root)
    if (!container) return null
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(needle) ?? -1
      if (at < 0) continue
      const range = document.createRange()
      range.setStart(node, at)
      range.setEnd(node, at + needle.length)
      const rects = [...range.getClientRects()]
      const first = rects[0]
      const last = rects.at(-1)
      if (!first || !last || first.top !== last.top) continue // wrapped across lines: try the next one
      return { startX: first.left + 1, endX: last.right - 1, y: first.top + first.height / 2 }
    }
    return null
  }, { needle: text, root: within })
  if (!box) throw new Error(`"${text}" is not rendered on one line in ${within === READER ? 'the reader' : within}`)
  return box
}

/**
 * Resolves once `text` is drawn at the same place in two frames a little apart: a hand aims at
 * text that holds still. First the reader's opening and the document's first suggestions are
 * waited for: their chips, drawn in the text, move the words after them (in a large project the
 * first answer waits for the project's lexicon, later than the text's first frame).
 */
async function boxHeldStill(page: Page, text: string): Promise<TextBox> {
  await page.locator('[data-testid="reader"][aria-busy="false"]').waitFor({ timeout: 60_000 })
  await page.locator('.suggestion-count', { hasText: 'Looking for suggestions' }).waitFor({ state: 'detached', timeout: 60_000 })
  let box = await boxOfText(page, text)
  for (let look = 0; look < 20; look++) {
    await page.evaluate(() => new Promise<void>((drawn) => requestAnimationFrame(() => setTimeout(drawn, 50))))
    const again = await boxOfText(page, text)
    if (again.startX === box.startX && again.y === box.y && again.endX === box.endX) return box
    box = again
  }
  throw new Error(`"${text}" kept moving in the reader for a second`)
}

/** What the page says about a drag that selected something else: where the text is now, what is under the mouse's start, what has focus. */
async function describeMissedDrag(page: Page, text: string, aimed: TextBox): Promise<string> {
  const now = await boxOfText(page, text).catch(() => null)
  const scene = await page.evaluate(({ x, y }) => {
    const name = (element: PageElement | null): string => (element ? `${element.tagName.toLowerCase()}.${String(element.className).replace(/\s+/g, '.')}` : 'nothing')
    return `under the start: ${name(document.elementFromPoint(x, y))}; focus: ${name(document.activeElement)}`
  }, { x: aimed.startX, y: aimed.y })
  const moved = now && (now.startX !== aimed.startX || now.y !== aimed.y) ? `it is now at (${Math.round(now.startX)}, ${Math.round(now.y)})` : 'it has not moved'
  return `aimed at (${Math.round(aimed.startX)}, ${Math.round(aimed.y)}), ${moved}; ${scene}`
}

/** Drags the mouse across `text` in the reader, in a few steps as a hand would. */
export async function dragAcross(page: Page, text: string): Promise<void> {
  const box = await boxHeldStill(page, text)
  await page.mouse.move(box.startX, box.y)
  await page.mouse.down()
  await page.mouse.move((box.startX + box.endX) / 2, box.y, { steps: 4 })
  await page.mouse.move(box.endX, box.y, { steps: 4 })
  await page.mouse.up()
  // A drag that missed (the text moved under the mouse) fails here, saying what it selected and
  // what was on screen, not as a highlight that never comes after the key.
  const selected = await page.evaluate(() => (globalThis as unknown as { getSelection(): { toString(): string } | null }).getSelection()?.toString() ?? '')
  if (selected.trim() !== text) {
    throw new Error(`Dragging across "${text}" selected ${selected ? `"${selected.slice(0, 80)}"` : 'nothing'} (${await describeMissedDrag(page, text, box)})`)
  }
}
