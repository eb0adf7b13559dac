// The Export dialog in a real Chromium against the browser edition: open the sample project,
// tag a span with the mouse and a key, export the whole project to JSONL through the dialog
// into a temp path (said in a notice that fades, not a dialog), then read the file and check
// every line as a consumer would.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { dragAcross } from '../helpers/reader-page'
import { expectNoAxeViolations } from '../helpers/axe'
import { screenshotsFor, type Screenshots } from '../helpers/screenshots'

interface JsonlSpan {
  start: number
  end: number
  label: string
  text: string
  annotator: string
  note: string | null
}
interface JsonlDocument {
  id: string
  name: string
  text: string
  sha256: string
  offsets: string
  spans: JsonlSpan[]
}

let browser: Browser
let quire: LaunchedQuire
let shots: Screenshots

beforeAll(async () => {
  browser = await launchChromium()
  shots = await screenshotsFor('export')
  quire = await launchQuire({ project: 'none' })
  await quire.edition.backend.setAnnotatorName(AYLA)
})
afterAll(async () => {
  await shots?.finish()
  await quire?.close()
  await browser?.close()
})

const PERSON = 'Emin Amrullayev'
const AYLA = 'Ayla Həsənova'

describe('Export dialog (browser edition)', () => {
  it('exports the sample project to JSONL with code-point offsets, SHA-256 and the tagged span', async () => {
    const { page, problems, context } = await openQuirePage(browser, quire)
    await page.getByRole('button', { name: 'Open sample project' }).click()
    await page.getByRole('heading', { name: 'icesco-science-cooperation' }).waitFor()
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('option', { name: /isesco-education-meeting/ }).click()
    await page.getByRole('heading', { name: 'isesco-education-meeting' }).waitFor()
    const documents = await quire.edition.backend.listDocuments(AYLA)
    const documentId = documents.find((document) => document.name === 'isesco-education-meeting')?.id
    if (!documentId) throw new Error('sample document missing')

    await dragAcross(page, PERSON)
    await page.keyboard.press('1')
    await expect.poll(async () => (await quire.edition.backend.getDocument({ documentId, annotator: AYLA })).annotations.map((a) => a.text)).toEqual([PERSON])

    await page.getByRole('button', { name: 'Export…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Export' })
    await dialog.getByRole('radio', { name: 'JSONL' }).waitFor()
    expect(await dialog.getByRole('radio', { name: 'JSONL' }).isChecked()).toBe(true)
    await dialog.getByRole('radio', { name: /Whole project/ }).check()
    expect(await dialog.getByRole('checkbox', { name: /Ayla Həsənova/ }).isChecked()).toBe(true)
    // The sample's colleagues have annotated it too; this export is of Ayla's work alone.
    await dialog.getByRole('checkbox', { name: /Leyla/ }).uncheck()
    await dialog.getByRole('checkbox', { name: /Rashad/ }).uncheck()
    expect(await dialog.getByRole('combobox', { name: 'Offsets in' }).inputValue()).toBe('codepoint')
    const outPath = join(quire.rootDir, 'exports', 'sample corpus.jsonl')
    await dialog.getByRole('textbox', { name: 'Export to file' }).fill(outPath)
    await dialog.getByRole('button', { name: 'Export' }).click()

    // A clean export closes the dialog and says so in a notice that blocks nothing and fades.
    await dialog.waitFor({ state: 'detached' })
    const notice = page.getByRole('status', { name: 'Notices' }).getByTestId('notice')
    await notice.waitFor()
    expect(await notice.locator('.notice-message').textContent()).toBe('Exported 2 documents and 1 span to sample corpus.jsonl.')
    expect(await page.getByRole('dialog').count()).toBe(0)
    // The browser edition cannot open a file manager: no such button, the path to copy instead.
    expect(await notice.getByRole('button', { name: 'Show in folder' }).count()).toBe(0)
    expect(await notice.getByRole('button', { name: 'Copy path' }).count()).toBe(1)
    // The reader behind it still takes keys: the notice took no focus.
    expect(await page.locator('.notice-area').evaluate((area) => area.contains(area.ownerDocument.activeElement))).toBe(false)
    // Hovered, it stays however long the checks take; let go, it fades.
    await notice.hover()
    await shots.shoot(page, 'notice-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shots.shoot(page, 'notice-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await expectNoAxeViolations(page, 'export notice', { include: '.notice-area' })
    await page.mouse.move(5, 5)
    await notice.waitFor({ state: 'detached', timeout: 20_000 })

    const lines = (await readFile(outPath, 'utf8')).split('\n')
    expect(lines.at(-1)).toBe('')
    const exported = lines.slice(0, -1).map((line) => JSON.parse(line) as JsonlDocument)
    expect(exported.map((document) => document.name).sort()).toEqual(['icesco-science-cooperation', 'isesco-education-meeting'])
    for (const document of exported) {
      expect(document.offsets).toBe('codepoint')
      expect(document.sha256).toBe(createHash('sha256').update(document.text, 'utf8').digest('hex'))
      const source = await quire.edition.backend.getDocument({ documentId: document.id, annotator: AYLA })
      expect(document.text).toBe(source.text)
      expect(document.sha256).toBe(source.document.sha256)
    }
    const meeting = exported.find((document) => document.id === documentId)!
    expect(meeting.spans).toHaveLength(1)
    const [span] = meeting.spans
    expect(span).toMatchObject({ label: 'PERSON', text: PERSON, annotator: 'Ayla Həsənova', note: null })
    // Code points, as Python slices: text[start:end] is the span.
    const codePoints = [...meeting.text]
    expect(codePoints.slice(span!.start, span!.end).join('')).toBe(PERSON)
    expect(exported.find((document) => document.id !== documentId)!.spans).toEqual([])

    expect(problems).toEqual([])
    await context.close()
  })
})
