// The cleanup dialog (preview per step, apply as one revision, undo), the history's "Undo last
// edit", text-problem banners (damaged: read-only, named file; fork: settled by choosing) and
// the "text changed — check" flag confirmed from the popover.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import type { TextRevisionSummary } from '../../src/shared/model'
import { ReviewFakeApi, spanOf } from './review-fakes'

// A PDF extraction: a doubled line, a hard wrap with a hyphen, a whitespace-only line, double spaces.
const RAW = 'Emin Amrullayev metEmin Amrullayev met\nthe ISESCO co-\noperation  team.\n   \n\nSecond paragraph.\n'

function projectApi(): ReviewFakeApi {
  const api = new ReviewFakeApi([
    {
      id: 'raw',
      name: 'raw',
      text: RAW,
      annotations: [spanOf('Leyla', RAW, 'p1', 'Emin Amrullayev', 'PERSON'), spanOf('Leyla', RAW, 'o1', 'ISESCO', 'ORG')]
    }
  ])
  api.openProjectNamed('Extractions')
  return api
}

async function openApp(api: ReviewFakeApi) {
  const app = new AppState(api)
  app.textSavePauseMs = 30
  render(App, { app })
  await screen.findByRole('document', { name: 'Document text' })
  return app
}

describe('cleaning up a PDF extraction', () => {
  it('previews each step with counts and examples, applies them as one revision with spans kept, and undoes it', async () => {
    const api = projectApi()
    const app = await openApp(api)
    await fireEvent.keyDown(window, { key: 'e' })
    await screen.findByRole('textbox', { name: 'Document text, editable' })
    await fireEvent.click(screen.getByRole('button', { name: 'Clean up text…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Clean up the text' })
    await waitFor(() => expect(within(dialog).getByTestId('cleanup-count-undouble')).toHaveTextContent('1 change'))
    expect(within(dialog).getByRole('list', { name: 'Examples: Remove doubled lines' })).toHaveTextContent('Emin Amrullayev metEmin Amrullayev met')
    expect(within(dialog).getByTestId('cleanup-count-dehyphenate')).toHaveTextContent('1 change')
    expect(api.calls.find((call) => call.method === 'previewCleanup')?.args).toEqual(['raw', ['undouble', 'unwrap', 'dehyphenate', 'blank-lines', 'spaces']])

    // Unticking a step previews again without it.
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: /Tidy spaces/ }))
    await waitFor(() => expect(api.calls.filter((call) => call.method === 'previewCleanup').at(-1)?.args[1]).toEqual(['undouble', 'unwrap', 'dehyphenate', 'blank-lines']))
    expect(within(dialog).queryByTestId('cleanup-count-spaces')).toBeNull()
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: /Tidy spaces/ }))

    await waitFor(() => expect(within(dialog).getByTestId('cleanup-count-spaces')).toBeInTheDocument())
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Apply' }))
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Clean up the text' })).toBeNull())
    expect(api.calls.filter((call) => call.method === 'applyCleanup')).toHaveLength(1)
    expect(api.calls.find((call) => call.method === 'applyCleanup')?.args[0]).toMatchObject({ documentId: 'raw', author: 'Leyla', baseRevision: 'original' })
    const cleaned = api.documents.get('raw')!.text
    expect(cleaned).toBe('Emin Amrullayev met the ISESCO cooperation team.\n\nSecond paragraph.\n')
    expect(api.savedAnnotations('raw', 'Leyla').map((a) => a.text)).toEqual(['Emin Amrullayev', 'ISESCO'])
    // The editor starts again on the cleaned text, and the history lists the revision.
    await waitFor(() => expect(document.querySelector('.cm-content')?.textContent).toContain('met the ISESCO cooperation team.'))
    const history = await screen.findByRole('list', { name: 'Revisions, newest first' })
    expect(within(history).getAllByRole('listitem')).toHaveLength(1)

    await fireEvent.click(screen.getByRole('button', { name: 'Undo last edit' }))
    await waitFor(() => expect(api.documents.get('raw')!.text).toBe(RAW))
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Revisions, newest first' })).getAllByRole('listitem')).toHaveLength(2))
    await fireEvent.click(screen.getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(app.editing).toBeNull())
    expect(app.session?.text).toBe(RAW)
  })
})

function revision(id: string, author: string, summary: string): TextRevisionSummary {
  return {
    id,
    parent: 'original',
    seq: 1,
    author,
    createdAt: '2024-03-01T10:00:00.000Z',
    shaBefore: '0'.repeat(64),
    shaAfter: '1'.repeat(64),
    lengthBefore: 10,
    lengthAfter: 11,
    origin: { kind: 'edit' },
    summary,
    setAside: false
  }
}

describe('text problems', () => {
  it('shows a damaged revision file by name and keeps the document read-only', async () => {
    const api = projectApi()
    api.textRevisions.setProblem('raw', { kind: 'damaged', message: 'Revision r2-abc does not check out (its SHA-256 differs)', path: '/tmp/project/documents/raw/revisions/r2-abc.json' })
    const app = await openApp(api)
    const banner = screen.getByRole('alert')
    expect(banner).toHaveTextContent("This text's history is damaged, so it is read-only.")
    expect(banner).toHaveTextContent('/tmp/project/documents/raw/revisions/r2-abc.json')
    expect(screen.getByRole('button', { name: /^Edit text/ })).toBeDisabled()
    await fireEvent.keyDown(window, { key: 'e' })
    expect(app.editing).toBeNull()
    // Tagging is refused too.
    app.session!.setSelection(0, 4)
    await fireEvent.keyDown(window, { key: '1' })
    expect(app.session!.annotations).toHaveLength(2)
    expect(api.calls.some((call) => call.method === 'applyAnnotationEdits')).toBe(false)
  })

  it('shows two edits made from the same revision and settles by keeping one', async () => {
    const api = projectApi()
    api.textRevisions.setProblem('raw', {
      kind: 'fork',
      message: 'Two edits were made from the original text.',
      parent: 'original',
      candidates: [revision('r1-aaaaaaaaaaaa', 'Leyla', 'Fixed a typo'), revision('r1-bbbbbbbbbbbb', 'Rashad', '3 lines unwrapped')]
    })
    const app = await openApp(api)
    const candidates = screen.getByRole('list', { name: 'Edits made from the same version' })
    expect(within(candidates).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      expect.stringContaining('Fixed a typo by Leyla'),
      expect.stringContaining('3 lines unwrapped by Rashad')
    ])
    expect(screen.getByRole('button', { name: /^Edit text/ })).toBeDisabled()
    await fireEvent.click(within(candidates).getByRole('button', { name: 'Keep this one: 3 lines unwrapped by Rashad' }))
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Edits made from the same version' })).toBeNull())
    expect(api.calls.find((call) => call.method === 'settleTextFork')?.args).toEqual(['raw', 'Leyla', 'r1-bbbbbbbbbbbb'])
    expect(app.session?.textProblem).toBeNull()
    expect(screen.getByRole('button', { name: /^Edit text/ })).toBeEnabled()
  })
})

describe('a span whose text an edit changed', () => {
  it('says "text changed — check" in the panel and the popover, and Confirm clears it', async () => {
    const text = 'Emin Amrullayev met them.'
    const flagged = { ...spanOf('Leyla', text, 'p1', 'Emin Amrullayev', 'PERSON'), textCheck: { previousText: 'Emin Amrulayev', revision: 'r1-aaaaaaaaaaaa' } }
    const api = new ReviewFakeApi([{ id: 'm', name: 'm', text, annotations: [flagged] }])
    api.openProjectNamed('Checks')
    const app = await openApp(api)
    // The side panel's list comes in a task after the reader's first screen is painted.
    expect(await screen.findByText('text changed — check')).toBeInTheDocument()
    expect(document.querySelector('[data-labels]')?.getAttribute('data-labels')).toContain('check')
    app.session!.openPopover(['p1'], 10, 10)
    const popover = await screen.findByRole('dialog')
    expect(popover).toHaveTextContent('Text changed — check. An edit of the text changed what this span covers; it was “Emin Amrulayev”.')
    await fireEvent.click(within(popover).getByRole('button', { name: 'Confirm' }))
    await waitFor(() => expect(app.session!.get('p1')?.textCheck).toBeUndefined())
    await waitFor(() => expect(api.calls.find((call) => call.method === 'applyAnnotationEdits')?.args[1]).toEqual([{ op: 'confirm-text', id: 'p1' }]))
    // The side panel follows the session after the reader's frame is painted.
    await waitFor(() => expect(screen.queryByText('text changed — check')).toBeNull())
  })
})
