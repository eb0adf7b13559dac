// src/renderer/early-start.js, the plain script that asks for the window's start before the
// bundle runs: in the browser edition it sends every API request through fetch-worker.js, so a
// document's megabytes are taken in off the window's thread. Here a fake Worker plays the
// worker's part (tests/e2e and the reader bench run the real one in Chromium).
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

const windowFetch = vi.fn(async (url: string) => new Response(`window fetched ${url}`, { status: 200, headers: { 'Content-Type': 'text/plain' } }))

beforeEach(() => {
  FakeWorker.made = []
  windowFetch.mockClear()
  vi.stubGlobal('Worker', FakeWorker)
  vi.stubGlobal('fetch', windowFetch)
})

afterEach(() => {
  vi.unstubAllGlobals()
  delete (window as { quire?: unknown }).quire
  delete (window as { quireEarlyStartup?: unknown }).quireEarlyStartup
})

describe('early start (browser edition)', () => {
  it('starts the worker beside its own script and asks it for the start at once', () => {
    runEarlyStart()
    const [worker] = FakeWorker.made
    expect(worker?.url.href).toBe('http://127.0.0.1:4321/assets/fetch-worker.js')
    expect(worker?.sent).toEqual([
      { id: 1, url: `${location.origin}/api/getStartup`, init: { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: '{"args":[]}' } }
    ])
    expect(windowFetch).not.toHaveBeenCalled()
  })

  it("answers each request with the worker's status, type and body, the body as it was transferred", async () => {
    const early = runEarlyStart()
    const worker = FakeWorker.made[0] as FakeWorker
    const later = early.fetch?.('/api/getDocument', { method: 'POST', body: '{"args":[]}' })
    const frame = new Uint8Array([0x51, 0x43, 0x46, 0x33]).buffer
    // Out of order: each answer goes to the request with its id.
    worker.answer(2, { status: 200, statusText: 'OK', contentType: 'application/vnd.quire.frame', body: frame })
    worker.answer(1, { status: 401, statusText: 'Unauthorized', contentType: 'text/plain; charset=utf-8', body: new TextEncoder().encode('Şəki – no token').buffer })
    const start = await early.http
    expect([start?.ok, start?.status, start?.statusText, start?.headers.get('Content-Type')]).toEqual([false, 401, 'Unauthorized', 'text/plain; charset=utf-8'])
    expect(await start?.text()).toBe('Şəki – no token')
    const document = await later
    expect([document?.ok, document?.headers.get('Content-Type')]).toEqual([true, 'application/vnd.quire.frame'])
    expect(await document?.arrayBuffer()).toBe(frame)
    expect(worker.sent[1]).toMatchObject({ id: 2, url: `${location.origin}/api/getDocument` })
  })

  it('fails a request the worker could not make as fetch fails, with its reason', async () => {
    const early = runEarlyStart()
    ;(FakeWorker.made[0] as FakeWorker).answer(1, { failure: 'Failed to fetch' })
    await expect(early.http).rejects.toThrow(new TypeError('Failed to fetch'))
  })

  it('sends what was waiting, and everything after, by the window’s fetch when the worker never started', async () => {
    const early = runEarlyStart()
    const worker = FakeWorker.made[0] as FakeWorker
    const waiting = early.fetch?.('/api/listLayers', { method: 'POST', body: '{"args":["d"]}' })
    worker.onerror?.()
    expect(worker.terminated).toBe(true)
    expect(await (await early.http)?.text()).toBe('window fetched /api/getStartup')
    expect(await (await waiting)?.text()).toBe('window fetched /api/listLayers')
    expect(await (await early.fetch?.('/api/getSettings', { method: 'POST' }))?.text()).toBe('window fetched /api/getSettings')
    expect(worker.sent).toHaveLength(2)
    expect(windowFetch).toHaveBeenCalledTimes(3)
  })

  it("uses the window's fetch where there are no workers", async () => {
    vi.stubGlobal('Worker', undefined)
    const early = runEarlyStart()
    expect(await (await early.http)?.text()).toBe('window fetched /api/getStartup')
  })

  it('asks the desktop bridge instead, and starts no worker', () => {
    const asked = Promise.resolve({ settings: {} })
    const getStartup = vi.fn(() => asked)
    ;(window as { quire?: unknown }).quire = { getStartup }
    const early = runEarlyStart()
    expect(early).toEqual({ bridge: asked })
    expect(FakeWorker.made).toEqual([])
  })
})
