// axe-core's WCAG 2.1 A/AA rules on every screen and dialog of the browser edition, in the light
// and the dark colour scheme: the first-run name dialog, the start screen, the workspace on the
// sample project (two annotators, Leyla and Rashad), the annotation popover, import and export
// dialogs, the side panel's tabs, compare mode, curation, the agreement screen, edit mode, the
// find bar, the project search, tag all, the tag editor and the entity dialog. One browser and
// one server; each scheme walks the screens in one page, gathering every violation, and the test
// fails listing them all (screen, rule, element, why).
//
// Also here: highlights' accessible names (role and description, as a screen reader is told), and
// reduced motion (transitions and animations off under prefers-reduced-motion: reduce).
//
// Screenshots: QUIRE_SCREENSHOTS=DIR keeps a few (a11y-*.png) in DIR, e.g.
//   QUIRE_SCREENSHOTS=/tmp/a11y-shots npx vitest run --project e2e tests/e2e/accessibility.test.ts
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoAxeViolations, type AxeCheckOptions } from '../helpers/axe'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { screenshotsFor, type Screenshots } from '../helpers/screenshots'

// The one DOM function a page-side callback below uses, declared rather than adding the DOM library to the Node typecheck.
declare function getComputedStyle(element: unknown): { animationDuration: string; animationIterationCount: string }

let browser: Browser
let quire: LaunchedQuire
let screenshots: Screenshots

beforeAll(async () => {
  browser = await launchChromium()
  quire = await launchQuire({ project: 'none' })
  screenshots = await screenshotsFor('a11y')
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
  await screenshots?.finish()
})

const FIRST_DOCUMENT = 'icesco-science-cooperation'
// A modal dialog (or popover) is checked on its own: what is behind it is inert and was checked
// as its own screen. So is a side-panel tab. Each axe run takes seconds on a loaded machine.
const IN_DIALOG: AxeCheckOptions = { include: '[role="dialog"]' }
const IN_SIDE_PANEL: AxeCheckOptions = { include: '.side-panel' }

/** Checks each screen and keeps what axe says, so one run lists every screen's violations. */
class AxeWalk {
  readonly found: string[] = []
  readonly checked: string[] = []
  constructor(
    private readonly page: Page,
    private readonly scheme: string
  ) {}

  async check(screen: string, options: AxeCheckOptions = {}): Promise<void> {
    const name = `${screen} (${this.scheme})`
    this.checked.push(screen)
    try {
      await expectNoAxeViolations(this.page, name, options)
    } catch (error) {
      this.found.push((error as Error).message)
    }
  }
}

function reader(page: Page): Locator {
  return page.getByTestId('reader')
}

/** Puts the reader's caret before the first occurrence of `text`, with the arrow keys from the text's start. */
async function caretTo(page: Page, text: string): Promise<void> {
  const full = (await reader(page).textContent()) ?? ''
  const at = full.indexOf(text)
  if (at < 0) throw new Error(`"${text}" is not in the reader`)
  await reader(page).focus()
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowLeft')
  for (let step = 0; step < at; step++) await page.keyboard.press('ArrowRight')
}

async function closeDialog(page: Page, dialog: Locator): Promise<void> {
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
}

async function walkScreens(page: Page, scheme: 'light' | 'dark', firstRun: boolean): Promise<AxeWalk> {
  const walk = new AxeWalk(page, scheme)
  const shoot = (name: string): Promise<void> => screenshots.shoot(page, `${scheme}-${name}`)

  // Who is annotating: on the first run before anything else, later from the status bar.
  const nameDialog = page.getByRole('dialog', { name: 'Who is annotating?' })
  if (firstRun) {
    await nameDialog.waitFor()
    await walk.check('name dialog (first run)', IN_DIALOG)
    await nameDialog.getByLabel('Your name').fill('Ayla')
    await nameDialog.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('button', { name: 'Open sample project' }).waitFor()
  } else {
    await page.getByRole('button', { name: 'Annotator: Ayla' }).waitFor()
    await page.getByRole('button', { name: 'Close project' }).click()
  }

  await page.getByRole('button', { name: 'Open sample project' }).waitFor()
  await walk.check('start screen')
  await shoot('start')
  await page.getByRole('button', { name: 'Open sample project' }).click()
  await page.locator('.reader-header h1').waitFor()
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('option', { name: new RegExp(FIRST_DOCUMENT) }).click()
  await page.getByRole('heading', { name: FIRST_DOCUMENT }).waitFor()

  if (!firstRun) {
    await page.getByRole('button', { name: 'Annotator: Ayla' }).click()
    await nameDialog.waitFor()
    await walk.check('name dialog (renaming)', IN_DIALOG)
    await nameDialog.getByRole('button', { name: 'Cancel' }).click()
    await nameDialog.waitFor({ state: 'detached' })
  }

  // A span of her own, then its popover.
  await caretTo(page, 'ICESCO')
  for (let step = 0; step < 'ICESCO'.length; step++) await page.keyboard.press('Shift+ArrowRight')
  await page.keyboard.press('2')
  await reader(page).locator('[data-annotation-id]', { hasText: 'ICESCO' }).first().waitFor()
  await walk.check('workspace with a document and a highlight of your own')
  await page.keyboard.press('ArrowLeft')
  await page.keyboard.press('Enter')
  const popover = page.getByRole('dialog', { name: 'Annotation' })
  await popover.waitFor()
  await walk.check('annotation popover', IN_DIALOG)
  await shoot('popover')
  await closeDialog(page, popover)

  // Side panel tabs (Annotations was on screen above; Entities is checked with its dialog below).
  for (const tab of ['Layers', 'Review']) {
    await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click()
    await walk.check(`${tab} tab`, IN_SIDE_PANEL)
  }

  // Import texts: the report of what came in, what was a duplicate, what was refused.
  await page.getByTestId('import-file-input').setInputFiles([
    { name: `field-notes-${scheme}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`Leyla Məmmədova visited ICESCO in Rabat (${scheme}).\n`, 'utf8') },
    { name: 'scan.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]) }
  ])
  const importReport = page.getByRole('dialog', { name: 'Import finished' })
  await importReport.waitFor()
  await walk.check('import texts: report', IN_DIALOG)
  await importReport.getByRole('button', { name: 'Close' }).click()
  await importReport.waitFor({ state: 'detached' })

  // Import annotations.
  await page.getByRole('button', { name: 'Import annotations…' }).click()
  const importDialog = page.getByRole('dialog', { name: /Import annotations/ })
  await importDialog.waitFor()
  await walk.check('import annotations dialog', IN_DIALOG)
  await closeDialog(page, importDialog)

  // Export.
  await page.getByRole('button', { name: 'Export…' }).click()
  const exportDialog = page.getByRole('dialog', { name: 'Export' })
  await exportDialog.waitFor()
  await walk.check('export dialog', IN_DIALOG)
  await shoot('export')
  await closeDialog(page, exportDialog)

  // Agreement, with one pair's list of disagreements open.
  await page.getByRole('button', { name: 'Agreement', exact: true }).click()
  const agreement = page.getByRole('dialog', { name: 'Agreement' })
  await agreement.waitFor()
  await agreement.locator('table.matrix button.cell-button').first().waitFor()
  await agreement.locator('table.matrix button.cell-button').first().click()
  await agreement.getByRole('region', { name: /^Disagreements between/ }).locator('.disagreement-row').first().waitFor()
  await walk.check('agreement dialog, a pair’s disagreements listed', IN_DIALOG)
  await shoot('agreement')
  await agreement.getByRole('button', { name: 'Close', exact: true }).click()
  await agreement.waitFor({ state: 'detached' })

  // Compare mode, then curation.
  await page.getByRole('tab', { name: /^Review/ }).click()
  await page.getByRole('button', { name: /^Compare \d layers$/ }).click()
  await page.getByText('Compare mode.', { exact: false }).waitFor()
  await walk.check('compare mode')
  await shoot('compare')
  await page.getByRole('button', { name: 'Stop comparing' }).first().click()
  await page.getByRole('button', { name: /^(Start|Continue) curating/ }).click()
  await page.getByText('Curating the gold layer.', { exact: false }).waitFor()
  await walk.check('curation')
  await shoot('curation')
  await page.getByRole('button', { name: 'Back to my layer' }).first().click()
  await page.getByText('Curating the gold layer.', { exact: false }).waitFor({ state: 'detached' })

  // Find in the document.
  await reader(page).focus()
  await page.keyboard.press('Control+f')
  const findField = page.getByRole('textbox', { name: 'Find in document' })
  await findField.waitFor()
  await findField.fill('ICESCO')
  await walk.check('find bar', { include: '.reader-column' })
  await page.keyboard.press('Escape')

  // Search the project, then tag all from it.
  await page.keyboard.press('Control+Shift+F')
  const search = page.getByRole('dialog', { name: 'Search the project' })
  await search.waitFor()
  await search.getByRole('searchbox', { name: 'Find in every document' }).fill('ICESCO')
  await search.getByRole('searchbox', { name: 'Find in every document' }).press('Enter')
  await search.getByRole('list', { name: 'Matches' }).getByRole('listitem').first().waitFor()
  await walk.check('project search panel', IN_DIALOG)
  await shoot('search')
  await search.getByRole('button', { name: /^Tag all \d+ occurrences as/ }).click()
  const tagAll = page.getByRole('dialog', { name: /^Tag all occurrences of/ })
  await tagAll.waitFor()
  await tagAll.getByText(/occurrences? to tag/).waitFor()
  await walk.check('tag-all dialog', IN_DIALOG)
  await closeDialog(page, tagAll)

  // The tag editor, with one tag open.
  await page.getByRole('button', { name: 'Edit tags…' }).click()
  const tagEditor = page.getByRole('dialog', { name: 'Tags' })
  await tagEditor.waitFor()
  await tagEditor.getByRole('button', { name: /^Person —/ }).click()
  await walk.check('tag editor, a tag open', IN_DIALOG)
  await shoot('tag-editor')
  await closeDialog(page, tagEditor)

  // Entities and the merge dialog.
  await page.getByRole('tab', { name: /^Entities/ }).click()
  const entities = page.locator('.entities-panel')
  await entities.getByRole('checkbox', { name: /^Choose / }).nth(0).check()
  await entities.getByRole('checkbox', { name: /^Choose / }).nth(1).check()
  await entities.getByRole('button', { name: 'Merge 2…' }).click()
  const entityDialog = page.getByRole('dialog', { name: 'Merge entities' })
  await entityDialog.waitFor()
  await walk.check('entity dialog', IN_DIALOG)
  await closeDialog(page, entityDialog)
  await entities.locator('.entity-open').first().click()
  await walk.check('Entities tab, an entity open', IN_SIDE_PANEL)
  await page.getByRole('tab', { name: /^Annotations/ }).click()

  // Edit mode (CodeMirror), its search panel and the cleanup dialog.
  await page.getByRole('button', { name: /^Edit text/ }).click()
  await page.locator('.cm-content').waitFor()
  await page.locator('.cm-content').focus()
  await page.keyboard.press('Control+f')
  await page.locator('.cm-search').waitFor()
  await walk.check('edit mode, its find and replace open')
  await shoot('edit')
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: /^Clean up/ }).click()
  const cleanup = page.getByRole('dialog', { name: /Clean up/ })
  await cleanup.waitFor()
  await walk.check('cleanup dialog', IN_DIALOG)
  await closeDialog(page, cleanup)
  await page.getByRole('button', { name: /^Done/ }).first().click()
  await page.locator('.cm-content').waitFor({ state: 'detached' })

  // The dashboard, then one of its charts as a table.
  await page.keyboard.press('Control+Shift+D')
  const dashboard = page.getByRole('dialog', { name: 'Dashboard' })
  await dashboard.getByTestId('chart-documents-by-status').waitFor()
  await walk.check('dashboard', IN_DIALOG)
  await dashboard.getByTestId('chart-documents-by-status').getByText('Show as table').click()
  await walk.check('dashboard, a chart as a table', IN_DIALOG)
  await shoot('dashboard')
  await closeDialog(page, dashboard)

  return walk
}

describe('accessibility (browser edition)', () => {
  it.each([
    ['light', true],
    ['dark', false]
  ] as const)('axe finds no WCAG 2.1 AA violation on any screen (%s scheme)', { timeout: 400_000 }, async (scheme, firstRun) => {
    const { page, problems, context } = await openQuirePage(browser, quire)
    await page.emulateMedia({ colorScheme: scheme })
    const walk = await walkScreens(page, scheme, firstRun)
    expect(walk.checked.length).toBeGreaterThan(15)
    expect(walk.found.join('\n\n')).toBe('')
    expect(problems).toEqual([])
    await context.close()
  })
})

/** A page on the sample project's first document, whatever the walk above left open. */
async function onFirstDocument(page: Page): Promise<void> {
  const nameDialog = page.getByRole('dialog', { name: 'Who is annotating?' })
  const openSample = page.getByRole('button', { name: 'Open sample project' })
  const documents = page.getByRole('navigation', { name: 'Documents' })
  await nameDialog.or(openSample).or(documents).first().waitFor()
  if (await nameDialog.isVisible()) {
    await nameDialog.getByLabel('Your name').fill('Ayla')
    await nameDialog.getByRole('button', { name: 'Continue' }).click()
    await openSample.or(documents).first().waitFor()
  }
  if (await openSample.isVisible()) await openSample.click()
  await documents.getByRole('option', { name: new RegExp(FIRST_DOCUMENT) }).click()
  await page.getByRole('heading', { name: FIRST_DOCUMENT }).waitFor()
}

interface AxNode {
  role?: { value?: string }
  name?: { value?: string }
  description?: { value?: string }
}

describe('highlights and motion (browser edition)', () => {
  it('tells a screen reader each highlight as a mark with its tag and annotator', async () => {
    const { page, problems, context } = await openQuirePage(browser, quire)
    await onFirstDocument(page)
    await page.getByRole('tab', { name: /^Layers/ }).click()
    await page.getByRole('checkbox', { name: "Show Leyla's layer" }).check()
    await reader(page).locator('.segment.boxed').first().waitFor()
    // What Chrome hands to screen readers: its accessibility tree, polled, because Chrome
    // builds it lazily and a busy machine can hand back one from before the layer was drawn.
    const cdp = await context.newCDPSession(page)
    const markDescriptions = async (): Promise<string[]> => {
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] }
      return nodes.filter((node) => node.role?.value === 'mark').map((node) => node.description?.value ?? '')
    }
    await expect.poll(markDescriptions, { timeout: 10_000 }).toEqual(expect.arrayContaining(['Person, by Leyla', 'Organization, by Leyla']))
    const descriptions = await markDescriptions()
    // Every mark says what it is: a span and whose it is, or a suggestion and why.
    expect(descriptions.filter((description) => !/^(\p{L}+, by (Leyla|Ayla)|Suggested \p{L}+, )/u.test(description))).toEqual([])
    await page.getByRole('checkbox', { name: "Show Leyla's layer" }).uncheck()
    expect(problems).toEqual([])
    await context.close()
  })

  it('stops the caret blinking and every animation when the system asks for reduced motion', async () => {
    const { page, problems, context } = await openQuirePage(browser, quire)
    await onFirstDocument(page)
    await reader(page).focus()
    await page.keyboard.press('ArrowRight')
    const caret = reader(page).locator('.caret')
    await caret.waitFor()
    const motion = () => caret.evaluate((element) => {
      const style = getComputedStyle(element)
      return `${style.animationDuration} ${style.animationIterationCount}`
    })
    await page.emulateMedia({ reducedMotion: 'no-preference' })
    expect(await motion()).toBe('1.1s infinite')
    await page.emulateMedia({ reducedMotion: 'reduce' })
    expect(await motion()).toBe('0s 1')
    expect(problems).toEqual([])
    await context.close()
  })
})
