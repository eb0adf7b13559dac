// The Sync button: shown only for a project in a git repository, it waits for unsaved edits,
// syncs as the user, says what happened, and shows a refusal (a conflict) as an error.
import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { QuireError } from '../../src/shared/api'
import { FakeApi } from './fake-api'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\n'

function projectApi(repository: boolean): FakeApi {
  const api = new FakeApi([{ id: 'meeting', name: 'meeting', text }])
  api.openProjectNamed('Team project')
  api.syncStatus = { ...api.syncStatus, repository, branch: 'main', upstream: repository ? 'origin/main' : null }
  return api
}

/** The sync status is asked for once the opened document is painted (git competes with drawing it). */
async function findSyncButton(): Promise<HTMLElement> {
  await screen.findByRole('heading', { name: 'meeting' })
  return screen.findByRole('button', { name: 'Sync' })
}

describe('Sync', () => {
  it('is not offered outside a git repository', async () => {
    const api = projectApi(false)
    render(App, { app: new AppState(api) })
    await screen.findByRole('heading', { name: 'meeting' })
    await waitFor(() => expect(api.calls.some((call) => call.method === 'getSyncStatus')).toBe(true))
    expect(screen.queryByRole('button', { name: 'Sync' })).toBeNull()
  })

  it('syncs as the user after their edits are saved and says what happened', async () => {
    const api = projectApi(true)
    api.syncResult = { committed: ['documents/meeting/annotations/leyla.json'], commit: 'abc1234', pulled: 2, pushed: true, changedByOthers: [], message: 'Committed 1 file, received 2 commits from colleagues and sent yours.' }
    const app = new AppState(api)
    render(App, { app })
    const sync = await findSyncButton()
    expect(sync.getAttribute('title')).toContain('origin/main')
    app.session?.setSelection(0, 4)
    app.session?.tagSelection('PERSON')
    await userEvent.setup().click(sync)
    // Said in a notice that fades, not in a dialog or a banner.
    await within(screen.getByRole('status', { name: 'Notices' })).findByText('Committed 1 file, received 2 commits from colleagues and sent yours.')
    const calls = api.calls.map((call) => call.method)
    // The edit was saved before the sync was asked for.
    expect(calls.lastIndexOf('applyAnnotationEdits')).toBeLessThan(calls.indexOf('syncProject'))
    expect(api.calls.find((call) => call.method === 'syncProject')?.args).toEqual(['Leyla'])
  })

  it('shows a conflict as an error naming the file, and the button can be used again', async () => {
    const api = projectApi(true)
    api.failNextSync = new QuireError({ code: 'io', path: '/team/project.json', message: 'project.json was changed both here and by Rashad: nothing was merged.' })
    render(App, { app: new AppState(api) })
    const user = userEvent.setup()
    await user.click(await findSyncButton())
    expect(await screen.findByText(/project\.json was changed both here and by Rashad/)).toBeInTheDocument()
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sync' })).toBeEnabled())
  })
})
