// A project whose document index is being rebuilt (missing, damaged, from a newer Quire): the
// window opens at once with a calm progress line where the list will be, read out to a screen
// reader only every few seconds, and once the index is made the line goes, the list comes and
// the first document opens.
import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { ANNOUNCE_EVERY_MS, IndexProgressState } from '../../src/renderer/src/lib/state/index-progress.svelte'
import { FakeApi } from './fake-api'

describe('IndexProgressState', () => {
  it('shows every progress but reads one out only every few seconds, then says the list is coming', () => {
    let now = 0
    const state = new IndexProgressState(() => now)
    state.show({ stage: 'rebuild', done: 0, total: 100_000 })
    expect(state.text).toBe('Rebuilding the document index: 0 of 100,000 documents')
    expect(state.spoken).toBe('Rebuilding the document index: 0 of 100,000 documents')
    now = 1_000
    state.show({ stage: 'rebuild', done: 12_000, total: 100_000 })
    expect(state.text).toBe('Rebuilding the document index: 12,000 of 100,000 documents')
    expect(state.spoken).toBe('Rebuilding the document index: 0 of 100,000 documents')
    now = ANNOUNCE_EVERY_MS
    state.show({ stage: 'check', done: 50_000, total: 100_000 })
    expect(state.spoken).toBe('Checking the document index: 50,000 of 100,000 documents')
    // Made: the list is on its way.
    state.showListing()
    expect(state.text).toBe('Listing 100,000 documents…')
    expect(state.progress).toEqual({ stage: 'check', done: 100_000, total: 100_000 })
    state.show(null)
    expect(state.text).toBe('')
    expect(state.spoken).toBe('')
    expect(state.listing).toBe(false)
  })
})

describe('the document list while the index is rebuilt', () => {
  it('shows the progress where the list will be, then the list and its first document', { timeout: 15_000 }, async () => {
    const docs = Array.from({ length: 30 }, (_, index) => ({ id: `doc-${index}`, name: `report ${String(index).padStart(2, '0')}`, text: `Text ${index}.` }))
    const api = new FakeApi(docs)
    api.openProjectNamed('Corpus')
    api.indexRebuild = [
      { stage: 'rebuild', done: 0, total: 30 },
      { stage: 'rebuild', done: 16, total: 30 }
    ]
    render(App, { app: new AppState(api) })
    const nav = await screen.findByRole('navigation', { name: 'Documents' })
    await within(nav).findByText('Rebuilding the document index: 0 of 30 documents')
    expect(within(nav).getByRole('status')).toHaveTextContent('Rebuilding the document index: 0 of 30 documents')
    expect(within(nav).queryByText(/No texts yet/)).toBeNull()
    expect(within(nav).queryByRole('listbox')).toBeNull()
    // The change feed's next answer moves the line on (the live region keeps its sentence for a while).
    await within(nav).findByText('Rebuilding the document index: 16 of 30 documents', {}, { timeout: 5_000 })
    expect(within(nav).getByRole('status')).toHaveTextContent('Rebuilding the document index: 0 of 30 documents')
    // Then the index is made: the line goes, the list and its first document come.
    const listbox = await within(nav).findByRole('listbox', { name: 'Documents' }, { timeout: 5_000 })
    await waitFor(() => expect(within(listbox).getAllByRole('option')[0]).toHaveTextContent(/^report 00/))
    expect(await screen.findByRole('heading', { level: 1, name: 'report 00' })).toBeInTheDocument()
    expect(within(nav).queryByText(/Rebuilding the document index/)).toBeNull()
    expect(within(nav).getByRole('status')).toHaveTextContent('30 documents · 0 done')
  })

  it('says the list is coming, not that the project has no texts, while an opened project’s list is read', { timeout: 15_000 }, async () => {
    const docs = Array.from({ length: 5 }, (_, index) => ({ id: `doc-${index}`, name: `report ${index}`, text: `Text ${index}.` }))
    const api = new FakeApi(docs)
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('button', { name: 'Open sample project' })
    // Main answers the list only once its index is made.
    let release = (): void => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const page = api.listDocumentPage.bind(api)
    api.listDocumentPage = async (...args) => {
      await held
      return page(...args)
    }
    const opening = app.openProject('/tmp/corpus')
    const nav = await screen.findByRole('navigation', { name: 'Documents' })
    await within(nav).findByText('Listing the documents…')
    expect(within(nav).queryByText(/No texts yet/)).toBeNull()
    expect(screen.queryByText('This project has no texts yet.')).toBeNull()
    release()
    await opening
    expect(await within(nav).findByRole('listbox', { name: 'Documents' })).toBeInTheDocument()
    expect(within(nav).queryByText('Listing the documents…')).toBeNull()
  })
})
