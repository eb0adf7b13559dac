// The whole first job, with the keyboard alone (no click, no mouse): give a name, open the
// sample project, open a document from the list, move the reader's caret and select with
// Shift+arrows, tag with a number key, open the span's popover with Enter, change its tag, delete
// it, and export with the menu's shortcut. Locators only look (which control has the focus, what
// is on screen); every action is a key press. After each dialog closes the focus is somewhere a
// keyboard user can go on from, never lost to the page's body.
//
// Screenshots (focus states): QUIRE_SCREENSHOTS=DIR keeps them in DIR (keyboard-*.png), e.g.
//   QUIRE_SCREENSHOTS=/tmp/keyboard-shots npx vitest run --project e2e tests/e2e/keyboard-only.test.ts
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { screenshotsFor, type Screenshots } from '../helpers/screenshots'

// The DOM members the page-side callbacks use, declared rather than adding the DOM library to the Node typecheck.
declare const document: { activeElement: { outerHTML?: string; tagName?: string } | null; body: unknown }

let browser: Browser
let quire: LaunchedQuire
let screenshots: Screenshots

beforeAll(async () => {
  browser = await launchChromium()
  quire = await launchQuire({ project: 'none' })
  screenshots = await screenshotsFor('keyboard')
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
  await screenshots?.finish()
})

const AYLA = 'Ayla'
const DOCUMENT = 'isesco-education-meeting'
const PERSON = 'Emin Amrullayev'

function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement)
}

async function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement === document.body ? 'the page body' : String(document.activeElement?.outerHTML ?? 'nothing').slice(0, 160)))
}

/** Presses Tab until `target` has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, maxPresses = 60): Promise<void> {
  await target.waitFor()
  for (let presses = 0; presses <= maxPresses; presses++) {
    if (await isFocused(target)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`${target.toString()} not reached with ${maxPresses} presses of Tab; the focus is on ${await focusedElement(page)}`)
}

async function expectFocusInside(page: Page, region: Locator): Promise<void> {
  await expect.poll(async () => (await region.evaluate((element) => element.contains(document.activeElement as never))) || (await focusedElement(page))).toBe(true)
}

/** The reader's caret offset, as the status bar says it ("Caret at 1,234"). */
async function caretOffset(page: Page): Promise<number | null> {
  const text = (await page.getByTestId('selection-info').textContent()) ?? ''
  const match = /^Caret at ([\d,]+)$/.exec(text)
  return match ? Number(match[1]!.replaceAll(',', '')) : null
}

describe('keyboard only (browser edition)', () => {
  it('names the annotator, opens a document, tags, retags and deletes a span, and exports, without a mouse', async () => {
    const { page, problems, context } = await openQuirePage(browser, quire)
    const shoot = (name: string): Promise<void> => screenshots.shoot(page, name)

    // First run: the name field has the focus.
    const nameDialog = page.getByRole('dialog', { name: 'Who is annotating?' })
    await nameDialog.waitFor()
    expect(await isFocused(nameDialog.getByLabel('Your name'))).toBe(true)
    await page.keyboard.press('Control+a')
    await page.keyboard.type(AYLA)
    await page.keyboard.press('Enter')

    // Start screen: Tab to the sample project.
    const openSample = page.getByRole('button', { name: 'Open sample project' })
    await tabTo(page, openSample)
    await shoot('1-start-focus')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'icesco-science-cooperation' }).waitFor()

    // The document list: Tab to it (one stop, the open document active), ↓ to the other document, Enter opens it.
    const list = page.getByRole('navigation', { name: 'Documents' }).getByRole('listbox', { name: 'Documents' })
    await tabTo(page, list)
    const listed = list.getByRole('option', { name: new RegExp(DOCUMENT) })
    const activeIsListed = async (): Promise<boolean> => (await list.getAttribute('aria-activedescendant')) === (await listed.getAttribute('id'))
    for (let presses = 0; presses < 5 && !(await activeIsListed()); presses++) await page.keyboard.press('ArrowDown')
    expect(await activeIsListed()).toBe(true)
    await shoot('2-document-list-focus')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: DOCUMENT }).waitFor()
    const documentId = (await quire.edition.backend.listDocuments(AYLA)).find((document) => document.name === DOCUMENT)!.id
    const saved = async () => (await quire.edition.backend.getDocument({ documentId, annotator: AYLA })).annotations
    const text = (await quire.edition.backend.getDocument({ documentId, annotator: AYLA })).text
    const target = text.indexOf(PERSON)
    expect(target).toBeGreaterThan(0)

    // The reader: the caret by words, then by characters, to the name; Shift+arrows select it.
    const reader = page.getByTestId('reader')
    await tabTo(page, reader)
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => caretOffset(page)).toBe(0)
    for (let presses = 0; presses < 400 && ((await caretOffset(page)) ?? 0) < target; presses++) await page.keyboard.press('Control+ArrowRight')
    for (let presses = 0; presses < 40 && ((await caretOffset(page)) ?? 0) > target; presses++) await page.keyboard.press('ArrowLeft')
    expect(await caretOffset(page)).toBe(target)
    await shoot('3-reader-caret')
    for (let step = 0; step < PERSON.length; step++) await page.keyboard.press('Shift+ArrowRight')
    await expect.poll(() => page.getByTestId('selection-info').textContent()).toContain(`${PERSON.length} characters selected`)
    await shoot('4-reader-selection')

    // 1 tags it Person: on screen, with its accessible description, and on disk.
    await page.keyboard.press('1')
    await expect.poll(async () => (await saved()).map((annotation) => [annotation.text, annotation.tag])).toEqual([[PERSON, 'PERSON']])
    const highlight = reader.locator('[data-annotation-id]', { hasText: PERSON }).first()
    expect(await highlight.getAttribute('aria-description')).toBe(`Person, by ${AYLA}`)
    expect(await isFocused(reader)).toBe(true)

    // Enter on the caret inside the span opens its popover, with the focus in it.
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Enter')
    const popover = page.getByRole('dialog', { name: 'Annotation' })
    await popover.waitFor()
    await expectFocusInside(page, popover)

    // Tab to Organization and press it: the tag changes and the popover stays.
    await tabTo(page, popover.getByRole('button', { name: 'Organization' }))
    await shoot('5-popover-focus')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await saved()).map((annotation) => annotation.tag)).toEqual(['ORG'])
    expect(await popover.getByRole('button', { name: 'Organization' }).getAttribute('aria-pressed')).toBe('true')

    // Tab to Delete (Tab wraps inside the popover, never out of it) and press it.
    await tabTo(page, popover.getByRole('button', { name: 'Delete' }))
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await saved()).length).toBe(0)
    await popover.waitFor({ state: 'detached' })
    // The focus is back in the reader, so the next keys go on working there.
    await expect.poll(() => isFocused(reader)).toBe(true)

    // Export with the menu's shortcut: brat for this document, into a folder.
    await page.keyboard.press('Control+e')
    const exportDialog = page.getByRole('dialog', { name: 'Export' })
    await exportDialog.waitFor()
    await expectFocusInside(page, exportDialog)
    const jsonl = exportDialog.getByRole('radio', { name: 'JSONL' })
    await tabTo(page, jsonl)
    await page.keyboard.press('ArrowRight')
    expect(await exportDialog.getByRole('radio', { name: 'brat standoff' }).isChecked()).toBe(true)
    await shoot('6-export-focus')
    const outPath = join(quire.rootDir, 'exports', 'keyboard-brat')
    await tabTo(page, exportDialog.getByRole('textbox', { name: 'Export to folder' }))
    await page.keyboard.type(outPath)
    await tabTo(page, exportDialog.getByRole('button', { name: 'Export', exact: true }))
    await page.keyboard.press('Enter')
    // A clean export closes the dialog by itself and says so in a notice that takes no focus.
    await page.getByRole('status', { name: 'Notices' }).getByText(/^Exported /).waitFor()
    await exportDialog.waitFor({ state: 'detached' })
    expect(await focusedElement(page)).not.toBe('the page body')
    // The export's manifest says what was written: brat, with the open document.
    const manifest = JSON.parse(await readFile(join(outPath, 'manifest.json'), 'utf8')) as { corpusFormat: string; documents: { name: string }[] }
    expect(manifest.corpusFormat).toBe('brat')
    expect(manifest.documents.map((document) => document.name)).toContain(DOCUMENT)

    // The side panel's tabs: Tab to the strip, arrows move between tabs.
    await tabTo(page, page.getByRole('tab', { name: /^Annotations/ }))
    await page.keyboard.press('ArrowRight')
    const layers = page.getByRole('tab', { name: /^Layers/ })
    expect(await layers.getAttribute('aria-selected')).toBe('true')
    expect(await isFocused(layers)).toBe(true)
    await shoot('7-tab-focus')

    expect(problems).toEqual([])
    await context.close()
  })
})
