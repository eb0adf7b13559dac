// A window's start begun as its page is served (src/main/startup-ahead.ts): the window's own
// getStartup takes it only when nothing came between, so what it read is what the window would
// have read at its call.
import { describe, expect, it, vi } from 'vitest'
import type { ApiMethod, QuireApiCalls } from '../../src/shared/api'
import { API_METHODS } from '../../src/shared/api-methods'
import { ApiCallsWithStartAhead } from '../../src/main/startup-ahead'
import { afterWindowTookItsStart } from '../../src/main/services/calls-in-progress'

interface Backend {
  calls: QuireApiCalls & Record<ApiMethod, ReturnType<typeof vi.fn>>
  /** How many starts the backend has read so far. */
  startsRead(): number
  /** Lets the save under way finish. */
  finishSave(): void
}

function fakeBackend(): Backend {
  let name = 'Ayla'
  let starts = 0
  let finishSave = (): void => undefined
  const calls: Record<string, ReturnType<typeof vi.fn>> = {}
  for (const method of API_METHODS) calls[method] = vi.fn(async () => `${method} answered`)
  calls.getStartup = vi.fn(async () => {
    starts++
    return { appInfo: {}, settings: { annotatorName: name }, project: null, documents: [], documentCount: 0, firstDocument: null, changesSeq: starts }
  })
  calls.setAnnotatorName = vi.fn(async (newName: string) => {
    await new Promise<void>((resolve) => (finishSave = resolve))
    name = newName
    return { annotatorName: name }
  })
  return { calls: calls as Backend['calls'], startsRead: () => starts, finishSave: () => finishSave() }
}

function clock(): { now: () => number; advance(ms: number): void } {
  let at = 1000
  return { now: () => at, advance: (ms) => void (at += ms) }
}

async function startOf(calls: ApiCallsWithStartAhead, args: unknown = []): Promise<unknown> {
  const outcome = await calls.dispatch('getStartup', args)
  if (!outcome.ok) throw new Error(outcome.error.message)
  return outcome.value
}

describe('a start begun ahead', () => {
  // First: a window taking its start is said once per process (calls-in-progress.ts).
  it('says a window took its start once its answer is out, not when it was begun', async () => {
    const calls = new ApiCallsWithStartAhead(fakeBackend().calls, { now: clock().now })
    let taken = false
    void afterWindowTookItsStart(60_000).then(() => (taken = true))
    calls.beginStart()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(taken).toBe(false)
    await startOf(calls)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(taken).toBe(true)
  })

  it("is read when the page is served and is the window's own start", async () => {
    const backend = fakeBackend()
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now })
    calls.beginStart()
    expect(backend.startsRead()).toBe(1)
    expect(await startOf(calls)).toMatchObject({ settings: { annotatorName: 'Ayla' }, changesSeq: 1 })
    expect(backend.startsRead()).toBe(1)
  })

  it('is given once: a second start is read anew', async () => {
    const backend = fakeBackend()
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now })
    calls.beginStart()
    await startOf(calls)
    expect(await startOf(calls)).toMatchObject({ changesSeq: 2 })
  })

  it('is begun once for two pages served back to back', async () => {
    const backend = fakeBackend()
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now })
    calls.beginStart()
    calls.beginStart()
    expect(backend.startsRead()).toBe(1)
    expect(await startOf(calls)).toMatchObject({ changesSeq: 1 })
  })

  it('is dropped when any other call comes first: the start is read after it', async () => {
    const backend = fakeBackend()
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now })
    calls.beginStart()
    const renamed = calls.dispatch('setAnnotatorName', ['Aylin'])
    backend.finishSave()
    expect(await renamed).toEqual({ ok: true, value: { annotatorName: 'Aylin' } })
    expect(await startOf(calls)).toMatchObject({ settings: { annotatorName: 'Aylin' }, changesSeq: 2 })
  })

  it('is not begun while a call is being answered: it could read what that call is changing', async () => {
    const backend = fakeBackend()
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now })
    const renamed = calls.dispatch('setAnnotatorName', ['Aylin'])
    calls.beginStart()
    expect(backend.startsRead()).toBe(0)
    backend.finishSave()
    await renamed
    expect(await startOf(calls)).toMatchObject({ settings: { annotatorName: 'Aylin' } })
    // Once the call is answered, a page served begins its start again.
    calls.beginStart()
    expect(backend.startsRead()).toBe(2)
  })

  it('is begun while the git status is being answered, which changes nothing', async () => {
    const backend = fakeBackend()
    let finishStatus = (): void => undefined
    backend.calls.getSyncStatus.mockImplementation(() => new Promise((resolve) => (finishStatus = () => resolve({ state: 'clean' }))))
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now })
    const status = calls.dispatch('getSyncStatus', ['Ayla'])
    calls.beginStart()
    expect(backend.startsRead()).toBe(1)
    finishStatus()
    await status
    expect(await startOf(calls)).toMatchObject({ changesSeq: 1 })
    expect(backend.startsRead()).toBe(1)
  })

  it('is not given after ten seconds: the page that was served went elsewhere', async () => {
    const backend = fakeBackend()
    const time = clock()
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: time.now })
    calls.beginStart()
    time.advance(10_001)
    expect(await startOf(calls)).toMatchObject({ changesSeq: 2 })
  })

  it('is not given to a start asked with arguments, which is refused as any malformed call', async () => {
    const backend = fakeBackend()
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now })
    calls.beginStart()
    const outcome = await calls.dispatch('getStartup', ['surprise'])
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(backend.startsRead()).toBe(1)
  })

  it('gives a call begun for a layer to that call with those arguments only', async () => {
    const backend = fakeBackend()
    backend.calls.getDocument.mockImplementation(async (layer: { documentId: string }) => `content of ${layer.documentId}`)
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now })
    calls.begin('getDocument', [{ documentId: 'report', annotator: 'Ayla' }])
    expect(await calls.dispatch('getDocument', [{ documentId: 'report', annotator: 'Ayla' }])).toEqual({ ok: true, value: 'content of report' })
    expect(backend.calls.getDocument).toHaveBeenCalledTimes(1)
    calls.begin('getDocument', [{ documentId: 'report', annotator: 'Ayla' }])
    expect(await calls.dispatch('getDocument', [{ documentId: 'note', annotator: 'Ayla' }])).toEqual({ ok: true, value: 'content of note' })
    expect(backend.calls.getDocument).toHaveBeenCalledTimes(3)
  })

  it('leaves a long first document out of the start when told to, and names its layer', async () => {
    const backend = fakeBackend()
    const content = (text: string) => ({ document: { id: 'report' }, annotator: 'Ayla', text, annotations: [] })
    let firstText = 'x'.repeat(101)
    backend.calls.getStartup.mockImplementation(async () => ({ appInfo: {}, settings: {}, project: null, documents: [], documentCount: 0, firstDocument: content(firstText), changesSeq: 1 }))
    const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now, startDocumentMaxCharacters: 100 })
    const leftOut = await calls.dispatch('getStartup', [])
    expect(leftOut).toMatchObject({ ok: true, value: { firstDocument: null }, leftOut: { documentId: 'report', annotator: 'Ayla' } })
    // Its first screen comes with the start (first-screen.ts); this text is shorter than one.
    expect(leftOut).toMatchObject({ value: { firstScreen: { content: { document: { id: 'report' }, text: firstText, annotations: [] }, textLength: 101 } } })
    firstText = 'x'.repeat(100)
    const whole = await calls.dispatch('getStartup', [])
    expect(whole).not.toHaveProperty('leftOut')
    // Carried whole, the content goes as a frame.
    expect(whole.ok && whole.value).toBeInstanceOf(Uint8Array)
  })

  describe('the long first document it leaves out', () => {
    const layer = { documentId: 'report', annotator: 'Ayla' }
    const content = (text: string) => ({ document: { id: 'report' }, annotator: 'Ayla', text, annotations: [] })

    function backendWithLongFirstDocument(): Backend {
      const backend = fakeBackend()
      let text = 'x'.repeat(101)
      backend.calls.getStartup.mockImplementation(async () => ({ appInfo: {}, settings: {}, project: null, documents: [], documentCount: 0, firstDocument: content(text), changesSeq: 1 }))
      backend.calls.getDocument.mockImplementation(async () => content(text))
      backend.calls.setAnnotatorName.mockImplementation(async () => {
        text = 'y'.repeat(101)
        return {}
      })
      return backend
    }

    /** Lets main's pending immediates run: the document is framed once the start's answer is out. */
    const startWritten = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

    it("is framed from the content the start read, before the window's start is asked for, and given to the window's call for it", async () => {
      const backend = backendWithLongFirstDocument()
      const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now, startDocumentMaxCharacters: 100 })
      calls.beginStart()
      await startWritten()
      await startWritten()
      expect(await calls.dispatch('getStartup', [])).toMatchObject({ leftOut: layer })
      const given = await calls.dispatch('getDocument', [layer])
      expect(backend.calls.getDocument).not.toHaveBeenCalled()
      // As the call would have framed it itself.
      const readAnew = await calls.dispatch('getDocument', [layer])
      expect(backend.calls.getDocument).toHaveBeenCalledTimes(1)
      expect(given).toEqual(readAnew)
    })

    it('is framed after a start the window asked for itself', async () => {
      const backend = backendWithLongFirstDocument()
      const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now, startDocumentMaxCharacters: 100 })
      expect(await calls.dispatch('getStartup', [])).toMatchObject({ leftOut: layer })
      await startWritten()
      await calls.dispatch('getDocument', [layer])
      expect(backend.calls.getDocument).not.toHaveBeenCalled()
    })

    it.each([
      ['after its content was framed: the frame is dropped', true],
      ['before its content was framed: none is framed', false]
    ])('is read anew when another call came since the start, %s (that call may have changed it)', async (_when, framedFirst) => {
      const backend = backendWithLongFirstDocument()
      const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now, startDocumentMaxCharacters: 100 })
      expect(await calls.dispatch('getStartup', [])).toMatchObject({ leftOut: layer })
      if (framedFirst) await startWritten()
      // The change makes the text 'y…'.
      await calls.dispatch('setAnnotatorName', ['Nigar'])
      await startWritten()
      const outcome = await calls.dispatch('getDocument', [layer])
      expect(backend.calls.getDocument).toHaveBeenCalledTimes(1)
      expect(outcome).toEqual(await calls.dispatch('getDocument', [layer]))
    })

    it.each([
      ['after its content was framed', true],
      ['before its content was framed', false]
    ])('is given after the change feed and the git status were asked for, %s: they change nothing', async (_when, framedFirst) => {
      const backend = backendWithLongFirstDocument()
      const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now, startDocumentMaxCharacters: 100 })
      expect(await calls.dispatch('getStartup', [])).toMatchObject({ leftOut: layer })
      if (framedFirst) await startWritten()
      await calls.dispatch('getProjectChanges', [1])
      await calls.dispatch('getSyncStatus', ['Ayla'])
      await startWritten()
      await calls.dispatch('getDocument', [layer])
      expect(backend.calls.getDocument).not.toHaveBeenCalled()
    })

    it('is not given to a call for another layer', async () => {
      const backend = backendWithLongFirstDocument()
      const calls = new ApiCallsWithStartAhead(backend.calls, { now: clock().now, startDocumentMaxCharacters: 100 })
      await calls.dispatch('getStartup', [])
      await startWritten()
      await calls.dispatch('getDocument', [{ documentId: 'note', annotator: 'Ayla' }])
      expect(backend.calls.getDocument).toHaveBeenCalledWith({ documentId: 'note', annotator: 'Ayla' })
    })
  })
})
