// The main user journey in the browser edition, in a real Chromium: name, sample project,
// drag-select and tag, reload, undo/redo, change the tag in the popover, delete, import
// through the UI with a refused binary file. Every step is checked on screen and on disk
// (through a fresh read of the project by the backend).
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Annotation } from '../../src/shared/model'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { dragAcross } from '../helpers/reader-page'

let browser: Browser
let quire: LaunchedQuire

beforeAll(async () => {
  browser = await launchChromium()
  quire = await launchQuire({ project: 'none' })
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
})

const PERSON = 'Emin Amrullayev'

/** The project opens on its first document; wait for it so the click is not overtaken by that load. */
async function openDocument(page: Page, openedFirst: string, name: string): Promise<void> {
  await page.getByRole('heading', { name: openedFirst }).waitFor()
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('option', { name: new RegExp(name) }).click()
  await page.getByRole('heading', { name }).waitFor()
}

/** What the project folder holds for the open document, read fresh by the backend. */
async function savedAnnotations(documentId: string): Promise<Annotation[]> {
  return (await quire.edition.backend.getDocument({ documentId, annotator: 'Ayla Həsənova' })).annotations
}

function highlight(page: Page, text: string) {
  return page.locator('[data-annotation-id]', { hasText: text })
}

describe('user journey (browser edition)', () => {
  it('tags, persists, undoes, retags, deletes and imports', async () => {
    const { page, problems, context } = await openQuirePage(browser, quire)

    // First start: Quire asks who is annotating.
    const nameDialog = page.getByRole('dialog', { name: 'Who is annotating?' })
    await nameDialog.waitFor()
    await nameDialog.getByLabel('Your name').fill('Ayla Həsənova')
    await nameDialog.getByRole('button', { name: 'Continue' }).click()
    await expect.poll(async () => (await quire.edition.backend.getSettings()).annotatorName).toBe('Ayla Həsənova')

    await page.getByRole('button', { name: 'Open sample project' }).click()
    await openDocument(page, 'icesco-science-cooperation', 'isesco-education-meeting')
    const documents = await quire.edition.backend.listDocuments('Ayla Həsənova')
    const documentId = documents.find((document) => document.name === 'isesco-education-meeting')?.id
    if (!documentId) throw new Error('sample document missing')

    // Drag across the name and press 1: a Person highlight, saved to disk.
    await dragAcross(page, PERSON)
    await page.keyboard.press('1')
    await expect.poll(() => highlight(page, PERSON).first().getAttribute('data-tag')).toBe('PERSON')
    await expect.poll(async () => (await savedAnnotations(documentId)).map((a) => [a.text, a.tag, a.annotator])).toEqual([
      [PERSON, 'PERSON', 'Ayla Həsənova']
    ])

    // Reload: the highlight comes back from disk.
    await page.reload()
    await openDocument(page, 'icesco-science-cooperation', 'isesco-education-meeting')
    await expect.poll(() => highlight(page, PERSON).first().getAttribute('data-tag')).toBe('PERSON')

    // Undo and redo (history of this page load only: make a fresh edit first).
    const annotationsBefore = await savedAnnotations(documentId)
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true)
    await dragAcross(page, 'ISESCO')
    await page.keyboard.press('2')
    await expect.poll(async () => (await savedAnnotations(documentId)).find((a) => a.tag === 'ORG')?.text).toBe('ISESCO')
    await page.keyboard.press('Control+z')
    await expect.poll(async () => (await savedAnnotations(documentId)).length).toBe(annotationsBefore.length)
    await expect.poll(() => page.locator('[data-annotation-id][data-tag="ORG"]').count()).toBe(0)
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(async () => (await savedAnnotations(documentId)).map((a) => a.tag).sort()).toEqual(['ORG', 'PERSON'])
    await expect.poll(() => page.locator('[data-annotation-id][data-tag="ORG"]').count()).toBeGreaterThan(0)

    // Click the Person highlight: the popover changes its tag to Organization.
    await highlight(page, PERSON).first().click()
    const popover = page.getByRole('dialog', { name: 'Annotation' })
    await popover.waitFor()
    await popover.getByRole('button', { name: 'Organization' }).click()
    await expect.poll(async () => (await savedAnnotations(documentId)).find((a) => a.text === PERSON)?.tag).toBe('ORG')
    await expect.poll(() => highlight(page, PERSON).first().getAttribute('data-tag')).toBe('ORG')

    // Delete it from the popover.
    await popover.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(async () => (await savedAnnotations(documentId)).some((a) => a.text === PERSON)).toBe(false)
    await expect.poll(() => highlight(page, PERSON).count()).toBe(0)

    // Import through the UI: one text imported, one binary refused with its reason.
    await page.locator('[data-testid="import-file-input"]').setInputFiles([
      { name: 'field-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Leyla Məmmədova visited ICESCO in Rabat.\n', 'utf8') },
      { name: 'scan.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]) }
    ])
    const report = page.getByRole('dialog', { name: 'Import finished' })
    await report.waitFor()
    await expect.poll(() => report.getByRole('list', { name: 'Imported' }).textContent()).toContain('field-notes.txt')
    const refusedText = (await report.getByRole('list', { name: 'Refused' }).textContent()) ?? ''
    expect(refusedText).toContain('scan.png')
    // The reason shown is the backend's, not a generic failure.
    expect(refusedText.replace('scan.png:', '').trim().length).toBeGreaterThan(10)
    await report.getByRole('button', { name: 'Close' }).click()
    expect((await quire.edition.backend.listDocuments('Ayla Həsənova')).map((document) => document.name)).toContain('field-notes')

    expect(problems).toEqual([])
    await context.close()
  })
})
