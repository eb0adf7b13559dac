// Edit mode in the window against the fake API (which keeps text revisions with the core's
// rules): entering and leaving by key and button, spans following typing, spans lost and
// brought back by undo, saving under the right author, and the reader showing the new text.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { EditorView } from '@codemirror/view'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { ReviewFakeApi, spanOf } from './review-fakes'

const TEXT = 'Emin Amrullayev met the ISESCO delegation in Baku.\nSecond line.\n'

function projectApi(): ReviewFakeApi {
  const api = new ReviewFakeApi([
    {
      id: 'meeting',
      name: 'meeting',
      text: TEXT,
      annotations: [spanOf('Leyla', TEXT, 'p1', 'Emin Amrullayev', 'PERSON'), spanOf('Leyla', TEXT, 'o1', 'ISESCO', 'ORG'), spanOf('Leyla', TEXT, 'l1', 'Baku', 'ORG')],
      layers: [{ annotator: 'Rashad', annotations: [spanOf('Rashad', TEXT, 'r1', 'ISESCO delegation', 'ORG')] }]
    },
    { id: 'other', name: 'other', text: 'Another text.' }
  ])
  api.openProjectNamed('Interviews')
  return api
}

async function openApp(api: ReviewFakeApi) {
  const app = new AppState(api)
  app.textSavePauseMs = 30
  render(App, { app })
  await screen.findByRole('document', { name: 'Document text' })
  return app
}

async function editorView(): Promise<EditorView> {
  const content = await screen.findByRole('textbox', { name: 'Document text, editable' })
  const view = EditorView.findFromDOM(content)
  if (!view) throw new Error('no editor view')
  return view
}

/** Types as the keyboard would: replaces the selection at `from`..`to` with `insert`. */
function type(view: EditorView, from: number, to: number, insert: string): void {
  view.dispatch({ changes: { from, to, insert }, selection: { anchor: from + insert.length }, userEvent: insert ? 'input.type' : 'delete' })
}

function markedTexts(): string[] {
  return [...document.querySelectorAll('.cm-span-own')].map((element) => element.textContent ?? '')
}

describe('edit mode', () => {
  it('opens with the E key and leaves with Escape, loading the editor only then', async () => {
    const api = projectApi()
    const app = await openApp(api)
    expect(document.querySelector('.cm-editor')).toBeNull()
    await fireEvent.keyDown(window, { key: 'e' })
    const view = await editorView()
    expect(view.state.doc.toString()).toBe(TEXT)
    expect(app.editing?.author).toBe('Leyla')
    await waitFor(() => expect(markedTexts()).toEqual(['Emin Amrullayev', 'ISESCO', 'Baku']))
    await fireEvent.keyDown(view.contentDOM, { key: 'Escape' })
    await waitFor(() => expect(app.editing).toBeNull())
    expect(screen.getByRole('document', { name: 'Document text' })).toBeInTheDocument()
    expect(api.calls.some((call) => call.method === 'saveTextEdit')).toBe(false)
  })

  it('opens with the Edit text button, follows typing with every span and saves one revision as the author', async () => {
    const api = projectApi()
    const app = await openApp(api)
    await app.setLayerShown('Rashad', true)
    await fireEvent.click(screen.getByRole('button', { name: /^Edit text/ }))
    const view = await editorView()
    await waitFor(() => expect(document.querySelectorAll('.cm-span-other').length).toBeGreaterThan(0))
    // Typing at a span's edge does not grow it; typing inside does.
    type(view, 0, 0, 'Minister ')
    type(view, 'Minister Emin'.length, 'Minister Emin'.length, 'ə')
    await waitFor(() => expect(markedTexts()[0]).toBe('Eminə Amrullayev'))
    expect(screen.getByTestId('text-save-state')).toHaveTextContent(/Saving…|Saved/)
    await waitFor(() => expect(screen.getByTestId('text-save-state')).toHaveTextContent('Saved'))
    const saves = api.calls.filter((call) => call.method === 'saveTextEdit')
    expect(saves).toHaveLength(1)
    // Saves while typing ask for no document back (on a long text it costs more than the save).
    expect(saves[0]?.args[0]).toMatchObject({ documentId: 'meeting', author: 'Leyla', baseRevision: 'original', withContent: false })
    // The span whose text changed is flagged, in the editor and in the panel.
    expect(document.querySelector('.cm-span-check')).toHaveTextContent('text changed — check')
    expect(within(screen.getByRole('list', { name: 'Spans whose text changed' })).getByText(/Emin Amrullayev/)).toBeInTheDocument()

    const readsBefore = api.calls.filter((call) => call.method === 'getDocument').length
    await fireEvent.click(screen.getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(app.editing).toBeNull())
    // Leaving reads the document once, and the reader shows the saved text and main's spans, flagged where their text changed.
    expect(api.calls.filter((call) => call.method === 'getDocument')).toHaveLength(readsBefore + 1)
    expect(app.session?.text.startsWith('Minister Eminə Amrullayev met')).toBe(true)
    const person = app.session?.annotations.find((annotation) => annotation.id === 'p1')
    expect(person).toMatchObject({ text: 'Eminə Amrullayev', textCheck: { previousText: 'Emin Amrullayev' } })
    expect(api.savedAnnotations('meeting', 'Rashad')[0]).toMatchObject({ text: 'ISESCO delegation', start: TEXT.indexOf('ISESCO') + 'Minister ə'.length })
    expect(await screen.findByText('text changed — check')).toBeInTheDocument()
  })

  it('lists a span whose whole text is deleted as lost, and undo brings it back', async () => {
    const api = projectApi()
    const app = await openApp(api)
    await fireEvent.keyDown(window, { key: 'e' })
    const view = await editorView()
    await waitFor(() => expect(markedTexts()).toContain('Baku'))
    const baku = TEXT.indexOf('Baku')
    type(view, baku - 3, baku + 4, '')
    const lostList = await screen.findByRole('list', { name: 'Spans lost in editing' })
    expect(lostList).toHaveTextContent('“Baku”')
    expect(markedTexts()).not.toContain('Baku')
    await fireEvent.keyDown(view.contentDOM, { key: 'z', ctrlKey: true })
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Spans lost in editing' })).toBeNull())
    expect(view.state.doc.toString()).toBe(TEXT)
    expect(markedTexts()).toContain('Baku')
    // Ctrl+S saves at once; the revision's change set came to nothing net, and main keeps every span.
    await fireEvent.keyDown(view.contentDOM, { key: 's', ctrlKey: true })
    await waitFor(() => expect(app.editing?.saveState).toBe('saved'))
    expect(api.savedAnnotations('meeting', 'Leyla').map((a) => a.text)).toContain('Baku')
  })

  it('lists spans lost in a saved edit, and "Undo last edit" brings them back', async () => {
    const api = projectApi()
    const app = await openApp(api)
    await fireEvent.keyDown(window, { key: 'e' })
    const view = await editorView()
    const baku = TEXT.indexOf('Baku')
    type(view, baku - 3, baku + 4, '')
    await fireEvent.keyDown(view.contentDOM, { key: 's', ctrlKey: true })
    const saved = await screen.findByRole('list', { name: 'Your spans lost in saved edits' })
    expect(saved).toHaveTextContent('“Baku”')
    expect(api.savedAnnotations('meeting', 'Leyla').map((a) => a.text)).not.toContain('Baku')
    await fireEvent.click(screen.getByRole('button', { name: 'Undo last edit' }))
    await waitFor(() => expect(api.savedAnnotations('meeting', 'Leyla').map((a) => a.text)).toContain('Baku'))
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Your spans lost in saved edits' })).toBeNull())
    expect(app.editing?.content.text).toBe(TEXT)
    await waitFor(() => expect(markedTexts()).toContain('Baku'))
  })

  it('keeps the edits and says so when saving fails, then saves them on the next try', async () => {
    const api = projectApi()
    const app = await openApp(api)
    await fireEvent.keyDown(window, { key: 'e' })
    const view = await editorView()
    api.failNextTextSaves.push(new (await import('../../src/shared/api')).QuireError({ code: 'io', message: 'the disk is full' }))
    type(view, 0, 0, 'A ')
    expect(await screen.findByRole('alert')).toHaveTextContent('the disk is full')
    expect(screen.getByTestId('text-save-state')).toHaveTextContent('Not saved')
    // Done refuses to drop them: edit mode stays until they are saved.
    await fireEvent.click(screen.getByRole('button', { name: 'Save now' }))
    await waitFor(() => expect(app.editing?.saveState).toBe('saved'))
    expect(view.state.doc.toString()).toBe(`A ${TEXT}`)
    expect(api.documents.get('meeting')?.text).toBe(`A ${TEXT}`)
  })

  it('saves what was typed under the old name before a rename, then edits under the new one', async () => {
    const api = projectApi()
    const app = await openApp(api)
    await fireEvent.keyDown(window, { key: 'e' })
    const view = await editorView()
    type(view, 0, 0, 'X')
    await app.setAnnotatorName('Leyla Taghizade')
    await waitFor(() => expect(app.session?.annotator).toBe('Leyla Taghizade'))
    expect(app.editing).toBeNull()
    await fireEvent.keyDown(window, { key: 'e' })
    const again = await editorView()
    type(again, 0, 0, 'Y')
    await waitFor(() => expect(api.calls.filter((call) => call.method === 'saveTextEdit')).toHaveLength(2))
    expect(api.calls.filter((call) => call.method === 'saveTextEdit').map((call) => (call.args[0] as { author: string }).author)).toEqual(['Leyla', 'Leyla Taghizade'])
    await waitFor(() => expect(app.editing?.saveState).toBe('saved'))
    expect(api.documents.get('meeting')?.text.startsWith('YX')).toBe(true)
  })

  it("sends the menu's Undo and Redo to the editor in edit mode, not to the annotation history", async () => {
    const api = projectApi()
    const app = await openApp(api)
    await fireEvent.keyDown(window, { key: 'e' })
    const view = await editorView()
    type(view, 0, 0, 'Z')
    api.sendMenuCommand('undo')
    await waitFor(() => expect(view.state.doc.toString()).toBe(TEXT))
    api.sendMenuCommand('redo')
    await waitFor(() => expect(view.state.doc.toString()).toBe(`Z${TEXT}`))
    expect(app.session?.annotations).toHaveLength(3)
  })

  it('moves an insertion out of the middle of a CRLF and a surrogate pair', async () => {
    const text = 'Rabat 🇲🇦\r\nBaku\r\n'
    const api = new ReviewFakeApi([{ id: 'crlf', name: 'crlf', text, annotations: [] }])
    api.openProjectNamed('Line ends')
    await openApp(api)
    await fireEvent.keyDown(window, { key: 'e' })
    const view = await editorView()
    const flag = text.indexOf('🇲🇦')
    type(view, flag + 1, flag + 1, 'x')
    type(view, text.indexOf('\r\n') + 2, text.indexOf('\r\n') + 2, 'y')
    expect(view.state.doc.toString()).toBe('Rabat x🇲🇦y\r\nBaku\r\n')
  })
})
