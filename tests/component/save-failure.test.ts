// What the editor sees when saving fails (a full disk, a read-only folder): a warning that
// stays until the change is saved, the change still on screen, retries, and calm again after.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { QuireError } from '../../src/shared/api'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { FakeApi } from './fake-api'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\n'
const layerPath = '/data/project/documents/meeting/annotations/leyla-1a2b3c4d.json'
const diskFull = (): QuireError =>
  new QuireError({
    code: 'io',
    path: layerPath,
    message: `Could not save ${layerPath}: the disk is full (ENOSPC). The previous version of the file is unchanged`
  })

function projectApi(): FakeApi {
  const api = new FakeApi([
    { id: 'meeting', name: 'meeting', text },
    { id: 'other', name: 'other', text: 'Another text.' }
  ])
  api.openProjectNamed('Interviews')
  return api
}

afterEach(() => vi.useRealTimers())

describe('a save that fails', () => {
  it('shows a persistent warning naming the file and reason, keeps the edit on screen, retries and clears once saved', async () => {
    const api = projectApi()
    // Full until the test frees it: the queue's own retry (after 1 s) may come before or after
    // the clicks on a slow machine, and must not use up a failure the test planned.
    api.failSavesWith = diskFull()
    const app = new AppState(api)
    render(App, { app })
    const reader = await screen.findByRole('document', { name: 'Document text' })
    app.session!.setSelection(2, 10)
    await fireEvent.keyDown(window, { key: '1' })

    const banner = await screen.findByTestId('save-failure')
    expect(banner).toHaveAttribute('role', 'alert')
    expect(banner).toHaveTextContent('Your last change is not saved yet.')
    expect(banner).toHaveTextContent(`Could not save ${layerPath}: the disk is full (ENOSPC).`)
    expect(banner).toHaveTextContent(/They are kept on screen; retrying in \d+ s\./)
    // The path is named once, not repeated after a message that already holds it.
    expect(banner.textContent?.split(layerPath)).toHaveLength(2)
    expect(screen.getByTestId('save-state')).toHaveTextContent('Not saved (1 pending)')
    expect(reader.querySelector('[data-tag="PERSON"]')?.textContent).toBe('Emin Amrullayev')
    expect(api.savedAnnotations('meeting')).toEqual([])

    // The manual retry fails too: the warning stays, nothing is dropped.
    const attemptsBefore = api.calls.filter((call) => call.method === 'applyAnnotationEdits').length
    await userEvent.setup().click(within(banner).getByRole('button', { name: 'Retry now' }))
    await waitFor(() => expect(api.calls.filter((call) => call.method === 'applyAnnotationEdits').length).toBeGreaterThan(attemptsBefore))
    await waitFor(() => expect(app.session!.saveQueue.failedAttempts).toBeGreaterThanOrEqual(2))
    expect(screen.getByTestId('save-failure')).toBeInTheDocument()
    expect(reader.querySelector('[data-tag="PERSON"]')).not.toBeNull()
    expect(api.savedAnnotations('meeting')).toEqual([])

    api.failSavesWith = null
    await userEvent.setup().click(within(screen.getByTestId('save-failure')).getByRole('button', { name: 'Retry now' }))
    await waitFor(() => expect(screen.queryByTestId('save-failure')).toBeNull())
    expect(screen.getByTestId('save-state')).toHaveTextContent('All changes saved')
    expect(api.savedAnnotations('meeting').map((a) => a.text)).toEqual(['Emin Amrullayev'])
  })

  it('retries on its own with growing pauses until the disk has room again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const api = projectApi()
    api.failNextSaves.push(diskFull(), diskFull(), diskFull())
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    app.session!.setSelection(2, 10)
    await fireEvent.keyDown(window, { key: '1' })
    await screen.findByTestId('save-failure')
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 100)
    await waitFor(() => expect(screen.queryByTestId('save-failure')).toBeNull())
    expect(api.calls.filter((call) => call.method === 'applyAnnotationEdits')).toHaveLength(4)
    expect(api.savedAnnotations('meeting')).toHaveLength(1)
  })

  it('keeps warning about a document the editor left, reopens it with the unsaved edit, and will not close the project', async () => {
    const api = projectApi()
    // Full until the test frees it (see the first test): closing the project retries and fails;
    // the last manual retry saves.
    api.failSavesWith = diskFull()
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    app.session!.setSelection(2, 10)
    await fireEvent.keyDown(window, { key: '1' })
    await screen.findByTestId('save-failure')

    const user = userEvent.setup()
    await user.click(await screen.findByRole('option', { name: /^other/ }))
    await waitFor(() => expect(app.session?.documentId).toBe('other'))
    const banner = screen.getByTestId('save-failure')
    expect(banner).toHaveTextContent('Your last change to meeting is not saved yet.')
    expect(banner).toHaveTextContent('They are kept in memory')

    await app.closeProject()
    expect(app.project).not.toBeNull()
    expect(app.error?.message).toMatch(/not saved yet; the project stays open/)

    // Back to the document: the unsaved tag is still there, not re-read from the file without it.
    await user.click(screen.getByRole('option', { name: /^meeting/ }))
    await waitFor(() => expect(app.session?.documentId).toBe('meeting'))
    expect(screen.getByRole('document', { name: 'Document text' }).querySelector('[data-tag="PERSON"]')).not.toBeNull()

    api.failSavesWith = null
    await user.click(within(screen.getByTestId('save-failure')).getByRole('button', { name: 'Retry now' }))
    await waitFor(() => expect(screen.queryByTestId('save-failure')).toBeNull())
    expect(api.savedAnnotations('meeting')).toHaveLength(1)
  })
})
