// The annotation panel beside a long document: from the first step of filling each group's page
// of rows, the groups out of view are not styled, laid out or painted (content-visibility), so
// the reader's frames (a tag key's, a scroll step's) no longer walk and paint the panel's 400
// rows; and a group's height out of view is estimated from its rows closely enough that the
// panel's scroll length holds when the group is drawn.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCorpus } from '../../bench/generate-corpus'
import { readSampleTexts, writeBenchProject } from '../../bench/generate-project'
import { afterTwoFrames, launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'

// page.evaluate callbacks run in the page; these type the DOM members they use without adding
// the DOM library to the Node typecheck.
interface PageElement {
  scrollWidth: number
  clientWidth: number
  classList: { contains(name: string): boolean }
  scrollTop: number
  scrollHeight: number
  getBoundingClientRect(): { height: number }
  querySelector(selector: string): PageElement | null
  checkVisibility(options: { contentVisibilityAuto: boolean }): boolean
}
declare const document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> }
declare function requestAnimationFrame(callback: (time: number) => void): number
declare function getComputedStyle(element: PageElement): { getPropertyValue(name: string): string }

const ANNOTATOR = 'Leyla Panel'
const DOCUMENT_NAME = 'Long report'

interface GroupState {
  /** Past the first screen: out of view, it is skipped. */
  skipsOutOfView: boolean
  /** Its rows are skipped: neither laid out nor painted. */
  skipped: boolean
  height: number
}

let browser: Browser
let quire: LaunchedQuire
let rootDir: string

beforeAll(async () => {
  // About 1,700 spans over the four tags: every group shows a full page of 100 rows.
  const corpus = generateCorpus(await readSampleTexts(), { targetBytes: 100 * 1024, annotator: ANNOTATOR, seed: 12 })
  rootDir = await mkdtemp(join(tmpdir(), 'quire-e2e-panel-'))
  const project = await writeBenchProject(rootDir, ANNOTATOR, [{ name: DOCUMENT_NAME, text: corpus.text, annotations: corpus.annotations }])
  browser = await launchChromium()
  quire = await launchQuire({ project: project.projectDir })
  await quire.edition.backend.setAnnotatorName(ANNOTATOR)
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
  if (rootDir) await rm(rootDir, { recursive: true, force: true })
})

describe('annotation panel (browser edition)', () => {
  it('leaves the groups out of view unrendered while and once filled, with heights that hold when they are drawn', async () => {
    const { page, problems, context } = await openQuirePage(browser, quire)
    try {
      await page.locator('.reader-header h1', { hasText: DOCUMENT_NAME }).waitFor()
      const groups = (): Promise<GroupState[]> =>
        page.evaluate(() =>
          [...document.querySelectorAll('.annotation-panel .tag-group')].map((group) => ({
            skipsOutOfView: group.classList.contains('skips-out-of-view'),
            skipped: !(group.querySelector('li')?.checkVisibility({ contentVisibilityAuto: true }) ?? true),
            height: group.getBoundingClientRect().height
          }))
        )
      await expect.poll(() => page.locator('.annotation-panel .tag-group li').count()).toBe(400)
      await expect.poll(async () => (await groups()).every((group) => group.skipsOutOfView)).toBe(true)
      // A group made content-visibility: auto is skipped until the next rendering has found it in
      // view or not: read after that, as a user sees it (read before, a loaded machine's test run
      // found the first group skipped).
      await afterTwoFrames(page)
      const before = await groups()
      expect(before).toHaveLength(4)
      expect(before[0]?.skipped).toBe(false)
      expect(before[3]?.skipped).toBe(true)
      // The group's row counts stay on the group: inherited, each step of the filling restyled every row under it.
      const counts = await page.evaluate(() => {
        const group = document.querySelector('.annotation-panel .tag-group')
        const row = group?.querySelector('li')
        return { group: group && getComputedStyle(group).getPropertyValue('--rows').trim(), row: row && getComputedStyle(row).getPropertyValue('--rows').trim() }
      })
      expect(counts).toEqual({ group: '100', row: '0' })

      const scroller = page.locator('.side-tab-panel')
      const lengthBefore = await scroller.evaluate((element) => (element as unknown as PageElement).scrollHeight)
      await scroller.evaluate(async (element) => {
        const panel = element as unknown as PageElement
        panel.scrollTop = panel.scrollHeight
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      })
      await expect.poll(async () => (await groups())[3]?.skipped).toBe(false)
      const after = await groups()
      // The estimate from its rows is within a few pixels of the group as drawn.
      expect(Math.abs((after[3]?.height ?? 0) - (before[3]?.height ?? 0))).toBeLessThan(6)
      const lengthAfter = await scroller.evaluate((element) => (element as unknown as PageElement).scrollHeight)
      expect(Math.abs(lengthAfter - lengthBefore)).toBeLessThan(20)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('shows every side panel tab whole beside a count of thousands', async () => {
    const { page, problems, context } = await openQuirePage(browser, quire)
    try {
      await page.locator('.reader-header h1', { hasText: DOCUMENT_NAME }).waitFor()
      const annotationsTab = page.getByRole('tab', { name: /^Annotations/ })
      // About 1,700 spans: "1,7xx" left no room for the last tab's label ("Entitie" at the edge).
      await expect.poll(() => annotationsTab.textContent()).toMatch(/^Annotations\s*1\.\d\s?K$/i)
      expect(await annotationsTab.locator('.count').getAttribute('title')).toMatch(/^1,\d{3}$/)
      const tabs = page.getByRole('tablist', { name: 'Side panel' })
      const { scrollWidth, clientWidth } = await tabs.evaluate((element) => ({ scrollWidth: (element as unknown as PageElement).scrollWidth, clientWidth: (element as unknown as PageElement).clientWidth }))
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})
