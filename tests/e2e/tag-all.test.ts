// Search the project and annotate all, in a real Chromium against the browser edition: the
// Search panel (Ctrl+Shift+F) lists every occurrence of a name across the project with who
// tagged it, "Tag all N occurrences as…" previews them (one already tagged is skipped, and
// said so), applying tags them in every document, Ctrl+Z in the open document takes back its
// share in one step, and "Undo tag all" the rest. Every step is checked in the files on disk.
//
// Screenshots (QUIRE_SCREENSHOTS=DIR keeps them): tag-all-search-panel.png, tag-all-dialog.png.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asUtf16 } from '../../src/shared/model'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { screenshotsFor, type Screenshots } from '../helpers/screenshots'

const NAME = 'Nizami Ganjavi'
const TEXTS: Record<string, string> = {
  'poets-of-ganja': `${NAME} was born in Ganja. The mausoleum of ${NAME} stands outside the city.\nScholars still read ${NAME} today.\n`,
  'khamsa-reading': `A reading of the Khamsa by ${NAME} opened the festival.\r\nThe programme closed with ${NAME}'s verses.\r\n`,
  'museum-news': `The National Museum of Literature named after ${NAME} reopened on Monday.\n`
}

let browser: Browser
let screenshots: Screenshots
let quire: LaunchedQuire

beforeAll(async () => {
  browser = await launchChromium()
  screenshots = await screenshotsFor('tag-all')
  quire = await launchQuire()
})
afterAll(async () => {
  await browser?.close()
  await quire?.close()
  await screenshots?.finish()
})

describe('tag all occurrences across the project', () => {
  it('finds a name in every document, tags them all, and undoes it', { timeout: 180_000 }, async () => {
    const backend = quire.edition.backend
    await backend.setAnnotatorName('Leyla')
    const report = await backend.importTexts(Object.entries(TEXTS).map(([name, text]) => ({ name: `${name}.txt`, bytes: new TextEncoder().encode(text) })))
    const ids = new Map(report.imported.map((imported) => [imported.name, imported.documentId]))
    const museum = ids.get('museum-news') as string
    const poets = ids.get('poets-of-ganja') as string
    // Leyla tagged the museum's name already: tag-all skips it and says why.
    const at = TEXTS['museum-news']?.indexOf(NAME) as number
    await backend.applyAnnotationEdits({ documentId: museum, annotator: 'Leyla' }, [{ op: 'add', annotation: { id: 'mine', start: asUtf16(at), end: asUtf16(at + NAME.length), tag: 'PERSON' } }])
    const spansOf = async (documentId: string): Promise<string[]> => (await backend.getDocument({ documentId, annotator: 'Leyla' })).annotations.map((annotation) => `${annotation.tag}:${annotation.text}`)

    const { page, problems } = await openQuirePage(browser, quire)
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('option', { name: /poets-of-ganja/ }).click()
    await page.getByRole('heading', { name: 'poets-of-ganja' }).waitFor()

    await page.keyboard.press('Control+Shift+F')
    const panel = page.getByRole('dialog', { name: 'Search the project' })
    await panel.getByRole('searchbox', { name: 'Find in every document' }).fill('nizami ganjavi')
    await panel.getByRole('searchbox', { name: 'Find in every document' }).press('Enter')
    await panel.getByText('6 matches in 3 documents').waitFor()
    expect(await panel.getByRole('list', { name: 'Matches' }).getByRole('listitem').count()).toBe(6)
    expect(await panel.getByRole('button', { name: /museum-news/ }).textContent()).toContain('Leyla: Person')
    await screenshots.shoot(page, 'search-panel')

    // A bad expression is said at the field, and nothing else changes.
    await panel.getByRole('checkbox', { name: 'Regular expression' }).check()
    await panel.getByRole('searchbox', { name: 'Find in every document' }).fill('(Nizami')
    await panel.getByRole('button', { name: 'Search' }).click()
    await panel.getByRole('alert').filter({ hasText: 'Not a valid regular expression' }).waitFor()
    await panel.getByRole('checkbox', { name: 'Regular expression' }).uncheck()
    await panel.getByRole('searchbox', { name: 'Find in every document' }).fill(NAME)
    await panel.getByRole('button', { name: 'Search' }).click()
    await panel.getByText('6 matches in 3 documents').waitFor()

    await panel.getByRole('button', { name: 'Tag all 6 occurrences as…' }).click()
    const dialog = page.getByRole('dialog', { name: `Tag all occurrences of “${NAME}”` })
    await dialog.getByText('5 occurrences to tag').waitFor()
    await dialog.getByRole('list', { name: 'Skipped occurrences' }).getByText('already Person in your layer').waitFor()
    await screenshots.shoot(page, 'dialog')
    await dialog.getByRole('button', { name: 'Tag 5 occurrences as Person' }).click()
    await page.getByRole('status').filter({ hasText: 'Tagged 5 spans as Person in 2 documents.' }).waitFor()

    const khamsa = ids.get('khamsa-reading') as string
    await expect.poll(() => spansOf(poets)).toEqual([`PERSON:${NAME}`, `PERSON:${NAME}`, `PERSON:${NAME}`])
    await expect.poll(() => spansOf(khamsa)).toEqual([`PERSON:${NAME}`, `PERSON:${NAME}`])
    expect(await spansOf(museum)).toEqual([`PERSON:${NAME}`])

    // One Ctrl+Z in the open document takes its whole share back.
    await page.getByRole('heading', { name: 'poets-of-ganja' }).click()
    await page.keyboard.press('Control+z')
    await expect.poll(() => spansOf(poets)).toEqual([])
    expect(await spansOf(khamsa)).toHaveLength(2)

    // "Undo tag all" takes back the rest; Leyla's own span stays.
    await page.getByRole('button', { name: 'Undo tag all' }).click()
    await expect.poll(() => spansOf(khamsa)).toEqual([])
    expect(await spansOf(museum)).toEqual([`PERSON:${NAME}`])
    expect(await spansOf(poets)).toEqual([])
    expect(problems).toEqual([])
  })
})
