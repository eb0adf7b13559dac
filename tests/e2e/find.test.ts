// Find in a long document (issue 10): the reader renders only the blocks on screen, so this
// proves the find bar searches the whole text. A 1 MB document, its last word found without
// its diacritics, the reader scrolled there, the match tagged with key 1.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCorpusText, paragraphsOf } from '../../bench/generate-corpus'
import { readSampleTexts } from '../../bench/generate-project'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { screenshotsFor } from '../helpers/screenshots'

// page.evaluate callbacks run in the page; these type the DOM members they use without adding
// the DOM library to the Node typecheck.
interface PageRect {
  top: number
  bottom: number
  height: number
}
interface PageRange {
  toString(): string
  getBoundingClientRect(): PageRect
}
declare const CSS: { highlights: { get(name: string): { size: number; values(): Iterable<PageRange> } | undefined } }
declare const document: { querySelector(selector: string): { getBoundingClientRect(): PageRect } | null }

const ANNOTATOR = 'Leyla Find'
const DOCUMENT_NAME = 'Long report'
const LAST_WORD = 'Şuşalıların'

let browser: Browser
let quire: LaunchedQuire
let text: string

beforeAll(async () => {
  const body = buildCorpusText(paragraphsOf(await readSampleTexts()), 1024 * 1024 - 64).text
  text = `${body}\n\nThe last word of the report is ${LAST_WORD}`
  browser = await launchChromium()
  quire = await launchQuire({ project: 'fresh' })
  await quire.edition.backend.setAnnotatorName(ANNOTATOR)
  const report = await quire.edition.backend.importTexts([{ name: `${DOCUMENT_NAME}.txt`, bytes: new TextEncoder().encode(text) }])
  expect(report.imported).toHaveLength(1)
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
})

/** The text of each find highlight now registered, and whether the current one is in the reader's view. */
async function drawnMatches(page: import('playwright-core').Page): Promise<{ all: number; current: string | null; currentInView: boolean }> {
  return page.evaluate(() => {
    const current = [...(CSS.highlights.get('quire-find-current')?.values() ?? [])][0] ?? null
    const reader = document.querySelector('[data-testid="reader"]')?.getBoundingClientRect()
    const box = current?.getBoundingClientRect()
    return {
      all: CSS.highlights.get('quire-find')?.size ?? 0,
      current: current ? current.toString() : null,
      currentInView: !!reader && !!box && box.height > 0 && box.top >= reader.top && box.bottom <= reader.bottom
    }
  })
}

describe('find in the document (browser edition)', () => {
  it('finds the last word of a 1 MB document, scrolls there and tags it with key 1', async () => {
    const shots = await screenshotsFor('find')
    const { page, problems, context } = await openQuirePage(browser, quire)
    try {
      expect(text.length).toBeGreaterThan(1_000_000)
      await page.locator('.document-option', { hasText: DOCUMENT_NAME }).click()
      await page.locator('.reader-header h1', { hasText: DOCUMENT_NAME }).waitFor()
      await page.getByTestId('reader').click({ position: { x: 40, y: 20 } })
      // The last word is far below anything rendered.
      await expect.poll(() => page.getByTestId('reader').textContent()).not.toContain(LAST_WORD)

      await page.keyboard.press('Control+f')
      const field = page.getByRole('textbox', { name: 'Find in document' })
      await expect.poll(() => field.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true)
      // Without diacritics, as an editor types on a keyboard without Azerbaijani letters.
      await field.pressSequentially('susalilarin', { delay: 30 })
      const status = page.getByRole('status').filter({ hasText: /of|No matches/ })
      await expect.poll(() => status.textContent()).toBe('1 of 1')
      await expect.poll(async () => (await drawnMatches(page)).currentInView).toBe(true)
      expect((await drawnMatches(page)).current).toBe(LAST_WORD)

      // A common word: many matches, all drawn in view, the current one apart; Enter steps on.
      await field.fill('the')
      // The status still shows the last query's "1 of 1" until the new count arrives.
      await expect.poll(() => status.getAttribute('data-query')).toBe('the')
      await expect.poll(() => status.textContent()).toMatch(/^1 of [\d,]+$/)
      const total = Number((await status.textContent())?.replace(/^1 of /, '').replace(/,/g, ''))
      expect(total).toBeGreaterThan(5000)
      await expect.poll(async () => (await drawnMatches(page)).all).toBeGreaterThan(10)
      await field.press('Enter')
      await expect.poll(() => status.textContent()).toBe(`2 of ${total.toLocaleString('en')}`)
      await field.press('Shift+Enter')
      await field.press('Shift+Enter')
      await expect.poll(() => status.textContent()).toBe(`${total.toLocaleString('en')} of ${total.toLocaleString('en')}`)

      // An invalid expression: said at the field, the matches stay.
      await page.getByRole('checkbox', { name: 'Regular expression' }).check()
      await field.fill('(the')
      await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true')
      await expect.poll(() => page.locator('#find-problem').textContent()).toBe('Not a valid regular expression: Unterminated group')
      await shots.shoot(page, 'invalid-expression')
      // A runaway expression: the worker is ended after the time limit, and the bar says so.
      await field.fill('(\\w+\\s?)+#')
      await expect.poll(() => page.locator('#find-problem').textContent(), { timeout: 15_000 }).toBe('Stopped after 2 s: the expression takes too long')
      await shots.shoot(page, 'runaway-stopped')
      await page.getByRole('checkbox', { name: 'Regular expression' }).uncheck()

      await field.fill('susalilarin')
      await expect.poll(() => status.getAttribute('data-query')).toBe('susalilarin')
      await expect.poll(() => status.textContent()).toBe('1 of 1')
      await expect.poll(async () => (await drawnMatches(page)).currentInView).toBe(true)
      await shots.shoot(page, 'find-bar')

      // Escape gives the keys back to the reader with the match selected; 1 tags it.
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByTestId('find-bar').count()).toBe(0)
      await expect.poll(() => page.getByTestId('reader').evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true)
      await page.keyboard.press('1')
      const tagged = page.locator('.reader .segment.highlight', { hasText: LAST_WORD })
      await expect.poll(() => tagged.first().textContent()).toBe(LAST_WORD)
      await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor()
      const documentId = (await quire.edition.backend.listDocuments(ANNOTATOR))[0]?.id as string
      const layer = await quire.edition.backend.getLayer({ documentId, annotator: ANNOTATOR })
      expect(layer.annotations.map((annotation) => text.slice(annotation.start, annotation.end))).toEqual([LAST_WORD])
      await shots.shoot(page, 'tagged')

      // Reopened, the bar keeps its query.
      await page.keyboard.press('Control+f')
      await expect.poll(() => field.inputValue()).toBe('susalilarin')
      expect(problems).toEqual([])
    } finally {
      await context.close()
      await shots.finish()
    }
  })
})
