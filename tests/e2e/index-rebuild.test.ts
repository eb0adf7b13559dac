// Bad input at corpus size (issue 13), in Chromium on a generated project: a document index that
// is missing, damaged or from a newer Quire is rebuilt while the window shows how far it is (a
// calm line where the list will be), then the line goes and the list completes; a document whose
// files cannot be read is listed with a warning and the rest of the project works.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, launchQuire, openQuirePage } from '../helpers/quire'
import { screenshotsFor, type Screenshots } from '../helpers/screenshots'
import { dragAcross } from '../helpers/reader-page'
import { axeViolations } from '../helpers/axe'
import { readIndexHeader } from '../helpers/legacy-document-index'
import { corpusDocument, writeCorpusDocuments } from '../fixtures/large-document-list'
import { writeBenchProject } from '../../bench/generate-project'
import { DOCUMENT_INDEX_FILE_NAME } from '../../src/main/store/document-index-file'
import { DOCUMENT_FILE_NAME, DOCUMENTS_FOLDER, LOCAL_STATE_FOLDER } from '../../src/main/store/project-store'

const ANNOTATOR = 'Leyla'
/** Enough documents that the rebuild outlasts the start's patience (400 ms) on a quiet machine. */
const COUNT = 6_000
const DONE = Math.ceil(COUNT / 7)
const FIRST = [...Array.from({ length: COUNT }, (_, index) => corpusDocument(index).name)].sort((a, b) => a.localeCompare(b))[0]!

let browser: Browser
let root: string
let projectDir: string
let ids: string[]

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'quire-index-rebuild-'))
  ;({ projectDir } = await writeBenchProject(root, ANNOTATOR, []))
  ids = await writeCorpusDocuments(projectDir, COUNT, ANNOTATOR, 'Zaur')
  browser = await launchChromium()
}, 300_000)
afterAll(async () => {
  await browser?.close()
  await rm(root, { recursive: true, force: true })
})

const indexFile = (): string => join(projectDir, LOCAL_STATE_FOLDER, DOCUMENT_INDEX_FILE_NAME)

/** Opens the project in a fresh browser edition (its own settings folder); `look` runs on the page; the edition is closed after (the index written). */
async function withQuire(look: (page: Page) => Promise<void>): Promise<void> {
  const quire = await launchQuire({ project: projectDir })
  try {
    await quire.edition.backend.setAnnotatorName(ANNOTATOR)
    const { page, problems, context } = await openQuirePage(browser, quire)
    try {
      await look(page)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  } finally {
    await quire.close()
  }
}

/** The progress line shows (and is the list's live region), then goes, and the list completes with its first document open. */
async function rebuildShownThenList(page: Page, shots: Screenshots, name: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Documents' })
  const line = nav.locator('.index-progress')
  await line.waitFor({ timeout: 60_000 })
  expect(await line.locator('p').textContent()).toMatch(new RegExp(`^(Rebuilding the document index: [\\d,]+ of ${COUNT.toLocaleString('en')} documents|Listing ${COUNT.toLocaleString('en')} documents…)$`))
  expect(await nav.getByRole('status').textContent()).toMatch(/^Rebuilding the document index: [\d,]+ of 6,000 documents$/)
  expect(await nav.getByRole('listbox').count()).toBe(0)
  expect(await page.getByText('This project has no texts yet.').count()).toBe(0)
  await shots.shoot(page, `${name}-rebuilding`)
  expect(await axeViolations(page, { include: '.document-list' })).toEqual([])
  const summary = nav.locator('.document-summary')
  await expect.poll(() => summary.textContent(), { timeout: 120_000 }).toBe(`${COUNT.toLocaleString('en')} documents · ${DONE.toLocaleString('en')} done`)
  await page.locator('.reader-header h1', { hasText: FIRST }).waitFor({ timeout: 60_000 })
  expect(await line.count()).toBe(0)
  await shots.shoot(page, `${name}-listed`)
}

describe('a document index that cannot be trusted (browser edition)', () => {
  it('is rebuilt with its progress shown when missing, damaged or from a newer Quire; then the list completes', { timeout: 600_000 }, async () => {
    const shots = await screenshotsFor('index-rebuild')
    try {
      // Never opened: no index yet.
      await withQuire((page) => rebuildShownThenList(page, shots, '1-missing'))
      expect(await readIndexHeader(indexFile())).toMatchObject({ format: 'quire-document-index', closed: true })
      const written = await readFile(indexFile())

      await writeFile(indexFile(), written.subarray(0, written.length / 2))
      await withQuire((page) => rebuildShownThenList(page, shots, '2-damaged'))

      // latin1 keeps every byte as it was, the binary body's too.
      await writeFile(indexFile(), Buffer.from((await readFile(indexFile())).toString('latin1').replace(/"schemaVersion":\d+/, '"schemaVersion":99'), 'latin1'))
      await withQuire((page) => rebuildShownThenList(page, shots, '3-newer'))
    } finally {
      await shots.finish()
    }
  })

  it('lists a document whose files cannot be read with a warning, and the rest of the project works', { timeout: 300_000 }, async () => {
    const shots = await screenshotsFor('index-rebuild')
    // A sync conflict left a document's description unreadable while Quire was closed.
    const brokenId = ids.find((id) => id.endsWith('-00000'))!
    await writeFile(join(projectDir, DOCUMENTS_FOLDER, brokenId, DOCUMENT_FILE_NAME), '{"format":"quire-document", <<<<<<< conflict')
    try {
      await withQuire(async (page) => {
        const nav = page.getByRole('navigation', { name: 'Documents' })
        const list = nav.getByRole('listbox', { name: 'Documents' })
        await expect.poll(() => nav.locator('.document-summary').textContent(), { timeout: 120_000 }).toMatch(/^6,000 documents · /)
        // Listed under its folder's name (its own name is in the file that cannot be read), with the warning.
        await nav.getByRole('searchbox', { name: 'Filter documents by name' }).fill(brokenId)
        const row = list.getByRole('option').first()
        await expect.poll(() => row.locator('.document-name').textContent()).toBe(brokenId)
        expect(await row.locator('.document-problem').textContent()).toContain('A file of this document cannot be read')
        await shots.shoot(page, '4-unreadable-listed')
        expect(await axeViolations(page, { include: '.document-list' })).toEqual([])
        // Opened: the problem is named with its file.
        await row.click()
        const alert = page.getByRole('alert')
        await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toContain(DOCUMENT_FILE_NAME)
        await shots.shoot(page, '5-unreadable-opened')
        await alert.getByRole('button', { name: /Dismiss|Close/ }).first().click().catch(() => undefined)
        // The rest works: another document opens and takes a span, and its row follows.
        const other = corpusDocument(1).name
        await nav.getByRole('searchbox', { name: 'Filter documents by name' }).fill(other)
        await list.getByRole('option', { name: new RegExp(`^${other}`) }).click()
        await page.locator('.reader-header h1', { hasText: other }).waitFor({ timeout: 30_000 })
        await dragAcross(page, 'cooperation')
        await page.keyboard.press('2')
        await expect.poll(() => list.getByRole('option', { name: new RegExp(`^${other}`) }).locator('.document-meta').textContent(), { timeout: 60_000 }).toContain('1 span of yours')
        await shots.shoot(page, '6-rest-works')
      })
    } finally {
      await shots.finish()
    }
  })
})
