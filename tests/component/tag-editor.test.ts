// The tag set editor: its working state (the changes it sends, the core's reasons at each field)
// and the dialog, opened from the toolbar; and a colleague's synced project.json picked up by
// the window without a restart (keys and colours follow the new tag set).
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { TagEditorState } from '../../src/renderer/src/lib/state/tag-editor.svelte'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\nSecond line.\n'
const at = (words: string): number => text.indexOf(words)

function projectApi(): FakeApi {
  const api = new FakeApi([
    {
      id: 'meeting',
      name: 'meeting',
      text,
      annotations: [
        makeAnnotation(text, 'e1', at('Emin'), at('Emin') + 15, 'PERSON'),
        makeAnnotation(text, 'o1', at('ISESCO'), at('ISESCO') + 6, 'ORG'),
        makeAnnotation(text, 'p1', at('Baku'), at('Baku') + 4, 'PROGRAM')
      ],
      layers: [{ annotator: 'Rashad', status: 'in-progress', annotations: [{ ...makeAnnotation(text, 'r1', at('Emin'), at('Emin') + 15, 'PERSON'), annotator: 'Rashad' }] }]
    }
  ])
  api.openProjectNamed('Interviews')
  return api
}

function editorOn(api: FakeApi): TagEditorState {
  return new TagEditorState(api, { tags: api.project!.manifest.tags, annotator: 'Leyla', readOnlyReason: null, onSaved: () => undefined })
}

describe('TagEditorState', () => {
  it('sends only what changed: an add, an update and the new order', () => {
    const editor = editorOn(projectApi())
    expect(editor.changes).toEqual([])
    editor.add()
    const added = editor.selected!
    expect(added).toMatchObject({ id: 'NEW_TAG', label: 'New tag', key: '5' })
    editor.set(added.id, 'label', 'Place')
    expect(editor.selected).toMatchObject({ id: 'PLACE', shortLabel: 'PLA' })
    editor.set('ORG', 'label', 'Organisation')
    editor.move('PLACE', -1)
    expect(editor.changes).toEqual([
      { op: 'update', id: 'ORG', changes: { label: 'Organisation' } },
      { op: 'add', tag: { id: 'PLACE', label: 'Place', shortLabel: 'PLA', key: '5', color: '#D55E00' } },
      { op: 'reorder', ids: ['PERSON', 'ORG', 'EVENT', 'PLACE', 'PROGRAM'] }
    ])
  })

  it("shows the core's reasons at the tag and field they concern", () => {
    const editor = editorOn(projectApi())
    editor.set('EVENT', 'key', '1')
    editor.set('ORG', 'label', '')
    expect(editor.problemAt('EVENT', 'key')).toBe('"Event" and "Person" both use key 1')
    expect(editor.problemAt('ORG', 'label')).toBe('the tag name is empty')
    expect(editor.problemAt('PERSON', 'key')).toBeNull()
  })

  it('deletes a used tag only by moving its spans, and can keep it again', async () => {
    const editor = editorOn(projectApi())
    await editor.loadUsage()
    expect(editor.spansOf('PROGRAM')).toBe(1)
    expect(editor.usedBy('PERSON')).toBe('Leyla (1 span), Rashad (1 span)')
    expect(editor.colleagueSpans('PERSON')).toBe(1)
    editor.remove('PROGRAM', 'EVENT')
    expect(editor.changes).toEqual([{ op: 'delete', id: 'PROGRAM', annotator: 'Leyla', moveTo: 'EVENT' }])
    editor.keep('PROGRAM')
    expect(editor.changes).toEqual([])
    expect(editor.tags.map((tag) => tag.id)).toEqual(DEFAULT_TAGS.map((tag) => tag.id))
  })
})

describe('the tag editor dialog', () => {
  it('adds a tag from the toolbar; its key then tags in the reader and its button joins the toolbar', { timeout: 30_000 }, async () => {
    const api = projectApi()
    const app = new AppState(api)
    render(App, { app })
    const reader = await screen.findByRole('document', { name: 'Document text' })
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Edit tags…' }))
    const dialog = screen.getByRole('dialog', { name: 'Tags' })
    expect(within(dialog).getByRole('list', { name: 'Tags in order' }).children).toHaveLength(4)
    await user.click(within(dialog).getByRole('button', { name: '+ Add tag' }))
    const name = within(dialog).getByRole('textbox', { name: 'Name' })
    await waitFor(() => expect(name).toHaveFocus())
    await user.clear(name)
    await user.type(name, 'Place')
    // The key is free (5) and the colour is the palette's first unused one, judged in words.
    expect(within(dialog).getByRole('combobox', { name: 'Key' })).toHaveValue('5')
    expect(within(dialog).getByRole('radio', { name: 'Vermillion' })).toBeChecked()
    expect(dialog).toHaveTextContent(/Light page: clear \(underline 3\.5:1, label 4\.8:1\)/)
    await user.click(within(dialog).getByRole('radio', { name: 'Olive' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Tags' })).toBeNull())
    expect(within(screen.getByRole('status', { name: 'Notices' })).getByText('Saved the tags.')).toBeInTheDocument()

    expect(api.project!.manifest.tags.at(-1)).toEqual({ id: 'PLACE', label: 'Place', shortLabel: 'PLA', key: '5', color: '#8F8F2E' })
    expect(screen.getByRole('button', { name: 'Place' })).toBeInTheDocument()
    app.session!.setSelection(at('Second'), at('Second') + 3)
    await fireEvent.keyDown(window, { key: '5' })
    expect(reader.querySelector('[data-tag="PLACE"]')?.textContent).toBe('Second')
    await app.session!.saveQueue.whenIdle()
    expect(api.savedAnnotations('meeting').find((annotation) => annotation.tag === 'PLACE')?.text).toBe('Second')
  })

  it("says how an older project's colour reads on each scheme and how the reader draws it", { timeout: 30_000 }, async () => {
    const api = projectApi()
    api.project!.manifest.tags = api.project!.manifest.tags.map((tag) => (tag.id === 'PERSON' ? { ...tag, color: '#E69F00' } : tag))
    render(App, { app: new AppState(api) })
    const reader = await screen.findByRole('document', { name: 'Document text' })
    // The reader already draws it darker on light pages, as it is on dark ones.
    expect(reader).toBeInTheDocument()
    const sheets = [...document.querySelectorAll('style')].map((sheet) => sheet.textContent).join('\n')
    expect(sheets).toContain('[data-tag="PERSON"] { --tint: light-dark(#BD830038, #E69F0038); --line: light-dark(#BD8300, #E69F00); }')
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Edit tags…' }))
    const dialog = screen.getByRole('dialog', { name: 'Tags' })
    await user.click(within(dialog).getByRole('button', { name: /^Person —/ }))
    expect(within(dialog).getByRole('radio', { name: '#E69F00 (current)' })).toBeChecked()
    expect(dialog).toHaveTextContent('Light page: the underline is too faint (2.0:1, needs 3:1); the reader draws it darker, as #BD8300')
    expect(dialog).toHaveTextContent(/Dark page: clear \(underline 6\.7:1, label 8\.3:1\)/)
  })

  it('says at the field why a name is refused, and will not save until it is fixed', { timeout: 30_000 }, async () => {
    const api = projectApi()
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Edit tags…' }))
    const dialog = screen.getByRole('dialog', { name: 'Tags' })
    await user.click(within(dialog).getByRole('button', { name: /^Event —/ }))
    const name = within(dialog).getByRole('textbox', { name: 'Name' })
    await user.clear(name)
    await user.type(name, 'person')
    expect(name).toHaveAttribute('aria-invalid', 'true')
    expect(name).toHaveAccessibleDescription('"person" and "Person" are the same name')
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled()
    expect(dialog).toHaveTextContent('1 problem to fix before saving')
    expect(api.calls.some((call) => call.method === 'updateTagSet')).toBe(false)
  })

  it('moves a used tag’s spans to another on delete, and shows main’s refusal when a colleague uses it', { timeout: 30_000 }, async () => {
    const api = projectApi()
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Edit tags…' }))
    let dialog = screen.getByRole('dialog', { name: 'Tags' })
    await user.click(within(dialog).getByRole('button', { name: /^Program —/ }))
    await waitFor(() => expect(dialog).toHaveTextContent('Used in 1 span: Leyla (1 span).'))
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Move its 1 span to' }), 'Event')
    await user.click(within(dialog).getByRole('button', { name: 'Delete and move' }))
    expect(dialog).toHaveTextContent('Program — its 1 span moves to Event')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Tags' })).toBeNull())
    await waitFor(() => expect(screen.getByRole('document', { name: 'Document text' }).querySelector('[data-tag="EVENT"]')?.textContent).toBe('Baku'))
    expect(screen.queryByRole('button', { name: 'Program' })).toBeNull()
    expect(screen.getByRole('status', { name: 'Notices' })).toHaveTextContent('Saved the tags; moved 1 span in 1 document.')

    await user.click(screen.getByRole('button', { name: 'Edit tags…' }))
    dialog = screen.getByRole('dialog', { name: 'Tags' })
    await user.click(within(dialog).getByRole('button', { name: /^Person —/ }))
    await waitFor(() => expect(dialog).toHaveTextContent('Used in 2 spans: Leyla (1 span), Rashad (1 span).'))
    expect(dialog).toHaveTextContent('while 1 span of theirs uses it, saving keeps the tag')
    await user.click(within(dialog).getByRole('button', { name: 'Delete and move' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    // Main (here the fake, with the same rule) refuses: nothing changes, and the reason is shown.
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('PERSON is used by Rashad')
    expect(api.savedAnnotations('meeting').find((annotation) => annotation.id === 'e1')?.tag).toBe('PERSON')
    expect(api.project!.manifest.tags.map((tag) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT'])
  })

  it('reorders with Alt+arrow keys, keeping the focus on the tag moved, and closes on Escape without saving', { timeout: 30_000 }, async () => {
    const api = projectApi()
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Edit tags…' }))
    const dialog = screen.getByRole('dialog', { name: 'Tags' })
    // The focus starts inside the dialog, on the first tag.
    await waitFor(() => expect(within(dialog).getByRole('button', { name: /^Person —/ })).toHaveFocus())
    const program = within(dialog).getByRole('button', { name: /^Program —/ })
    program.focus()
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}')
    const rows = within(within(dialog).getByRole('list', { name: 'Tags in order' })).getAllByRole('listitem')
    expect(rows.map((row) => row.querySelector('.tag-set-label')?.textContent)).toEqual(['Person', 'Organization', 'Program', 'Event'])
    await waitFor(() => expect(within(dialog).getByRole('button', { name: /^Program —/ })).toHaveFocus())
    expect(within(dialog).getByRole('button', { name: 'Move Program up' })).toBeEnabled()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog', { name: 'Tags' })).toBeNull()
    expect(api.project!.manifest.tags.map((tag) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT', 'PROGRAM'])
  })
})

describe("a colleague's synced project.json", () => {
  it('is picked up without a restart: the toolbar, the keys and the reader follow the new tags', async () => {
    const api = projectApi()
    const app = new AppState(api)
    render(App, { app })
    const reader = await screen.findByRole('document', { name: 'Document text' })
    await waitFor(() => expect(api.calls.some((call) => call.method === 'getProjectChanges')).toBe(true))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(reader.querySelector('[data-labels="ORG"]')?.textContent).toBe('ISESCO')

    // Main noticed project.json rewritten by a colleague's Quire: Organization renamed with a new short label, and a tag on key 6.
    api.project = {
      ...api.project!,
      manifest: {
        ...api.project!.manifest,
        tags: [
          ...api.project!.manifest.tags.map((tag) => (tag.id === 'ORG' ? { ...tag, label: 'Institution', shortLabel: 'INST' } : tag)),
          { id: 'PLACE', label: 'Place', shortLabel: 'PLC', key: '6', color: '#999933' }
        ]
      }
    }
    api.pendingChanges = { documentIds: [], listChanged: false, projectFileChanged: true }
    while (api.pendingChanges !== null) await app.pollProjectChanges()

    await waitFor(() => expect(screen.getByRole('button', { name: 'Institution' })).toBeInTheDocument())
    expect(screen.getByRole('button', { name: 'Place' })).toBeInTheDocument()
    await waitFor(() => expect(reader.querySelector('[data-labels="INST"]')?.textContent).toBe('ISESCO'))
    app.session!.setSelection(at('Second'), at('Second') + 3)
    await fireEvent.keyDown(window, { key: '6' })
    expect(reader.querySelector('[data-tag="PLACE"]')?.textContent).toBe('Second')
  })
})
