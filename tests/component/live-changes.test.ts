// Colleagues' files arriving in the project folder while the window is open: main reports what
// changed (getProjectChanges), the window lists documents again and rereads the open document's
// layers. Your own layer is taken from disk only when nothing of yours is waiting to be saved.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { PROJECT_CHANGES_POLL_MS } from '../../src/renderer/src/lib/state/project-watch.svelte'
import { ComparisonState } from '../../src/renderer/src/lib/state/comparison.svelte'
import type { LayerContent, LayerRef, ProjectChanges } from '../../src/shared/model'
import type { FakeDocument } from './fake-api'
import { ReviewFakeApi, spanOf } from './review-fakes'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku on Monday.\nLater the Baku office wrote.\n'
const SYNCED_NOTICE = 'Your annotations on this document changed on disk (synced from another computer); Quire shows them as they are there now.'
const at = (words: string): number => text.indexOf(words)

function liveApi(): ReviewFakeApi {
  const api = new ReviewFakeApi([
    { id: 'meeting', name: 'meeting', text, status: 'in-progress', annotations: [spanOf('Leyla', text, 'l-isesco', 'ISESCO', 'ORG')] },
    { id: 'other', name: 'other', text: 'Another text.' }
  ])
  api.openProjectNamed('Interviews')
  return api
}

function meeting(api: ReviewFakeApi): FakeDocument {
  return api.documents.get('meeting') as FakeDocument
}

/** Renders the app and waits for its document: the start carries main's change count, so each test's report() polls from there. */
async function renderLive(api: ReviewFakeApi) {
  const app = new AppState(api)
  render(App, { app })
  await screen.findByRole('document', { name: 'Document text' })
  await new Promise((resolve) => setTimeout(resolve, 0))
  return { app, user: userEvent.setup() }
}

/** Main reports `changes`; the window's poll takes them (this one, or its own timer's). */
async function report(app: AppState, api: ReviewFakeApi, changes: NonNullable<ReviewFakeApi['pendingChanges']>): Promise<void> {
  api.pendingChanges = changes
  while (api.pendingChanges !== null) {
    await app.pollProjectChanges()
    if (api.pendingChanges !== null) await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const reader = () => screen.getByRole('document', { name: 'Document text' })
const calls = (api: ReviewFakeApi, method: string) => api.calls.filter((call) => call.method === method)

describe('changes made by others in the project folder', () => {
  it("lists a colleague's new layer, and draws it at once when you chose to show that colleague", async () => {
    const api = liveApi()
    api.documents.get('other')!.layers = [{ annotator: 'Rashad', annotations: [] }]
    const { app, user } = await renderLive(api)
    // Shown on an earlier document: Rashad has no layer on this one yet.
    await app.setLayerShown('Rashad', true)
    await user.click(screen.getByRole('tab', { name: /^Layers/ }))
    const panel = screen.getByRole('region', { name: 'Layers' })
    expect(panel).toHaveTextContent('Nobody else has annotated this document yet.')

    meeting(api).layers = [
      { annotator: 'Rashad', status: 'in-progress', annotations: [spanOf('Rashad', text, 'r-monday', 'Monday', 'PROGRAM'), spanOf('Rashad', text, 'r-baku', 'Baku', 'EVENT')] },
      { annotator: 'Ayla', annotations: [spanOf('Ayla', text, 'a-later', 'Later', 'EVENT')] }
    ]
    const listsBefore = api.calls.filter((call) => call.method.startsWith('listDocument')).length
    await report(app, api, { documentIds: ['meeting'], listChanged: true })

    await waitFor(() => expect(within(panel).getByRole('checkbox', { name: "Show Rashad's layer" })).toBeChecked())
    expect(within(panel).getByRole('checkbox', { name: "Show Ayla's layer" })).not.toBeChecked()
    expect(panel.querySelector('[data-layer="Rashad"]')).toHaveTextContent('2 spans · in progress')
    expect(screen.getByRole('tab', { name: /^Layers/ })).toHaveTextContent('Layers3')
    await waitFor(() => expect(reader().querySelector('[data-labels="PRG·RA"]')?.textContent).toBe('Monday'))
    expect(reader().querySelector('[data-labels="EVT·RA"]')?.textContent).toBe('Baku')
    // Not shown: not drawn, not even read.
    expect(reader().querySelector('[data-labels="EVT·AY"]')).toBeNull()
    expect(calls(api, 'getLayer').some((call) => (call.args[0] as LayerRef).annotator === 'Ayla')).toBe(false)
    // The session is the same one: nothing of yours was reopened.
    expect(app.session!.annotations.map((a) => a.id)).toEqual(['l-isesco'])
    // The document list shows the new layers too, from that document's summary alone (not the whole list again).
    const item = screen.getByRole('option', { name: /^meeting/ })
    await waitFor(() => expect(within(item).getByLabelText('Rashad: 2 spans, in progress')).toHaveTextContent('RA'))
    expect(calls(api, 'getDocumentSummaries').at(-1)?.args).toEqual([app.annotator, ['meeting']])
    expect(api.calls.filter((call) => call.method.startsWith('listDocument'))).toHaveLength(listsBefore)
  })

  it("reads a shown colleague's layer again when it changes, and redraws it", async () => {
    const api = liveApi()
    meeting(api).layers = [{ annotator: 'Rashad', annotations: [spanOf('Rashad', text, 'r-monday', 'Monday', 'PROGRAM')] }]
    const { app } = await renderLive(api)
    await app.setLayerShown('Rashad', true)
    await waitFor(() => expect(reader().querySelector('[data-labels="PRG·RA"]')).not.toBeNull())
    const readsBefore = calls(api, 'getLayer').length

    const rashad = meeting(api).layers![0]!
    rashad.annotations = [...rashad.annotations, spanOf('Rashad', text, 'r-later', 'Later', 'EVENT')]
    rashad.updatedAt = '2024-06-01T09:00:00.000Z'
    await report(app, api, { documentIds: ['meeting'], listChanged: false })
    await waitFor(() => expect(reader().querySelector('[data-labels="EVT·RA"]')?.textContent).toBe('Later'))
    // Of the colleagues, only the one whose layer changed is read again (your own is read to compare).
    const reread = calls(api, 'getLayer').slice(readsBefore).map((call) => (call.args[0] as LayerRef).annotator)
    expect(reread.filter((annotator) => annotator !== 'Leyla')).toEqual(['Rashad'])
  })

  it('compares again when a compared layer changes, keeping the current disagreement', async () => {
    const api = liveApi()
    meeting(api).layers = [
      { annotator: 'Rashad', annotations: [spanOf('Rashad', text, 'r-isesco', 'ISESCO', 'PERSON'), spanOf('Rashad', text, 'r-monday', 'Monday', 'PROGRAM')] }
    ]
    const { app } = await renderLive(api)
    await app.startComparing(['Leyla', 'Rashad'])
    const comparison = app.session!.overlay as ComparisonState
    expect(comparison.comparison?.counts).toMatchObject({ agreed: 0, 'tag-differs': 1, 'only-in-some': 1 })
    comparison.step('next')
    expect(comparison.current?.kind).toBe('only-in-some')

    // Rashad agrees after all: ISESCO is an organisation.
    const rashad = meeting(api).layers![0]!
    rashad.annotations = rashad.annotations.map((a) => (a.id === 'r-isesco' ? { ...a, tag: 'ORG', updatedAt: '2024-06-01T09:00:00.000Z' } : a))
    await report(app, api, { documentIds: ['meeting'], listChanged: false })
    await waitFor(() => expect(comparison.comparison?.counts).toMatchObject({ agreed: 1, 'tag-differs': 0, 'only-in-some': 1 }))
    expect(comparison.current?.kind).toBe('only-in-some')
    expect(text.slice(comparison.current!.start, comparison.current!.end)).toBe('Monday')
  })

  it('lists the documents again when the list changed, and takes a changed project file', async () => {
    const api = liveApi()
    const { app } = await renderLive(api)
    // The document list comes in a task after the reader's first screen is painted.
    expect(await screen.findAllByRole('option', { name: /^(meeting|other|late)/ })).toHaveLength(2)
    api.documents.set('late', { id: 'late', name: 'late', text: 'Arrived later.', status: 'not-started', annotations: [], owner: 'Leyla', layers: [] })
    api.project = { ...api.project!, manifest: { ...api.project!.manifest, name: 'Interviews (shared)' } }
    await report(app, api, { documentIds: [], listChanged: true })
    await waitFor(() => expect(screen.getByRole('option', { name: /^late/ })).toBeInTheDocument())
    expect(screen.getByRole('contentinfo', { name: 'Status' })).toHaveTextContent('Interviews (shared)')
    // The open document stays open.
    expect(app.session?.documentId).toBe('meeting')
  })

  it('ignores what main reports before the window knew where the numbering was', async () => {
    const api = liveApi()
    api.pendingChanges = { documentIds: ['meeting'], listChanged: true }
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    await waitFor(() => expect(api.pendingChanges).toBeNull())
    expect(calls(api, 'listLayers')).toHaveLength(0)
  })

  it("reloads what changed while the window was starting: main's count is taken before the list and the document are read", async () => {
    const api = liveApi()
    const startup = api.getStartup.bind(api)
    // A colleague's layer lands after main read the start's document, before the window's first poll.
    let startedAt = 0
    api.getStartup = async () => {
      const answer = await startup()
      api.pendingChanges = { documentIds: ['meeting'], listChanged: false }
      startedAt = performance.now()
      return answer
    }
    const changes = api.getProjectChanges.bind(api)
    let firstAskedAt: number | null = null
    api.getProjectChanges = (since) => {
      firstAskedAt ??= performance.now()
      return changes(since)
    }
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    await waitFor(() => expect(calls(api, 'listLayers').map((call) => call.args)).toEqual([['meeting']]), { timeout: PROJECT_CHANGES_POLL_MS + 2000 })
    // Found by the watch's first poll, which waits its second: the start's count is fresh, and an
    // ask at once would be one more round trip to main while the first screen is being drawn.
    expect(firstAskedAt! - startedAt).toBeGreaterThanOrEqual(PROJECT_CHANGES_POLL_MS - 50)
  })
})

describe('your own layer changed on disk', () => {
  it('is taken, with a notice, when nothing is waiting to be saved', async () => {
    const api = liveApi()
    const { app } = await renderLive(api)
    const session = app.session!
    session.setSelection(at('Emin'), at('Amrullayev') + 3)
    await fireEvent.keyDown(window, { key: '1' })
    await session.saveQueue.whenIdle()
    expect(session.canUndo).toBe(true)

    // Synced from another computer: the ISESCO span retagged there, and a new span.
    const doc = meeting(api)
    doc.annotations = [
      ...doc.annotations!.map((a) => (a.id === 'l-isesco' ? { ...a, tag: 'PROGRAM' } : a)),
      spanOf('Leyla', text, 'synced', 'Later', 'EVENT')
    ]
    doc.status = 'done'
    await report(app, api, { documentIds: ['meeting'], listChanged: false })

    await waitFor(() => expect(session.notice).toBe(SYNCED_NOTICE))
    expect(app.session).toBe(session)
    expect(session.annotations.map((a) => [a.text, a.tag])).toEqual([
      ['Emin Amrullayev', 'PERSON'],
      ['ISESCO', 'PROGRAM'],
      ['Later', 'EVENT']
    ])
    expect(session.status).toBe('done')
    // Undo would revert a version that is no longer there.
    expect(session.canUndo).toBe(false)
    expect(screen.getByText(SYNCED_NOTICE)).toBeInTheDocument()
    await waitFor(() => expect(reader().querySelector('[data-annotation-id="synced"]')?.textContent).toBe('Later'))
    expect(reader().querySelector('[data-annotation-id="l-isesco"]')).toHaveAttribute('data-tag', 'PROGRAM')
  })

  it('is left alone when it is what the window shows already', async () => {
    const api = liveApi()
    const { app } = await renderLive(api)
    await report(app, api, { documentIds: ['meeting'], listChanged: false })
    await waitFor(() => expect(calls(api, 'getLayer').some((call) => (call.args[0] as LayerRef).annotator === 'Leyla')).toBe(true))
    expect(app.session!.notice).toBeNull()
  })

  it('is not taken while an edit is waiting to be saved, and is once the save is done', async () => {
    const api = liveApi()
    const { app } = await renderLive(api)
    const session = app.session!
    const release = api.holdSaves()
    session.setSelection(at('Baku'), at('Baku') + 4)
    await fireEvent.keyDown(window, { key: '3' })
    await waitFor(() => expect(api.heldSaves).toHaveLength(1))

    const doc = meeting(api)
    doc.annotations = [...doc.annotations!, spanOf('Leyla', text, 'synced', 'Later', 'EVENT')]
    api.pendingChanges = { documentIds: ['meeting'], listChanged: false }
    void app.pollProjectChanges()
    await waitFor(() => expect(api.pendingChanges).toBeNull())
    await waitFor(() => expect(calls(api, 'listLayers').length).toBeGreaterThan(0))
    await new Promise((resolve) => setTimeout(resolve, 20))
    // Still your screen as you left it: the pending tag, not the file without it.
    expect(session.annotations.map((a) => a.text)).toEqual(['ISESCO', 'Baku'])
    expect(session.notice).not.toBe(SYNCED_NOTICE)
    expect(calls(api, 'getLayer').some((call) => (call.args[0] as LayerRef).annotator === 'Leyla')).toBe(false)
    expect(session.saveQueue.pendingCount).toBe(1)

    release()
    await waitFor(() => expect(session.notice).toBe(SYNCED_NOTICE))
    expect(session.annotations.map((a) => a.text)).toEqual(['ISESCO', 'Baku', 'Later'])
    expect(session.saveQueue.state).toBe('saved')
    expect(api.savedAnnotations('meeting').map((a) => a.text)).toEqual(['ISESCO', 'Later', 'Baku'])
  })

  // The reread of your layer races an edit: your layer changes on disk and is reported; while
  // getLayer({meeting, Leyla}) is in flight, "Baku" is tagged and saved; the read then returns
  // the file as it was before that save and must not replace what is on screen.
  it('does not put back a version read before an edit that was saved meanwhile', async () => {
    const api = new StaleReadApi([
      { id: 'meeting', name: 'meeting', text, annotations: [spanOf('Leyla', text, 'l-isesco', 'ISESCO', 'ORG')] }
    ])
    api.openProjectNamed('Interviews')
    const { app } = await renderLive(api)
    const session = app.session!
    const doc = meeting(api)
    doc.annotations = [...doc.annotations!, spanOf('Leyla', text, 'synced', 'Later', 'EVENT')]
    const releaseRead = api.holdOwnReads('Leyla')
    api.pendingChanges = { documentIds: ['meeting'], listChanged: false }
    void app.pollProjectChanges()
    await waitFor(() => expect(api.heldReads).toBe(1))

    session.setSelection(at('Baku'), at('Baku') + 4)
    await fireEvent.keyDown(window, { key: '3' })
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('meeting').map((a) => a.text)).toContain('Baku')

    releaseRead()
    await waitFor(() => expect(session.annotations.map((a) => a.text)).toContain('Later'))
    expect(session.annotations.map((a) => a.text)).toContain('Baku')
  })

  // Waiting for your save before rereading your layer must not hold up the polls after it: a
  // save that is slow or keeps failing (a full disk) would otherwise stop colleagues' files and
  // new documents from arriving until it succeeds.
  it("keeps picking up colleagues' changes while your save is still pending", async () => {
    const api = liveApi()
    const { app } = await renderLive(api)
    const release = api.holdSaves()
    app.session!.setSelection(at('Baku'), at('Baku') + 4)
    await fireEvent.keyDown(window, { key: '3' })
    await waitFor(() => expect(api.heldSaves).toHaveLength(1))
    meeting(api).layers = [{ annotator: 'Rashad', annotations: [spanOf('Rashad', text, 'r-monday', 'Monday', 'PROGRAM')] }]
    api.pendingChanges = { documentIds: ['meeting'], listChanged: false }
    void app.pollProjectChanges()
    await waitFor(() => expect(api.pendingChanges).toBeNull())

    api.documents.set('late', { id: 'late', name: 'late', text: 'Arrived later.', status: 'not-started', annotations: [], owner: 'Leyla', layers: [] })
    api.pendingChanges = { documentIds: [], listChanged: true }
    await app.pollProjectChanges()
    try {
      await waitFor(() => expect(screen.getByRole('option', { name: /^late/ })).toBeInTheDocument())
    } finally {
      release()
    }
  })
})

/** Reads of one annotator's layer return what the file held when asked, but only when let go. */
class StaleReadApi extends ReviewFakeApi {
  heldReads = 0
  #held: { annotator: string; gate: Promise<void> } | null = null

  holdOwnReads(annotator: string): () => void {
    let release = (): void => {}
    this.#held = { annotator, gate: new Promise((resolve) => (release = resolve)) }
    return () => {
      this.#held = null
      release()
    }
  }

  override async getLayer(layer: LayerRef): Promise<LayerContent> {
    const content = await super.getLayer(layer)
    const held = this.#held
    if (held && held.annotator === layer.annotator) {
      this.heldReads++
      await held.gate
    }
    return content
  }
}
