// Progress and Cancel while an import is written: the annotations dialog and the texts import
// poll main for how far the import is, say it in words and with a bar, and a cancelled import
// says what it kept.
import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import type { AnnotationImportReport } from '../../src/shared/model'
import { FakeApi } from './fake-api'

function projectApi(): FakeApi {
  const api = new FakeApi([{ id: 'meeting', name: 'meeting', text: 'Emin Amrullayev met the ISESCO delegation in Baku.\n' }])
  api.openProjectNamed('Corpus')
  api.appInfo.edition = 'browser'
  return api
}

describe('import progress', () => {
  it('shows how far an annotation import is, cancels it, and says what was kept', async () => {
    const api = projectApi()
    api.holdImports = true
    api.importPolls = [null, { done: 3500, total: 10_000 }]
    const cancelled: AnnotationImportReport = {
      imported: false, format: 'jsonl', errors: [], warnings: [], unknownTags: [], addedTags: [],
      documents: Array.from({ length: 3500 }, (_, index) => ({ documentId: `news-${index}`, name: `news-${index}`, file: 'corpus.jsonl', created: true, spans: 3 })),
      spans: 10_500, spansAlreadyPresent: 0, cancelled: { notImported: 6500 }
    }
    api.annotationImportReports = [cancelled]
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Import annotations…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Import annotations' })
    await user.upload(within(dialog).getByTestId('annotation-file-input'), [new File(['{}\n'], 'corpus.jsonl')])
    await user.click(within(dialog).getByRole('button', { name: 'Import' }))

    expect(await within(dialog).findByText('Imported 3,500 of 10,000 documents')).toBeInTheDocument()
    const bar = within(dialog).getByRole('progressbar', { name: 'Imported 3,500 of 10,000 documents' })
    expect(bar).toHaveAttribute('value', '3500')
    expect(bar).toHaveAttribute('max', '10000')
    const [call] = api.calls.filter((c) => c.method === 'importAnnotations')
    const jobId = call?.args[2] as string
    expect(api.calls.filter((c) => c.method === 'getImportProgress').every((c) => c.args[0] === jobId)).toBe(true)
    const listsBefore = api.calls.filter((c) => c.method.startsWith('listDocument')).length

    await user.click(within(dialog).getByRole('button', { name: 'Cancel import' }))
    expect(api.cancelledImports).toEqual([jobId])
    expect(await within(dialog).findByRole('heading', { name: 'Import cancelled' })).toBeInTheDocument()
    expect(dialog).toHaveTextContent('Cancelled: 3,500 documents were imported and are in the project; 6,500 were not.')
    // The documents kept are listed at once.
    await waitFor(() => expect(api.calls.filter((c) => c.method.startsWith('listDocument')).length).toBeGreaterThan(listsBefore))
    // Polling stopped with the answer.
    const polls = api.calls.filter((c) => c.method === 'getImportProgress').length
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(api.calls.filter((c) => c.method === 'getImportProgress').length).toBe(polls)
  })

  it('shows a texts import that takes a moment in a dialog with Cancel, then what was kept', async () => {
    const api = projectApi()
    api.holdImports = true
    api.importPolls = [{ done: 500, total: 2000 }]
    api.importReport = {
      imported: Array.from({ length: 500 }, (_, index) => ({ fileName: `t${index}.txt`, documentId: `t${index}`, name: `t${index}` })),
      refused: [],
      duplicates: [],
      cancelled: { notImported: 1500 }
    }
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    const importing = app.importFiles([new File(['one'], 't0.txt'), new File(['two'], 't1.txt')])
    const dialog = await screen.findByRole('dialog', { name: 'Importing texts' })
    expect(await within(dialog).findByText('Imported 500 of 2,000 documents')).toBeInTheDocument()
    const cancel = within(dialog).getByRole('button', { name: 'Cancel import' })
    await waitFor(() => expect(cancel).toHaveFocus())
    await userEvent.setup().click(cancel)
    await importing
    expect(screen.queryByRole('dialog', { name: 'Importing texts' })).toBeNull()
    const report = await screen.findByRole('dialog', { name: 'Import cancelled' })
    expect(report).toHaveTextContent('Cancelled: 500 documents were imported and are in the project; 1,500 were not.')
  })

  it('shows nothing for an import answered at once', async () => {
    const api = projectApi()
    api.importReport = { imported: [{ fileName: 'a.txt', documentId: 'a', name: 'a' }], refused: [], duplicates: [] }
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    await app.importFiles([new File(['one'], 'a.txt')])
    expect(screen.queryByRole('dialog', { name: 'Importing texts' })).toBeNull()
    expect(api.calls.find((c) => c.method === 'importTexts')?.args[1]).toMatch(/^[0-9a-f-]{36}$/)
  })
})
