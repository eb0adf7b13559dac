// Suggestions in a real Chromium against the browser edition: the sample project, where Leyla
// and Rashad have tagged both texts, opened by Ayla, whose layer is empty. Their names are
// suggested to her dashed; she accepts one with a click, rejects another, reloads (the
// rejected one stays away, the accepted one is her span), and accepts all, then undoes it.
//
// Screenshots: run with QUIRE_SCREENSHOTS=DIR to keep them (suggestions-*.png: the suggestions
// drawn, the popover, after accept and reject, after reload), e.g.
//   QUIRE_SCREENSHOTS=/tmp/shots-suggest npx vitest run --project e2e tests/e2e/suggestions.test.ts
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, launchQuire, openQuirePage } from '../helpers/quire'
import { screenshotsFor, type Screenshots } from '../helpers/screenshots'

// The page's document, inside evaluate callbacks (this file is typed for Node).
declare const document: { activeElement: unknown }

let browser: Browser
let screenshots: Screenshots

beforeAll(async () => {
  browser = await launchChromium()
  screenshots = await screenshotsFor('suggestions')
})
afterAll(async () => {
  await browser?.close()
  await screenshots?.finish()
})

const ME = 'Ayla'
const DOCUMENT = 'icesco-science-cooperation'

/** The keys of the suggestions drawn now, in text order. */
async function drawnSuggestions(page: Page): Promise<string[]> {
  const keys = await page.locator('[data-suggestion]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-suggestion') ?? ''))
  return [...new Set(keys)]
}

describe('suggestions in the reader', () => {
  it('accepts and rejects suggestions; a rejected one stays rejected after a reload; accept all is one undo', async () => {
    const quire = await launchQuire({ project: 'none' })
    try {
      const { page, problems } = await openQuirePage(browser, quire)
      const nameDialog = page.getByRole('dialog', { name: 'Who is annotating?' })
      await nameDialog.getByLabel('Your name').fill(ME)
      await nameDialog.getByRole('button', { name: 'Continue' }).click()
      await page.getByRole('button', { name: 'Open sample project' }).click()
      await page.getByRole('heading', { name: DOCUMENT }).waitFor()
      const documentId = (await quire.edition.backend.listDocuments(ME)).find((document) => document.name === DOCUMENT)?.id as string
      const layer = { documentId, annotator: ME }

      // Leyla's and Rashad's names, suggested to Ayla, whose layer is empty.
      const expected = await quire.edition.backend.getSuggestions(layer)
      expect(expected.suggestions.length).toBeGreaterThan(3)
      const bar = page.getByRole('group', { name: 'Suggestions' })
      await expect.poll(() => bar.getByRole('status').textContent()).toBe(`${expected.suggestions.length} suggestions`)
      await expect.poll(() => drawnSuggestions(page)).toEqual(expected.suggestions.map((suggestion) => suggestion.key))
      // The chip says it is a suggestion (a question), not only the dashes.
      const first = expected.suggestions[0]!
      const firstMark = page.locator(`[data-suggestion="${first.key}"]`).first()
      expect(await firstMark.getAttribute('data-labels')).toMatch(/\?$/)
      await screenshots.shoot(page, 'drawn')

      // Accept the first with a click: a span of Ayla's, recorded as from a suggestion.
      await firstMark.click()
      const popover = page.getByRole('dialog', { name: new RegExp(first.text) })
      await popover.waitFor()
      await expect.poll(() => popover.getByRole('button', { name: /Accept/ }).evaluate((button) => button === document.activeElement)).toBe(true)
      await screenshots.shoot(page, 'popover')
      await popover.getByRole('button', { name: /Accept/ }).click()
      await expect.poll(async () => (await quire.edition.backend.getLayer(layer)).annotations.map((a) => [a.start, a.tag, a.provenance.source])).toEqual([[first.start, first.tag, 'suggestion']])
      await page.locator(`[data-annotation-id]`).first().waitFor()

      // Reject the second: hidden, and saved as rejected.
      const second = expected.suggestions[1]!
      await page.locator(`[data-suggestion="${second.key}"]`).first().click()
      await page.getByRole('dialog', { name: new RegExp(second.text) }).getByRole('button', { name: /Reject/ }).click()
      await expect.poll(() => drawnSuggestions(page)).not.toContain(second.key)
      await expect.poll(async () => (await quire.edition.backend.getSuggestions(layer)).rejected).toBe(1)
      await screenshots.shoot(page, 'accepted-and-rejected')

      // After a reload: still rejected, still accepted.
      await page.reload()
      await page.getByRole('navigation', { name: 'Documents' }).getByRole('option', { name: new RegExp(DOCUMENT) }).click()
      await page.getByRole('heading', { name: DOCUMENT }).waitFor()
      const remaining = expected.suggestions.length - 2
      await expect.poll(() => bar.getByRole('status').textContent()).toBe(`${remaining} suggestions, 1 rejected before`)
      const drawn = await drawnSuggestions(page)
      expect(drawn).not.toContain(second.key)
      expect(drawn).not.toContain(first.key)
      expect(await page.locator('[data-annotation-id]').count()).toBeGreaterThan(0)
      await screenshots.shoot(page, 'after-reload')

      // Accept all: every one a span; Ctrl+Z takes them all back in one step. The bar's buttons go
      // and come back, and the text under the bar stays where it was (a hand may be about to drag).
      const readerTop = (): Promise<number> => page.getByTestId('reader').evaluate((reader) => reader.getBoundingClientRect().top)
      const topWithButtons = await readerTop()
      await bar.getByRole('button', { name: `Accept all ${remaining} suggestions` }).click()
      await expect.poll(() => drawnSuggestions(page)).toEqual([])
      expect(await bar.getByRole('button').count()).toBe(0)
      expect(await readerTop()).toBe(topWithButtons)
      await expect.poll(async () => (await quire.edition.backend.getLayer(layer)).annotations.length).toBe(remaining + 1)
      await page.getByTestId('reader').focus()
      await page.keyboard.press('Control+z')
      await expect.poll(async () => (await quire.edition.backend.getLayer(layer)).annotations.length).toBe(1)
      await expect.poll(async () => (await drawnSuggestions(page)).length).toBe(remaining)
      expect(problems).toEqual([])
    } finally {
      await quire.close()
    }
  })
})
