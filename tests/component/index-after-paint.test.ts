// A long layer is held in columns (layer-columns.ts) and its ids are learnt after the first
// screen is painted (document-session.svelte.ts): the first screen's marks come from the
// columns by offsets alone, making objects only for the spans drawn, and anything that needs an
// id before the ids are learnt (a key, an edit, undo, a colleague's change) learns them at once.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { compareSpans } from '../../src/core/span-index'
import { LayerColumns, LAYER_IN_COLUMNS_FROM } from '../../src/shared/layer-columns'
import { DEFAULT_TAGS, type Annotation } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const WORDS = Math.ceil((LAYER_IN_COLUMNS_FROM * 7) / 6) + 200
const text = 'Baku '.repeat(WORDS)

/** One span per word but every seventh word (left untagged), a span over the first 30 words and one inside it. */
function longLayer(): Annotation[] {
  const spans: Annotation[] = []
  for (let word = 0; word < WORDS; word++) if (word % 7 !== 3) spans.push(makeAnnotation(text, `w${word}`, word * 5, word * 5 + 4, word % 2 ? 'PERSON' : 'ORG'))
  spans.push(makeAnnotation(text, 'long', 0, 149, 'EVENT'), makeAnnotation(text, 'inner', 10, 24, 'PROGRAM'))
  return spans.sort(compareSpans)
}

async function open(annotations: Annotation[]): Promise<{ api: FakeApi; session: DocumentSession }> {
  const api = new FakeApi([{ id: 'doc', name: 'Long', text, annotations }])
  const session = new DocumentSession({
    content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
    tags: DEFAULT_TAGS,
    saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
    createId: () => 'new',
    now: () => '2024-05-01T10:00:00.000Z'
  })
  return { api, session }
}

const afterPaint = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
const marks = (session: DocumentSession, start: number, end: number): string[] => session.marksIn(start, end).map((mark) => `${mark.id}@${mark.start}-${mark.end}`)

afterEach(() => vi.restoreAllMocks())

describe('a long layer', () => {
  it('draws the first screen from its columns, making objects only for the spans drawn, and learns its ids after the paint', async () => {
    const learning = vi.spyOn(LayerColumns.prototype, 'learnIdsStep')
    const made = vi.spyOn(LayerColumns.prototype, 'annotationAt')
    const { session } = await open(longLayer())
    const ranges: [number, number][] = [[0, 40], [12, 13], [140, 160], [5000, 5600], [text.length - 30, text.length]]
    const before = ranges.map(([start, end]) => marks(session, start, end))
    expect(learning).not.toHaveBeenCalled()
    expect(made.mock.calls.length).toBeLessThan(300)
    expect(before[0]).toEqual(['long@0-149', 'w0@0-4', 'w1@5-9', 'inner@10-24', 'w2@10-14', 'w4@20-24', 'w5@25-29', 'w6@30-34', 'w7@35-39'])
    expect(session.annotationCount).toBe(longLayer().length)
    await afterPaint()
    await vi.waitFor(() => expect(learning).toHaveLastReturnedWith(true))
    expect(ranges.map(([start, end]) => marks(session, start, end))).toEqual(before)
    expect(made.mock.calls.length).toBeLessThan(600)
    session.dispose()
  })

  it('is whole for a key pressed and undone before the paint', async () => {
    const { api, session } = await open(longLayer())
    const untagged = 3 * 5 + 1
    session.setSelection(untagged, untagged)
    expect(session.tagSelection('PERSON')).toBe('new')
    expect(session.annotationCount).toBe(longLayer().length + 1)
    expect(session.annotations.length).toBe(longLayer().length + 1)
    expect(session.annotationsAt(untagged).map((annotation) => annotation.id)).toEqual(['long', 'inner', 'new'])
    // The same words again: found in the layer, so it is not tagged twice.
    session.setSelection(untagged, untagged)
    expect(session.tagSelection('PERSON')).toBeNull()
    session.undo()
    expect(session.get('new')).toBeUndefined()
    expect(session.annotations.length).toBe(longLayer().length)
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('doc').length).toBe(longLayer().length)
    await afterPaint()
    expect(session.annotationCount).toBe(longLayer().length)
    session.dispose()
  })

  it('takes a colleague-synced layer arriving before the paint, and the ids waiting for the paint are not learnt over it', async () => {
    const { session } = await open(longLayer())
    const replacement = longLayer().slice(0, 10)
    session.replaceOwnAnnotations(replacement, 'in-progress')
    await afterPaint()
    expect(session.annotationCount).toBe(10)
    expect(session.annotations).toEqual(replacement)
    expect(marks(session, 200, 300)).toEqual([])
    session.dispose()
  })

  it('takes a layer stored slightly out of order (a same-start span before a longer one): drawn before the paint, its ids learnt in short tasks after it', async () => {
    const learning = vi.spyOn(LayerColumns.prototype, 'learnIdsStep')
    const inOrder = longLayer()
    // As a stored layer may have them: the inner span before the long one starting with it, the word after.
    const stored = inOrder.slice()
    const longAt = stored.findIndex((span) => span.id === 'long')
    stored.splice(longAt, 1)
    stored.splice(longAt + 1, 0, inOrder[longAt] as Annotation)
    expect(stored).not.toEqual(inOrder)
    const { session } = await open(stored)
    expect(marks(session, 0, 12)).toEqual(['long@0-149', 'w0@0-4', 'w1@5-9', 'inner@10-24', 'w2@10-14'])
    expect(session.annotations.map((span) => span.id)).toEqual(inOrder.map((span) => span.id))
    expect(learning).not.toHaveBeenCalled()
    // Nothing asks by id: the ids are learnt by the tasks after the paint alone.
    await afterPaint()
    await vi.waitFor(() => expect(learning).toHaveLastReturnedWith(true))
    expect(learning.mock.calls.length).toBeGreaterThan(1)
    expect(session.annotationCount).toBe(inOrder.length)
    expect(marks(session, 0, 12)).toEqual(['long@0-149', 'w0@0-4', 'w1@5-9', 'inner@10-24', 'w2@10-14'])
    session.dispose()
  })

  it('starts learning the ids after the paint of the first screen read from the layer, not after a paint before it', async () => {
    // A repeated id shows when the ids are learnt: the layer then holds one span fewer.
    const spans = longLayer()
    spans.splice(6, 0, { ...(spans[5] as Annotation), tag: 'EVENT' })
    const { session } = await open(spans)
    await afterPaint()
    await afterPaint()
    expect(session.annotations.length).toBe(spans.length)
    marks(session, 0, 40)
    await afterPaint()
    await vi.waitFor(() => expect(session.annotations.length).toBe(spans.length - 1))
    session.dispose()
  })

  it("takes the suggestions' answer (right after the first paint) without learning the ids in that task", async () => {
    const learning = vi.spyOn(LayerColumns.prototype, 'learnIdsStep')
    // A repeated id shows when the ids are learnt: the layer then holds one span fewer.
    const spans = longLayer()
    spans.splice(6, 0, { ...(spans[5] as Annotation), tag: 'EVENT' })
    const api = new FakeApi([{ id: 'doc', name: 'Long', text, annotations: spans }])
    const session = new DocumentSession({
      content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
      tags: DEFAULT_TAGS,
      saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
      loadSuggestions: (layer) => api.getSuggestions(layer)
    })
    await session.suggestions?.refresh()
    const open = (session.suggestions?.visible ?? []).map((suggestion) => suggestion.start)
    expect(open.length).toBeGreaterThan(0)
    // The untagged words inside the long span at the start are not suggested.
    expect(open.every((start) => start >= 149)).toBe(true)
    expect(learning).not.toHaveBeenCalled()
    expect(session.annotationCount).toBe(spans.length)
    // Once the ids are learnt, the layer agrees.
    expect((session.suggestions?.list ?? []).filter((suggestion) => !session.annotations.some((annotation) => annotation.start < suggestion.end && suggestion.start < annotation.end)).map((suggestion) => suggestion.start)).toEqual(open)
    session.dispose()
  })

  it('keeps the last of a repeated id in a damaged layer, as a short layer does', async () => {
    const spans = longLayer()
    const repeated = { ...(spans[5] as Annotation), tag: 'EVENT' }
    spans.splice(6, 0, repeated)
    const { session } = await open(spans)
    expect(session.get(repeated.id)?.tag).toBe('EVENT')
    expect(session.annotationCount).toBe(spans.length - 1)
    expect(session.annotations.length).toBe(spans.length - 1)
    expect(session.get(repeated.id)?.tag).toBe('EVENT')
    session.dispose()
  })
})
