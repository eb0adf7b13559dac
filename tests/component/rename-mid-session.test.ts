// Renaming yourself (status bar → name dialog) while a document is open and an edit is still
// being saved: the edit belongs to the layer it was made in (the old name's), the document
// reopens in the new name's layer, nothing is left pending or stuck, and the editor is told.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { ComparisonState } from '../../src/renderer/src/lib/state/comparison.svelte'
import { ReviewFakeApi, spanOf } from './review-fakes'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\nSecond line.\n'
const NEW_NAME = 'Leyla Taghizade'

function projectApi(options: { existing?: boolean } = {}): ReviewFakeApi {
  const api = new ReviewFakeApi([
    { id: 'meeting', name: 'meeting', text, annotations: options.existing === false ? [] : [spanOf('Leyla', text, 'o1', 'ISESCO', 'ORG')] },
    { id: 'other', name: 'other', text: 'Another text.' }
  ])
  api.openProjectNamed('Interviews')
  return api
}

/** Opens the project, tags "Emin Amrullayev" with key 1 and waits until its save is under way (held). */
async function tagWhileSavesAreHeld(api: ReviewFakeApi) {
  const app = new AppState(api)
  render(App, { app })
  await screen.findByRole('document', { name: 'Document text' })
  const before = app.session!
  const release = api.holdSaves()
  before.setSelection(2, 10)
  await fireEvent.keyDown(window, { key: '1' })
  await waitFor(() => expect(api.heldSaves).toHaveLength(1))
  expect(screen.getByTestId('save-state')).toHaveTextContent('Saving…')
  return { app, before, release, user: userEvent.setup() }
}

async function renameThroughStatusBar(user: ReturnType<typeof userEvent.setup>, name: string): Promise<void> {
  await user.click(screen.getByRole('button', { name: /^Annotator:/ }))
  const field = await screen.findByRole('textbox', { name: 'Your name' })
  expect(field).toHaveValue('Leyla')
  await user.clear(field)
  await user.type(field, name)
  await user.click(screen.getByRole('button', { name: 'Continue' }))
  await screen.findByRole('document', { name: 'Document text' })
}

describe('renaming yourself while an edit is still being saved', () => {
  it("saves the edit into the old name's layer, reopens the document in the new name's layer and says so", async () => {
    const api = projectApi()
    const { app, before, release, user } = await tagWhileSavesAreHeld(api)

    await renameThroughStatusBar(user, NEW_NAME)
    await waitFor(() => expect(app.session?.annotator).toBe(NEW_NAME))
    const after = app.session!
    expect(after).not.toBe(before)
    expect(after.layer).toEqual({ documentId: 'meeting', annotator: NEW_NAME })
    // The new name's layer is empty: neither the old span nor the one still saving is in it.
    expect(after.annotations).toEqual([])
    expect(screen.getByRole('button', { name: /^Annotator:/ })).toHaveTextContent(`Annotator: ${NEW_NAME}`)
    expect(screen.getByText(/^Now annotating as/)).toHaveTextContent(
      `Now annotating as ${NEW_NAME}. Earlier work stays in Leyla's layer.`
    )
    // The edit made as Leyla is still on its way, kept by the session it was made in.
    expect(app.unsavedElsewhere).toEqual([before])
    expect(before.saveQueue.pendingCount).toBe(1)

    release()
    await waitFor(() => expect(app.unsavedElsewhere).toEqual([]))
    expect(api.heldSaves.map((held) => held.layer)).toEqual([{ documentId: 'meeting', annotator: 'Leyla' }])
    expect(api.savedAnnotations('meeting', 'Leyla').map((a) => [a.text, a.tag, a.annotator])).toEqual([
      ['ISESCO', 'ORG', 'Leyla'],
      ['Emin Amrullayev', 'PERSON', 'Leyla']
    ])
    expect(api.savedAnnotations('meeting', NEW_NAME)).toEqual([])
    expect(api.calls.filter((call) => call.method === 'applyAnnotationEdits').map((call) => call.args[0])).toEqual([
      { documentId: 'meeting', annotator: 'Leyla' }
    ])
    expect(before.saveQueue.state).toBe('saved')
    expect(after.saveQueue.state).toBe('saved')
    expect(after.saveQueue.pendingCount).toBe(0)
    expect(screen.getByTestId('save-state')).toHaveTextContent('All changes saved')

    await app.closeProject()
    expect(app.error).toBeNull()
    expect(app.project).toBeNull()
    expect(api.calls.some((call) => call.method === 'closeProject')).toBe(true)
  })

  it("afterwards shows the old name's spans read-only: Delete changes nothing, saves nothing and leaves nothing pending", async () => {
    const api = projectApi()
    const { app, release, user } = await tagWhileSavesAreHeld(api)
    await renameThroughStatusBar(user, NEW_NAME)
    release()
    await waitFor(() => expect(app.unsavedElsewhere).toEqual([]))
    const session = app.session!
    const madeAsLeyla = api.heldSaves[0]!.edits[0]
    if (madeAsLeyla?.op !== 'add') throw new Error('expected the tag to be saved as an add')
    const newId = madeAsLeyla.annotation.id

    // Deleting it from your (new) layer cannot reach it: it is not there.
    session.deleteAnnotation(newId)
    expect(session.saveQueue.pendingCount).toBe(0)

    await user.click(screen.getByRole('tab', { name: /Layers/ }))
    await user.click(screen.getByRole('checkbox', { name: "Show Leyla's layer" }))
    const reader = screen.getByRole('document', { name: 'Document text' })
    await waitFor(() => expect(reader.querySelector('[data-labels="PER·LE"]')).not.toBeNull())
    expect(reader.querySelector('[data-labels="ORG·LE"]')).not.toBeNull()
    // Drawn outlined (a colleague's), not filled (yours).
    const mark = reader.querySelector('[data-labels="PER·LE"]') as HTMLElement
    expect(mark.className).toContain('box-other')
    expect(mark.hasAttribute('data-annotation-id')).toBe(false)

    await fireEvent.mouseUp(mark, { button: 0, detail: 1, clientX: 40, clientY: 40 })
    const popover = await screen.findByRole('dialog', { name: 'Annotation by Leyla' })
    expect(popover).toHaveTextContent('read-only')
    expect(within(popover).queryByRole('button', { name: 'Delete' })).toBeNull()
    popover.focus()
    await user.keyboard('{Delete}')
    await user.keyboard('{Backspace}')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()

    expect(api.savedAnnotations('meeting', 'Leyla').map((a) => a.id)).toEqual(['o1', newId])
    expect(api.calls.filter((call) => call.method === 'applyAnnotationEdits')).toHaveLength(1)
    expect(session.saveQueue.state).toBe('saved')
    await app.closeProject()
    expect(app.error).toBeNull()
    expect(app.project).toBeNull()
  })

  it('keeps your edits in the new layer after the rename, and the old ones in the old layer', async () => {
    const api = projectApi()
    const { app, release, user } = await tagWhileSavesAreHeld(api)
    await renameThroughStatusBar(user, NEW_NAME)
    release()
    const session = app.session!
    session.setSelection(text.indexOf('Baku'), text.indexOf('Baku') + 4)
    await fireEvent.keyDown(window, { key: '3' })
    await waitFor(() => expect(app.unsavedElsewhere).toEqual([]))
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('meeting', NEW_NAME).map((a) => [a.text, a.tag, a.annotator])).toEqual([['Baku', 'EVENT', NEW_NAME]])
    expect(api.savedAnnotations('meeting', 'Leyla').map((a) => a.text)).toEqual(['ISESCO', 'Emin Amrullayev'])
  })

  // The document reopens under the new name before Leyla's file exists (her first save is still
  // held); once it lands, the Layers tab the notice points to must list her layer. Main does not
  // report Quire's own writes as changes, so no poll would bring it.
  it("lists the old name's layer once the edit made under it is saved (first save of that layer)", async () => {
    const api = projectApi({ existing: false })
    const { app, release, user } = await tagWhileSavesAreHeld(api)
    await renameThroughStatusBar(user, NEW_NAME)
    expect(app.session?.annotator).toBe(NEW_NAME)
    release()
    await waitFor(() => expect(app.unsavedElsewhere).toEqual([]))
    expect(api.savedAnnotations('meeting', 'Leyla')).toHaveLength(1)
    await user.click(screen.getByRole('tab', { name: /Layers/ }))
    await waitFor(() => expect(screen.getByRole('checkbox', { name: "Show Leyla's layer" })).toBeInTheDocument())
    expect(app.session!.layers.find((layer) => layer.annotator === 'Leyla')?.spans).toBe(1)
  })

  it("counts the span saved under the old name in the old name's layer row", async () => {
    const api = projectApi()
    const { app, release, user } = await tagWhileSavesAreHeld(api)
    await renameThroughStatusBar(user, NEW_NAME)
    expect(app.session!.layers.find((layer) => layer.annotator === 'Leyla')?.spans).toBe(1)
    release()
    await waitFor(() => expect(app.unsavedElsewhere).toEqual([]))
    expect(api.savedAnnotations('meeting', 'Leyla')).toHaveLength(2)
    await user.click(screen.getByRole('tab', { name: /Layers/ }))
    const row = screen.getByRole('region', { name: 'Layers' }).querySelector('[data-layer="Leyla"]') as HTMLElement
    await waitFor(() => expect(row).toHaveTextContent('2 spans'))
    // The new name has no file yet, and its row is listed all the same: the counts say the rows listed.
    expect(app.session!.layers.map((layer) => layer.annotator)).not.toContain(NEW_NAME)
    const rows = screen.getByRole('region', { name: 'Layers' }).querySelectorAll('.layer-row').length
    expect(screen.getByRole('tab', { name: /Layers/ })).toHaveTextContent(`Layers${rows}`)
    expect(screen.getByRole('heading', { name: /^Layers/ })).toHaveTextContent(`Layers ${rows}`)
  })

  // The status bar of the reopened document must count the edit still saving under the old name
  // (closing the project is refused meanwhile, so "All changes saved" would contradict it).
  it('does not claim everything is saved while the old name\'s edit is still saving', async () => {
    const api = projectApi()
    const { app, release, user } = await tagWhileSavesAreHeld(api)
    await renameThroughStatusBar(user, NEW_NAME)
    expect(app.unsavedElsewhere).toHaveLength(1)
    expect(screen.getByTestId('save-state')).toHaveTextContent('Saving…')
    release()
    await waitFor(() => expect(screen.getByTestId('save-state')).toHaveTextContent('All changes saved'))
  })

  it('leaves the workspace as it was behind the name dialog: the list keeps its filter', async () => {
    const api = projectApi()
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    const user = userEvent.setup()
    const filter = await screen.findByRole('searchbox', { name: 'Filter documents by name' })
    await user.type(filter, 'oth')
    await waitFor(() => expect(screen.getByRole('navigation', { name: 'Documents' })).toHaveTextContent('1 of 2 documents'))
    await renameThroughStatusBar(user, NEW_NAME)
    await waitFor(() => expect(app.session?.annotator).toBe(NEW_NAME))
    expect(screen.queryByRole('dialog', { name: 'Who is annotating?' })).toBeNull()
    // The same element: the workspace stayed behind the dialog, it was not taken down and built again.
    expect(screen.getByRole('searchbox', { name: 'Filter documents by name' })).toBe(filter)
    expect(filter).toHaveValue('oth')
    expect(screen.getByRole('navigation', { name: 'Documents' })).toHaveTextContent('1 of 2 documents')
  })

  it('keeps curating when the name dialog is confirmed with the same name', async () => {
    const api = new ReviewFakeApi([
      {
        id: 'meeting',
        name: 'meeting',
        text,
        annotations: [spanOf('Leyla', text, 'l1', 'ISESCO', 'ORG')],
        layers: [{ annotator: 'Rashad', annotations: [spanOf('Rashad', text, 'r1', 'ISESCO', 'PERSON')] }]
      }
    ])
    api.openProjectNamed('Interviews')
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    await app.startCuration(['Leyla', 'Rashad'], 'unanimous')
    expect(app.session?.annotator).toBe('curation')
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: /^Annotator:/ }))
    await user.click(await screen.findByRole('button', { name: 'Continue' }))
    await screen.findByRole('document', { name: 'Document text' })
    expect(app.session?.annotator).toBe('curation')
    expect(app.session?.overlay).toBeInstanceOf(ComparisonState)
    expect(app.session?.notice ?? '').not.toMatch(/Now annotating as/)
  })
})
