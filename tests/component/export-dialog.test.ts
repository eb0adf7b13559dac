import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { ExportDialogState } from '../../src/renderer/src/lib/state/export-dialog.svelte'
import type { ExportRequest } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\n'

function projectApi(): FakeApi {
  const api = new FakeApi([
    { id: 'meeting', name: 'meeting', text, annotations: [makeAnnotation(text, 'o1', 24, 30, 'ORG')] },
    { id: 'other', name: 'other', text: 'Another text.' },
    { id: 'third', name: 'third', text: 'A third text.' }
  ])
  api.openProjectNamed('Interviews')
  return api
}

async function openExportDialog(api: FakeApi): Promise<HTMLElement> {
  render(App, { app: new AppState(api) })
  await screen.findByRole('document', { name: 'Document text' })
  await userEvent.setup().click(screen.getByRole('button', { name: 'Export…' }))
  const dialog = await screen.findByRole('dialog', { name: 'Export' })
  await within(dialog).findByRole('radio', { name: 'JSONL' })
  return dialog
}

/** A clean export closes the dialog and says so in a notice (with the file's name), not a dialog to dismiss. */
async function exportedNotice(fileName: string): Promise<HTMLElement> {
  const notices = screen.getByRole('status', { name: 'Notices' })
  const notice = await within(notices).findByText(new RegExp(`^Exported .* to ${fileName}\\.$`))
  await waitFor(() => expect(screen.queryByRole('dialog', { name: /Export/ })).toBeNull())
  return notice.closest<HTMLElement>('[data-testid="notice"]')!
}

function lastExportRequest(api: FakeApi): ExportRequest {
  const call = api.calls.filter((c) => c.method === 'startExport').at(-1)
  if (!call) throw new Error('startExport was not called')
  return call.args[0] as ExportRequest
}

describe('Export dialog', () => {
  it('defaults to JSONL of the open document, all annotators, code points, beside the project', async () => {
    const api = projectApi()
    const dialog = await openExportDialog(api)
    expect(within(dialog).getByRole('radio', { name: 'JSONL' })).toBeChecked()
    expect(within(dialog).getByRole('radio', { name: /This document: meeting/ })).toBeChecked()
    expect(within(dialog).getByRole('checkbox', { name: /Leyla/ })).toBeChecked()
    expect(within(dialog).getByRole('checkbox', { name: /Rashad/ })).toBeChecked()
    expect(within(dialog).getByRole('combobox', { name: 'Offsets in' })).toHaveValue('codepoint')
    expect(within(dialog).getByRole('textbox', { name: 'Export to file' })).toHaveValue('/tmp/project-export.jsonl')
    // Focus starts inside the dialog, on the chosen format.
    expect(within(dialog).getByRole('radio', { name: 'JSONL' })).toHaveFocus()

    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Export' }))
    expect(await exportedNotice('project-export.jsonl')).toHaveTextContent('Exported 2 documents and 17 spans to project-export.jsonl.')
    expect(lastExportRequest(api)).toEqual({
      format: 'jsonl',
      outPath: '/tmp/project-export.jsonl',
      documentIds: ['meeting'],
      annotators: 'all',
      offsets: 'codepoint'
    })
  })

  it('shows the CoNLL scheme only for CoNLL and the offset unit only for JSONL and CSV', async () => {
    const api = projectApi()
    const dialog = await openExportDialog(api)
    const user = userEvent.setup()
    expect(within(dialog).queryByRole('combobox', { name: 'Tagging scheme' })).toBeNull()

    await user.click(within(dialog).getByRole('radio', { name: 'CoNLL-2003' }))
    expect(within(dialog).getByRole('combobox', { name: 'Tagging scheme' })).toHaveValue('IOB2')
    expect(within(dialog).queryByRole('combobox', { name: 'Offsets in' })).toBeNull()
    expect(within(dialog).getByRole('textbox', { name: 'Export to file' })).toHaveValue('/tmp/project-export.conll')

    await user.click(within(dialog).getByRole('radio', { name: 'brat standoff' }))
    expect(within(dialog).queryByRole('combobox', { name: 'Tagging scheme' })).toBeNull()
    expect(within(dialog).queryByRole('combobox', { name: 'Offsets in' })).toBeNull()
    expect(within(dialog).getByRole('textbox', { name: 'Export to folder' })).toHaveValue('/tmp/project-export-brat')

    await user.click(within(dialog).getByRole('radio', { name: 'CSV' }))
    expect(within(dialog).getByRole('combobox', { name: 'Offsets in' })).toBeInTheDocument()

    await user.click(within(dialog).getByRole('radio', { name: 'CoNLL-2003' }))
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Tagging scheme' }), 'BIOES')
    await user.click(within(dialog).getByRole('radio', { name: 'Whole project (3 documents)' }))
    await user.click(within(dialog).getByRole('checkbox', { name: /Rashad/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Export' }))
    await exportedNotice('project-export.conll')
    expect(lastExportRequest(api)).toEqual({
      format: 'conll',
      outPath: '/tmp/project-export.conll',
      documentIds: 'all',
      annotators: ['Leyla'],
      scheme: 'BIOES'
    })
  })

  it('exports the documents ticked in the checklist, in project order, and says why Export is unavailable', async () => {
    const api = projectApi()
    const dialog = await openExportDialog(api)
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('radio', { name: /Selected documents/ }))
    const checklist = within(dialog).getByRole('group', { name: 'Documents to export' })
    // The open document starts ticked.
    expect(within(checklist).getByRole('checkbox', { name: /meeting/ })).toBeChecked()
    await user.click(within(checklist).getByRole('checkbox', { name: /meeting/ }))
    expect(within(dialog).getByRole('button', { name: 'Export' })).toBeDisabled()
    expect(dialog).toHaveTextContent('Choose at least one document.')

    await user.click(within(checklist).getByRole('checkbox', { name: /third/ }))
    await user.click(within(checklist).getByRole('checkbox', { name: /other/ }))
    for (const name of ['Leyla', 'Rashad']) await user.click(within(dialog).getByRole('checkbox', { name: new RegExp(name) }))
    expect(within(dialog).getByRole('button', { name: 'Export' })).toBeDisabled()
    expect(dialog).toHaveTextContent('Choose at least one annotator.')
    await user.click(within(dialog).getByRole('checkbox', { name: /Rashad/ }))

    await user.clear(within(dialog).getByRole('textbox', { name: 'Export to file' }))
    expect(dialog).toHaveTextContent('Give the file to export to.')
    await user.type(within(dialog).getByRole('textbox', { name: 'Export to file' }), '/data/out.jsonl{Enter}')
    await exportedNotice('out.jsonl')
    expect(lastExportRequest(api)).toMatchObject({ outPath: '/data/out.jsonl', documentIds: ['other', 'third'], annotators: ['Rashad'] })
  })

  it('shows progress with a document count, cancels, and reports that nothing was written', async () => {
    const api = projectApi()
    api.exportPolls = [{ state: 'running', progress: { documentsDone: 1, documentsTotal: 3, spansWritten: 12 } }]
    const dialog = await openExportDialog(api)
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('radio', { name: /Whole project/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Export' }))
    await within(dialog).findByText('1 / 3 documents')
    const progress = within(dialog).getByRole('progressbar', { name: 'Export progress' })
    expect(progress).toHaveAttribute('value', '1')
    expect(progress).toHaveAttribute('max', '3')
    expect(dialog).toHaveTextContent('12 spans · 33%')

    // Escape during an export cancels it rather than hiding it.
    await fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Cancel export' }), { key: 'Escape' })
    await screen.findByRole('heading', { name: 'Export cancelled' })
    expect(api.cancelledJobs).toEqual(['job-1'])
    expect(dialog).toHaveTextContent('Nothing was written to /tmp/project-export.jsonl')
  })

  it('summarises figures and warnings and reveals the output in the file manager (desktop)', async () => {
    const api = projectApi()
    api.exportPolls = [
      {
        state: 'finished',
        progress: { documentsDone: 3, documentsTotal: 3, spansWritten: 40 },
        result: {
          outPath: '/tmp/project-export.jsonl',
          files: ['/tmp/project-export.jsonl'],
          documents: 3,
          spans: 40,
          dropped: 2,
          adjusted: 1,
          cancelled: false,
          warnings: [{ documentId: 'meeting', documentName: 'meeting', message: 'two overlapping spans: the longest was kept' }]
        }
      }
    ]
    const dialog = await openExportDialog(api)
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Export' }))
    await screen.findByRole('heading', { name: 'Export finished' })
    const summary = within(dialog).getByLabelText('Export summary')
    const figures: [string, string][] = [['Documents', '3'], ['Spans', '40'], ['Dropped', '2'], ['Adjusted', '1']]
    for (const [term, value] of figures) {
      expect(within(summary).getByText(term).nextElementSibling).toHaveTextContent(value)
    }
    expect(within(dialog).getByRole('list', { name: 'Warnings' })).toHaveTextContent('meeting: two overlapping spans: the longest was kept')
    expect(within(dialog).getByRole('button', { name: 'Done' })).toHaveFocus()
    await user.click(within(dialog).getByRole('button', { name: 'Show in folder' }))
    expect(api.revealedPaths).toEqual(['/tmp/project-export.jsonl'])
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    expect(screen.queryByRole('dialog', { name: /Export/ })).toBeNull()
  })

  it('shows an export that failed in main, with its path, and keeps the options', async () => {
    const api = projectApi()
    api.exportPolls = [
      {
        state: 'failed',
        progress: { documentsDone: 0, documentsTotal: 1, spansWritten: 0 },
        error: { code: 'invalid-argument', message: '/data/brat already holds files that are not a Quire export; choose an empty or new folder', path: '/data/brat' }
      }
    ]
    const dialog = await openExportDialog(api)
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Export' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('already holds files that are not a Quire export')
    expect(within(dialog).getByRole('button', { name: 'Export' })).toBeEnabled()
  })

  it('uses the native destination dialog on the desktop', async () => {
    const api = projectApi()
    const dialog = await openExportDialog(api)
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('radio', { name: 'TEI XML' }))
    await user.click(within(dialog).getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect(within(dialog).getByRole('textbox', { name: 'Export to folder' })).toHaveValue('/home/leyla/chosen-export'))
    expect(api.calls.find((c) => c.method === 'chooseExportDestination')?.args).toEqual(['tei', '/tmp/project-export-tei'])
  })

  it('a clean export on the desktop closes the dialog and offers "Show in folder" in its notice', async () => {
    const api = projectApi()
    const dialog = await openExportDialog(api)
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Export' }))
    const notice = await exportedNotice('project-export.jsonl')
    await user.click(within(notice).getByRole('button', { name: 'Show in folder' }))
    expect(api.revealedPaths).toEqual(['/tmp/project-export.jsonl'])
    // The action done, the notice goes.
    expect(screen.queryByText(/^Exported /)).toBeNull()
  })

  it('in the browser edition asks for a typed path and offers to copy the result path instead of a file manager', async () => {
    const api = projectApi()
    api.appInfo.edition = 'browser'
    const dialog = await openExportDialog(api)
    expect(within(dialog).queryByRole('button', { name: 'Choose…' })).toBeNull()
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Export' }))
    const notice = await exportedNotice('project-export.jsonl')
    expect(within(notice).queryByRole('button', { name: 'Show in folder' })).toBeNull()
    await user.click(within(notice).getByRole('button', { name: 'Copy path' }))
    expect(await navigator.clipboard.readText()).toBe('/tmp/project-export.jsonl')
    await screen.findByText('Copied /tmp/project-export.jsonl')
  })

  it('in the browser edition a summary that stays (warnings) shows the path with a copy button', async () => {
    const api = projectApi()
    api.appInfo.edition = 'browser'
    api.exportPolls = [
      {
        state: 'finished',
        progress: { documentsDone: 1, documentsTotal: 1, spansWritten: 3 },
        result: { outPath: '/tmp/project-export.jsonl', files: ['/tmp/project-export.jsonl'], documents: 1, spans: 3, dropped: 1, adjusted: 0, cancelled: false, warnings: [{ documentId: 'meeting', documentName: 'meeting', message: '1 overlapping span left out' }] }
      }
    ]
    const dialog = await openExportDialog(api)
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Export' }))
    await screen.findByRole('heading', { name: 'Export finished' })
    expect(within(dialog).queryByRole('button', { name: 'Show in folder' })).toBeNull()
    expect(within(dialog).getByRole('textbox', { name: 'File' })).toHaveValue('/tmp/project-export.jsonl')
    expect(within(dialog).getByRole('button', { name: 'Copy path' })).toBeInTheDocument()
    expect(screen.queryByTestId('notice')).toBeNull()
  })

  it('closes with Escape, keeps focus inside with Tab, and ignores tag keys pressed in it', async () => {
    const api = projectApi()
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Export…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Export' })
    await within(dialog).findByRole('radio', { name: 'JSONL' })
    app.session!.setSelection(0, 4)
    within(dialog).getByRole('button', { name: 'Cancel' }).focus()
    await user.keyboard('1')
    expect(app.session!.annotations).toHaveLength(1)
    for (let i = 0; i < 25; i++) {
      await user.tab()
      expect(dialog.contains(document.activeElement)).toBe(true)
    }
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog', { name: 'Export' })).toBeNull()
  })

  it('opens from the native menu command', async () => {
    const api = projectApi()
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    api.sendMenuCommand('export')
    expect(await screen.findByRole('dialog', { name: 'Export' })).toBeInTheDocument()
  })
})

describe('ExportDialogState', () => {
  it('sends the annotators chosen, or "all" when every one is, and the scheme only for CoNLL', async () => {
    const api = projectApi()
    const state = new ExportDialogState(api, { documents: await api.listDocuments('Leyla'), currentDocumentId: null, edition: 'desktop' })
    await state.load()
    expect(state.scope).toBe('all')
    expect(state.request()).toEqual({ format: 'jsonl', outPath: '/tmp/project-export.jsonl', documentIds: 'all', annotators: 'all', offsets: 'codepoint' })
    state.format = 'tei'
    state.toggleAnnotator('Leyla', false)
    expect(state.request()).toEqual({ format: 'tei', outPath: '/tmp/project-export-tei', documentIds: 'all', annotators: ['Rashad'] })
    state.scope = 'current'
    expect(state.blocker).toBe('No document is open.')
  })

  it('stops polling once disposed', async () => {
    const api = projectApi()
    api.exportPolls = [{ state: 'running', progress: { documentsDone: 0, documentsTotal: 3, spansWritten: 0 } }]
    const state = new ExportDialogState(api, { documents: await api.listDocuments('Leyla'), currentDocumentId: null, edition: 'desktop', pollIntervalMs: 5 })
    await state.load()
    await state.start()
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'getExportProgress').length).toBeGreaterThan(1))
    state.dispose()
    const polls = api.calls.filter((c) => c.method === 'getExportProgress').length
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(api.calls.filter((c) => c.method === 'getExportProgress').length).toBeLessThanOrEqual(polls + 1)
  })
})
