// The document list at corpus size (issue 13), in Chromium on a 10,000-document project: the
// page holds a window of rows (DOM nodes under 5,000), the filter and a sort, Go to document
// (Ctrl+P) to a document far down, the keys of the list, tagging, and the list's counts
// following the saves. Screenshots filtered and sorted, light and dark.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { afterTwoFrames, launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { screenshotsFor } from '../helpers/screenshots'
import { dragAcross } from '../helpers/reader-page'
import { axeViolations } from '../helpers/axe'
import { corpusDocument, writeCorpusDocuments } from '../fixtures/large-document-list'
import { writeBenchProject } from '../../bench/generate-project'

declare const document: { getElementsByTagName(name: string): { length: number } }

const ANNOTATOR = 'Leyla'
const COUNT = 10_000
/** Your layer is done on every 7th document. */
const DONE = Math.ceil(COUNT / 7)
const NAMES = Array.from({ length: COUNT }, (_, index) => corpusDocument(index).name)
/** The list's order: main lists by name, and so does the list's default sort. */
const SORTED = [...NAMES].sort((a, b) => a.localeCompare(b))
const planOf = (name: string) => corpusDocument(Number(name.slice(-5)))

let browser: Browser
let quire: LaunchedQuire
let root: string

// The project is written before the app starts, so its watcher does not see 30,000 new files.
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'quire-list-'))
  const { projectDir } = await writeBenchProject(root, ANNOTATOR, [])
  await writeCorpusDocuments(projectDir, COUNT, ANNOTATOR, 'Zaur')
  browser = await launchChromium()
  quire = await launchQuire({ project: projectDir })
  await quire.edition.backend.setAnnotatorName(ANNOTATOR)
}, 300_000)
afterAll(async () => {
  await quire?.close()
  await browser?.close()
  await rm(root, { recursive: true, force: true })
})

const domNodes = (page: Page): Promise<number> => page.evaluate(() => document.getElementsByTagName('*').length)
const heading = (page: Page, name: string): Locator => page.locator('.reader-header h1', { hasText: name })
const activeOptionName = (list: Locator): Promise<string | null> =>
  list.evaluate((element) => {
    const id = element.getAttribute('aria-activedescendant')
    return id === null ? null : (element.querySelector(`[id="${id}"] .document-name`)?.textContent ?? null)
  })

/** The names of the Documents listbox's options as Chromium's accessibility tree orders them (what a screen reader reads). */
async function optionsInAccessibilityOrder(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('Accessibility.enable')
    const { nodes } = await cdp.send('Accessibility.getFullAXTree')
    type AxNode = (typeof nodes)[number]
    const byId = new Map(nodes.map((node) => [node.nodeId, node]))
    const listbox = nodes.find((node) => node.role?.value === 'listbox' && node.name?.value === 'Documents')
    const names: string[] = []
    const walk = (node: AxNode): void => {
      for (const childId of node.childIds ?? []) {
        const child = byId.get(childId)
        if (child?.role?.value === 'option') names.push(String(child.name?.value ?? ''))
        else if (child) walk(child)
      }
    }
    if (listbox) walk(listbox)
    return names
  } finally {
    await cdp.detach()
  }
}

/** The option's box lies inside the list's visible box. */
async function inView(list: Locator, option: Locator): Promise<boolean> {
  const [outer, inner] = await Promise.all([list.boundingBox(), option.boundingBox()])
  return !!outer && !!inner && inner.y >= outer.y - 1 && inner.y + inner.height <= outer.y + outer.height + 1
}

describe('the document list at 10,000 documents (browser edition)', () => {
  it('filters, sorts, jumps with Ctrl+P, walks by keys, tags, and keeps its counts', { timeout: 300_000 }, async () => {
    const shots = await screenshotsFor('document-list')
    const { page, problems, context } = await openQuirePage(browser, quire)
    try {
      const nav = page.getByRole('navigation', { name: 'Documents' })
      const list = nav.getByRole('listbox', { name: 'Documents' })
      const summary = nav.locator('.document-summary')
      await expect.poll(() => summary.textContent(), { timeout: 120_000 }).toBe(`10,000 documents · ${DONE.toLocaleString('en')} done`)
      await heading(page, SORTED[0]!).waitFor({ timeout: 60_000 })
      const nodesAtOpen = await domNodes(page)
      console.log(`DOM nodes with 10,000 documents listed: ${nodesAtOpen}`)
      expect(nodesAtOpen).toBeLessThan(5_000)
      await shots.shoot(page, '1-all')

      // The filter: words of the name, in any case.
      const filter = nav.getByRole('searchbox', { name: 'Filter documents by name' })
      await filter.fill('interview baku')
      const filtered = SORTED.filter((name) => /Interview Baku/.test(name))
      await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toBe(`${filtered.length.toLocaleString('en')} of 10,000 documents · ${DONE.toLocaleString('en')} done`)
      expect(await list.getByRole('option').first().locator('.document-name').textContent()).toBe(filtered[0])
      // Largest first: the longest texts (9 sentences) of the filtered ones.
      await nav.getByRole('combobox', { name: 'Sort by' }).selectOption('size')
      const largest = await list.getByRole('option').first().locator('.document-name').textContent()
      expect(planOf(largest!).text.length).toBe(Math.max(...filtered.map((name) => planOf(name).text.length)))
      await shots.shoot(page, '2-filtered-sorted-light')
      expect(await axeViolations(page, { include: '.document-list' })).toEqual([])
      await page.emulateMedia({ colorScheme: 'dark' })
      await shots.shoot(page, '3-filtered-sorted-dark')
      await page.emulateMedia({ colorScheme: 'light' })
      await filter.fill('')
      await nav.getByRole('combobox', { name: 'Sort by' }).selectOption('name')

      // Go to document: a name far down the list, typed in part.
      const far = corpusDocument(9_876).name
      await page.keyboard.press('Control+p')
      const goTo = page.getByRole('dialog', { name: 'Go to document' })
      await goTo.getByRole('combobox', { name: 'Go to document' }).fill('09876')
      await expect.poll(() => goTo.getByRole('option').first().textContent()).toContain(far)
      await shots.shoot(page, '4-go-to')
      expect(await axeViolations(page, { include: '.go-to-dialog' })).toEqual([])
      await page.keyboard.press('Enter')
      await heading(page, far).waitFor()
      await expect.poll(() => goTo.count()).toBe(0)
      const farRow = list.getByRole('option', { name: new RegExp(`^${far}`) })
      await expect.poll(() => farRow.getAttribute('aria-selected')).toBe('true')
      expect(await inView(list, farRow)).toBe(true)
      expect(await domNodes(page)).toBeLessThan(5_000)

      // The keys: the list takes the focus with the open document active; ↓ ↓, End, Home, Page Down, Enter.
      await list.focus()
      await expect.poll(() => activeOptionName(list)).toBe(far)
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      const sorted = SORTED
      const farPlace = sorted.indexOf(far)
      expect(await activeOptionName(list)).toBe(sorted[farPlace + 2])
      await page.keyboard.press('End')
      expect(await activeOptionName(list)).toBe(sorted.at(-1))
      await page.keyboard.press('Home')
      expect(await activeOptionName(list)).toBe(sorted[0])
      await page.keyboard.press('PageDown')
      const paged = await activeOptionName(list)
      expect(sorted.indexOf(paged!)).toBeGreaterThan(3)
      await shots.shoot(page, '5-keyboard')
      await page.keyboard.press('Enter')
      await heading(page, paged!).waitFor()

      // Tag a word and mark the document done: its row and the summary follow.
      const row = list.getByRole('option', { name: new RegExp(`^${paged}`) })
      const spansBefore = planOf(paged!).own?.span ? 1 : 0
      expect(await row.locator('.document-meta').textContent()).toContain(` · ${spansBefore === 1 ? '1 span' : '0 spans'} of yours`)
      await dragAcross(page, 'cooperation')
      await page.keyboard.press('2')
      // Main lists every document again after a save (until the project index lands): seconds at 10,000.
      await expect.poll(() => row.locator('.document-meta').textContent(), { timeout: 60_000 }).toContain(` · ${spansBefore + 1 === 1 ? '1 span' : '2 spans'} of yours`)
      const wasDone = planOf(paged!).own?.status === 'done'
      await page.getByRole('combobox', { name: 'Your status', exact: true }).selectOption('done')
      const doneNow = wasDone ? DONE : DONE + 1
      await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toBe(`10,000 documents · ${doneNow.toLocaleString('en')} done`)
      expect(await domNodes(page)).toBeLessThan(5_000)

      // Scrolled to the middle, the page still holds only a window of rows.
      await list.evaluate((element) => (element.scrollTop = element.scrollHeight / 2))
      await expect.poll(() => list.getByRole('option', { name: new RegExp(`^${sorted[COUNT / 2]}`) }).count()).toBe(1)
      const nodesInMiddle = await domNodes(page)
      console.log(`DOM nodes scrolled to the middle: ${nodesInMiddle}; rows drawn: ${await list.getByRole('option').count()}`)
      expect(nodesInMiddle).toBeLessThan(5_000)
      await page.emulateMedia({ colorScheme: 'dark' })
      await shots.shoot(page, '6-middle-dark')

      // A screen reader meets the rows in the order shown, after scrolls down and back up: the
      // listbox's options in Chromium's accessibility tree, and axe over the scrolled list.
      for (const fraction of [0.5, 0.5003, 0.4998, 0.9]) {
        await list.evaluate((element, at) => (element.scrollTop = element.scrollHeight * at), fraction)
        await afterTwoFrames(page)
        const places = (await optionsInAccessibilityOrder(page)).map((name) => sorted.indexOf(/^.*? \d{5}/.exec(name)?.[0] ?? ''))
        expect(places.length).toBeGreaterThan(10)
        expect(places).toEqual(Array.from({ length: places.length }, (_, index) => places[0]! + index))
      }
      expect(await axeViolations(page, { include: '.document-list' })).toEqual([])
      expect(problems).toEqual([])
    } finally {
      await context.close()
      await shots.finish()
    }
  })
})
