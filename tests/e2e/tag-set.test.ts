// The tag set editor in a real Chromium against the browser edition: open the sample project,
// add a tag (Place, key 5) in the editor, save it into project.json, then select a word in the
// reader and press 5: the span is saved with the new tag.
//
// Screenshots: run with QUIRE_SCREENSHOTS=DIR to keep them (tag-set-*.png: the editor with the
// new tag and its contrast verdict, the reader with the new tag on the toolbar and a Place span,
// a used tag's delete offering to move its span), e.g.
//   QUIRE_SCREENSHOTS=/tmp/shots-tags npx vitest run --project e2e tests/e2e/tag-set.test.ts
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { dragAcross } from '../helpers/reader-page'
import { screenshotsFor, type Screenshots } from '../helpers/screenshots'

let browser: Browser
let quire: LaunchedQuire
let screenshots: Screenshots

const AYLA = 'Ayla'
const DOCUMENT = 'isesco-education-meeting'
const PLACE_WORD = 'Azerbaijani'

beforeAll(async () => {
  browser = await launchChromium()
  quire = await launchQuire({ project: 'none' })
  await quire.edition.backend.setAnnotatorName(AYLA)
  screenshots = await screenshotsFor('tag-set')
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
  await screenshots?.finish()
})

describe('Tag set editor (browser edition)', () => {
  it('adds a tag and tags a word with its key', async () => {
    const { page, problems } = await openQuirePage(browser, quire)
    await page.getByRole('button', { name: 'Open sample project' }).click()
    await page.getByRole('heading', { name: 'icesco-science-cooperation' }).waitFor()
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('option', { name: new RegExp(DOCUMENT) }).click()
    await page.getByRole('heading', { name: DOCUMENT }).waitFor()

    await page.getByRole('button', { name: 'Edit tags…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Tags' })
    await dialog.getByRole('button', { name: '+ Add tag' }).click()
    const name = dialog.getByRole('textbox', { name: 'Name' })
    await expect.poll(() => name.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true)
    await name.fill('Place')
    expect(await dialog.getByRole('combobox', { name: 'Key' }).inputValue()).toBe('5')
    // A new tag takes the palette's first colour not in use: Vermillion, after the default four.
    expect(await dialog.getByRole('radio', { name: 'Vermillion' }).isChecked()).toBe(true)
    await dialog.getByRole('radio', { name: 'Magenta' }).check()
    await dialog.getByText(/Light page: clear/).waitFor()
    // Arrow keys walk the palette (and show the keyboard focus in the screenshot).
    await page.keyboard.press('ArrowLeft')
    expect(await dialog.getByRole('radio', { name: 'Vermillion' }).isChecked()).toBe(true)
    await screenshots.shoot(page, 'editor')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await dialog.waitFor({ state: 'detached' })

    const projectDir = (await quire.edition.backend.getCurrentProject())?.path ?? ''
    const manifest = JSON.parse(await readFile(join(projectDir, 'project.json'), 'utf8'))
    expect(manifest.tags.at(-1)).toEqual({ id: 'PLACE', label: 'Place', shortLabel: 'PLA', key: '5', color: '#D55E00' })
    await page.getByRole('toolbar', { name: 'Annotation tools' }).getByRole('button', { name: 'Place' }).waitFor()

    const documentId = (await quire.edition.backend.listDocuments(AYLA)).find((document) => document.name === DOCUMENT)?.id
    if (!documentId) throw new Error('sample document missing')
    await dragAcross(page, PLACE_WORD)
    await page.keyboard.press('5')
    await expect
      .poll(async () => (await quire.edition.backend.getDocument({ documentId, annotator: AYLA })).annotations.map((annotation) => [annotation.text, annotation.tag]))
      .toEqual([[PLACE_WORD, 'PLACE']])
    await page.locator('.reader [data-tag="PLACE"]').first().waitFor()
    await screenshots.shoot(page, 'reader')

    // Place is used by Ayla alone: deleting it offers to move its span. Program only by colleagues: it stays theirs.
    await page.getByRole('button', { name: 'Edit tags…' }).click()
    await dialog.getByRole('button', { name: /^Program —/ }).click()
    await dialog.getByText('Used in 10 spans: Leyla (4 spans), Rashad (6 spans).').waitFor()
    expect(await dialog.getByRole('button', { name: 'Delete and move' }).count()).toBe(0)
    await dialog.getByRole('button', { name: /^Place —/ }).click()
    await dialog.getByText('Used in 1 span: Ayla (1 span).').waitFor()
    await dialog.getByRole('combobox', { name: 'Move its 1 span to' }).focus()
    await screenshots.shoot(page, 'delete')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(problems).toEqual([])
  })
})
