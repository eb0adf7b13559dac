// The dashboard: opened from the toolbar, the menu and Ctrl+Shift+D; each chart's table says
// the numbers its bars and lines draw; the gold layer is named as such; and the SVG and CSV a
// chart saves hold those numbers (PNG needs a real canvas: the end-to-end test checks it).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import DashboardDialog from '../../src/renderer/src/lib/components/DashboardDialog.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { DashboardState } from '../../src/renderer/src/lib/state/dashboard.svelte'
import { CURATION_ANNOTATOR, DEFAULT_TAGS, type Annotation } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\nSecond line.\n'
const at = (words: string): number => text.indexOf(words)

function by(annotator: string, annotation: Annotation, createdAt: string): Annotation {
  return { ...annotation, annotator, createdAt }
}

function projectApi(): FakeApi {
  const emin = makeAnnotation(text, 'e1', at('Emin'), at('Emin') + 15, 'PERSON')
  const isesco = makeAnnotation(text, 'o1', at('ISESCO'), at('ISESCO') + 6, 'ORG')
  const api = new FakeApi([
    {
      id: 'meeting',
      name: 'meeting',
      text,
      status: 'done',
      annotations: [by('Leyla', emin, '2026-03-01T09:00:00.000Z'), by('Leyla', isesco, '2026-03-03T09:00:00.000Z')],
      layers: [
        { annotator: 'Rashad', status: 'in-progress', annotations: [by('Rashad', emin, '2026-03-02T23:30:00-02:00')] },
        { annotator: CURATION_ANNOTATOR, status: 'in-progress', annotations: [by(CURATION_ANNOTATOR, emin, '2026-03-04T09:00:00.000Z')] }
      ]
    },
    { id: 'second', name: 'second', text, status: 'done', annotations: [by('Leyla', isesco, '2026-03-03T10:00:00.000Z')] },
    { id: 'third', name: 'third', text, status: 'not-started', annotations: [] }
  ])
  api.openProjectNamed('Interviews')
  return api
}

/** Rows of a chart's table, as text cells. */
function tableRows(chart: HTMLElement): string[][] {
  const table = within(chart).getByRole('table')
  return [...table.querySelectorAll('tr')].map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''))
}

describe('the dashboard', () => {
  let saved: { name: string; blob: Blob }[]
  beforeEach(() => {
    saved = []
    let lastBlob: Blob | null = null
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      lastBlob = blob as Blob
      return 'blob:fake'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      if (lastBlob) saved.push({ name: this.download, blob: lastBlob })
    })
  })
  afterEach(() => vi.restoreAllMocks())

  async function openDialog(api = projectApi()): Promise<HTMLElement> {
    const state = new DashboardState(api, { tags: DEFAULT_TAGS })
    render(DashboardDialog, { dashboard: state, onClose: () => undefined, onOpenAgreement: () => undefined })
    const dialog = screen.getByRole('dialog', { name: 'Dashboard' })
    await within(dialog).findByTestId('chart-documents-by-status')
    return dialog
  }

  it('counts documents by status, one overall status per document and one row per annotator, the gold layer named as such', async () => {
    const dialog = await openDialog()
    expect(dialog).toHaveAccessibleDescription('Interviews: 3 documents, 5 spans, 2 annotators and the gold layer')
    const chart = within(dialog).getByTestId('chart-documents-by-status')
    expect(tableRows(chart)).toEqual([
      ['Who', 'Done', 'In progress', 'Not started', 'No layer', 'Documents'],
      ['All documents', '1', '1', '1', '0', '3'],
      ['Leyla', '2', '0', '1', '0', '3'],
      ['Rashad', '0', '1', '0', '2', '3'],
      ['Gold layer (curation)', '0', '1', '0', '2', '3']
    ])
    // The picture draws the same numbers: the done part of the first bar is one document.
    const svg = within(chart).getByRole('img', { name: 'Documents by status' })
    expect(svg).toHaveAccessibleDescription(/^1 of 3 documents done, 1 in progress, 1 not started\./)
    const overall = svg.querySelector('[data-row="All documents"]')!
    expect([...overall.querySelectorAll('rect.bar')].map((bar) => bar.getAttribute('data-value'))).toEqual(['1', '1', '1'])
    expect(within(dialog).queryByText(/^curation$/)).toBeNull()
  })

  it('draws spans per tag from people’s layers, per annotator with the gold layer, and progress by UTC day', async () => {
    const dialog = await openDialog()
    const tags = within(dialog).getByTestId('chart-spans-per-tag')
    expect(tableRows(tags)).toEqual([
      ['Tag', 'All annotators', 'Leyla', 'Rashad', 'Gold layer (curation)'],
      ['Person', '2', '1', '1', '1'],
      ['Organization', '2', '2', '0', '0'],
      ['Event', '0', '0', '0', '0'],
      ['Program', '0', '0', '0', '0']
    ])
    const bars = within(tags).getByRole('img', { name: 'Spans per tag' })
    expect([...bars.querySelectorAll('rect.bar')].map((bar) => bar.getAttribute('data-value'))).toEqual(['2', '2'])
    expect(bars).toHaveAccessibleDescription(/^4 spans in the annotators’ layers, most of them Person \(2 spans\)\./)

    expect(tableRows(within(dialog).getByTestId('chart-spans-per-annotator'))).toEqual([
      ['Annotator', 'Spans'],
      ['Leyla', '3'],
      ['Rashad', '1'],
      ['Gold layer (curation)', '1']
    ])

    // Rashad's 23:30 at UTC−2 is 01:30 the next day in UTC.
    const progress = within(dialog).getByTestId('chart-progress-over-time')
    expect(tableRows(progress)).toEqual([
      ['Day (UTC)', 'Leyla', 'Rashad', 'Gold layer (curation)'],
      ['2026-03-01', '1', '0', '0'],
      ['2026-03-03', '3', '1', '0'],
      ['2026-03-04', '3', '1', '1']
    ])
    const lines = within(progress).getByRole('img', { name: 'Progress over time' })
    expect([...lines.querySelectorAll('[data-series="Leyla"] circle')].map((marker) => marker.getAttribute('data-total'))).toEqual(['1', '3'])
    expect(lines.querySelectorAll('path.line')).toHaveLength(3)
  })

  it('saves a chart as a standalone SVG holding its title, description and numbers', async () => {
    const dialog = await openDialog()
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Save Spans per annotator as SVG' }))
    expect(saved.map((file) => file.name)).toEqual(['Interviews-spans-per-annotator.svg'])
    const source = await saved[0]!.blob.text()
    expect(saved[0]!.blob.type).toBe('image/svg+xml')
    expect(source.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true)
    const svg = new DOMParser().parseFromString(source, 'image/svg+xml')
    expect(svg.querySelector('parsererror')).toBeNull()
    const root = svg.documentElement
    expect(root.namespaceURI).toBe('http://www.w3.org/2000/svg')
    expect(root.getAttribute('width')).toBe('520')
    expect(root.querySelector('title')?.textContent).toBe('Spans per annotator')
    expect(root.querySelector('desc')?.textContent).toContain('Leyla: 3 spans; Rashad: 1 span; Gold layer (curation): 1 span')
    expect([...root.querySelectorAll('text')].map((label) => label.textContent)).toEqual(expect.arrayContaining(['Leyla', 'Rashad', '3', '1']))
    // Nothing left that needs the page: no classes, no inline styles, a background drawn first.
    expect(root.querySelector('[class], [style]')).toBeNull()
    expect(root.children[2]?.localName).toBe('rect')
  })

  it('saves a chart’s numbers as CSV: BOM, header, CRLF rows, names that look like formulas made inert', async () => {
    const api = projectApi()
    api.documents.get('third')!.layers = [{ annotator: '=HYPERLINK("x")', status: 'done', annotations: [] }]
    const dialog = await openDialog(api)
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Save Documents by status as CSV' }))
    expect(saved.map((file) => file.name)).toEqual(['Interviews-documents-by-status.csv'])
    const bytes = new Uint8Array(await saved[0]!.blob.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    // The third document: Leyla has not started, the oddly named colleague is done: in progress.
    expect(csv.split('\r\n')).toEqual([
      '\ufeffWho,Done,In progress,Not started,No layer,Documents',
      'All documents,1,2,0,0,3',
      `"'=HYPERLINK(""x"")",1,0,0,2,3`,
      'Leyla,2,0,1,0,3',
      'Rashad,0,1,0,2,3',
      'Gold layer (curation),0,1,0,2,3',
      ''
    ])
  })

  it('lists files main could not read, and measures agreement only when asked', async () => {
    const api = projectApi()
    api.dashboardProblems = [{ path: '/tmp/project/documents/x/annotations/Aysel.json', message: 'Aysel.json is not JSON. Its spans are left out.' }]
    const dialog = await openDialog(api)
    expect(within(dialog).getByText('1 file could not be read; its spans are not counted')).toBeInTheDocument()
    expect(api.calls.filter((call) => call.method === 'computeAgreement')).toHaveLength(0)
    expect(within(dialog).getByText(/^1 document has layers by two or more annotators\./)).toBeInTheDocument()
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Measure agreement' }))
    await within(dialog).findByText('Krippendorff’s α')
    expect(api.calls.filter((call) => call.method === 'computeAgreement').map((call) => call.args)).toEqual([[{ documentIds: 'all', annotators: 'all' }]])
  })

  it('shows an empty project without errors: zero bars, no lines, no agreement yet', async () => {
    const api = new FakeApi([{ id: 'only', name: 'only', text, owner: 'Leyla', status: 'not-started', annotations: [] }])
    api.openProjectNamed('Empty')
    const dialog = await openDialog(api)
    expect(dialog).toHaveAccessibleDescription('Empty: 1 document, 0 spans, 1 annotator')
    const progress = within(dialog).getByRole('img', { name: 'Progress over time' })
    expect(progress).toHaveAccessibleDescription('No spans yet.')
    expect(progress.querySelectorAll('path.line')).toHaveLength(0)
    expect(within(dialog).getByTestId('chart-spans-per-tag').querySelectorAll('rect.bar')).toHaveLength(0)
    expect(tableRows(within(dialog).getByTestId('chart-documents-by-status'))[1]).toEqual(['All documents', '0', '0', '1', '0', '1'])
    expect(within(dialog).getByText(/^Agreement needs two annotators/)).toBeInTheDocument()
    expect(dialog.innerHTML).not.toMatch(/NaN|Infinity/)
  })

  it('opens from the toolbar, from the menu and with Ctrl+Shift+D, and closes with Escape', async () => {
    const api = projectApi()
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Dashboard' }))
    const dialog = screen.getByRole('dialog', { name: 'Dashboard' })
    await within(dialog).findByTestId('chart-spans-per-tag')
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Dashboard' })).toBeNull())
    api.sendMenuCommand('show-dashboard')
    await screen.findByRole('dialog', { name: 'Dashboard' })
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Dashboard' })).toBeNull())
    await user.keyboard('{Control>}{Shift>}D{/Shift}{/Control}')
    await screen.findByRole('dialog', { name: 'Dashboard' })
  })
})
