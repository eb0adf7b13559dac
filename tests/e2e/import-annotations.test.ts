// The Import annotations dialog in a real Chromium against the browser edition: a file with a
// bad line is reported with file:line and nothing is written to the project; a good file with
// a tag the project lacks is imported once the user agrees to add the tag, and shows at once.
// Another tool's export (Label Studio) is recognised, its labels matched to the project's tags
// ignoring case, and its offsets (code points, after an astral flag) land on the same words.
// An import of a few thousand texts shows its progress and is cancelled: whole batches stay.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listFilesRecursively } from '../fixtures/temp-folder'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { screenshotsFor } from '../helpers/screenshots'

let browser: Browser
let quire: LaunchedQuire

const TEXT = 'Leyla Məmmədova visited ICESCO in Rabat 🇲🇦 last week.\nSecond line.\n'

beforeAll(async () => {
  browser = await launchChromium()
  quire = await launchQuire()
  await quire.edition.backend.setAnnotatorName('Ayla')
  await quire.edition.backend.importTexts([{ name: 'visit.txt', bytes: Buffer.from(TEXT, 'utf8') }])
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
})

/** Every file of the project with its contents, to prove an import wrote nothing. */
async function projectSnapshot(): Promise<Record<string, string>> {
  const dir = quire.projectDir!
  const snapshot: Record<string, string> = {}
  for (const path of await listFilesRecursively(dir)) {
    if (path.startsWith('.quire')) continue // machine-local lock and backups
    snapshot[path] = await readFile(join(dir, path), 'utf8')
  }
  return snapshot
}

function jsonlLine(sha256: string, spans: object[]): string {
  return JSON.stringify({ id: 'visit', name: 'visit', text: TEXT, sha256, offsets: 'codepoint', spans })
}

describe('Import annotations dialog (browser edition)', () => {
  it('reports a bad file by file:line and imports nothing; then adds an unknown tag on request and imports', async () => {
    const [document] = await quire.edition.backend.listDocuments('Ayla')
    if (!document) throw new Error('no document')
    const sha256 = (await quire.edition.backend.getDocument({ documentId: document.id, annotator: 'Ayla' })).document.sha256
    const { page, problems, context } = await openQuirePage(browser, quire)
    await page.getByRole('heading', { name: 'visit' }).waitFor()
    const before = await projectSnapshot()

    await page.getByRole('button', { name: 'Import annotations…' }).click()
    await page.getByRole('dialog', { name: 'Import annotations' }).waitFor()
    // Its title (and so its name) changes with each step: follow the one modal dialog.
    const dialog = page.locator('[role="dialog"][aria-modal="true"]')
    const bad = [
      jsonlLine(sha256, [{ start: 0, end: 15, label: 'PERSON', text: 'Leyla Məmmədova' }]),
      jsonlLine(sha256, [{ start: 24, end: 30, label: 'ORG', text: 'ICESCO' }, { start: 34, end: 400, label: 'EVENT', text: 'Rabat' }])
    ].join('\n')
    await page.locator('[data-testid="annotation-file-input"]').setInputFiles([{ name: 'colleague.jsonl', mimeType: 'application/json', buffer: Buffer.from(`${bad}\n`, 'utf8') }])
    await dialog.getByRole('list', { name: 'Files to import' }).getByText('colleague.jsonl').waitFor()
    await dialog.getByRole('button', { name: 'Import' }).click()

    await dialog.getByRole('heading', { name: 'Nothing was imported' }).waitFor()
    const problemList = (await dialog.getByRole('list', { name: 'Problems' }).textContent()) ?? ''
    expect(problemList).toContain('colleague.jsonl:2 — ')
    expect(problemList).toContain('400')
    expect(await projectSnapshot()).toEqual(before)
    expect((await quire.edition.backend.getDocument({ documentId: document.id, annotator: 'Ayla' })).annotations).toEqual([])

    // Fix the file; it now uses a tag the project does not have, spelt as another tool spells it.
    await dialog.getByRole('button', { name: 'Back to files' }).click()
    const good = jsonlLine(sha256, [
      { start: 0, end: 15, label: 'Person', text: 'Leyla Məmmədova' },
      { start: 34, end: 39, label: 'Geo-Location', text: 'Rabat' }
    ])
    await page.locator('[data-testid="annotation-file-input"]').setInputFiles([{ name: 'colleague.jsonl', mimeType: 'application/json', buffer: Buffer.from(`${good}\n`, 'utf8') }])
    await dialog.getByRole('button', { name: 'Import' }).click()
    await dialog.getByRole('heading', { name: 'New tags in these files' }).waitFor()
    // "Person" is the project's PERSON; "Geo-Location" gets an id of its own.
    expect(await dialog.getByRole('list', { name: 'Unknown tags' }).textContent()).toMatch(/^\s*Geo-Location \(tag id GEO_LOCATION\): 1 span, first at\s+colleague\.jsonl:1\s*$/)
    expect(await projectSnapshot()).toEqual(before)
    const shots = await screenshotsFor('import-annotations')
    await shots.shoot(page, 'new-tags')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shots.shoot(page, 'new-tags-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await shots.finish()

    await dialog.getByRole('button', { name: 'Add these tags and import' }).click()
    // Imported with no warning: the dialog closes, a notice says what was done.
    await dialog.waitFor({ state: 'detached' })
    expect(await page.getByTestId('notice').locator('.notice-message').textContent()).toBe('Imported 2 spans into 1 document; added the tag GEO_LOCATION.')

    // The open document shows the imported spans, and the list counts them.
    await expect.poll(() => page.locator('[data-annotation-id][data-tag="GEO_LOCATION"]').first().textContent()).toContain('Rabat')
    await expect.poll(() => page.locator('[data-annotation-id][data-tag="PERSON"]').count()).toBeGreaterThan(0)
    const saved = (await quire.edition.backend.getDocument({ documentId: document.id, annotator: 'Ayla' })).annotations.map((a) => [a.text, a.tag, a.annotator, a.provenance.source])
    expect(saved.sort()).toEqual([
      ['Leyla Məmmədova', 'PERSON', 'Ayla', 'import'],
      ['Rabat', 'GEO_LOCATION', 'Ayla', 'import']
    ])
    expect(problems).toEqual([])
    await context.close()
  })

  it('imports a Label Studio export: format recognised, "organization" is ORG, a new label added as a tag, offsets after an astral flag exact', async () => {
    const shots = await screenshotsFor('import-label-studio')
    const [document] = await quire.edition.backend.listDocuments('Ayla')
    if (!document) throw new Error('no document')
    const { page, problems, context } = await openQuirePage(browser, quire)
    await page.getByRole('heading', { name: 'visit' }).waitFor()
    // Code points, as Label Studio writes them: the flag 🇲🇦 is two code points (four UTF-16 units).
    const codePoints = Array.from(TEXT)
    const region = (word: string, label: string) => {
      const start = Array.from(TEXT.slice(0, TEXT.indexOf(word))).length
      return { type: 'labels', from_name: 'label', to_name: 'text', value: { start, end: start + Array.from(word).length, text: word, labels: [label] } }
    }
    expect(codePoints.slice(region('last week', 'X').value.start, region('last week', 'X').value.end).join('')).toBe('last week')
    const tasks = [{ id: 7, data: { text: TEXT }, annotations: [{ completed_by: { id: 2, email: 'rashad@example.org' }, result: [region('ICESCO', 'organization'), region('last week', 'Time')] }] }]

    await page.getByRole('button', { name: 'Import annotations…' }).click()
    const dialog = page.locator('[role="dialog"][aria-modal="true"]')
    await page.locator('[data-testid="annotation-file-input"]').setInputFiles([{ name: 'project-7.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tasks, null, 2), 'utf8') }])
    await dialog.getByRole('list', { name: 'Files to import' }).getByText('Label Studio').waitFor()
    await shots.shoot(page, 'chosen')
    await dialog.getByRole('button', { name: 'Import' }).click()
    await dialog.getByRole('heading', { name: 'New tags in these files' }).waitFor()
    expect(await dialog.getByRole('list', { name: 'Unknown tags' }).textContent()).toContain('Time (tag id TIME): 1 span, first at project-7.json:')
    await shots.shoot(page, 'new-tags')
    await dialog.getByRole('button', { name: 'Add these tags and import' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await page.getByTestId('notice').locator('.notice-message').textContent()).toBe('Imported 2 spans into 1 document; added the tag TIME.')

    const saved = (await quire.edition.backend.getDocument({ documentId: document.id, annotator: 'rashad@example.org' })).annotations
    expect(saved.map((annotation) => [annotation.text, annotation.tag, TEXT.slice(annotation.start, annotation.end)]).sort()).toEqual([
      ['ICESCO', 'ORG', 'ICESCO'],
      ['last week', 'TIME', 'last week']
    ])

    // And back out to Label Studio, from the Export dialog, with the same code points.
    await page.getByRole('button', { name: 'Export…' }).click()
    const exportDialog = page.getByRole('dialog', { name: 'Export' })
    await exportDialog.getByRole('radio', { name: 'Label Studio' }).check()
    await shots.shoot(page, 'export-choice')
    const outPath = join(quire.rootDir, 'exports', 'tasks.json')
    await exportDialog.getByRole('textbox', { name: 'Export to file' }).fill(outPath)
    await exportDialog.getByRole('button', { name: 'Export' }).click()
    await exportDialog.waitFor({ state: 'detached' })
    const exported = JSON.parse(await readFile(outPath, 'utf8')) as { data: { text: string }; annotations: { completed_by: { first_name: string }; result: { value: { start: number; end: number; text: string; labels: string[] } }[] }[] }[]
    const rashad = exported[0]?.annotations.find((annotation) => annotation.completed_by.first_name === 'rashad@example.org')
    expect(rashad?.result.map(({ value }) => [codePoints.slice(value.start, value.end).join(''), value.text, value.labels])).toEqual([
      ['ICESCO', 'ICESCO', ['ORG']],
      ['last week', 'last week', ['TIME']]
    ])
    expect(problems).toEqual([])
    await context.close()
    await shots.finish()
  })

  it('shows how far an import of 4,000 texts is, cancels it, and keeps only whole batches', async () => {
    const before = (await quire.edition.backend.listDocuments('Ayla')).length
    const { page, problems, context } = await openQuirePage(browser, quire)
    await page.getByRole('heading', { name: 'visit' }).waitFor()
    const files = Array.from({ length: 4000 }, (_, index) => ({
      name: `news-${String(index).padStart(4, '0')}.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`Item ${index}. Leyla Məmmədova spoke for ICESCO at the Baku Forum on day ${index}.\n`, 'utf8')
    }))
    await page.getByTestId('import-file-input').setInputFiles(files)
    const dialog = page.getByRole('dialog', { name: 'Importing texts' })
    await dialog.getByText(/^Imported [1-3],?\d{3} of 4,000 documents$/).waitFor({ timeout: 60_000 })
    expect(await dialog.getByRole('progressbar').getAttribute('max')).toBe('4000')
    const shots = await screenshotsFor('import-progress')
    await shots.shoot(page, 'texts')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shots.shoot(page, 'texts-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    const cancel = dialog.getByRole('button', { name: 'Cancel import' })
    expect(await cancel.evaluate((button) => button.ownerDocument.activeElement === button)).toBe(true)
    await cancel.click()

    const report = page.getByRole('dialog', { name: 'Import cancelled' })
    await report.waitFor({ timeout: 60_000 })
    await shots.shoot(page, 'cancelled')
    await shots.finish()
    const said = /Cancelled: ([\d,]+) documents were imported and are in the project; ([\d,]+) were not\./.exec((await report.textContent()) ?? '')
    const kept = Number(said?.[1]?.replace(',', ''))
    expect(kept + Number(said?.[2]?.replace(',', ''))).toBe(4000)
    // Only whole batches of 500 are kept, and the list shows them.
    expect(kept % 500).toBe(0)
    expect(kept).toBeLessThan(4000)
    expect((await quire.edition.backend.listDocuments('Ayla')).length).toBe(before + kept)
    await report.getByRole('button', { name: 'Close' }).click()
    await page.getByText(`${(before + kept).toLocaleString('en')} documents`).first().waitFor()
    expect(problems).toEqual([])
    await context.close()
  })
})
