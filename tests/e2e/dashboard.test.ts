// The dashboard in a real Chromium against the browser edition, on the sample project: the
// figures on screen are the backend's own, each chart saves as SVG (parses, standalone, colours
// inlined), PNG (signature and size) and CSV (the table's rows), and axe finds no WCAG 2.1 AA
// violation in the light or the dark scheme.
//
// Screenshots: dashboard-light.png, dashboard-dark.png, dashboard-agreement.png; keep them with
//   QUIRE_SCREENSHOTS=/tmp/dashboard-shots npx vitest run --project e2e tests/e2e/dashboard.test.ts
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoAxeViolations } from '../helpers/axe'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { screenshotsFor } from '../helpers/screenshots'

// The DOM the page-side callback below uses, declared rather than adding the DOM library to
// the Node typecheck.
interface PageElement {
  namespaceURI: string | null
  textContent: string | null
  getAttribute(name: string): string | null
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): Iterable<PageElement>
}
declare const DOMParser: new () => { parseFromString(source: string, type: string): PageElement & { documentElement: PageElement } }

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

/** Clicks a save button and returns the downloaded file's name and bytes. */
async function saved(page: Page, buttonName: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: buttonName }).click()])
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) }
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

describe('Dashboard (browser edition)', () => {
  it('shows the sample project’s figures, saves each kind of file, and passes axe in both schemes', async () => {
    const shots = await screenshotsFor('dashboard')
    const { page, problems, context } = await openQuirePage(browser, quire)
    await page.setViewportSize({ width: 1400, height: 1000 })
    await page.getByRole('button', { name: 'Open sample project' }).click()
    await page.getByRole('heading', { name: 'icesco-science-cooperation' }).waitFor()

    await page.keyboard.press('Control+Shift+D')
    const dialog = page.getByRole('dialog', { name: 'Dashboard' })
    await dialog.getByTestId('chart-documents-by-status').waitFor()
    const expected = await quire.edition.backend.getDashboard()
    expect(expected.documents).toBe(2)
    expect(expected.annotators).toEqual(['Leyla', 'Rashad'])
    const spans = expected.spans
    await expect.poll(() => dialog.getByText(`Sample project: 2 documents, ${spans.toLocaleString('en-GB')} spans, 2 annotators`).count()).toBe(1)

    // The tables say the backend's numbers.
    const statusChart = dialog.getByTestId('chart-documents-by-status')
    await statusChart.getByText('Show as table').click()
    const statusRows = await statusChart.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim())))
    const { done, 'in-progress': inProgress, 'not-started': notStarted } = expected.statusOverall
    expect(statusRows[0]).toEqual(['All documents', String(done), String(inProgress), String(notStarted), '0', '2'])
    const leyla = expected.statusByAnnotator.Leyla!
    expect(statusRows[1]).toEqual(['Leyla', String(leyla.done), String(leyla['in-progress']), String(leyla['not-started']), String(2 - leyla.done - leyla['in-progress'] - leyla['not-started']), '2'])
    const perTag = dialog.getByTestId('chart-spans-per-tag')
    const personBar = perTag.locator('[data-row="Person"] rect.bar')
    expect(Number(await personBar.getAttribute('data-value'))).toBe(expected.spansByTagInPeopleLayers.PERSON)

    await shots.shoot(page, 'light')
    await expectNoAxeViolations(page, 'dashboard')

    // SVG: a standalone document with the chart's title and numbers, every colour written out.
    const svgFile = await saved(page, 'Save Spans per tag as SVG')
    expect(svgFile.name).toBe('Sample project-spans-per-tag.svg')
    const svgSource = svgFile.bytes.toString('utf8')
    expect(svgSource).not.toContain('var(')
    expect(svgSource).not.toContain('class=')
    const parsed = await page.evaluate((source) => {
      const svg = new DOMParser().parseFromString(source, 'image/svg+xml')
      const root = svg.documentElement
      return {
        error: svg.querySelector('parsererror')?.textContent ?? null,
        namespace: root.namespaceURI,
        title: root.querySelector('title')?.textContent,
        fills: [...root.querySelectorAll('rect[data-value]')].map((bar) => [bar.getAttribute('data-value'), bar.getAttribute('fill')]),
        labelFill: root.querySelector('text')?.getAttribute('fill')
      }
    }, svgSource)
    expect(parsed).toMatchObject({ error: null, namespace: 'http://www.w3.org/2000/svg', title: 'Spans per tag' })
    // Person's bar in Person's colour (the project's own), computed and inlined.
    const personColour = (await quire.edition.backend.getCurrentProject())?.manifest.tags.find((tag) => tag.id === 'PERSON')?.color ?? ''
    const [red, green, blue] = [1, 3, 5].map((start) => Number.parseInt(personColour.slice(start, start + 2), 16))
    expect(parsed.fills[0]).toEqual([String(expected.spansByTagInPeopleLayers.PERSON), `rgb(${red}, ${green}, ${blue})`])
    expect(parsed.labelFill).toMatch(/^rgb\(/)

    // PNG: drawn at twice the SVG's size.
    const pngFile = await saved(page, 'Save Progress over time as PNG')
    expect(pngFile.name).toBe('Sample project-progress-over-time.png')
    expect(pngSize(pngFile.bytes)).toEqual({ width: 1040, height: 520 })

    // CSV: the table's rows, with the BOM spreadsheets need.
    const csvFile = await saved(page, 'Save Spans per annotator as CSV')
    expect(csvFile.name).toBe('Sample project-spans-per-annotator.csv')
    expect(csvFile.bytes.toString('utf8').split('\r\n')).toEqual([
      '\ufeffAnnotator,Spans',
      `Leyla,${expected.spansByAnnotator.Leyla}`,
      `Rashad,${expected.spansByAnnotator.Rashad}`,
      ''
    ])

    // Agreement only when asked: then the same α as the agreement service gives.
    await dialog.getByRole('button', { name: 'Measure agreement' }).click()
    await dialog.getByText('Krippendorff’s α').waitFor()
    const agreement = await quire.edition.backend.computeAgreement({ documentIds: 'all', annotators: 'all' })
    const alpha = agreement.report.overall.krippendorffAlpha.value
    expect(alpha).not.toBeNull()
    const alphaFigure = dialog.locator('.summary-figures > div').filter({ hasText: 'Krippendorff’s α' }).locator('dd').first()
    expect(await alphaFigure.textContent()).toBe(alpha!.toFixed(3))
    await shots.shoot(page, 'agreement')

    await page.emulateMedia({ colorScheme: 'dark' })
    await shots.shoot(page, 'dark')
    await expectNoAxeViolations(page, 'dashboard (dark)')

    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(problems).toEqual([])
    await context.close()
    await shots.finish()
  })
})
