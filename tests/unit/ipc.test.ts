// ipc.ts and the preload with Electron replaced by recording fakes: which channels exist, who
// may call them, and that both ends agree on the wire format.
import { createHash } from 'node:crypto'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { ApiMethod, QuireApi, QuireApiCalls } from '../../src/shared/api'
import { QuireError } from '../../src/shared/api'
import { API_METHODS } from '../../src/shared/api-methods'
import { decodeBridgeError } from '../../src/shared/bridge-error'
import { decodeContentFrame, isContentFrame } from '../../src/shared/content-frame'
import type { HoldingTextBridge } from '../../src/shared/held-texts'

type Handler = (event: unknown, args: unknown, heldText?: unknown) => unknown
const electronFake = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  exposed: new Map<string, unknown>(),
  rendererListeners: new Map<string, Set<(event: unknown, value: unknown) => void>>(),
  invoke: null as null | ((channel: string, args: unknown, heldText?: unknown) => Promise<unknown>)
}))

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      if (electronFake.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      electronFake.handlers.set(channel, handler)
    }
  },
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => electronFake.exposed.set(key, value)
  },
  ipcRenderer: {
    invoke: (channel: string, args: unknown, heldText?: unknown) => {
      if (!electronFake.invoke) throw new Error('no main process wired')
      return electronFake.invoke(channel, args, heldText)
    },
    on: (channel: string, listener: (event: unknown, value: unknown) => void) => {
      const listeners = electronFake.rendererListeners.get(channel) ?? new Set()
      listeners.add(listener)
      electronFake.rendererListeners.set(channel, listeners)
    },
    off: (channel: string, listener: (event: unknown, value: unknown) => void) => {
      electronFake.rendererListeners.get(channel)?.delete(listener)
    }
  }
}))

const APP_URL = 'app://quire/index.html'

function fakeWindow() {
  const mainFrame = { url: APP_URL }
  const sent: Array<[string, unknown]> = []
  return {
    mainFrame,
    sent,
    window: {
      isDestroyed: () => false,
      webContents: { mainFrame, send: (channel: string, value: unknown) => sent.push([channel, value]) }
    }
  }
}

function spyBackend() {
  const backend: Record<string, ReturnType<typeof vi.fn>> = {}
  for (const method of API_METHODS) backend[method] = vi.fn(async (...args: unknown[]) => ({ method, args }))
  return backend as unknown as QuireApiCalls & Record<ApiMethod, ReturnType<typeof vi.fn>>
}

const { registerApiHandlers, sendMenuCommand, API_CHANNEL_PREFIX, MENU_COMMAND_CHANNEL } = await import('../../src/main/ipc')
const backend = spyBackend()
const app = fakeWindow()
registerApiHandlers({ backend, mainWindow: () => app.window as never, appUrl: APP_URL })

beforeEach(() => {
  for (const spy of Object.values(backend)) (spy as ReturnType<typeof vi.fn>).mockClear()
  app.mainFrame.url = APP_URL
})

function handlerFor(method: string): Handler {
  const handler = electronFake.handlers.get(API_CHANNEL_PREFIX + method)
  if (!handler) throw new Error(`no handler for ${method}`)
  return handler
}

describe('registerApiHandlers', () => {
  it('registers exactly one channel per API method', () => {
    expect([...electronFake.handlers.keys()].sort()).toEqual(API_METHODS.map((method) => `quire:${method}`).sort())
  })

  it('answers the app’s own top frame through dispatchApiCall', async () => {
    const layer = { documentId: 'doc-1', annotator: 'Ayla' }
    // getLayer, not getDocument: a document's answer is packed on the way (api-payloads.ts).
    const outcome = await handlerFor('getLayer')({ senderFrame: app.mainFrame }, [layer])
    expect(outcome).toEqual({ ok: true, value: { method: 'getLayer', args: [layer] } })
  })

  it('refuses malformed arguments as data, without calling the backend', async () => {
    const outcome = await handlerFor('getDocument')({ senderFrame: app.mainFrame }, ['../etc'])
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(backend.getDocument).not.toHaveBeenCalled()
  })

  it.each([
    ['a subframe', () => ({ senderFrame: { url: APP_URL } })],
    ['no frame (navigated away or destroyed)', () => ({ senderFrame: null })],
    ['the top frame after it navigated elsewhere', () => ((app.mainFrame.url = 'https://example.com/'), { senderFrame: app.mainFrame })],
    ['the top frame on a file:// page', () => ((app.mainFrame.url = 'file:///opt/quire/out/renderer/index.html'), { senderFrame: app.mainFrame })],
    ['the top frame on another app:// page', () => ((app.mainFrame.url = 'app://quire/assets/other.html'), { senderFrame: app.mainFrame })],
    ['the top frame on another app:// host', () => ((app.mainFrame.url = 'app://evil/index.html'), { senderFrame: app.mainFrame })]
  ])('refuses %s', async (_description, makeEvent) => {
    for (const method of API_METHODS) {
      const outcome = await handlerFor(method)(makeEvent(), [])
      expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
    for (const spy of Object.values(backend)) expect(spy).not.toHaveBeenCalled()
  })

  it('sends menu commands on their channel', () => {
    sendMenuCommand(app.window as never, 'undo')
    expect(app.sent).toEqual([[MENU_COMMAND_CHANNEL, 'undo']])
  })
})

describe('preload bridge', async () => {
  electronFake.invoke = async (channel, args, heldText) => {
    const handler = electronFake.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return handler({ senderFrame: app.mainFrame }, args, heldText)
  }
  await import('../../src/preload/index')
  const bridge = electronFake.exposed.get('quire') as QuireApi

  it('exposes one function per API method, getDocument naming a held text, and the menu subscription, nothing else', () => {
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS, 'getDocumentHoldingText', 'onMenuCommand'].sort())
    for (const member of Object.values(bridge)) expect(typeof member).toBe('function')
  })

  it('carries the text the window holds to main beside the arguments, where it is checked', async () => {
    const holding = bridge as unknown as HoldingTextBridge
    const layer = { documentId: 'doc-1', annotator: 'Ayla' }
    backend.getDocument.mockResolvedValueOnce({ document: { id: 'doc-1' }, text: 'Emin wrote.', annotator: 'Ayla', annotations: [] })
    const frame = await holding.getDocumentHoldingText(layer, { documentId: 'doc-1', sha256: createHash('sha256').update('Emin wrote.').digest('hex') })
    expect(backend.getDocument).toHaveBeenCalledWith(layer)
    expect(isContentFrame(frame)).toBe(true)
    expect(() => decodeContentFrame(frame as Uint8Array)).toThrow(/left out a text/)
    const refused = await holding.getDocumentHoldingText(layer, { documentId: 'doc-1', sha256: 'not a digest' }).catch((error: unknown) => error)
    expect(decodeBridgeError(refused).toInfo()).toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/held text/) })
  })

  it('carries arguments and bytes to main and the value back', async () => {
    const bytes = new Uint8Array([1, 2, 3])
    await expect(bridge.importTexts([{ name: 'a.txt', bytes }])).resolves.toEqual({
      method: 'importTexts',
      args: [[{ name: 'a.txt', bytes }]]
    })
    await expect(bridge.createProject('/tmp/p', null)).resolves.toMatchObject({ args: ['/tmp/p', null] })
  })

  it('rejects with an error the renderer turns back into the QuireError', async () => {
    backend.openProject.mockRejectedValueOnce(new QuireError({ code: 'corrupt-store', message: 'bad JSON', path: '/p/project.json', line: 2 }))
    const error = await bridge.openProject('/p').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Error)
    expect(decodeBridgeError(error).toInfo()).toEqual({ code: 'corrupt-store', message: 'bad JSON', path: '/p/project.json', line: 2 })
  })

  it('delivers known menu commands until unsubscribed, and ignores anything else', () => {
    const received: string[] = []
    const unsubscribe = bridge.onMenuCommand((command) => received.push(command))
    const deliver = (value: unknown) => {
      for (const listener of electronFake.rendererListeners.get(MENU_COMMAND_CHANNEL) ?? []) listener({}, value)
    }
    deliver('redo')
    deliver('format-disk')
    deliver({ command: 'undo' })
    deliver('toString')
    unsubscribe()
    deliver('undo')
    expect(received).toEqual(['redo'])
  })
})
