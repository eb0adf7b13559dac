// The Search panel and the tag-all dialog over the fake API (which searches with the shared
// matcher): concordance lines with who tagged them, the filters, an invalid expression said at
// the field, a click opening the document at the match; tag-all's preview with a skipped
// occurrence, the open document's share as one undo step, and "Undo tag all" for the rest.
import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import type { TagAllChoice } from '../../src/shared/finding-model'
import { FakeApi, makeAnnotation } from './fake-api'

const MEETING = 'Emin Amrullayev met the ISESCO delegation in Baku. ISESCO thanked Baku.\n'
const OTHER = 'The ISESCO office opened. Isesco staff came.\n'

function projectApi(): FakeApi {
  const api = new FakeApi([
    { id: 'meeting', name: 'meeting', text: MEETING, annotations: [makeAnnotation(MEETING, 'o1', 24, 30, 'ORG')] },
    { id: 'other', name: 'other', text: OTHER }
  ])
  api.openProjectNamed('Interviews')
  return api
}

async function openSearch(api: FakeApi): Promise<{ panel: HTMLElement; user: ReturnType<typeof userEvent.setup>; app: AppState }> {
  const app = new AppState(api)
  render(App, { app })
  await screen.findByRole('document', { name: 'Document text' })
  const user = userEvent.setup()
  await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}')
  const panel = await screen.findByRole('dialog', { name: 'Search the project' })
  return { panel, user, app }
}

describe('Search panel', () => {
  it('lists every match with who tagged it, filters, and opens the document at a match', async () => {
    const api = projectApi()
    const { panel, user, app } = await openSearch(api)
    const field = within(panel).getByRole('searchbox', { name: 'Find in every document' })
    expect(field).toHaveFocus()
    await user.type(field, 'isesco{Enter}')
    await within(panel).findByText('4 matches in 2 documents')
    const lines = within(within(panel).getByRole('list', { name: 'Matches' })).getAllByRole('button')
    expect(lines.map((line) => line.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'meeting Emin Amrullayev met the ISESCO delegation in Baku. ISESCO thanked Baku. Leyla: Organization',
      'meeting Emin Amrullayev met the ISESCO delegation in Baku. ISESCO thanked Baku. untagged',
      'other The ISESCO office opened. Isesco staff came. untagged',
      'other The ISESCO office opened. Isesco staff came. untagged'
    ])

    await user.selectOptions(within(panel).getByRole('combobox'), 'untagged only')
    await within(panel).findByText('3 matches in 2 documents')
    await user.selectOptions(within(panel).getByRole('combobox'), 'tagged Organization')
    await within(panel).findByText('1 match in 1 document')

    await user.click(within(panel).getByRole('checkbox', { name: 'Regular expression' }))
    await user.clear(field)
    await user.type(field, '(isesco{Enter}')
    expect(await within(panel).findByRole('alert')).toHaveTextContent(/Not a valid regular expression/)
    expect(field).toHaveAttribute('aria-invalid', 'true')

    await user.click(within(panel).getByRole('checkbox', { name: 'Regular expression' }))
    await user.selectOptions(within(panel).getByRole('combobox'), 'all matches')
    await user.clear(field)
    await user.type(field, 'isesco{Enter}')
    await within(panel).findByText('4 matches in 2 documents')
    const other = within(within(panel).getByRole('list', { name: 'Matches' })).getAllByRole('button')[3] as HTMLElement
    other.focus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Search the project' })).toBeNull())
    await waitFor(() => expect(app.session?.documentId).toBe('other'))
    expect(app.session?.selectedRange).toEqual({ start: OTHER.indexOf('Isesco'), end: OTHER.indexOf('Isesco') + 6 })
  })
})

describe('Tag all', () => {
  it('previews, skips what is tagged, tags the open document as one undo step and undoes the rest', async () => {
    const api = projectApi()
    const { panel, user, app } = await openSearch(api)
    await user.type(within(panel).getByRole('searchbox', { name: 'Find in every document' }), 'isesco{Enter}')
    await within(panel).findByText('4 matches in 2 documents')
    await user.click(within(panel).getByRole('button', { name: 'Tag all 4 occurrences as…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Tag all occurrences of “isesco”' })
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Tag as' }), 'Organization')
    await within(dialog).findByText('3 occurrences to tag')
    expect(within(within(dialog).getByRole('list', { name: 'Skipped occurrences' })).getByText('already Organization in your layer')).toBeInTheDocument()
    // One unchecked: it stays untagged.
    const boxes = within(within(dialog).getByRole('list', { name: 'Occurrences to tag' })).getAllByRole('checkbox')
    await user.click(boxes[2] as HTMLElement)
    await user.click(within(dialog).getByRole('button', { name: 'Tag 2 occurrences as Organization' }))
    await screen.findByText('Tagged 2 spans as Organization in 2 documents.')

    // The open document's share went through its session (one undo step), the other's to main.
    const applied = api.calls.filter((call) => call.method === 'applyTagAll')
    expect(applied).toHaveLength(1)
    expect((applied[0]?.args[1] as TagAllChoice[]).map((choice) => choice.documentId)).toEqual(['other'])
    const session = app.session
    expect(session?.documentId).toBe('meeting')
    expect(session?.annotations.filter((annotation) => annotation.tag === 'ORG')).toHaveLength(2)
    expect(session?.undoLabel).toBe('Tag all "isesco" as Organization')
    session?.undo()
    expect(session?.annotations.filter((annotation) => annotation.tag === 'ORG')).toHaveLength(1)

    await user.click(screen.getByRole('button', { name: 'Undo tag all' }))
    await waitFor(() => expect(api.documents.get('other')?.annotations ?? []).toEqual([]))
    expect(session?.annotations.map((annotation) => annotation.id)).toEqual(['o1'])
  })
})
