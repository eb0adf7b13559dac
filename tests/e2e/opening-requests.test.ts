// How the browser edition's page asks for its first document (src/renderer/early-start.js): a
// short one comes in the start, by the page's own fetch, with no worker started while it opens; a
// long one is left out of the start, which carries its first screen instead, and is asked for
// through the request worker once that is painted, so its megabytes are taken in off the page's
// thread. Later requests go through the worker once the opening has settled. The limit is lowered
// here so a short text stands for a long one.
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { collectPageProblems, launchChromium, launchQuire, type LaunchedQuire } from '../helpers/quire'

const ANNOTATOR = 'Şəki Əliyeva'
const LONG_TEXT = 'Emin Amrullayev met ISESCO in Rabat on the “co-operation” programme.\n'.repeat(40)
const SHORT_TEXT = 'A short note on ICESCO.'

let browser: Browser
const launched: LaunchedQuire[] = []

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  await Promise.all(launched.splice(0).map((quire) => quire.close()))
})

async function projectOpeningWith(firstText: string): Promise<LaunchedQuire> {
  const quire = await launchQuire({ startDocumentMaxCharacters: 1000 })
  launched.push(quire)
  await quire.edition.backend.setAnnotatorName(ANNOTATOR)
  await quire.edition.backend.importTexts([
    { name: 'a first text.txt', bytes: new TextEncoder().encode(firstText) },
    { name: 'b second text.txt', bytes: new TextEncoder().encode('The second text.') }
  ])
  return quire
}

/** The page, opened with its API requests recorded from the start, in the order they were made. */
async function openRecording(quire: LaunchedQuire) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' })
  const page = await context.newPage()
  const problems = collectPageProblems(page)
  const requests: string[] = []
  page.on('request', (request) => {
    const { pathname } = new URL(request.url())
    if (pathname.startsWith('/api/')) requests.push(pathname.slice('/api/'.length))
  })
  await page.goto(quire.url)
  return { context, page, problems, requests }
}

/** The API calls the page fetched itself: a worker's fetches are in the worker's timeline, not the page's. */
function fetchedByThePage(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((pathname) => pathname.startsWith('/api/'))
      .map((pathname) => pathname.slice('/api/'.length))
  )
}

const heading = (page: Page, name: string) => page.locator('.reader-header h1', { hasText: name })

describe('opening the first document (browser edition)', () => {
  it('brings a short first document in the start, starting no worker until the opening has settled', async () => {
    const quire = await projectOpeningWith(SHORT_TEXT)
    const { page, problems, context, requests } = await openRecording(quire)
    await heading(page, 'a first text').waitFor()
    expect(await page.locator('.reader').textContent()).toContain(SHORT_TEXT)
    expect(page.workers()).toHaveLength(0)
    expect(requests.filter((request) => request === 'getDocument')).toEqual([])
    // Settled: the worker starts and makes the next requests.
    await expect.poll(() => page.workers().length, { timeout: 5000 }).toBe(1)
    await page.locator('.document-option', { hasText: 'b second text' }).click()
    await heading(page, 'b second text').waitFor()
    expect(requests.filter((request) => request === 'getDocument')).toEqual(['getDocument'])
    const byPage = await fetchedByThePage(page)
    expect(byPage).toContain('getStartup')
    expect(byPage).not.toContain('getDocument')
    expect(problems).toEqual([])
    await context.close()
  })

  it('draws the first screen a start carries of a long first document, then asks the worker for the whole of it', async () => {
    const quire = await projectOpeningWith(LONG_TEXT)
    const { page, problems, context, requests } = await openRecording(quire)
    await heading(page, 'a first text').waitFor()
    await expect.poll(() => page.locator('.reader').textContent()).toContain('Emin Amrullayev met ISESCO in Rabat')
    // The whole document took the first screen's place.
    await page.locator('[data-testid="reader"][aria-busy="false"]').waitFor()
    expect(page.workers()).toHaveLength(1)
    // The change feed is first asked a second after the start, which carries its count; whenever
    // it comes, it changes nothing (main keeps the document it framed ahead for the request that
    // follows, src/main/startup-ahead.ts).
    expect(requests.filter((request) => request !== 'getProjectChanges').slice(0, 2)).toEqual(['getStartup', 'getDocument'])
    // Asked for once, by the worker.
    expect(requests.filter((request) => request === 'getDocument')).toHaveLength(1)
    expect(await fetchedByThePage(page)).toEqual(['getStartup'])
    expect(problems).toEqual([])
    await context.close()
  })
})
