import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const report = 'ISESCO met in Baku. Later the ISESCO team left Baku for Ganja.'
const meeting = 'The ISESCO delegation in Baku.'

/** Leyla's report, with Rashad's layer on the meeting tagging ISESCO and Baku. */
async function openReport(suggestionsShown = true): Promise<{ api: FakeApi; session: DocumentSession }> {
  const api = new FakeApi([
    { id: 'report', name: 'Report', text: report },
    {
      id: 'meeting',
      name: 'Meeting',
      text: meeting,
      layers: [
        {
          annotator: 'Rashad',
          annotations: [makeAnnotation(meeting, 'r1', meeting.indexOf('ISESCO'), meeting.indexOf('ISESCO') + 6, 'ORG'), makeAnnotation(meeting, 'r2', meeting.indexOf('Baku'), meeting.indexOf('Baku') + 4, 'EVENT')]
        }
      ]
    }
  ])
  let serial = 0
  const session = new DocumentSession({
    content: await api.getDocument({ documentId: 'report', annotator: 'Leyla' }),
    tags: DEFAULT_TAGS,
    saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
    loadSuggestions: (layer) => api.getSuggestions(layer),
    suggestionsShown,
    createId: () => `n${++serial}`,
    now: () => '2026-12-01T10:00:00.000Z'
  })
  await session.suggestions?.refresh()
  return { api, session }
}

const texts = (session: DocumentSession): string[] => (session.suggestions?.visible ?? []).map((s) => `${s.text}@${s.start}`)

describe('SuggestionsState', () => {
  it('says it is looking for suggestions until main first answers (a large project reads its lexicon first), then counts them', async () => {
    const api = new FakeApi([{ id: 'report', name: 'Report', text: report }])
    const answers: (() => void)[] = []
    const session = new DocumentSession({
      content: await api.getDocument({ documentId: 'report', annotator: 'Leyla' }),
      tags: DEFAULT_TAGS,
      saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
      loadSuggestions: async (layer) => {
        await new Promise<void>((resolve) => answers.push(resolve))
        return api.getSuggestions(layer)
      },
      createId: () => 'n1',
      now: () => '2026-12-01T10:00:00.000Z'
    })
    const first = session.suggestions?.refresh()
    expect(session.suggestions?.countText).toBe('Looking for suggestions')
    answers.shift()?.()
    await first
    expect(session.suggestions?.countText).toBe('No suggestions')
    // Asked again (after a change): what was counted stands meanwhile.
    const again = session.suggestions?.refresh()
    expect(session.suggestions?.loading).toBe(true)
    expect(session.suggestions?.countText).toBe('No suggestions')
    answers.shift()?.()
    await again
  })

  it('says they are off, not that there are none, when they were hidden before this document asked for them', async () => {
    const { session } = await openReport(false)
    expect(session.suggestions?.countText).toBe('Off')
    session.suggestions?.setShown(true)
    await waitFor(() => expect(session.suggestions?.countText).toBe('4 suggestions'))
    // Hidden again once known: the count stands beside the unticked box.
    session.suggestions?.setShown(false)
    expect(session.suggestions?.countText).toBe('4 suggestions')
  })

  it('draws suggestions that arrive while the mouse button is held (a drag selecting) only once it is released', async () => {
    const api = new FakeApi([
      { id: 'report', name: 'Report', text: report },
      { id: 'meeting', name: 'Meeting', text: meeting, layers: [{ annotator: 'Rashad', annotations: [makeAnnotation(meeting, 'r1', 4, 10, 'ORG')] }] }
    ])
    const session = new DocumentSession({
      content: await api.getDocument({ documentId: 'report', annotator: 'Leyla' }),
      tags: DEFAULT_TAGS,
      saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
      loadSuggestions: (layer) => api.getSuggestions(layer),
      createId: () => 'n1',
      now: () => '2026-12-01T10:00:00.000Z'
    })
    // Redrawn mid-drag, the text under the pointer is replaced and the selection being made stops where it was.
    document.dispatchEvent(new MouseEvent('pointerdown', { button: 0 }))
    let drawn = false
    const asked = session.suggestions?.refresh().then(() => (drawn = true))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect([drawn, texts(session)]).toEqual([false, []])
    document.dispatchEvent(new MouseEvent('pointerup', { button: 0 }))
    await asked
    expect(texts(session)).toEqual(['ISESCO@0', 'ISESCO@30'])
    // Another button held (a right click) holds nothing back.
    document.dispatchEvent(new MouseEvent('pointerdown', { button: 2 }))
    await session.suggestions?.refresh()
    document.dispatchEvent(new MouseEvent('pointerup', { button: 2 }))
  })

  it('lists the suggestions from the project and draws them dashed with a question chip', async () => {
    const { session } = await openReport()
    expect(texts(session)).toEqual(['ISESCO@0', 'Baku@14', 'ISESCO@30', 'Baku@47'])
    expect(session.suggestions?.countText).toBe('4 suggestions')
    const marks = session.marksIn(0, 20).filter((mark) => mark.style === 'suggestion')
    expect(marks.map((mark) => [mark.chip, mark.start])).toEqual([['ORG?', 0], ['EVT?', 14]])
    expect(marks[0]?.title).toContain('tagged "ISESCO" as Organization once (Rashad)')
    session.suggestions?.setShown(false)
    expect(session.marksIn(0, 20).filter((mark) => mark.style === 'suggestion')).toEqual([])
  })

  it('accepts one as a span with the reason as provenance, and undo brings the suggestion back', async () => {
    const { api, session } = await openReport()
    const suggestions = session.suggestions!
    const first = suggestions.at(2)!
    expect(suggestions.accept(first)).toBe(true)
    expect(session.annotations.map((a) => [a.text, a.tag, a.provenance])).toEqual([['ISESCO', 'ORG', { source: 'suggestion', detail: 'tagged "ISESCO" as Organization once (Rashad)' }]])
    expect(texts(session)).toEqual(['Baku@14', 'ISESCO@30', 'Baku@47'])
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('report').map((a) => a.provenance.source)).toEqual(['suggestion'])
    session.undo()
    expect(texts(session)).toEqual(['ISESCO@0', 'Baku@14', 'ISESCO@30', 'Baku@47'])
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('report')).toEqual([])
  })

  it('rejects one (saved in the layer, not suggested again) and undo takes the rejection back', async () => {
    const { api, session } = await openReport()
    const suggestions = session.suggestions!
    suggestions.reject(suggestions.at(15)!)
    expect(texts(session)).toEqual(['ISESCO@0', 'ISESCO@30', 'Baku@47'])
    await session.saveQueue.whenIdle()
    expect(api.rejectedSuggestions(session.layer)).toEqual([{ tag: 'EVENT', start: 14, end: 18, text: 'Baku', rejectedAt: expect.any(String) }])
    await suggestions.refresh()
    expect(suggestions.rejectedBefore).toBe(1)
    expect(texts(session)).toEqual(['ISESCO@0', 'ISESCO@30', 'Baku@47'])
    session.undo()
    await session.saveQueue.whenIdle()
    expect(api.rejectedSuggestions(session.layer)).toEqual([])
    await suggestions.refresh()
    expect(texts(session)).toEqual(['ISESCO@0', 'Baku@14', 'ISESCO@30', 'Baku@47'])
  })

  it('accepts all and rejects all as one undo step each', async () => {
    const { api, session } = await openReport()
    const suggestions = session.suggestions!
    suggestions.acceptAll()
    expect(session.annotations).toHaveLength(4)
    expect(session.undoLabel).toBe('Accept 4 suggestions')
    expect(texts(session)).toEqual([])
    session.undo()
    expect(session.annotations).toHaveLength(0)
    suggestions.rejectAll()
    expect(texts(session)).toEqual([])
    await session.saveQueue.whenIdle()
    expect(api.rejectedSuggestions(session.layer)).toHaveLength(4)
    session.undo()
    expect(texts(session)).toHaveLength(4)
    await session.saveQueue.whenIdle()
    expect(api.rejectedSuggestions(session.layer)).toEqual([])
  })

  it('finds the suggestion under the caret or a selection touching it', async () => {
    const { session } = await openReport()
    const suggestions = session.suggestions!
    expect(suggestions.atRange(6, 6)?.text).toBe('ISESCO')
    expect(suggestions.atRange(8, 8)).toBeNull()
    expect(suggestions.atRange(10, 20)?.text).toBe('Baku')
  })
})

describe('suggestion keys and the bar in the workspace', () => {
  it('Y accepts and Shift+Y rejects the suggestion under the caret; the bar counts them and its checkbox hides them', async () => {
    const api = new FakeApi([
      { id: 'report', name: 'report', text: report },
      { id: 'meeting', name: 'meeting', text: meeting, layers: [{ annotator: 'Rashad', annotations: [makeAnnotation(meeting, 'r1', 4, 10, 'ORG')] }] }
    ])
    api.openProjectNamed('Interviews')
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('document', { name: 'Document text' })
    const bar = await screen.findByRole('group', { name: 'Suggestions' })
    await waitFor(() => expect(within(bar).getByRole('status')).toHaveTextContent('2 suggestions'))
    const session = app.session!
    expect(session.documentId).toBe('report')
    session.setSelection(3, 3)
    await fireEvent.keyDown(window, { key: 'y' })
    expect(session.annotations.map((a) => [a.text, a.start, a.provenance.source])).toEqual([['ISESCO', 0, 'suggestion']])
    session.setSelection(32, 32)
    await fireEvent.keyDown(window, { key: 'Y', shiftKey: true })
    expect(session.notice).toMatch(/^Rejected the suggestion "ISESCO"/)
    await waitFor(() => expect(within(bar).getByRole('status')).toHaveTextContent('No suggestions'))
    // Nothing under the caret: a notice, nothing changes.
    session.setSelection(12, 12)
    await fireEvent.keyDown(window, { key: 'y' })
    expect(session.notice).toMatch(/No suggestion here/)
    await session.saveQueue.whenIdle()
    expect(api.rejectedSuggestions(session.layer).map((r) => r.start)).toEqual([30])
    // Hidden with the checkbox: not drawn, Y does nothing.
    await fireEvent.click(within(bar).getByRole('checkbox', { name: 'Suggestions' }))
    expect(app.suggestionsShown).toBe(false)
    expect(session.marksIn(0, report.length).some((mark) => mark.style === 'suggestion')).toBe(false)
    // Kept for the next window; hidden suggestions are not asked for.
    expect(localStorage.getItem('quire.suggestions.shown')).toBe('false')
    const asked = api.calls.filter((call) => call.method === 'getSuggestions').length
    await session.suggestions?.refresh()
    expect(api.calls.filter((call) => call.method === 'getSuggestions').length).toBe(asked)
    localStorage.clear()
  })
})
