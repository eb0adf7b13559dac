// An empty project (what `npm start` opens without Electron on a first run) offers its texts'
// import and, for a newcomer, the sample project.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { FakeApi } from './fake-api'

describe('an empty project', () => {
  it('offers to import texts and to open the sample project instead', async () => {
    const api = new FakeApi([])
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('button', { name: 'Open sample project' })
    await app.openProject('/tmp/new-project')
    await screen.findByText('This project has no texts yet.')
    expect(screen.getAllByRole('button', { name: 'Import texts' }).length).toBeGreaterThan(0)
    await fireEvent.click(screen.getByRole('button', { name: 'Open the sample project' }))
    await waitFor(() => expect(api.calls.map((call) => call.method)).toContain('openSampleProject'))
    await waitFor(() => expect(app.project?.manifest.name).toBe('Sample project'))
  })
})
