import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\nSecond line.\n'

function projectApi(): FakeApi {
  const api = new FakeApi([
    { id: 'meeting', name: 'meeting', text, annotations: [makeAnnotation(text, 'o1', 24, 30, 'ORG')] },
    { id: 'other', name: 'other', text: 'Another text.' }
  ])
  api.openProjectNamed('Sample project')
  return api
}

/** The app on the project's first document, with the toolbar's status select. */
async function appWithStatusSelect(api = projectApi()): Promise<{ api: FakeApi; app: AppState; status: HTMLElement }> {
  const app = new AppState(api)
  render(App, { app })
  await screen.findByRole('document', { name: 'Document text' })
  return { api, app, status: screen.getByRole('combobox', { name: 'Your status' }) }
}

/** Holds each status save until the test answers it: true saves it, false fails it. */
function holdStatusSaves(api: FakeApi): Array<(saved?: boolean) => void> {
  const saveStatus = api.setDocumentStatus.bind(api)
  const answers: Array<(saved?: boolean) => void> = []
  api.setDocumentStatus = (layer, chosen) =>
    new Promise((resolve, reject) => answers.push((saved = true) => (saved ? resolve(saveStatus(layer, chosen)) : reject(new Error('The disk is full')))))
  return answers
}

describe('App', () => {
  it('asks for the annotator name first, prefilled from the OS user, and requires it', async () => {
    const api = new FakeApi()
    api.settings.annotatorName = null
    render(App, { app: new AppState(api) })
    const name = await screen.findByRole('textbox', { name: 'Your name' })
    expect(name).toHaveValue('leyla')
    const user = userEvent.setup()
    await user.clear(name)
    expect(screen.getByRole('button', { name: 'Continue' })).toBeDisabled()
    await user.type(name, 'Leyla Taghizade{Enter}')
    expect(await screen.findByRole('button', { name: 'Open sample project' })).toBeInTheDocument()
    expect(api.settings.annotatorName).toBe('Leyla Taghizade')
  })

  it('shows a project’s first document as soon as the first name is given, then reads the list again with that annotator’s counts', async () => {
    const api = projectApi()
    api.settings.annotatorName = null
    render(App, { app: new AppState(api) })
    const name = await screen.findByRole('textbox', { name: 'Your name' })
    const user = userEvent.setup()
    await user.clear(name)
    await user.type(name, 'Leyla Taghizade{Enter}')
    expect(await screen.findByRole('document', { name: 'Document text' })).toHaveTextContent('Emin Amrullayev')
    await waitFor(() => expect(api.calls.some((call) => call.method === 'listDocumentPage' && call.args[0] === 'Leyla Taghizade')).toBe(true))
    const order = api.calls.map((call) => call.method)
    const named = api.calls.findIndex((call) => call.method === 'setAnnotatorName')
    const opened = order.indexOf('getDocument', named)
    const listed = api.calls.findIndex((call) => call.method === 'listDocumentPage' && call.args[0] === 'Leyla Taghizade')
    // At 100,000 documents the list's reading takes seconds: the document does not wait for it.
    expect(opened).toBeGreaterThan(named)
    expect(listed).toBeGreaterThan(opened)
    expect((api.calls[opened]!.args[0] as { annotator: string }).annotator).toBe('Leyla Taghizade')
  })

  it('keeps the latest reading of the list when an earlier one answers after it', async () => {
    const api = projectApi()
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    const listPage = api.listDocumentPage.bind(api)
    let answerFirst: () => void = () => {}
    let held = true
    api.listDocumentPage = async (...args) => {
      // The first reading, as an earlier annotator would have it, held until the second is in.
      const page = await listPage(...args)
      if (!held) return page
      held = false
      const stale = { ...page, documents: page.documents.map((doc) => ({ ...doc, total: 99 })) }
      return new Promise((resolve) => (answerFirst = () => resolve(stale)))
    }
    const earlier = app.refreshDocuments()
    await waitFor(() => expect(held).toBe(false))
    await app.refreshDocuments()
    answerFirst()
    await earlier
    expect(app.documents.map((doc) => doc.total)).not.toContain(99)
    expect(app.documents).toHaveLength(2)
  })

  it('offers a labelled path field in the browser edition, where there is no folder picker', async () => {
    const api = new FakeApi()
    api.appInfo.edition = 'browser'
    render(App, { app: new AppState(api) })
    const path = await screen.findByRole('textbox', { name: 'Project folder path' })
    const user = userEvent.setup()
    expect(screen.getByRole('button', { name: 'Open project' })).toBeDisabled()
    await user.type(path, '/data/interviews')
    await user.click(screen.getByRole('button', { name: 'Open project' }))
    await waitFor(() => expect(api.calls.some((c) => c.method === 'openProject' && c.args[0] === '/data/interviews')).toBe(true))
    expect(api.calls.some((c) => c.method === 'chooseProjectFolder')).toBe(false)
  })

  it('opens the sample project into a workspace with documents, tags, reader and panel', async () => {
    const api = new FakeApi([{ id: 'meeting', name: 'meeting', text }])
    render(App, { app: new AppState(api) })
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open sample project' }))
    expect(await screen.findByRole('document', { name: 'Document text' })).toHaveTextContent('Emin Amrullayev')
    for (const name of ['Person', 'Organization', 'Event', 'Program', 'Import texts']) {
      expect(screen.getByRole('button', { name })).toBeInTheDocument()
    }
    // The document list comes in a task after the reader's first screen is painted.
    expect(await screen.findByRole('option', { name: /meeting/ })).toHaveAttribute('aria-selected', 'true')
  })

  it('tags with a number key, then undoes with Ctrl+Z and redoes with Ctrl+Shift+Z and Ctrl+Y', async () => {
    const api = projectApi()
    const app = new AppState(api)
    render(App, { app })
    const reader = await screen.findByRole('document', { name: 'Document text' })
    app.session!.setSelection(2, 10)
    await fireEvent.keyDown(window, { key: '1' })
    expect(reader.querySelector('[data-tag="PERSON"]')?.textContent).toBe('Emin Amrullayev')
    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true })
    expect(reader.querySelector('[data-tag="PERSON"]')).toBeNull()
    await fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true })
    expect(reader.querySelector('[data-tag="PERSON"]')).not.toBeNull()
    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true })
    await fireEvent.keyDown(window, { key: 'y', ctrlKey: true })
    expect(reader.querySelector('[data-tag="PERSON"]')).not.toBeNull()
    await app.session!.saveQueue.whenIdle()
    expect(api.savedAnnotations('meeting').map((a) => a.text).sort()).toEqual(['Emin Amrullayev', 'ISESCO'])
  })

  it("after a save takes the saved document's summary from the save's answer, asking main nothing more, and the list's counts and status follow", async () => {
    const { api, app, status } = await appWithStatusSelect()
    expect(status).toHaveValue('not-started')
    const listsBefore = api.calls.filter((call) => call.method.startsWith('listDocument')).length
    app.session!.setSelection(2, 10)
    await fireEvent.keyDown(window, { key: '1' })
    // The first span puts the document in progress, in the toolbar at once and in the list once saved.
    expect(status).toHaveValue('in-progress')
    await app.session!.saveQueue.whenIdle()
    await waitFor(() => expect(app.documents.find((summary) => summary.id === 'meeting')?.total).toBe(2))
    expect(app.documents.find((summary) => summary.id === 'meeting')?.status).toBe('in-progress')
    expect(api.calls.filter((call) => call.method.startsWith('listDocument'))).toHaveLength(listsBefore)
    expect(api.calls.filter((call) => call.method === 'getDocumentSummaries')).toEqual([])
    expect(app.documents.map((summary) => summary.id)).toEqual(['meeting', 'other'])
  })

  it('saves two quick status choices in the order they were made, one at a time, and shows the last', async () => {
    const { api, app, status } = await appWithStatusSelect()
    const answers = holdStatusSaves(api)
    await fireEvent.change(status, { target: { value: 'done' } })
    await fireEvent.change(status, { target: { value: 'in-progress' } })
    // The second waits for the first to be answered.
    expect(answers).toHaveLength(1)
    answers[0]?.()
    await waitFor(() => expect(answers).toHaveLength(2))
    // The first choice's answer does not flip the select back to it.
    expect(status).toHaveValue('in-progress')
    expect(app.session?.status).not.toBe('done')
    answers[1]?.()
    await waitFor(() => expect(app.session?.status).toBe('in-progress'))
    expect(api.calls.filter((call) => call.method === 'setDocumentStatus').map((call) => call.args[1])).toEqual(['done', 'in-progress'])
    expect(status).toHaveValue('in-progress')
  })

  it('puts the status select back to what main holds when the latest choice cannot be saved', async () => {
    const { app, status, api } = await appWithStatusSelect()
    expect(status).toHaveValue('not-started')
    const answers = holdStatusSaves(api)

    // One choice that fails: back to the status before it.
    await fireEvent.change(status, { target: { value: 'done' } })
    expect(status).toHaveValue('done')
    answers.shift()?.(false)
    await waitFor(() => expect(status).toHaveValue('not-started'))
    expect(app.session?.status).toBe('not-started')
    await screen.findByText(/The disk is full/)

    // Two quick choices, the first saved and the second not: the select shows the first, as main has it.
    await fireEvent.change(status, { target: { value: 'in-progress' } })
    await fireEvent.change(status, { target: { value: 'done' } })
    answers.shift()?.(true)
    await waitFor(() => expect(answers).toHaveLength(1))
    expect(status).toHaveValue('done')
    answers.shift()?.(false)
    await waitFor(() => expect(status).toHaveValue('in-progress'))
    expect(app.session?.status).toBe('in-progress')
  })

  it('extends the selection with Shift+Arrow by character and Ctrl+Shift+Arrow by word', async () => {
    const app = new AppState(projectApi())
    render(App, { app })
    const reader = await screen.findByRole('document', { name: 'Document text' })
    app.session!.setSelection(0, 0)
    reader.focus()
    await fireEvent.keyDown(reader, { key: 'ArrowRight', shiftKey: true })
    expect(app.session!.selectedRange).toEqual({ start: 0, end: 1 })
    expect(window.getSelection()?.toString()).toBe('E')
    await fireEvent.keyDown(reader, { key: 'ArrowRight', shiftKey: true, ctrlKey: true })
    await fireEvent.keyDown(reader, { key: 'ArrowRight', shiftKey: true, ctrlKey: true })
    expect(window.getSelection()?.toString()).toBe('Emin Amrullayev')
  })

  it('imports chosen files in the browser edition and reports refused files with their reason', async () => {
    const api = projectApi()
    api.appInfo.edition = 'browser'
    api.importReport = {
      imported: [{ fileName: 'notes.txt', documentId: 'notes', name: 'notes' }],
      duplicates: [{ fileName: 'copy.txt', existingDocumentId: 'meeting', existingName: 'meeting' }],
      refused: [{ fileName: 'photo.png', reason: 'contains NUL bytes, so it is not a text file' }]
    }
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    const input = screen.getByTestId('import-file-input') as HTMLInputElement
    const user = userEvent.setup()
    await user.upload(input, [new File(['hello'], 'notes.txt', { type: 'text/plain' })])
    const report = await screen.findByRole('dialog', { name: 'Import finished' })
    expect(within(report).getByRole('list', { name: 'Refused' })).toHaveTextContent('photo.png: contains NUL bytes, so it is not a text file')
    expect(within(report).getByRole('list', { name: 'Duplicates' })).toHaveTextContent('copy.txt: same text as “meeting”')
    const call = api.calls.find((c) => c.method === 'importTexts')
    const files = call?.args[0] as { name: string; bytes: Uint8Array }[]
    expect(files.map((f) => [f.name, new TextDecoder().decode(f.bytes)])).toEqual([['notes.txt', 'hello']])
  })

  it('runs native menu commands through the same actions', async () => {
    const api = projectApi()
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    api.importReport = { imported: [{ fileName: 'notes.txt', documentId: 'notes', name: 'notes' }], refused: [], duplicates: [] }
    api.sendMenuCommand('import-texts')
    // A clean import is a notice, not a dialog to close.
    const notices = screen.getByRole('status', { name: 'Notices' })
    await within(notices).findByText('Imported 1 file: notes.txt')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(api.calls.some((c) => c.method === 'chooseAndImportTexts')).toBe(true)
  })
})
