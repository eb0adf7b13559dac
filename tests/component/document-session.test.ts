import { LayerSpans } from '../../src/shared/layer-spans'
import { describe, expect, it, vi } from 'vitest'
import { flushSync } from 'svelte'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { GIVE_WAY_MS } from '../../src/renderer/src/lib/next-task'
import { QuireError } from '../../src/shared/api'
import { DEFAULT_TAGS, type Annotation } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'On October 4, Minister Emin Amrullayev met\nthe ISESCO delegation in Baku.\n'

async function openSession(api: FakeApi, ids: string[] = ['n1', 'n2', 'n3', 'n4']): Promise<DocumentSession> {
  const queue = [...ids]
  return new DocumentSession({
    content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
    tags: DEFAULT_TAGS,
    saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
    createId: () => queue.shift() ?? `id${Math.random().toString(36).slice(2)}`,
    now: () => '2024-05-01T10:00:00.000Z'
  })
}

describe('DocumentSession', () => {
  it('tags a snapped selection, paints it at once and saves it', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const session = await openSession(api)
    const start = text.indexOf('min Amru')
    session.setSelection(start, start + 'min Amru'.length)
    expect(session.tagSelection('PERSON')).toBe('n1')
    // Painted before the save resolves.
    expect(session.annotations.map((a) => a.text)).toEqual(['Emin Amrullayev'])
    expect(session.saveQueue.state).toBe('saving')
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('doc').map((a) => [a.text, a.tag])).toEqual([['Emin Amrullayev', 'PERSON']])
    expect(session.saveQueue.state).toBe('saved')
  })

  it('takes over the layer a closed session left untouched, never one that changed or is still open', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const first = await openSession(api)
    const at = text.indexOf('ISESCO')
    first.setSelection(at, at + 6)
    first.tagSelection('ORG')
    await first.saveQueue.whenIdle()
    const content = await api.getDocument({ documentId: 'doc', annotator: 'Leyla' })
    const make = (): DocumentSession =>
      new DocumentSession({ content, tags: DEFAULT_TAGS, saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits) })
    const making = vi.spyOn(LayerSpans, 'fromAnnotations')
    const untouched = make()
    const whileOpen = make()
    expect(making).toHaveBeenCalledTimes(2)
    whileOpen.dispose()
    untouched.dispose()
    making.mockClear()
    const next = make()
    expect(making).not.toHaveBeenCalled()
    // Disposed twice, a session does not offer again the layer the next one took.
    untouched.dispose()
    make()
    expect(making).toHaveBeenCalledTimes(1)
    expect(next.blocks).toBe(untouched.blocks)
    expect(next.panel).not.toBe(untouched.panel)
    expect(next.annotations).toEqual(content.annotations)
    expect(next.panel.slice('ORG', 0, 10)).toEqual(content.annotations)
    // Changed, then closed: the next session makes its own from the layer as it arrived.
    next.deleteAnnotation(content.annotations[0]?.id as string)
    await next.saveQueue.whenIdle()
    next.dispose()
    making.mockClear()
    const afterChange = make()
    expect(making).toHaveBeenCalledTimes(1)
    expect(afterChange.annotations).toEqual(content.annotations)
    making.mockRestore()
  })

  it('tags the word under a collapsed caret and refuses punctuation-only selections with a notice', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const session = await openSession(api)
    const baku = text.indexOf('Baku') + 2
    session.setSelection(baku, baku)
    session.tagSelection('EVENT')
    expect(session.annotations[0]?.text).toBe('Baku')
    const comma = text.indexOf(',')
    session.setSelection(comma, comma + 1)
    expect(session.tagSelection('ORG')).toBeNull()
    expect(session.notice).toMatch(/no words/)
  })

  it('retags instead of duplicating when the same words get another tag', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const session = await openSession(api)
    const at = text.indexOf('ISESCO')
    session.setSelection(at, at + 6)
    session.tagSelection('PERSON')
    session.setSelection(at, at + 6)
    session.tagSelection('ORG')
    expect(session.annotations.map((a) => a.tag)).toEqual(['ORG'])
    session.setSelection(at, at + 6)
    expect(session.tagSelection('ORG')).toBeNull()
    expect(session.notice).toMatch(/already tagged Organization/)
  })

  it('undoes and redoes add, tag change, note and delete, saving each inverse', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const session = await openSession(api)
    const at = text.indexOf('ISESCO')
    session.setSelection(at, at + 6)
    const id = session.tagSelection('ORG') as string
    session.changeTag(id, 'PROGRAM')
    session.setNote(id, '  the organisation  ')
    const beforeDelete = structuredClone(session.get(id))
    session.deleteAnnotation(id)
    expect(session.annotations).toEqual([])

    session.undo()
    expect(session.get(id)).toEqual(beforeDelete)
    session.undo()
    expect(session.get(id)?.note).toBeUndefined()
    session.undo()
    expect(session.get(id)?.tag).toBe('ORG')
    session.undo()
    expect(session.get(id)).toBeUndefined()
    expect(session.canUndo).toBe(false)
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('doc')).toEqual([])

    session.redo()
    session.redo()
    session.redo()
    expect(session.get(id)).toMatchObject({ tag: 'PROGRAM', note: 'the organisation' })
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('doc')).toEqual([expect.objectContaining({ id, tag: 'PROGRAM', note: 'the organisation' })])
  })

  it('keeps the panel groups equal to the annotations through tagging, retagging, undo and the saved records', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const session = await openSession(api)
    const groupsMatch = (): void => {
      for (const tag of DEFAULT_TAGS) {
        const group = session.annotations.filter((a) => a.tag === tag.id)
        expect(session.panel.slice(tag.id, 0, 100)).toEqual(group)
        expect(session.panel.count(tag.id)).toBe(group.length)
      }
    }
    const at = text.indexOf('ISESCO')
    session.setSelection(at, at + 6)
    const id = session.tagSelection('ORG') as string
    session.setSelection(text.indexOf('Baku'), text.indexOf('Baku') + 4)
    session.tagSelection('EVENT')
    groupsMatch()
    session.changeTag(id, 'PROGRAM')
    groupsMatch()
    expect(session.panel.count('ORG')).toBe(0)
    session.undo()
    groupsMatch()
    await session.saveQueue.whenIdle()
    groupsMatch()
    session.deleteAnnotation(id)
    groupsMatch()
    expect(session.panel.count('ORG')).toBe(0)
  })

  it('shows a change in the panel after the frame that paints it in the text', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const session = await openSession(api)
    const at = text.indexOf('Baku')
    session.setSelection(at, at + 4)
    session.tagSelection('EVENT')
    session.setSelection(text.indexOf('ISESCO'), text.indexOf('ISESCO') + 6)
    session.tagSelection('ORG')
    // The text (reader blocks read the layer) has both at once; the panel is told after the paint.
    expect(session.annotations.map((a) => a.text)).toEqual(['ISESCO', 'Baku'])
    const shown = session.panel.version
    await Promise.resolve()
    expect(session.panel.version).toBe(shown)
    // Nor at once after that frame: the thread is left idle GIVE_WAY_MS first (after-paint.ts), so
    // the timer whose task shows it is one of that delay.
    const setTimer = globalThis.setTimeout
    let shownByTimerOf: number | undefined
    const timers = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) =>
      setTimer(() => {
        const before = session.panel.version
        callback()
        if (before === shown && session.panel.version !== shown) shownByTimerOf = ms ?? 0
      }, ms)) as typeof setTimeout)
    try {
      await vi.waitFor(() => expect(session.panel.version).not.toBe(shown))
    } finally {
      timers.mockRestore()
    }
    expect(shownByTimerOf).toBe(GIVE_WAY_MS)
    expect(session.panel.total).toBe(2)
    const beforeUndo = session.panel.version
    session.undo()
    expect(session.panel.version).toBe(beforeUndo)
    await vi.waitFor(() => expect(session.panel.version).not.toBe(beforeUndo))
    expect(session.panel.total).toBe(1)
  })

  it('lists again for a save answer only when it changes what a row shows, not for its dates', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const answers: (() => void)[] = []
    let fromMain = (annotation: Annotation): Annotation => ({ ...annotation, updatedAt: '2024-05-01T10:00:05.000Z' })
    const session = new DocumentSession({
      content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
      tags: DEFAULT_TAGS,
      saveEdits: async (layer, edits) => {
        const result = await api.applyAnnotationEdits(layer, edits)
        await new Promise<void>((answer) => answers.push(answer))
        return { ...result, saved: result.saved.map((annotation) => fromMain(annotation)) }
      },
      now: () => '2024-05-01T10:00:00.000Z'
    })
    const tagAndAnswer = async (word: string, tag: string): Promise<number> => {
      const before = session.panel.version
      session.setSelection(text.indexOf(word), text.indexOf(word) + word.length)
      session.tagSelection(tag)
      await vi.waitFor(() => expect(session.panel.version).not.toBe(before))
      const listed = session.panel.version
      await vi.waitFor(() => expect(answers).toHaveLength(1))
      answers.shift()?.()
      await session.saveQueue.whenIdle()
      return listed
    }
    const listedBeforeDates = await tagAndAnswer('Baku', 'EVENT')
    await new Promise((settled) => setTimeout(settled, 100))
    expect(session.panel.version).toBe(listedBeforeDates)
    expect(session.get(session.annotations[0]?.id ?? '')?.updatedAt).toBe('2024-05-01T10:00:05.000Z')
    fromMain = (annotation) => ({ ...annotation, note: 'checked in main' })
    const listedBeforeNote = await tagAndAnswer('ISESCO', 'ORG')
    await vi.waitFor(() => expect(session.panel.version).not.toBe(listedBeforeNote))
    expect(session.panel.slice('ORG', 0, 1)[0]?.note).toBe('checked in main')
  })

  it('keeps the change on screen when saving fails, shows the error and retries until saved', async () => {
    vi.useFakeTimers()
    try {
      const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
      api.failNextSaves.push(new QuireError({ code: 'io', message: 'disk full', path: '/p/doc/annotations/leyla.json' }))
      const session = await openSession(api)
      const at = text.indexOf('Baku')
      session.setSelection(at, at + 4)
      session.tagSelection('EVENT')
      await vi.waitFor(() => expect(session.saveQueue.state).toBe('failed'))
      expect(session.saveQueue.error?.message).toBe('disk full')
      expect(session.annotations.map((a) => a.text)).toEqual(['Baku'])
      expect(api.savedAnnotations('doc')).toEqual([])

      // Another edit while failing is queued behind the failed one, not lost.
      const emin = text.indexOf('Emin')
      session.setSelection(emin, emin + 4)
      session.tagSelection('PERSON')
      expect(session.saveQueue.pendingCount).toBe(2)

      await vi.advanceTimersByTimeAsync(1000)
      await session.saveQueue.whenIdle()
      expect(session.saveQueue.state).toBe('saved')
      expect(session.saveQueue.error).toBeNull()
      expect(api.savedAnnotations('doc').map((a) => a.text).sort()).toEqual(['Baku', 'Emin'])
      const lastCall = api.calls.filter((c) => c.method === 'applyAnnotationEdits').at(-1)
      expect((lastCall?.args[1] as unknown[]).length).toBe(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('does not retry automatically on a permanent error but keeps the edits for a manual retry', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    api.failNextSaves.push(new QuireError({ code: 'no-annotator', message: 'no annotator name set' }))
    const session = await openSession(api)
    session.setSelection(0, 2)
    session.tagSelection('EVENT')
    await vi.waitFor(() => expect(session.saveQueue.state).toBe('failed'))
    expect(session.saveQueue.nextRetryAt).toBeNull()
    session.saveQueue.retryNow()
    await session.saveQueue.whenIdle()
    expect(api.savedAnnotations('doc')).toHaveLength(1)
  })

  it('bumps only the versions of blocks an edit touches', async () => {
    const long = Array.from({ length: 50 }, (_, i) => `Line ${i} mentions Baku.`).join('\n')
    const api = new FakeApi([{ id: 'doc', name: 'Lines', text: long }])
    const session = await openSession(api)
    const versionsBefore = session.blocks.map((b) => session.blockVersion(b.index))
    const at = long.indexOf('Line 30')
    session.setSelection(at, at + 7)
    session.tagSelection('EVENT')
    flushSync()
    const changed = session.blocks.filter((b) => session.blockVersion(b.index) !== versionsBefore[b.index]).map((b) => b.index)
    expect(changed).toEqual([30])
  })

  it('moves a keyboard caret by character and word, and Shift extends the selection', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
    const session = await openSession(api)
    const at = text.indexOf('Emin')
    session.setSelection(at, at)
    session.moveCaret('char-right', true)
    expect(session.selectedRange).toEqual({ start: at, end: at + 1 })
    session.moveCaret('word-right', true)
    expect(session.selectedRange).toEqual({ start: at, end: at + 4 })
    session.moveCaret('word-right', true)
    expect(text.slice(session.selectedRange!.start, session.selectedRange!.end)).toBe('Emin Amrullayev')
    session.moveCaret('char-left', false)
    expect(session.selectedRange).toEqual({ start: at, end: at })
  })

  it('refuses changes in a read-only project and says why', async () => {
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text, annotations: [makeAnnotation(text, 'a1', 0, 2, 'EVENT')] }])
    const session = new DocumentSession({
      content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
      tags: DEFAULT_TAGS,
      saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits),
      readOnlyReason: 'another Quire window on this computer has it open'
    })
    session.deleteAnnotation('a1')
    expect(session.annotations).toHaveLength(1)
    expect(session.notice).toMatch(/read-only: another Quire window/)
  })
})
