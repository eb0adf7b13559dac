import { afterEach, describe, expect, it } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { applyColourScheme, rememberedColourScheme } from '../../src/renderer/src/lib/colour-scheme'
import { QuireError } from '../../src/shared/api'
import { FakeApi } from './fake-api'

const root = document.documentElement

afterEach(() => {
  delete root.dataset.colourScheme
  localStorage.clear()
})

describe('the colour scheme choice', () => {
  it('is on the start screen, applies at once and is kept in the settings', async () => {
    const api = new FakeApi()
    render(App, { app: new AppState(api) })
    const choice = await screen.findByRole('combobox', { name: 'Colours' })
    expect(choice).toHaveValue('system')
    expect(within(choice).getAllByRole('option').map((option) => option.textContent)).toEqual(['Match system', 'Light', 'Dark'])
    await waitFor(() => expect(root.dataset.colourScheme).toBe('system'))
    await userEvent.setup().selectOptions(choice, 'dark')
    expect(root.dataset.colourScheme).toBe('dark')
    expect(api.settings.colourScheme).toBe('dark')
    expect(api.calls.filter((call) => call.method === 'setColourScheme')).toEqual([{ method: 'setColourScheme', args: ['dark'] }])
    // The next start shows it before the settings arrive.
    expect(rememberedColourScheme()).toBe('dark')
  })

  it('shows the kept choice when the app starts, and sits in the status bar of the workspace', async () => {
    const api = new FakeApi([{ id: 'one', name: 'one', text: 'Şuşa' }])
    api.settings.colourScheme = 'light'
    api.openProjectNamed('Colours')
    render(App, { app: new AppState(api) })
    const status = await screen.findByRole('contentinfo', { name: 'Status' })
    const choice = await within(status).findByRole('combobox', { name: 'Colours' })
    expect(choice).toHaveValue('light')
    expect(root.dataset.colourScheme).toBe('light')
  })

  it('follows the View → Appearance menu items', async () => {
    const api = new FakeApi()
    render(App, { app: new AppState(api) })
    await screen.findByRole('combobox', { name: 'Colours' })
    api.sendMenuCommand('colour-scheme-dark')
    await waitFor(() => expect(root.dataset.colourScheme).toBe('dark'))
    api.sendMenuCommand('colour-scheme-system')
    await waitFor(() => expect(root.dataset.colourScheme).toBe('system'))
    expect(api.settings.colourScheme).toBe('system')
  })

  it('saves quick changes in their order and never shows an earlier answer over a later choice', async () => {
    const api = new FakeApi()
    const saveColourScheme = api.setColourScheme.bind(api)
    const answers: Array<() => void> = []
    const shownWhileSaving: string[] = []
    api.setColourScheme = (choice) => {
      shownWhileSaving.push(root.dataset.colourScheme ?? '')
      return new Promise((resolve) => answers.push(() => resolve(saveColourScheme(choice))))
    }
    render(App, { app: new AppState(api) })
    const choice = await screen.findByRole('combobox', { name: 'Colours' })
    const user = userEvent.setup()
    await user.selectOptions(choice, 'light')
    await user.selectOptions(choice, 'dark')
    // The second save waits for the first to be answered.
    expect(answers).toHaveLength(1)
    answers[0]?.()
    await waitFor(() => expect(answers).toHaveLength(2))
    expect(root.dataset.colourScheme).toBe('dark')
    expect(choice).toHaveValue('dark')
    answers[1]?.()
    await waitFor(() => expect(api.settings.colourScheme).toBe('dark'))
    expect(root.dataset.colourScheme).toBe('dark')
    expect(api.calls.filter((call) => call.method === 'setColourScheme').map((call) => call.args[0])).toEqual(['light', 'dark'])
    expect(shownWhileSaving).toEqual(['light', 'dark'])
  })

  it('goes back to the kept choice and says why when it cannot be saved', async () => {
    const api = new FakeApi()
    api.setColourScheme = async () => {
      throw new QuireError({ code: 'io', message: 'The settings file could not be written: disk full' })
    }
    render(App, { app: new AppState(api) })
    const choice = await screen.findByRole('combobox', { name: 'Colours' })
    await userEvent.setup().selectOptions(choice, 'light')
    expect(await screen.findByText(/disk full/)).toBeInTheDocument()
    await waitFor(() => expect(root.dataset.colourScheme).toBe('system'))
    expect(choice).toHaveValue('system')
  })

  it('remembers only a real choice', () => {
    expect(rememberedColourScheme()).toBe('system')
    localStorage.setItem('quire.colourScheme', 'sepia')
    expect(rememberedColourScheme()).toBe('system')
    applyColourScheme(root, 'light')
    expect(rememberedColourScheme()).toBe('light')
    expect(root.dataset.colourScheme).toBe('light')
  })
})
