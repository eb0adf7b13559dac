// Hostile texts, names and notes in a real Chromium: a text full of HTML, <script>, event
// handlers and javascript: links, imported through the UI under a file name that is itself
// markup with a bidi override, annotated with a note carrying a payload. Every payload would
// set window.__pwned, open a dialog or fetch /pwned-*; the test proves none did, that the
// characters are shown literally, that names are bidi-isolated, and that zero-width
// characters do not shift offsets.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asUtf16 } from '../../src/shared/model'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { boxOfText } from '../helpers/reader-page'

// page.evaluate callbacks run in the page; these declarations type the DOM members they use
// without adding the DOM library to the Node typecheck.
interface PageRect {
  left: number
  right: number
  top: number
  height: number
}
interface PageNode {
  textContent: string | null
  parentElement: PageElement | null
}
interface PageElement extends PageNode {
  tagName: string
  getBoundingClientRect(): PageRect
  querySelectorAll(selector: string): ArrayLike<PageElement>
  querySelector(selector: string): PageElement | null
  closest(selector: string): PageElement | null
}
interface PageDocument {
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): ArrayLike<PageElement>
  createTreeWalker(root: object, whatToShow: number): { nextNode(): PageNode | null }
}
declare const document: PageDocument
declare const window: { __pwned?: unknown; getComputedStyle(element: PageElement): { unicodeBidi: string } }
declare const NodeFilter: { SHOW_TEXT: number }

const RLO = '\u202E'
const ZWSP = '\u200B'
const ZWJ = '\u200D'
const BOM = '\uFEFF'

/** Each payload, if it ever ran or became markup, sets __pwned, alerts or fetches /pwned-*. */
const PAYLOADS = [
  `<script>window.__pwned = 'script'; alert('script')</script>`,
  `<img src="/pwned-img" onerror="window.__pwned = 'img'; alert('img')">`,
  `<a href="javascript:window.__pwned='link'">click me</a>`,
  `<svg onload="window.__pwned = 'svg'"><animate onbegin="window.__pwned='svg2'"/></svg>`,
  `<iframe src="javascript:parent.__pwned='iframe'"></iframe>`,
  `<style>@import url(/pwned-css);</style><link rel="stylesheet" href="/pwned-link">`,
  `{{constructor.constructor('window.__pwned = "template"')()}} \${window.__pwned = 'literal'}`
]
const PERSON = 'Emin Amrullayev'
const HOSTILE_TEXT = [
  ...PAYLOADS,
  `Bidi: invoice${RLO}fdp.exe and more text after it.`,
  `Zero${ZWSP}width${ZWJ}joiner${BOM}bom then ${PERSON} met ISESCO.`,
  ''
].join('\n')
// No "/" in file names: Quire rightly keeps only the part after the last one.
const HOSTILE_FILE_NAME = `<img src=pwned-name onerror=alert(1)>${RLO}gnp.txt`
const HOSTILE_DOCUMENT_NAME = HOSTILE_FILE_NAME.replace(/\.txt$/, '')
const REFUSED_FILE_NAME = `<svg onload=alert('refused')><script>alert(2)<${RLO}txt.exe`
const NOTE_PAYLOAD = `<img src="/pwned-note" onerror="window.__pwned='note'"><script>window.__pwned='note2'</script>${RLO}reversed?`
const ANNOTATOR = `<b onmouseover="window.__pwned='annotator'">Ayla</b>${RLO}`

let browser: Browser
let quire: LaunchedQuire

beforeAll(async () => {
  browser = await launchChromium()
  quire = await launchQuire({ project: 'fresh' })
  await quire.edition.backend.setAnnotatorName(ANNOTATOR)
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
})

/**
 * For each element matching `selector` whose text contains `name`: whether the text node holding
 * it sits in a bidi isolate (a <bdi>, dir attribute or unicode-bidi isolate/plaintext) inside
 * that element, so the override inside cannot reorder what surrounds it.
 */
async function nameIsIsolated(page: Page, selector: string, name: string): Promise<boolean[]> {
  return page.evaluate(
    ([css, text]) => {
      const results: boolean[] = []
      for (const container of Array.from(document.querySelectorAll(css))) {
        const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent?.includes(text)) continue
          let isolated = false
          for (let element = node.parentElement; element; element = element.parentElement) {
            const bidi = window.getComputedStyle(element).unicodeBidi
            if (bidi === 'isolate' || bidi === 'plaintext' || bidi === 'isolate-override') isolated = true
            if (element === container) break
          }
          results.push(isolated)
        }
      }
      return results
    },
    [selector, name] as const
  )
}

describe('hostile text (browser edition)', () => {
  it('renders hostile texts, names and notes as inert, literal text', async () => {
    const { page, problems, context } = await openQuirePage(browser, quire)
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    const pwnedRequests: string[] = []
    page.on('request', (request) => {
      if (/\/pwned/.test(request.url()) || request.url().startsWith('javascript:')) pwnedRequests.push(request.url())
    })

    // Import through the UI: one hostile text, one refused (empty) file with a hostile name.
    await page.locator('[data-testid="import-file-input"]').setInputFiles([
      { name: HOSTILE_FILE_NAME, mimeType: 'text/plain', buffer: Buffer.from(HOSTILE_TEXT, 'utf8') },
      { name: REFUSED_FILE_NAME, mimeType: 'text/plain', buffer: Buffer.alloc(0) }
    ])
    const report = page.getByRole('dialog', { name: 'Import finished' })
    await report.waitFor()
    await expect.poll(() => report.getByRole('list', { name: 'Imported' }).textContent()).toContain(HOSTILE_FILE_NAME)
    const refused = report.getByRole('list', { name: 'Refused' })
    expect(await refused.textContent()).toContain(`${REFUSED_FILE_NAME}: "${REFUSED_FILE_NAME}" is empty`)
    expect(await report.locator('img, script, b').count()).toBe(0)
    // Both occurrences of the refused name (label and inside the reason) are isolated.
    expect(await nameIsIsolated(page, '[aria-label="Refused"] li', REFUSED_FILE_NAME)).toEqual([true, true])
    expect(await nameIsIsolated(page, '[aria-label="Imported"] li', HOSTILE_FILE_NAME)).toEqual([true])
    await report.screenshot({ path: '/tmp/quire-hostile-import-report.png' })
    await report.getByRole('button', { name: 'Close' }).click()

    // Open it: every payload is on screen character for character, and none became markup.
    const [listing] = await quire.edition.backend.listDocuments(ANNOTATOR)
    if (!listing) throw new Error('the hostile text was not imported')
    expect(listing.name).toBe(HOSTILE_DOCUMENT_NAME)
    await page.locator('.document-name', { hasText: HOSTILE_DOCUMENT_NAME }).click()
    await page.getByRole('heading', { name: HOSTILE_DOCUMENT_NAME }).waitFor()
    const reader = page.locator('[data-testid="reader"]')
    await expect.poll(() => reader.textContent()).toContain(PERSON)
    const shown = (await reader.textContent()) ?? ''
    for (const payload of PAYLOADS) expect(shown).toContain(payload)
    expect(shown).toContain(`invoice${RLO}fdp.exe`)
    expect(shown).toContain(`Zero${ZWSP}width${ZWJ}joiner${BOM}bom`)
    expect(await page.locator('[data-testid="reader"] :is(script, img, a, svg, iframe, style, link)').count()).toBe(0)

    // Names with markup and an override are isolated wherever they are shown.
    expect(await nameIsIsolated(page, '.document-name', HOSTILE_DOCUMENT_NAME)).toEqual([true])
    expect(await nameIsIsolated(page, '.reader-header h1', HOSTILE_DOCUMENT_NAME)).toEqual([true])
    expect(await nameIsIsolated(page, '.status-bar', HOSTILE_DOCUMENT_NAME)).toEqual([true])
    expect(await nameIsIsolated(page, '.status-bar', ANNOTATOR)).toEqual([true])

    // Tag the name that follows the zero-width characters: its offsets are exact.
    const box = await boxOfText(page, PERSON)
    await page.mouse.move(box.startX, box.y)
    await page.mouse.down()
    await page.mouse.move(box.endX, box.y, { steps: 6 })
    await page.mouse.up()
    await page.keyboard.press('1')
    const personStart = HOSTILE_TEXT.indexOf(PERSON)
    await expect
      .poll(async () => (await quire.edition.backend.getDocument({ documentId: listing.id, annotator: ANNOTATOR })).annotations.map((a) => [a.start, a.end, a.text, a.annotator]))
      .toEqual([[personStart, personStart + PERSON.length, PERSON, ANNOTATOR]])

    // A note carrying payloads, typed in the popover.
    await page.locator('[data-annotation-id]', { hasText: PERSON }).first().click()
    const popover = page.getByRole('dialog', { name: 'Annotation' })
    await popover.waitFor()
    await popover.locator('textarea').fill(NOTE_PAYLOAD)
    await popover.locator('textarea').press('Enter')
    await expect.poll(async () => (await quire.edition.backend.getDocument({ documentId: listing.id, annotator: ANNOTATOR })).annotations[0]?.note).toBe(NOTE_PAYLOAD)
    expect(await nameIsIsolated(page, '.popover-title', ANNOTATOR)).toEqual([true])
    await popover.getByRole('button', { name: 'Close' }).click()

    // An annotation over the <script> line, added through the API, shows literally in the panel after a reload.
    const scriptStart = HOSTILE_TEXT.indexOf('<script>')
    await quire.edition.backend.applyAnnotationEdits({ documentId: listing.id, annotator: ANNOTATOR }, [
      { op: 'add', annotation: { id: 'a-hostile', start: asUtf16(scriptStart), end: asUtf16(scriptStart + (PAYLOADS[0] ?? '').length), tag: 'ORG', note: NOTE_PAYLOAD } }
    ])
    await page.reload()
    await page.locator('.document-name', { hasText: HOSTILE_DOCUMENT_NAME }).click()
    await page.getByRole('heading', { name: HOSTILE_DOCUMENT_NAME }).waitFor()
    const panel = page.getByRole('complementary', { name: 'Annotations' })
    await expect.poll(() => panel.locator('.annotation-item').count()).toBe(2)
    expect(await panel.textContent()).toContain(`<script>window.__pwned = 'script'`)
    expect(await panel.locator('.annotation-item').first().getAttribute('title')).toBe(NOTE_PAYLOAD)
    await page.locator('[data-annotation-id="a-hostile"]').first().click()
    await popover.waitFor()
    expect(await popover.locator('textarea').inputValue()).toBe(NOTE_PAYLOAD)
    expect(await popover.locator(':is(script, img, b)').count()).toBe(0)

    await page.screenshot({ path: '/tmp/quire-hostile-text.png' })
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(pwnedRequests).toEqual([])
    expect(problems).toEqual([])
    await context.close()
  })
})
