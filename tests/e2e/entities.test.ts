// The Entities tab in a real Chromium against the browser edition: in the sample project,
// merge ISESCO and ICESCO into one entity with a Wikidata identifier, open a mention from the
// panel, export the project as brat through the Export dialog and find the link in the .ann files.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { screenshotsFor } from '../helpers/screenshots'

let browser: Browser
let quire: LaunchedQuire

beforeAll(async () => {
  browser = await launchChromium()
  quire = await launchQuire({ project: 'none' })
  await quire.edition.backend.setAnnotatorName('Ayla Həsənova')
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
})

describe('Entities tab (browser edition)', () => {
  it('merges ISESCO and ICESCO with a Wikidata id, jumps to a mention, and exports brat with the normalization lines', async () => {
    const shots = await screenshotsFor('entities')
    const { page, problems, context } = await openQuirePage(browser, quire)
    await page.setViewportSize({ width: 1400, height: 900 })
    await page.getByRole('button', { name: 'Open sample project' }).click()
    await page.getByRole('heading', { name: 'icesco-science-cooperation' }).waitFor()

    await page.getByRole('tab', { name: 'Entities' }).click()
    const panel = page.locator('.entities-panel')
    await panel.getByRole('checkbox', { name: 'Choose ISESCO to merge' }).check()
    await panel.getByRole('checkbox', { name: 'Choose ICESCO to merge' }).check()
    await panel.getByRole('button', { name: 'Merge 2…' }).click()

    const dialog = page.getByRole('dialog', { name: 'Merge entities' })
    const name = dialog.getByRole('textbox', { name: 'Name' })
    await name.fill('ICESCO')
    await dialog.getByRole('textbox', { name: /Identifier/ }).fill('Q1630451')
    await shots.shoot(page, 'merge-dialog')
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })

    const merged = panel.getByRole('button', { name: /^ICESCO Wikidata:Q1630451 33 mentions · 2 documents$/ })
    await merged.waitFor()
    expect(await merged.getAttribute('aria-expanded')).toBe('true')
    expect(await panel.getByRole('checkbox', { name: 'Choose ISESCO to merge' }).count()).toBe(0)
    await panel.getByRole('region', { name: /^isesco-education-meeting: \d+ mentions$/ }).waitFor()
    await shots.shoot(page, 'panel')

    // A mention in the other document: Enter on it opens that document with the span selected.
    const meeting = panel.getByRole('region', { name: /^isesco-education-meeting/ })
    const mention = meeting.getByRole('button', { name: /^ISESCO, Organization · Leyla, Rashad: / }).first()
    await mention.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'isesco-education-meeting', exact: true }).waitFor()
    await shots.shoot(page, 'mention-opened')

    const entities = await quire.edition.backend.listEntities()
    const icesco = entities.entities.find((entity) => entity.name === 'ICESCO')
    expect(icesco).toMatchObject({ saved: true, ref: 'Wikidata:Q1630451', mentions: 33 })

    await page.getByRole('button', { name: 'Export…' }).click()
    const exportDialog = page.getByRole('dialog', { name: 'Export' })
    await exportDialog.getByRole('radio', { name: 'brat standoff' }).check()
    await exportDialog.getByRole('radio', { name: /Whole project/ }).check()
    const outPath = join(quire.rootDir, 'exports', 'sample-brat')
    await exportDialog.getByRole('textbox', { name: 'Export to folder' }).fill(outPath)
    await exportDialog.getByRole('button', { name: 'Export' }).click()
    // A clean export closes its dialog and is said in a notice.
    await exportDialog.waitFor({ state: 'detached' })
    await page.getByTestId('notice').filter({ hasText: 'to sample-brat.' }).waitFor()

    const annFiles = (await readdir(outPath)).filter((file) => file.endsWith('.ann'))
    const normalizations = (await Promise.all(annFiles.map((file) => readFile(join(outPath, file), 'utf8')))).flatMap((ann) => ann.split('\n').filter((line) => line.startsWith('N')))
    expect(normalizations).toHaveLength(33)
    for (const line of normalizations) expect(line).toMatch(/^N\d+\tReference T\d+ Wikidata:Q1630451\tICESCO$/)

    expect(problems).toEqual([])
    await context.close()
    await shots.finish()
  })
})
