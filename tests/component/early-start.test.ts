// src/renderer/early-start.js, the plain script that asks for the window's start before the
// bundle runs. In the browser edition the start goes by the window's fetch; when the start left a
// large first document out, fetch-worker.js is started at once, so the app's request for it (once
// its first screen is painted) takes its megabytes in off the window's thread; every request goes
// through that worker once it has started. Here a
// fake Worker plays the worker's part (tests/e2e and the reader bench run the real one in Chromium).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
// The script as the build emits it (electron.vite.config.ts copies it as it is).
import SOURCE from '../../src/renderer/early-start.js?raw'

const SCRIPT_URL = 'http://127.0.0.1:4321/assets/early-start-AbCdEfGh.js'

interface WorkerRequest {
  id: number
  url: string
  init: RequestInit
}

/** Stands in for fetch-worker.js: keeps what it was sent; the test answers or fails it. */
class FakeWorker {
  static made: FakeWorker[] = []
  onmessage: ((event: { data: unknown }) => void) | null = null
  onerror: (() => void) | null = null
  readonly sent: WorkerRequest[] = []
  terminated = false

  constructor(readonly url: URL) {
    FakeWorker.made.push(this)
  }

  postMessage(message: WorkerRequest): void {
    this.sent.push(message)
  }

  terminate(): void {
    this.terminated = true
  }

  answer(id: number, answer: Record<string, unknown>): void {
    this.onmessage?.({ data: { id, ...answer } })
  }
}

interface EarlyStart {
  bridge?: Promise<unknown>
  http?: Promise<Response>
  fetch?: (url: string, init: RequestInit) => Promise<Response>
}

function runEarlyStart(): EarlyStart {
  Object.defineProperty(document, 'currentScript', { configurable: true, value: { src: SCRIPT_URL } })
  new Function(SOURCE)()
  return (window as unknown as { quireEarlyStartup: EarlyStart }).quireEarlyStartup
}

/** The server's answer to the start: whole, or without a large first document it names. */
let startHeaders: Record<string, string> = {}
const windowFetch = vi.fn(async (url: string) =>
  new Response(`window fetched ${url}`, { status: 200, headers: { 'Content-Type': 'text/plain', ...(url === '/api/getStartup' ? startHeaders : {}) } })
)
const LARGE_FIRST = { documentId: 'report-2026', annotator: 'Şəki Əliyeva' }
const START_NAMING_LARGE_FIRST = { 'X-Quire-Open-Next': encodeURIComponent(JSON.stringify(LARGE_FIRST)) }
const getDocumentInit = { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ args: [LARGE_FIRST] }) }

/** Lets the start's answer (and what early-start does on it) arrive. */
async function startAnswered(early: EarlyStart): Promise<void> {
  await early.http
  await Promise.resolve()
}

beforeEach(() => {
  localStorage.clear()
  FakeWorker.made = []
  startHeaders = {}
  windowFetch.mockClear()
  vi.stubGlobal('Worker', FakeWorker)
  vi.stubGlobal('fetch', windowFetch)
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  delete (window as { quire?: unknown }).quire
  delete (window as { quireEarlyStartup?: unknown }).quireEarlyStartup
})

describe('early start (browser edition)', () => {
  it('asks for the start by the window\'s own fetch, and starts no worker while the start is whole', async () => {
    vi.useFakeTimers()
    const early = runEarlyStart()
    expect(windowFetch.mock.calls).toEqual([['/api/getStartup', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: '{"args":[]}' }]])
    await startAnswered(early)
    expect(FakeWorker.made).toEqual([])
    // Until the worker has started, requests go by the window's fetch.
    expect(await (await early.fetch?.('/api/listLayers', { method: 'POST' }))?.text()).toBe('window fetched /api/listLayers')
    // Once the opening has settled, the worker starts (beside this script) and takes the requests.
    await vi.advanceTimersByTimeAsync(2000)
    expect(FakeWorker.made.map((worker) => worker.url.href)).toEqual(['http://127.0.0.1:4321/assets/fetch-worker.js'])
    void early.fetch?.('/api/getSettings', { method: 'POST' })
    expect(FakeWorker.made[0]?.sent).toEqual([{ id: 1, url: `${location.origin}/api/getSettings`, init: { method: 'POST' } }])
  })

  it('starts the worker at once when a start left its large first document out, and the app asks it for that document', async () => {
    startHeaders = START_NAMING_LARGE_FIRST
    const early = runEarlyStart()
    await startAnswered(early)
    const worker = FakeWorker.made[0] as FakeWorker
    // The app asks once it has painted the first screen the start carried, not this script.
    expect(worker.sent).toEqual([])
    const asked = early.fetch?.('/api/getDocument', getDocumentInit as RequestInit)
    expect(worker.sent).toEqual([{ id: 1, url: `${location.origin}/api/getDocument`, init: getDocumentInit }])
    const frame = new Uint8Array([0x51, 0x43, 0x46, 0x33]).buffer
    worker.answer(1, { status: 200, statusText: 'OK', contentType: 'application/vnd.quire.frame', body: frame })
    const answer = await asked
    expect([answer?.ok, answer?.status, answer?.headers.get('Content-Type')]).toEqual([true, 200, 'application/vnd.quire.frame'])
    // The body as it was transferred, not a copy.
    expect(await answer?.arrayBuffer()).toBe(frame)
  })

  it('starts the worker beside the start when the last start left its document out, and forgets that once one does not', async () => {
    vi.useFakeTimers()
    startHeaders = START_NAMING_LARGE_FIRST
    await startAnswered(runEarlyStart())
    expect(FakeWorker.made).toHaveLength(1)

    // Reopened: the worker starts before the start is answered, and takes the document's request.
    FakeWorker.made = []
    startHeaders = {}
    const reopened = runEarlyStart()
    expect(FakeWorker.made).toHaveLength(1)
    expect(windowFetch).toHaveBeenLastCalledWith('/api/getStartup', expect.anything())
    // This start was whole: the worker stays (it would start once the opening settled anyway), and the next start waits.
    await startAnswered(reopened)
    FakeWorker.made = []
    await startAnswered(runEarlyStart())
    expect(FakeWorker.made).toEqual([])
  })

  it("answers each request with the worker's status, type and body, in any order, decoding text as UTF-8", async () => {
    startHeaders = START_NAMING_LARGE_FIRST
    const early = runEarlyStart()
    await startAnswered(early)
    const worker = FakeWorker.made[0] as FakeWorker
    const first = early.fetch?.('/api/getDocument', getDocumentInit as RequestInit)
    const later = early.fetch?.('/api/getSettings', { method: 'POST' })
    worker.answer(2, { status: 401, statusText: 'Unauthorized', contentType: 'text/plain; charset=utf-8', body: new TextEncoder().encode('Şəki – no token').buffer })
    worker.answer(1, { status: 200, statusText: 'OK', contentType: null, body: new ArrayBuffer(0) })
    const refused = await later
    expect([refused?.ok, refused?.status, refused?.statusText, refused?.headers.get('Content-Type')]).toEqual([false, 401, 'Unauthorized', 'text/plain; charset=utf-8'])
    expect(await refused?.text()).toBe('Şəki – no token')
    expect((await first)?.headers.get('Content-Type')).toBeNull()
  })

  it('fails a request the worker could not make as fetch fails, with its reason', async () => {
    startHeaders = START_NAMING_LARGE_FIRST
    const early = runEarlyStart()
    await startAnswered(early)
    const asked = early.fetch?.('/api/getDocument', getDocumentInit as RequestInit)
    ;(FakeWorker.made[0] as FakeWorker).answer(1, { failure: 'Failed to fetch' })
    await expect(asked).rejects.toThrow(new TypeError('Failed to fetch'))
  })

  it('sends what was waiting, and everything after, by the window’s fetch when the worker never started', async () => {
    startHeaders = START_NAMING_LARGE_FIRST
    const early = runEarlyStart()
    await startAnswered(early)
    const worker = FakeWorker.made[0] as FakeWorker
    const document = early.fetch?.('/api/getDocument', getDocumentInit as RequestInit)
    const waiting = early.fetch?.('/api/listLayers', { method: 'POST', body: '{"args":["d"]}' })
    worker.onerror?.()
    expect(worker.terminated).toBe(true)
    expect(await (await document)?.text()).toBe('window fetched /api/getDocument')
    expect(await (await waiting)?.text()).toBe('window fetched /api/listLayers')
    expect(await (await early.fetch?.('/api/getSettings', { method: 'POST' }))?.text()).toBe('window fetched /api/getSettings')
    expect(worker.sent).toHaveLength(2)
    expect(windowFetch).toHaveBeenCalledTimes(4)
  })

  it("uses the window's fetch where there are no workers", async () => {
    vi.stubGlobal('Worker', undefined)
    startHeaders = START_NAMING_LARGE_FIRST
    const early = runEarlyStart()
    await startAnswered(early)
    expect(FakeWorker.made).toEqual([])
    expect(await (await early.fetch?.('/api/getDocument', getDocumentInit as RequestInit))?.text()).toBe('window fetched /api/getDocument')
  })

  it('asks the desktop bridge instead, and starts no worker', () => {
    const asked = Promise.resolve({ settings: {} })
    const getStartup = vi.fn(() => asked)
    ;(window as { quire?: unknown }).quire = { getStartup }
    const early = runEarlyStart()
    expect(early).toEqual({ bridge: asked })
    expect(FakeWorker.made).toEqual([])
    expect(windowFetch).not.toHaveBeenCalled()
  })
})
