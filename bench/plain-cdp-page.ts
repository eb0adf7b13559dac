// A Chromium page driven over the DevTools protocol's pipe with only the domains the bench needs
// (Page, Runtime, Emulation): no Network domain. Playwright enables the Network domain on every
// page with its default buffers, and Chromium then keeps a copy of each response body for
// DevTools: measured here (Chromium 150, a 5.5 MB fetch + arrayBuffer), 227–347 ms per fetch
// under Playwright against 95–168 ms with the domain off and 180–221 ms with it on. A user's
// window has no DevTools attached, so the reader bench also times its opens this way.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/quire'
import { atNormalPriority } from './driver-priority'

export class PlainCdpPage {
  #connection: PipeConnection | null = null
  readonly #loaded: Array<() => void> = []

  private constructor(
    private readonly chromium: ChildProcess,
    private readonly userDataDir: string,
    private readonly sessionId: string
  ) {}

  /** Starts Chromium with one page of `width`×`height` that runs `initScripts` before any of a document's own. */
  static async open(width: number, height: number, initScripts: readonly string[]): Promise<PlainCdpPage> {
    const userDataDir = await mkdtemp(join(tmpdir(), 'quire-plain-cdp-'))
    const chromium = atNormalPriority(() =>
      spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, '--remote-debugging-pipe', `--user-data-dir=${userDataDir}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] })
    )
    const connection = new PipeConnection(chromium.stdio[3] as Writable, chromium.stdio[4] as Readable)
    const { targetInfos } = (await connection.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string }> }
    const target = targetInfos.find((info) => info.type === 'page')
    if (!target) throw new Error('Chromium started without a page')
    const { sessionId } = (await connection.send('Target.attachToTarget', { targetId: target.targetId, flatten: true })) as { sessionId: string }
    const page = new PlainCdpPage(chromium, userDataDir, sessionId)
    page.#connection = connection
    connection.onEvent = (method, eventSessionId) => {
      if (eventSessionId === sessionId && method === 'Page.loadEventFired') for (const resolve of page.#loaded.splice(0)) resolve()
    }
    await page.#send('Page.enable')
    await page.#send('Runtime.enable')
    await page.#send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false })
    for (const source of initScripts) await page.#send('Page.addScriptToEvaluateOnNewDocument', { source })
    return page
  }

  #send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    return (this.#connection as PipeConnection).send(method, params, this.sessionId)
  }

  /** Navigates to `url` and resolves at its load event. */
  async goto(url: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => this.#loaded.push(resolve))
    await this.#send('Page.navigate', { url })
    await loaded
  }

  /** The value of `expression` in the page (awaited when it is a promise). */
  async evaluate<T>(expression: string): Promise<T> {
    const answer = (await this.#send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as { result: { value: T }; exceptionDetails?: { exception?: { description?: string }; text: string } }
    if (answer.exceptionDetails) throw new Error(answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text)
    return answer.result.value
  }

  async close(): Promise<void> {
    this.chromium.kill()
    await new Promise((resolve) => (this.chromium.exitCode === null ? this.chromium.once('exit', resolve) : resolve(null)))
    // Chromium's helper processes can still be writing to the profile a moment after the
    // browser's own process has exited (a run once stopped on ENOTEMPTY): removal is retried.
    await rm(this.userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
  }
}

/** The protocol over Chromium's pipe: JSON messages, each ended by a NUL byte. */
class PipeConnection {
  #nextId = 0
  #buffered = ''
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  onEvent: (method: string, sessionId: string | undefined) => void = () => undefined

  constructor(
    private readonly input: Writable,
    output: Readable
  ) {
    output.setEncoding('utf8')
    output.on('data', (chunk: string) => {
      this.#buffered += chunk
      let end = this.#buffered.indexOf('\0')
      while (end !== -1) {
        this.#receive(JSON.parse(this.#buffered.slice(0, end)) as Message)
        this.#buffered = this.#buffered.slice(end + 1)
        end = this.#buffered.indexOf('\0')
      }
    })
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<unknown> {
    const id = ++this.#nextId
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.input.write(`${JSON.stringify(sessionId === undefined ? { id, method, params } : { id, method, params, sessionId })}\0`)
    })
  }

  #receive(message: Message): void {
    if (message.id === undefined) {
      this.onEvent(message.method ?? '', message.sessionId)
      return
    }
    const pending = this.#pending.get(message.id)
    this.#pending.delete(message.id)
    if (message.error) pending?.reject(new Error(`${message.error.message} (${message.error.code})`))
    else pending?.resolve(message.result)
  }
}

interface Message {
  id?: number
  method?: string
  sessionId?: string
  result?: unknown
  error?: { code: number; message: string }
}
