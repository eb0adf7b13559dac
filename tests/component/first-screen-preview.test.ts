// A long first document's first screen, which the browser edition's start carries instead of the
// whole document (src/main/first-screen.ts): drawn read-only at once, then replaced by the whole
// document when it comes, unless the editor has asked for another one meanwhile (app-state.svelte.ts).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { firstBlocksEnd } from '../../src/core/text-blocks'
import type { DocumentContent, LayerRef, StartupState } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'
import { GIVE_WAY_MS } from '../../src/renderer/src/lib/next-task'

afterEach(() => vi.restoreAllMocks())

const LINE = 'Emin Amrullayev met the ISESCO delegation in Baku.\n'
const LONG_TEXT = LINE.repeat(1000)
const SCREEN_END = firstBlocksEnd(LONG_TEXT, 5_000)

interface HeldOpening {
  layer: LayerRef
  /** Whether the first screen (its text, not only the window around it) was drawn when the call was made. */
  afterFirstScreen: boolean
  /** Answers the getDocument call; with an error, fails it. */
  answer(error?: Error): void
}

/** A project whose first document is long, a start that carries its first screen only, and getDocument calls held until answered. */
function longFirstDocument(shown: () => AppState | null = () => null): { api: FakeApi; held: HeldOpening[] } {
  const annotations = Array.from({ length: 1000 }, (_, line) => makeAnnotation(LONG_TEXT, `org${line}`, line * LINE.length + 24, line * LINE.length + 30, 'ORG'))
  const api = new FakeApi([
    { id: 'long', name: 'A long report', text: LONG_TEXT, annotations },
    { id: 'short', name: 'Short note', text: 'Baku in spring.', annotations: [makeAnnotation('Baku in spring.', 's1', 0, 4, 'ORG')] }
  ])
  api.openProjectNamed('Sample project')
  const wholeStart = api.getStartup.bind(api)
  let startReading = false
  api.getStartup = async (): Promise<StartupState> => {
    startReading = true
    const start = await wholeStart().finally(() => (startReading = false))
    const whole = start.firstDocument as DocumentContent
    const content = { ...whole, text: whole.text.slice(0, SCREEN_END), annotations: whole.annotations.filter((annotation) => annotation.end <= SCREEN_END) }
    return { ...start, firstDocument: null, firstScreen: { content, textLength: whole.text.length } }
  }
  const getDocument = api.getDocument.bind(api)
  const held: HeldOpening[] = []
  api.getDocument = (layer) =>
    startReading
      ? getDocument(layer)
      : new Promise((resolve, reject) => held.push({ layer, afterFirstScreen: shown()?.preview?.textShown === true, answer: (error) => (error ? reject(error) : resolve(getDocument(layer))) }))
  return { api, held }
}

/** The app started on that project, its first screen drawn and the whole document asked for (held). */
async function startedUntilTheWholeIsAsked(): Promise<{ held: HeldOpening[]; app: AppState; started: Promise<void> }> {
  const { api, held } = longFirstDocument()
  const app = new AppState(api)
  const started = app.init()
  await waitFor(() => expect(held).toHaveLength(1))
  return { held, app, started }
}

describe("a long first document's first screen", () => {
  it('is drawn at once, read-only, and the whole document takes its place when it comes', async () => {
    let app: AppState | null = null
    const { api, held } = longFirstDocument(() => app)
    app = new AppState(api)
    const started = app.init()
    await waitFor(() => expect(held).toHaveLength(1))
    // Asked for once the first screen was drawn: its megabytes would compete with drawing it.
    expect(held[0]!.afterFirstScreen).toBe(true)
    expect(app.screen).toBe('workspace')
    expect(app.session).toBeNull()
    expect(app.preview?.session.text).toBe(LONG_TEXT.slice(0, SCREEN_END))
    expect(app.preview?.textLength).toBe(LONG_TEXT.length)
    held[0]!.answer()
    await started
    expect(app.preview).toBeNull()
    expect(app.session?.text).toBe(LONG_TEXT)
    expect(app.session?.annotations).toHaveLength(1000)
  })

  it('is taken in leaving the thread idle between its tasks (its first screen is there), and not when opened again from the list', async () => {
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
    const { held, app, started } = await startedUntilTheWholeIsAsked()
    const timers = vi.spyOn(globalThis, 'setTimeout')
    const gaveWay = (): boolean => timers.mock.calls.some((call) => call[1] === GIVE_WAY_MS)
    held[0]!.answer()
    await started
    expect(app.session?.documentId).toBe('long')
    expect(gaveWay()).toBe(true)
    const short = app.openDocument('short')
    await waitFor(() => expect(held).toHaveLength(2))
    held[1]!.answer()
    await short
    timers.mockClear()
    // The editor waits for this one.
    const long = app.openDocument('long')
    await waitFor(() => expect(held).toHaveLength(3))
    held[2]!.answer()
    await long
    expect(app.session?.documentId).toBe('long')
    expect(timers).toHaveBeenCalled()
    expect(gaveWay()).toBe(false)
  })

  it('shows the name, the whole length and the highlights; keys tag nothing until the document has opened', async () => {
    const { api, held } = longFirstDocument()
    const app = new AppState(api)
    render(App, { app })
    const reader = await screen.findByRole('document', { name: 'Document text' })
    expect(reader).toHaveAttribute('aria-busy', 'true')
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('A long report')
    expect(screen.getByText(`${LONG_TEXT.length.toLocaleString()} characters`)).toBeInTheDocument()
    // The window around the text is painted a frame before the text.
    expect(reader.querySelector('.block')).toBeNull()
    expect((await within(reader).findAllByText('ISESCO')).length).toBeGreaterThan(0)
    expect(screen.getByRole('button', { name: /Edit text/ })).toBeDisabled()
    expect(screen.queryByRole('tab', { name: /Annotations/ })).toBeNull()
    app.preview!.session.setSelection(0, 4, true)
    const user = userEvent.setup()
    await user.keyboard('2')
    expect(api.calls.filter((call) => call.method === 'applyAnnotationEdits')).toHaveLength(0)
    // The whole is asked for once the first screen is painted.
    await waitFor(() => expect(held).toHaveLength(1))
    held[0]!.answer()
    await waitFor(() => expect(screen.getByRole('document', { name: 'Document text' })).toHaveAttribute('aria-busy', 'false'))
    expect(app.session?.annotations).toHaveLength(1000)
    // The side panel follows the reader, a frame later.
    expect(await screen.findByRole('tab', { name: /Annotations/ })).toHaveTextContent('Annotations1K')
  })

  it('hands its drawn text to the whole document: the same elements stay, a highlight that differs is drawn anew', async () => {
    const { api, held } = longFirstDocument()
    const app = new AppState(api)
    render(App, { app })
    const reader = await screen.findByRole('document', { name: 'Document text' })
    await waitFor(() => expect(held).toHaveLength(1))
    const firstBlock = reader.querySelector('.block[data-block-index="0"]')!
    const drawnSegments = [...firstBlock.children]
    expect(drawnSegments.length).toBeGreaterThan(1)
    // One highlight of the first line differs in the whole document (a colleague changed it on disk meanwhile).
    const annotations = api.documents.get('long')!.annotations!
    annotations[0] = { ...annotations[0]!, tag: 'PER' }
    // Its direction is not written again: Chromium restyles the whole block for such a write.
    expect(firstBlock).toHaveAttribute('dir', 'ltr')
    const directionWrites: MutationRecord[] = []
    new MutationObserver((records) => directionWrites.push(...records)).observe(firstBlock, { attributes: true, attributeFilter: ['dir'] })
    held[0]!.answer()
    await waitFor(() => expect(screen.getByRole('document', { name: 'Document text' })).toHaveAttribute('aria-busy', 'false'))
    const whole = screen.getByRole('document', { name: 'Document text' })
    expect(whole).toBe(reader)
    const block = whole.querySelector('.block[data-block-index="0"]')!
    expect(block).toBe(firstBlock)
    expect(directionWrites).toEqual([])
    expect(block).toHaveAttribute('dir', 'ltr')
    const changed = block.querySelector('[data-tag="PER"]')
    expect(changed).toHaveTextContent('ISESCO')
    expect(drawnSegments).not.toContain(changed)
    // The text before the changed highlight keeps its element.
    expect(block.firstElementChild).toBe(drawnSegments[0])
    // Another document is drawn by a reader of its own.
    const opened = app.openDocument('short')
    await waitFor(() => expect(held).toHaveLength(2))
    held[1]!.answer()
    await opened
    await waitFor(() => expect(screen.getByRole('document', { name: 'Document text' })).not.toBe(reader))
    expect(screen.getByRole('document', { name: 'Document text' })).toHaveTextContent('Baku in spring.')
  })

  it('gives way to another document asked for meanwhile, which the long one never replaces', async () => {
    const { held, app, started } = await startedUntilTheWholeIsAsked()
    const opened = app.openDocument('short')
    await waitFor(() => expect(held).toHaveLength(2))
    expect(app.preview).toBeNull()
    held[1]!.answer()
    await opened
    expect(app.session?.documentId).toBe('short')
    held[0]!.answer()
    await started
    expect(app.session?.documentId).toBe('short')
    expect(app.error).toBeNull()
  })

  it('is never asked for when another document is chosen while its first screen is being painted', async () => {
    const { api, held } = longFirstDocument()
    const app = new AppState(api)
    const started = app.init()
    // Chosen in the turn the first screen is drawn (a task after the start's answer), before it can be painted.
    for (let turn = 0; turn < 200 && !app.preview; turn++) {
      for (let spin = 0; spin < 100 && !app.preview; spin++) await Promise.resolve()
      if (!app.preview) await new Promise((resolve) => setTimeout(resolve, 0))
    }
    expect(app.preview).not.toBeNull()
    const opened = app.openDocument('short')
    await waitFor(() => expect(held).toHaveLength(1))
    held[0]!.answer()
    await opened
    await started
    expect(held.map((opening) => opening.layer.documentId)).toEqual(['short'])
    expect(app.session?.documentId).toBe('short')
  })

  it('is asked for once: choosing it in the list while it comes asks for nothing more', async () => {
    const { held, app, started } = await startedUntilTheWholeIsAsked()
    await app.openDocument('long')
    expect(held).toHaveLength(1)
    held[0]!.answer()
    await started
    expect(app.session?.documentId).toBe('long')
  })

  it('goes when its document fails to open, leaving the error to read', async () => {
    const { held, app, started } = await startedUntilTheWholeIsAsked()
    held[0]!.answer(new Error('The layer file is damaged'))
    await started
    expect(app.preview).toBeNull()
    expect(app.session).toBeNull()
    expect(app.error?.message).toContain('The layer file is damaged')
  })
})
