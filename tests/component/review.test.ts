// Reviewing colleagues' work on one document: their layers shown read-only (outlined, with
// initials), a span copied to your layer, the layer list, compare mode (positions, filters,
// n / p) and curation into the gold layer (Shift+1…9, A, X, undo, Mark curated), and the
// document list's review states.
import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import AnnotationPopover from '../../src/renderer/src/lib/components/AnnotationPopover.svelte'
import DocumentList from '../../src/renderer/src/lib/components/DocumentList.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { ComparisonState } from '../../src/renderer/src/lib/state/comparison.svelte'
import { remainingPositions } from '../../src/core/review/curation'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { QuireError } from '../../src/shared/api'
import { DEFAULT_TAGS, type LayerRef } from '../../src/shared/model'
import type { FakeDocument, FakeLayer } from './fake-api'
import { ReviewFakeApi, spanOf } from './review-fakes'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku on Monday.\nLater the Baku office wrote.\n'
const secondBaku = text.indexOf('Baku', text.indexOf('Later'))
const AYLA = 'Ayla Həsənova'

// Leyla against Rashad: one agreed span (Emin), and in text order the disagreements
// ISESCO (ORG vs PERSON: tag differs), "in Baku" / "Baku" (EVENT: boundaries differ),
// Monday (only Rashad) and the second Baku (EVENT vs ORG: tag differs).
const leylaSpans = () => [
  spanOf('Leyla', text, 'l-emin', 'Emin Amrullayev', 'PERSON'),
  spanOf('Leyla', text, 'l-isesco', 'ISESCO', 'ORG'),
  spanOf('Leyla', text, 'l-baku', 'Baku', 'EVENT'),
  spanOf('Leyla', text, 'l-baku2', 'Baku', 'EVENT', { from: secondBaku })
]
const rashadSpans = () => [
  spanOf('Rashad', text, 'r-emin', 'Emin Amrullayev', 'PERSON'),
  spanOf('Rashad', text, 'r-isesco', 'ISESCO', 'PERSON'),
  spanOf('Rashad', text, 'r-baku', 'in Baku', 'EVENT'),
  spanOf('Rashad', text, 'r-monday', 'Monday', 'PROGRAM', { note: 'the Monday programme?' }),
  spanOf('Rashad', text, 'r-baku2', 'Baku', 'ORG', { from: secondBaku })
]

function reviewApi(options: { layers?: FakeLayer[]; documents?: FakeDocument[] } = {}): ReviewFakeApi {
  const api = new ReviewFakeApi([
    {
      id: 'meeting',
      name: 'meeting',
      text,
      status: 'in-progress',
      annotations: leylaSpans(),
      layers: [
        { annotator: 'Rashad', status: 'done', annotations: rashadSpans() },
        { annotator: AYLA, annotations: [spanOf(AYLA, text, 'a-monday', 'Monday', 'EVENT')] },
        ...(options.layers ?? [])
      ]
    },
    { id: 'other', name: 'other', text: 'Another text about Baku.', layers: [{ annotator: 'Rashad', annotations: [spanBaku('Rashad')] }] },
    ...(options.documents ?? [])
  ])
  api.openProjectNamed('Interviews')
  return api
}

function spanBaku(annotator: string) {
  return spanOf(annotator, 'Another text about Baku.', `${annotator}-baku`, 'Baku', 'EVENT')
}

async function openSession(api: ReviewFakeApi, annotator = 'Leyla'): Promise<DocumentSession> {
  let created = 0
  return new DocumentSession({
    content: await api.getDocument({ documentId: 'meeting', annotator }),
    tags: DEFAULT_TAGS,
    saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
    loadLayer: (layer) => api.getLayer(layer),
    createId: () => `new-${++created}`,
    now: () => '2024-05-01T10:00:00.000Z'
  })
}

function layerReads(api: ReviewFakeApi, annotator: string): number {
  return api.calls.filter((call) => call.method === 'getLayer' && (call.args[0] as LayerRef).annotator === annotator).length
}

async function renderApp(api: ReviewFakeApi) {
  const app = new AppState(api)
  render(App, { app })
  const reader = await screen.findByRole('document', { name: 'Document text' })
  return { app, reader, user: userEvent.setup() }
}

const at = (words: string, from = 0): number => text.indexOf(words, from)

describe("colleagues' layers", () => {
  it('loads a shown layer once, draws its spans outlined with initials, and stops drawing it when hidden', async () => {
    const api = reviewApi()
    const session = await openSession(api)
    expect(session.colleagues.summaries.map((layer) => layer.annotator)).toEqual(['Rashad', AYLA])
    expect(session.marksIn(0, text.length).every((mark) => mark.style === 'own')).toBe(true)
    expect(layerReads(api, 'Rashad')).toBe(0)

    await session.colleagues.setVisible('Rashad', true)
    expect(layerReads(api, 'Rashad')).toBe(1)
    const others = session.marksIn(0, text.length).filter((mark) => mark.style === 'other')
    expect(others.map((mark) => [text.slice(mark.start, mark.end), mark.chip, mark.layer])).toEqual([
      ['Emin Amrullayev', 'PER·RA', 'Rashad'],
      ['ISESCO', 'PER·RA', 'Rashad'],
      ['in Baku', 'EVT·RA', 'Rashad'],
      ['Monday', 'PRG·RA', 'Rashad'],
      ['Baku', 'ORG·RA', 'Rashad']
    ])
    expect(others.find((mark) => mark.id === 'r-monday')?.title).toBe('Program by Rashad: the Monday programme?')
    // Your own spans are still drawn (filled), and keys stay unique when ids repeat across layers.
    const all = session.marksIn(0, text.length)
    expect(all.filter((mark) => mark.style === 'own')).toHaveLength(4)
    expect(new Set(all.map((mark) => mark.key)).size).toBe(all.length)
    // Only the marks touching the range asked for.
    expect(session.marksIn(at('Monday'), at('Monday') + 6).map((mark) => mark.chip)).toEqual(['PRG·RA'])

    await session.colleagues.setVisible('Rashad', false)
    expect(session.marksIn(0, text.length).some((mark) => mark.style === 'other')).toBe(false)
    await session.colleagues.setVisible('Rashad', true)
    expect(layerReads(api, 'Rashad')).toBe(1)
    expect(session.marksIn(0, text.length).filter((mark) => mark.style === 'other')).toHaveLength(5)

    await session.colleagues.setVisible(AYLA, true)
    expect(session.marksIn(at('Monday'), at('Monday') + 6).map((mark) => mark.chip).sort()).toEqual(['EVT·AH', 'PRG·RA'])
  })

  it('keeps the layers you chose shown on the next document you open', async () => {
    const api = reviewApi()
    const { app, reader } = await renderApp(api)
    await app.setLayerShown('Rashad', true)
    await waitFor(() => expect(reader.querySelector('[data-labels="PRG·RA"]')).not.toBeNull())
    await app.openDocument('other')
    await waitFor(() => expect(app.session?.documentId).toBe('other'))
    expect(app.session!.colleagues.isVisible('Rashad')).toBe(true)
    const otherReader = screen.getByRole('document', { name: 'Document text' })
    await waitFor(() => expect(otherReader.querySelector('[data-labels="EVT·RA"]')?.textContent).toBe('Baku'))
  })

  it("copies a colleague's span to your layer with where it came from, and refuses a duplicate with a notice", async () => {
    const api = reviewApi()
    const session = await openSession(api)
    await session.colleagues.setVisible('Rashad', true)

    const id = session.copyToMyLayer('Rashad', 'r-monday')
    expect(id).toBe('new-1')
    expect(session.get('new-1')).toMatchObject({
      start: at('Monday'),
      end: at('Monday') + 6,
      tag: 'PROGRAM',
      text: 'Monday',
      note: 'the Monday programme?',
      annotator: 'Leyla',
      provenance: { source: 'copy', annotators: ['Rashad'] }
    })
    expect(session.notice).toBe('Copied "Monday" (Program) from Rashad to your layer.')
    expect(session.undoLabel).toBe('Copy Program from Rashad')
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('meeting').find((a) => a.id === 'new-1')).toMatchObject({
      text: 'Monday',
      tag: 'PROGRAM',
      provenance: { source: 'copy', annotators: ['Rashad'] }
    })
    // Rashad's layer is not touched.
    expect(api.savedAnnotations('meeting', 'Rashad')).toHaveLength(5)

    const saves = api.calls.filter((call) => call.method === 'applyAnnotationEdits').length
    expect(session.copyToMyLayer('Rashad', 'r-monday')).toBeNull()
    expect(session.notice).toBe('Your layer already has "Monday" as Program.')
    // A span you made yourself the same way is a duplicate too.
    expect(session.copyToMyLayer('Rashad', 'r-emin')).toBeNull()
    expect(session.notice).toBe('Your layer already has "Emin Amrullayev" as Person.')
    expect(session.annotations).toHaveLength(5)
    await session.saveQueue.whenIdle()
    expect(api.calls.filter((call) => call.method === 'applyAnnotationEdits')).toHaveLength(saves)

    session.undo()
    expect(session.get('new-1')).toBeUndefined()
    // Unknown spans (a layer not loaded, an id gone) copy nothing.
    expect(session.copyToMyLayer(AYLA, 'a-monday')).toBeNull()
    expect(session.copyToMyLayer('Rashad', 'nope')).toBeNull()
  })

  it('refuses to copy in a read-only project', async () => {
    const api = reviewApi()
    const session = new DocumentSession({
      content: await api.getDocument({ documentId: 'meeting', annotator: 'Leyla' }),
      tags: DEFAULT_TAGS,
      saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
      loadLayer: (layer) => api.getLayer(layer),
      readOnlyReason: 'another Quire window has it open'
    })
    await session.colleagues.setVisible('Rashad', true)
    expect(session.copyToMyLayer('Rashad', 'r-monday')).toBeNull()
    expect(session.notice).toBe('This project is read-only: another Quire window has it open')
    expect(session.annotations).toHaveLength(4)
  })
})

describe("AnnotationPopover on a colleague's span", () => {
  async function setup() {
    const api = reviewApi()
    const session = await openSession(api)
    await session.colleagues.setVisible('Rashad', true)
    render(AnnotationPopover, { session })
    return { api, session, user: userEvent.setup() }
  }

  it('shows annotator, tag, note and time read-only, and copies with the button', async () => {
    const { session, user } = await setup()
    session.openPopover([], 100, 100, [{ annotator: 'Rashad', id: 'r-monday' }])
    const dialog = await screen.findByRole('dialog', { name: 'Annotation by Rashad' })
    expect(dialog).toHaveTextContent('“Monday” read-only')
    const facts = Object.fromEntries(
      [...dialog.querySelectorAll('dt')].map((term) => [term.textContent, term.nextElementSibling?.textContent?.replace(/\s+/g, ' ').trim()])
    )
    expect(facts).toMatchObject({ Annotator: 'RA Rashad', Tag: 'Program', Note: 'the Monday programme?' })
    expect(dialog.querySelector('time')).toHaveAttribute('datetime', '2024-01-01T00:00:00.000Z')
    expect(facts['Changed']).toMatch(/2024/)
    // Nothing of the span to edit: no tag buttons, no note field, no Delete.
    expect(within(dialog).queryByRole('textbox', { name: /^Note/ })).toBeNull()
    expect(within(dialog).queryByRole('button', { name: 'Delete' })).toBeNull()
    expect(within(dialog).queryByRole('button', { name: 'Person' })).toBeNull()

    await user.click(within(dialog).getByRole('button', { name: /Copy to my layer/ }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(session.get('new-1')).toMatchObject({ tag: 'PROGRAM', text: 'Monday', provenance: { source: 'copy', annotators: ['Rashad'] } })
  })

  it('copies with the C key; tag keys and Delete do nothing to the colleague span', async () => {
    const { session, user } = await setup()
    session.openPopover([], 100, 100, [{ annotator: 'Rashad', id: 'r-baku' }])
    const dialog = await screen.findByRole('dialog', { name: 'Annotation by Rashad' })
    dialog.focus()
    await user.keyboard('2')
    await user.keyboard('{Delete}')
    expect(session.annotations).toHaveLength(4)
    expect(session.colleagues.get('Rashad', 'r-baku')?.tag).toBe('EVENT')
    await user.keyboard('c')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(session.annotations.find((a) => a.text === 'in Baku')).toMatchObject({ tag: 'EVENT', provenance: { source: 'copy', annotators: ['Rashad'] } })
  })

  it('offers your span and the colleague’s when both are under the click, and the colleague’s opens read-only', async () => {
    const { session, user } = await setup()
    session.openPopover(['l-isesco'], 100, 100, [{ annotator: 'Rashad', id: 'r-isesco' }])
    const dialog = await screen.findByRole('dialog', { name: 'Annotation' })
    const choices = within(dialog).getAllByRole('button')
    expect(choices.map((choice) => choice.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Organization ISESCO', 'Person RA ISESCO'])
    await user.click(choices[1] as HTMLElement)
    expect(screen.getByRole('dialog', { name: 'Annotation by Rashad' })).toHaveTextContent('read-only')
  })
})

describe('LayerList', () => {
  it("says when a layer's last save was cut off by a crash and dropped, the rest of the layer shown as usual", async () => {
    const warning = 'The last save in /tmp/project/documents/meeting/annotations/.rashad.json.journal (line 3, 40 bytes) was cut off when Quire stopped while saving'
    const api = reviewApi()
    const doc = api.documents.get('meeting')
    const rashad = doc?.layers?.find((layer) => layer.annotator === 'Rashad')
    if (rashad) rashad.warning = warning
    const { user } = await renderApp(api)
    await user.click(screen.getByRole('tab', { name: /^Layers/ }))
    const row = screen.getByRole('region', { name: 'Layers' }).querySelector('[data-layer="Rashad"]') as HTMLElement
    const note = within(row).getByRole('note')
    expect(note).toHaveTextContent('The last save before Quire stopped was cut off and dropped; every earlier save is kept.')
    expect(note).toHaveAttribute('title', warning)
    expect(within(row).getByRole('checkbox')).toBeEnabled()
    expect(row).toHaveTextContent('5 spans · done')
  })

  it('lists every layer with counts and status, and the checkbox shows a layer in the reader', async () => {
    const api = reviewApi({ layers: [{ annotator: 'curation', status: 'in-progress', annotations: [] }] })
    const { app, reader, user } = await renderApp(api)
    await user.click(screen.getByRole('tab', { name: /^Layers/ }))
    const panel = screen.getByRole('region', { name: 'Layers' })
    expect(within(panel).getByRole('heading')).toHaveTextContent('Layers 4')
    const rows = within(panel).getAllByRole('listitem').map((row) => row.textContent?.replace(/\s+/g, ' ').trim())
    expect(rows).toEqual([
      expect.stringMatching(/^LE Leyla \(you\) 4 spans · in progress · .*2024.* · yours, drawn filled$/),
      expect.stringMatching(/^RA Rashad 5 spans · done · .* · read-only, outlined$/),
      expect.stringMatching(/^AH Ayla Həsənova 1 span · not started · .* · read-only, outlined$/),
      'GOLD Gold layer (curation) 0 spans · curation in progress · read-only, outlined'
    ])
    expect(within(panel).getByRole('checkbox', { name: 'Your layer is always shown' })).toBeDisabled()

    const show = within(panel).getByRole('checkbox', { name: "Show Rashad's layer" })
    expect(show).not.toBeChecked()
    const setLayerShown = vi.spyOn(app, 'setLayerShown')
    await user.click(show)
    expect(setLayerShown).toHaveBeenCalledWith('Rashad', true)
    expect(show).toBeChecked()
    expect(app.shownLayers.has('Rashad')).toBe(true)
    await waitFor(() => expect(reader.querySelector('[data-labels="PRG·RA"]')?.textContent).toBe('Monday'))
    expect(reader.querySelector('[data-labels="PRG·RA"]')?.className).toContain('box-other')

    await user.click(show)
    expect(setLayerShown).toHaveBeenLastCalledWith('Rashad', false)
    await waitFor(() => expect(reader.querySelector('[data-labels="PRG·RA"]')).toBeNull())
    expect(layerReads(api, 'Rashad')).toBe(1)
  })

  it("shows a layer's problem instead of its counts, and it cannot be shown", async () => {
    const api = reviewApi({ layers: [{ annotator: 'Broken', annotations: [] }] })
    api.layerProblems.set('meeting/Broken', { code: 'corrupt-store', message: 'Broken.json is not valid JSON (line 3)' })
    const { user } = await renderApp(api)
    await user.click(screen.getByRole('tab', { name: /^Layers/ }))
    const panel = screen.getByRole('region', { name: 'Layers' })
    const row = panel.querySelector('[data-layer="Broken"]') as HTMLElement
    // Said in a line an editor reads; the full message is the tooltip.
    expect(within(row).getByRole('note')).toHaveTextContent('⚠ This file cannot be read: damaged, or not fully synced yet. It is left unchanged.')
    expect(within(row).getByRole('note')).toHaveAttribute('title', 'Broken.json is not valid JSON (line 3)')
    expect(row).not.toHaveTextContent('read-only, outlined')
    expect(within(row).getByRole('checkbox', { name: "Show Broken's layer" })).toBeDisabled()
  })

  it("says what is wrong with a layer's file when main knows it, the full message staying in the tooltip", async () => {
    const api = reviewApi({ layers: [{ annotator: 'Broken', annotations: [] }] })
    const message = "The annotation file /p/documents/meeting/Samir-7c1d2e3f.json holds the layer of Samir, but its name is not that annotator's file name (samir-7c1d2e3f.json); Quire will not change it"
    api.layerProblems.set('meeting/Broken', { code: 'corrupt-store', path: '/p/documents/meeting/Samir-7c1d2e3f.json', message, reason: 'it holds the layer of Samir, whose file Quire names samir-7c1d2e3f.json' })
    const { user } = await renderApp(api)
    await user.click(screen.getByRole('tab', { name: /^Layers/ }))
    const row = screen.getByRole('region', { name: 'Layers' }).querySelector('[data-layer="Broken"]') as HTMLElement
    expect(within(row).getByRole('note')).toHaveTextContent(
      '⚠ This file cannot be read (Samir-7c1d2e3f.json): it holds the layer of Samir, whose file Quire names samir-7c1d2e3f.json. It is left unchanged.'
    )
    expect(within(row).getByRole('note')).toHaveAttribute('title', message)
  })

  it('says why a layer could not be loaded when it was shown, and disables it', async () => {
    const api = reviewApi()
    const getLayer = api.getLayer.bind(api)
    api.getLayer = async (layer) => {
      if (layer.annotator === AYLA) throw new QuireError({ code: 'io', message: 'Could not read ayla.json: permission denied' })
      return getLayer(layer)
    }
    const { app, user } = await renderApp(api)
    await user.click(screen.getByRole('tab', { name: /^Layers/ }))
    await user.click(screen.getByRole('checkbox', { name: `Show ${AYLA}'s layer` }))
    const row = screen.getByRole('region', { name: 'Layers' }).querySelector(`[data-layer="${AYLA}"]`) as HTMLElement
    await waitFor(() => expect(within(row).getByRole('note')).toHaveTextContent('Could not read ayla.json: permission denied'))
    expect(within(row).getByRole('checkbox')).toBeDisabled()
    expect(app.session!.marksIn(0, text.length).some((mark) => mark.layer === AYLA)).toBe(false)
  })
})

describe('ComparisonState (compare mode)', () => {
  async function compare(annotators = ['Leyla', 'Rashad']) {
    const api = reviewApi()
    const session = await openSession(api)
    const comparison = new ComparisonState({ session, annotators, mode: 'compare', compare: (documentId, chosen) => api.compareDocument(documentId, chosen) })
    session.overlay = comparison
    await comparison.load()
    return { api, session, comparison }
  }
  const excerpt = (position: { start: number; end: number } | null) => (position ? text.slice(position.start, position.end) : null)

  it('counts each kind of position and lists the disagreements in text order', async () => {
    const { comparison } = await compare()
    expect(comparison.error).toBeNull()
    expect(comparison.missing).toEqual([])
    expect(comparison.comparison?.counts).toEqual({ agreed: 1, 'tag-differs': 2, 'boundaries-differ': 1, 'only-in-some': 1 })
    expect(comparison.disagreements.map((position) => [position.kind, excerpt(position)])).toEqual([
      ['tag-differs', 'ISESCO'],
      ['boundaries-differ', 'in Baku'],
      ['only-in-some', 'Monday'],
      ['tag-differs', 'Baku']
    ])
  })

  it('filters by kind and by tag', async () => {
    const { comparison } = await compare()
    comparison.setKindShown('tag-differs', false)
    expect(comparison.disagreements.map(excerpt)).toEqual(['in Baku', 'Monday'])
    comparison.setKindShown('tag-differs', true)
    comparison.setKindShown('only-in-some', false)
    expect(comparison.disagreements.map(excerpt)).toEqual(['ISESCO', 'in Baku', 'Baku'])
    comparison.setKindShown('only-in-some', true)
    comparison.setTagFilter('ORG')
    expect(comparison.disagreements.map(excerpt)).toEqual(['ISESCO', 'Baku'])
    comparison.setTagFilter('PROGRAM')
    expect(comparison.disagreements.map(excerpt)).toEqual(['Monday'])
    comparison.setTagFilter(null)
    comparison.setKindShown('agreed', true)
    expect(comparison.disagreements.map(excerpt)).toEqual(['Emin Amrullayev', 'ISESCO', 'in Baku', 'Monday', 'Baku'])
  })

  it('steps next and previous through the disagreements, and the reader is asked to scroll to each', async () => {
    const { session, comparison } = await compare()
    expect(comparison.currentNumber).toBe(0)
    expect(excerpt(comparison.step('next'))).toBe('ISESCO')
    expect(session.scrollRequest?.offset).toBe(at('ISESCO'))
    expect(comparison.currentNumber).toBe(1)
    expect(excerpt(comparison.step('next'))).toBe('in Baku')
    expect(session.scrollRequest?.offset).toBe(at('in Baku'))
    expect(excerpt(comparison.step('next'))).toBe('Monday')
    expect(excerpt(comparison.step('next'))).toBe('Baku')
    expect(session.scrollRequest?.offset).toBe(secondBaku)
    expect(comparison.currentNumber).toBe(4)
    const serial = session.scrollRequest?.serial
    expect(comparison.step('next')).toBeNull()
    expect(session.notice).toBe('That was the last disagreement.')
    expect(excerpt(comparison.current)).toBe('Baku')
    expect(session.scrollRequest?.serial).toBe(serial)
    expect(excerpt(comparison.step('previous'))).toBe('Monday')
    expect(session.scrollRequest?.offset).toBe(at('Monday'))
    expect(session.scrollRequest?.serial).toBeGreaterThan(serial ?? 0)
    comparison.step('previous')
    comparison.step('previous')
    expect(comparison.step('previous')).toBeNull()
    expect(session.notice).toBe('That was the first disagreement.')
    expect(excerpt(comparison.current)).toBe('ISESCO')

    // With a tag filter, n skips what does not match.
    comparison.setTagFilter('ORG')
    expect(excerpt(comparison.step('next'))).toBe('Baku')
    comparison.setTagFilter('EVENT')
    comparison.setKindShown('boundaries-differ', false)
    comparison.setKindShown('tag-differs', false)
    expect(comparison.step('next')).toBeNull()
    expect(session.notice).toBe('No disagreements here.')
  })

  it('starts from the end when the first step is previous', async () => {
    const { comparison } = await compare()
    expect(excerpt(comparison.step('previous'))).toBe('Baku')
  })

  it('makes the innermost position under a click current', async () => {
    const { session, comparison } = await compare()
    expect(comparison.activate(at('Monday') + 2)).toBe(true)
    expect(excerpt(comparison.current)).toBe('Monday')
    expect(comparison.currentNumber).toBe(3)
    expect(session.scrollRequest?.offset).toBe(at('Monday'))
    // "Baku" inside Rashad's "in Baku": one position covers both.
    expect(comparison.activate(at('Baku') + 1)).toBe(true)
    expect(excerpt(comparison.current)).toBe('in Baku')
    expect(comparison.activate(at('met'))).toBe(false)
    expect(excerpt(comparison.current)).toBe('in Baku')
    expect(comparison.step('next')?.id).toBe(comparison.disagreements[2]?.id)
  })

  it('draws agreed positions filled with a check and disagreements outlined with what differs; not your own or colleagues\' spans', async () => {
    const { session, comparison } = await compare()
    await session.colleagues.setVisible('Rashad', true)
    comparison.step('next')
    const marks = session.marksIn(0, text.length)
    expect(marks.map((mark) => [text.slice(mark.start, mark.end), mark.style, mark.chip, mark.layer, mark.current])).toEqual([
      ['Emin Amrullayev', 'agreed', 'PER✓', null, false],
      ['ISESCO', 'disagreement', 'ORG≠PER', null, true],
      ['in Baku', 'disagreement', 'EVT↔', null, false],
      ['Monday', 'disagreement', 'PRG·RA', null, false],
      ['Baku', 'disagreement', 'EVT≠ORG', null, false]
    ])
    expect(marks[1]?.title).toBe('Tag differs\nLeyla: ORG “ISESCO”\nRashad: PER “ISESCO”')
    expect(marks[3]?.title).toBe('Only in some layers\nLeyla: nothing\nRashad: PRG “Monday”')
  })

  it('compares with an annotator who has no layer here as having no spans', async () => {
    const { comparison } = await compare(['Leyla', 'Nobody'])
    expect(comparison.missing).toEqual(['Nobody'])
    expect(comparison.comparison?.counts).toEqual({ agreed: 0, 'tag-differs': 0, 'boundaries-differ': 0, 'only-in-some': 4 })
  })
})

describe('ReviewPanel and the review keys', () => {
  it('compares the chosen layers: counts, N / P buttons and keys, the reader marks, and back', async () => {
    const api = reviewApi()
    const { app, reader, user } = await renderApp(api)
    await user.click(screen.getByRole('tab', { name: /^Review/ }))
    const panel = screen.getByRole('region', { name: 'Review' })
    expect(within(panel).getByRole('heading', { name: 'Compare annotators' })).toBeInTheDocument()
    // Everyone with spans is chosen at first.
    const leyla = within(panel).getByRole('checkbox', { name: /^Leyla \(you\)/ })
    const ayla = within(panel).getByRole('checkbox', { name: /^Ayla Həsənova/ })
    expect([leyla, within(panel).getByRole('checkbox', { name: /^Rashad/ }), ayla].map((box) => (box as HTMLInputElement).checked)).toEqual([true, true, true])
    expect(within(panel).getByRole('button', { name: 'Compare 3 layers' })).toBeEnabled()
    await user.click(ayla)
    await user.click(within(panel).getByRole('button', { name: 'Compare 2 layers' }))

    await waitFor(() => expect(within(panel).getByRole('heading', { name: 'Comparing' })).toBeInTheDocument())
    expect(app.compareChoice).toEqual(['Leyla', 'Rashad'])
    const count = (label: string) => within(panel).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent
    expect([count('Agreed'), count('Tag differs'), count('Boundaries differ'), count('Only in some layers')]).toEqual(['1', '2', '1', '1'])
    expect(screen.getByRole('tab', { name: /^Review/ })).toHaveTextContent('Review4')
    // Comparing goes to the first disagreement at once.
    expect(within(panel).getByText(/^Disagreement \d/)).toHaveTextContent('Disagreement 1 of 4')
    const card = within(panel).getByRole('article', { name: 'Current disagreement' })
    expect(card).toHaveTextContent('Tag differs')
    expect(card).toHaveTextContent('“ISESCO”')
    expect(within(card).getAllByRole('listitem').map((lane) => lane.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'LE Leyla ORG “ISESCO”',
      'RA Rashad PER “ISESCO”'
    ])

    // The reader draws the positions instead of your spans.
    await waitFor(() => expect(reader.querySelector('.current-position')?.textContent).toBe('ISESCO'))
    expect(reader.querySelector('[data-labels="ORG≠PER"]')?.className).toContain('box-disagreement')
    expect(reader.querySelector('[data-labels="PER✓"]')).toHaveAttribute('data-chip-style', 'agreed')
    expect(reader.querySelector('[data-annotation-id]')).toBeNull()

    await user.click(within(panel).getByRole('button', { name: 'Next disagreement' }))
    expect(within(panel).getByText(/^Disagreement \d/)).toHaveTextContent('Disagreement 2 of 4')
    await user.click(within(panel).getByRole('button', { name: 'Previous disagreement' }))
    expect(within(panel).getByText(/^Disagreement \d/)).toHaveTextContent('Disagreement 1 of 4')

    await fireEvent.keyDown(window, { key: 'n' })
    await fireEvent.keyDown(window, { key: 'n' })
    expect(within(panel).getByText(/^Disagreement \d/)).toHaveTextContent('Disagreement 3 of 4')
    expect(within(panel).getByRole('article', { name: 'Current disagreement' })).toHaveTextContent('“Monday”')
    await waitFor(() => expect(reader.querySelector('.current-position')?.textContent).toBe('Monday'))
    await fireEvent.keyDown(window, { key: 'p' })
    expect(within(panel).getByText(/^Disagreement \d/)).toHaveTextContent('Disagreement 2 of 4')
    await fireEvent.keyDown(window, { key: 'N', shiftKey: true })
    expect(within(panel).getByText(/^Disagreement \d/)).toHaveTextContent('Disagreement 3 of 4')

    // Tag keys do not tag while comparing: your layer is not on screen.
    app.session!.setSelection(at('Later'), at('Later') + 5)
    await fireEvent.keyDown(window, { key: '1' })
    expect(app.session!.annotations).toHaveLength(4)
    expect(app.session!.notice).toBe('Compare mode shows the compared layers, not yours: stop comparing to tag.')

    // The list of disagreements follows the filters.
    await user.click(within(panel).getByRole('checkbox', { name: 'Tag differs' }))
    expect(within(panel).getAllByRole('listitem').filter((item) => item.closest('[aria-label="Disagreements"]'))).toHaveLength(2)
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'Tag' }), 'PROGRAM')
    const list = within(panel).getByRole('list', { name: 'Disagreements' })
    expect(within(list).getAllByRole('button').map((item) => item.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Only in some layers Monday'])

    await user.click(within(panel).getByRole('button', { name: 'Stop comparing' }))
    expect(app.session!.overlay).toBeNull()
    expect(within(panel).getByRole('heading', { name: 'Compare annotators' })).toBeInTheDocument()
    await waitFor(() => expect(reader.querySelector('[data-annotation-id="l-isesco"]')).not.toBeNull())
    // The choice is offered again.
    expect((within(panel).getByRole('checkbox', { name: /^Ayla Həsənova/ }) as HTMLInputElement).checked).toBe(false)
  })

  it('says comparing needs two layers when only yours is there', async () => {
    const api = new ReviewFakeApi([{ id: 'solo', name: 'solo', text, annotations: leylaSpans() }])
    api.openProjectNamed('Interviews')
    const { user } = await renderApp(api)
    await user.click(screen.getByRole('tab', { name: /^Review/ }))
    expect(screen.getByRole('region', { name: 'Review' })).toHaveTextContent("Comparing needs two people's layers on this document; it has only Leyla's.")
  })
})

describe('curation', () => {
  const goldSpans = (api: ReviewFakeApi) =>
    api.savedAnnotations('meeting', 'curation').map((a) => [a.text, a.tag, a.provenance.annotators ?? null])

  async function startCurating() {
    const api = reviewApi()
    const rendered = await renderApp(api)
    const { user } = rendered
    await user.click(screen.getByRole('tab', { name: /^Review/ }))
    const panel = screen.getByRole('region', { name: 'Review' })
    await user.click(within(panel).getByRole('checkbox', { name: /^Ayla Həsənova/ }))
    expect(within(panel).getByRole('combobox', { name: /Pre-fill the gold layer with/ })).toHaveValue('unanimous')
    await user.click(within(panel).getByRole('button', { name: 'Start curating with these 2' }))
    await waitFor(() => expect(rendered.app.session?.annotator).toBe('curation'))
    const remaining = () => (rendered.app.session!.overlay as ComparisonState).remaining.length
    return { ...rendered, api, panel, remaining }
  }

  it('opens the pre-filled gold layer and settles by Shift+number, A and X; undo reverts a settle; Mark curated', async () => {
    const { api, app, panel, remaining, user } = await startCurating()
    // The gold layer has a reader of its own.
    const reader = screen.getByRole('document', { name: 'Document text' })
    expect(api.calls.find((call) => call.method === 'startCuration')?.args).toEqual([
      'meeting',
      { annotators: ['Leyla', 'Rashad'], strategy: 'unanimous', curator: 'Leyla' }
    ])
    const gold = app.session!
    expect(gold.layer).toEqual({ documentId: 'meeting', annotator: 'curation' })
    expect(gold.annotations.map((a) => [a.text, a.tag])).toEqual([['Emin Amrullayev', 'PERSON']])
    expect(gold.notice).toBe('Gold layer started: 1 span pre-filled (unanimous); 4 disagreements to settle.')
    expect(screen.getByText(/^Curating the gold layer\./)).toBeInTheDocument()
    expect(within(panel).getByRole('heading', { name: 'Curating' })).toBeInTheDocument()
    expect(within(panel).getByRole('status')).toHaveTextContent('4 disagreements left to settle.')
    expect(within(panel).getByText(/^Disagreement \d/)).toHaveTextContent('Disagreement 1 of 4')
    // Settled positions are not drawn; the gold layer's own spans are (filled).
    await waitFor(() => expect(reader.querySelector('.current-position')?.textContent).toBe('ISESCO'))
    expect(reader.querySelector('[data-labels="PER✓"]')).toBeNull()
    expect(reader.querySelector('[data-tag="PERSON"]')?.textContent).toBe('Emin Amrullayev')

    // Shift+1: take the first annotator's (Leyla's) version.
    await fireEvent.keyDown(window, { key: '!', code: 'Digit1', shiftKey: true })
    expect(remaining()).toBe(3)
    expect(gold.annotations.find((a) => a.text === 'ISESCO')).toMatchObject({ tag: 'ORG', provenance: { source: 'curation', annotators: ['Leyla'], curator: 'Leyla' } })
    expect(within(panel).getByRole('status')).toHaveTextContent('3 disagreements left to settle.')
    expect(within(panel).getByRole('article', { name: 'Current disagreement' })).toHaveTextContent('Boundaries differ')

    // Undo reverts the take: the disagreement is open again; redo takes it again.
    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true })
    expect(gold.notice).toBe("Undid: Take Leyla's version")
    expect(gold.annotations.some((a) => a.text === 'ISESCO')).toBe(false)
    expect(remaining()).toBe(4)
    await fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true })
    expect(remaining()).toBe(3)

    // A: take all versions ("in Baku" and "Baku", both EVENT).
    await fireEvent.keyDown(window, { key: 'a' })
    expect(remaining()).toBe(2)
    expect(gold.annotations.filter((a) => a.tag === 'EVENT').map((a) => [a.text, a.provenance.annotators])).toEqual([
      ['in Baku', ['Rashad']],
      ['Baku', ['Leyla']]
    ])
    expect(within(panel).getByRole('article', { name: 'Current disagreement' })).toHaveTextContent('“Monday”')

    // X: reject Rashad's Monday; nothing is added, the decision is kept.
    const spansBefore = gold.annotations.length
    await fireEvent.keyDown(window, { key: 'x' })
    expect(remaining()).toBe(1)
    expect(gold.annotations).toHaveLength(spansBefore)
    const rejected = [...gold.decisions.values()]
    expect(rejected).toEqual([expect.objectContaining({ positionKey: expect.stringMatching(/^only-in-some@/), decision: 'rejected', curator: 'Leyla' })])
    expect(within(panel).getByRole('status')).toHaveTextContent('1 disagreement left to settle.')
    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true })
    expect(gold.notice).toBe('Undid: Reject')
    expect(gold.decisions.size).toBe(0)
    expect(remaining()).toBe(2)

    // Back to Monday (p) and reject it again, then take Rashad's second Baku with Shift+2.
    await fireEvent.keyDown(window, { key: 'p' })
    expect(within(panel).getByRole('article', { name: 'Current disagreement' })).toHaveTextContent('“Monday”')
    await fireEvent.keyDown(window, { key: 'x' })
    expect(within(panel).getByRole('article', { name: 'Current disagreement' })).toHaveTextContent('Tag differs')
    await fireEvent.keyDown(window, { key: '@', code: 'Digit2', shiftKey: true })
    expect(remaining()).toBe(0)
    expect(gold.notice).toBe('Every disagreement here is settled. Mark the document curated when the gold layer is right.')
    expect(within(panel).getByRole('status')).toHaveTextContent('0 disagreements left to settle. The gold layer is ready to be marked curated.')
    // Shift+3: there is no third annotator; nothing happens.
    const settledSpans = gold.annotations.length
    await fireEvent.keyDown(window, { key: '#', code: 'Digit3', shiftKey: true })
    expect(gold.annotations).toHaveLength(settledSpans)
    expect(gold.annotations.some((a) => a.text === 'Baku' && a.tag === 'PERSON')).toBe(false)

    await gold.saveQueue.whenIdle()
    expect(goldSpans(api)).toEqual([
      ['Emin Amrullayev', 'PERSON', ['Leyla', 'Rashad']],
      ['ISESCO', 'ORG', ['Leyla']],
      ['in Baku', 'EVENT', ['Rashad']],
      ['Baku', 'EVENT', ['Leyla']],
      ['Baku', 'ORG', ['Rashad']]
    ])
    // Nobody's own layer was written.
    expect(api.savedAnnotations('meeting', 'Leyla')).toHaveLength(4)
    expect(api.savedAnnotations('meeting', 'Rashad')).toHaveLength(5)

    await user.click(within(panel).getByRole('button', { name: 'Mark curated' }))
    await waitFor(() => expect(within(panel).getByRole('button', { name: 'Curated ✓' })).toBeDisabled())
    expect(api.documents.get('meeting')?.layers?.find((layer) => layer.annotator === 'curation')?.status).toBe('done')
    expect(api.calls.find((call) => call.method === 'setDocumentStatus')?.args).toEqual([{ documentId: 'meeting', annotator: 'curation' }, 'done'])
    // Your own status is untouched; the document list says it is curated.
    expect(api.documents.get('meeting')?.status).toBe('in-progress')
    const item = screen.getByRole('option', { name: /^meeting/ })
    await waitFor(() => expect(within(item).getByText('Curated')).toHaveClass('review-state', 'state-curated'))

    await user.click(within(panel).getByRole('button', { name: 'Back to my layer' }))
    await waitFor(() => expect(app.session?.annotator).toBe('Leyla'))
    expect(app.session!.overlay).toBeNull()
  })

  // What is left is kept change by change (UnsettledPositions): each way the gold layer can
  // change must move it as reading the whole layer again would, and the reader must follow.
  it('follows every change of the gold layer as reading it whole would: drawn by hand, retagged, deleted, undone, replaced', async () => {
    const { app, remaining } = await startCurating()
    const gold = app.session!
    const curation = gold.overlay as ComparisonState
    // The gold layer's reader, and the disagreements it outlines.
    const reader = screen.getByRole('document', { name: 'Document text' })
    const outlined = () => [...reader.querySelectorAll('.box-disagreement')].map((segment) => segment.textContent)
    const left = () => curation.remaining.map((position) => text.slice(position.start, position.end))
    const leftFromScratch = () =>
      remainingPositions(curation.comparison!.positions, gold.annotations, gold.decisions.keys()).map((position) => text.slice(position.start, position.end))
    const drawnDisagreements = () => gold.marksIn(0, text.length).filter((mark) => mark.style === 'disagreement').map((mark) => text.slice(mark.start, mark.end))
    expect(left()).toEqual(['ISESCO', 'in Baku', 'Monday', 'Baku'])
    await waitFor(() => expect(outlined()).toContain('Monday'))

    // Monday drawn by hand as PERSON (Rashad has PROGRAM): a span no annotator made, over the position.
    gold.setSelection(at('Monday'), at('Monday') + 'Monday'.length)
    await fireEvent.keyDown(window, { key: '1' })
    const monday = gold.annotations.find((annotation) => annotation.text === 'Monday')!
    expect(monday.tag).toBe('PERSON')
    expect(left()).toEqual(['ISESCO', 'in Baku', 'Baku'])
    expect(left()).toEqual(leftFromScratch())
    expect(drawnDisagreements()).toEqual(['ISESCO', 'in Baku', 'Baku'])
    await waitFor(() => expect(outlined()).not.toContain('Monday'))

    // Retagged to Rashad's tag: now his span copied, still settled. Deleted: open again, and drawn.
    gold.changeTag(monday.id, 'PROGRAM')
    expect(left()).toEqual(['ISESCO', 'in Baku', 'Baku'])
    gold.deleteAnnotation(monday.id)
    expect(left()).toEqual(['ISESCO', 'in Baku', 'Monday', 'Baku'])
    expect(left()).toEqual(leftFromScratch())
    await waitFor(() => expect(outlined()).toContain('Monday'))
    // Undone: back, as Rashad's PROGRAM.
    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true })
    expect(gold.annotations.find((annotation) => annotation.text === 'Monday')?.tag).toBe('PROGRAM')
    expect(left()).toEqual(['ISESCO', 'in Baku', 'Baku'])

    // Leyla's ISESCO taken, then retagged to a tag neither used: drawn by hand over it, still settled.
    const isesco = curation.comparison!.positions.find((position) => position.kind !== 'agreed' && text.slice(position.start, position.end) === 'ISESCO')!
    curation.settle({ take: 'annotator', annotator: 'Leyla' }, isesco)
    gold.changeTag(gold.annotations.find((annotation) => annotation.text === 'ISESCO')!.id, 'EVENT')
    expect(left()).toEqual(['in Baku', 'Baku'])
    expect(left()).toEqual(leftFromScratch())
    expect(remaining()).toBe(2)

    // The gold layer replaced as a whole (synced from another computer), Emin alone: read whole again.
    await gold.saveQueue.whenIdle()
    gold.replaceOwnAnnotations(
      gold.annotations.filter((annotation) => annotation.text === 'Emin Amrullayev'),
      'in-progress'
    )
    expect(left()).toEqual(['ISESCO', 'in Baku', 'Monday', 'Baku'])
    expect(left()).toEqual(leftFromScratch())
  })

  it('keeps tag keys for editing the gold layer by hand while curating', async () => {
    const { api, app } = await startCurating()
    const gold = app.session!
    gold.setSelection(at('Later'), at('Later') + 5)
    await fireEvent.keyDown(window, { key: '3' })
    expect(gold.annotations.find((a) => a.text === 'Later')).toMatchObject({ tag: 'EVENT', provenance: { source: 'curation', annotators: [], curator: 'Leyla' } })
    await gold.saveQueue.whenIdle()
    expect(api.savedAnnotations('meeting', 'curation').some((a) => a.text === 'Later')).toBe(true)
    expect(api.savedAnnotations('meeting', 'Leyla').some((a) => a.text === 'Later')).toBe(false)
  })

  // Settling the last disagreement in the text while earlier ones are open (skipped with n):
  // the walk goes on to those, and nothing claims that everything is settled.
  it('does not say everything is settled while earlier disagreements are still open', async () => {
    const { app, remaining } = await startCurating()
    const gold = app.session!
    for (let step = 0; step < 3; step++) await fireEvent.keyDown(window, { key: 'n' })
    expect(text.slice((gold.overlay as ComparisonState).current!.start, (gold.overlay as ComparisonState).current!.end)).toBe('Baku')
    await fireEvent.keyDown(window, { key: '@', code: 'Digit2', shiftKey: true })
    expect(remaining()).toBe(3)
    expect(gold.notice ?? '').not.toMatch(/Every disagreement here is settled/)
  })
})

describe('DocumentList review states', () => {
  const line = 'A short text.'
  const documents: FakeDocument[] = [
    { id: 'fresh', name: 'fresh', text: line },
    { id: 'started', name: 'started', text: line, status: 'in-progress' },
    { id: 'annotated', name: 'annotated', text: line, status: 'done', layers: [{ annotator: 'Rashad', status: 'done', annotations: [] }] },
    { id: 'curating', name: 'curating', text: line, status: 'done', layers: [{ annotator: 'curation', status: 'in-progress', annotations: [] }] },
    { id: 'curated', name: 'curated', text: line, status: 'done', layers: [{ annotator: 'curation', status: 'done', annotations: [] }] }
  ]

  async function renderList(currentId: string | null) {
    const api = new ReviewFakeApi(documents)
    render(DocumentList, { documents: await api.listDocuments('Leyla'), tags: DEFAULT_TAGS, currentId, onOpen: vi.fn(), onSearchTexts: vi.fn() })
    return userEvent.setup()
  }
  const rows = () => within(screen.getByRole('listbox', { name: 'Documents' }))
  const listed = () => rows().getAllByRole('option').map((option) => option.querySelector('.document-name')?.textContent)

  it('shows each document’s review state and its layers', async () => {
    await renderList(null)
    const badge = (name: string) => rows().getByRole('option', { name: new RegExp(`^${name}`) }).querySelector('.review-state')
    expect(badge('fresh')).toHaveTextContent('Not started')
    expect(badge('started')).toHaveTextContent('In progress')
    expect(badge('annotated')).toHaveTextContent('Annotated')
    expect(badge('annotated')).toHaveClass('state-annotated')
    // Short on the badge (a row is one line, beside the layers' initials); the full state is its name and title.
    expect(badge('curating')?.querySelector('[aria-hidden="true"]')).toHaveTextContent(/^Curating$/)
    expect(badge('curating')).toHaveAttribute('title', 'Curation in progress')
    expect(rows().getByRole('option', { name: /^curating/ })).toHaveAccessibleName(/Curation in progress/)
    expect(badge('curated')).toHaveTextContent('Curated')
    const annotated = rows().getByRole('option', { name: /^annotated/ })
    expect(within(annotated).getByLabelText('Rashad: 0 spans, done')).toHaveTextContent('RA✓')
    expect(within(rows().getByRole('option', { name: /^curated/ })).getByLabelText('Gold layer: 0 spans, done')).toHaveTextContent('GOLD✓')
  })

  it('filters by review state, with a count for each, keeping the open document listed', async () => {
    const user = await renderList('fresh')
    const filter = screen.getByRole('combobox', { name: 'Review state' })
    expect([...(filter as HTMLSelectElement).options].map((option) => [option.textContent, option.disabled])).toEqual([
      ['All states', false],
      ['Not started (1)', false],
      ['In progress (1)', false],
      ['Annotated (1)', false],
      ['Curation in progress (1)', false],
      ['Curated (1)', false]
    ])
    expect(listed()).toEqual(['annotated', 'curated', 'curating', 'fresh', 'started'])
    await user.selectOptions(filter, 'curated')
    expect(listed()).toEqual(['curated', 'fresh'])
    await user.selectOptions(filter, 'curation-in-progress')
    expect(listed()).toEqual(['curating', 'fresh'])
    await user.selectOptions(filter, 'all')
    expect(listed()).toHaveLength(5)
  })

  it('disables the states no document is in', async () => {
    const api = new ReviewFakeApi([documents[0] as FakeDocument, documents[4] as FakeDocument])
    render(DocumentList, { documents: await api.listDocuments('Leyla'), tags: DEFAULT_TAGS, currentId: null, onOpen: vi.fn(), onSearchTexts: vi.fn() })
    const options = [...(screen.getByRole('combobox', { name: 'Review state' }) as HTMLSelectElement).options]
    expect(options.filter((option) => option.disabled).map((option) => option.value)).toEqual(['in-progress', 'annotated', 'curation-in-progress'])
  })
})
