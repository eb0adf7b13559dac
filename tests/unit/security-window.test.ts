// window.ts with Electron replaced by recording fakes: the app window's webPreferences, its
// navigation, new-window and webview guards, and the session's CSP and permission handlers
// (docs/SECURITY.md, Electron checklist items 1–15).
import { beforeEach, describe, expect, it, vi } from 'vitest'

type Listener = (event: { preventDefault: () => void }, url: string) => void
const fake = vi.hoisted(() => ({
  windows: [] as Array<{
    options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>
    listeners: Map<string, (...args: unknown[]) => void>
    openHandler: ((details: { url: string }) => { action: string }) | null
    loaded: string[]
  }>,
  opened: [] as string[],
  headersListener: null as null | ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: unknown) => void) => void),
  permissionRequest: null as null | ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void),
  permissionCheck: null as null | ((...args: unknown[]) => boolean)
}))

vi.mock('electron', () => {
  class BrowserWindow {
    readonly record: (typeof fake.windows)[number]
    readonly webContents
    constructor(options: (typeof fake.windows)[number]['options']) {
      const record: (typeof fake.windows)[number] = { options, listeners: new Map(), openHandler: null, loaded: [] }
      this.record = record
      fake.windows.push(record)
      this.webContents = {
        on: (name: string, listener: (...args: unknown[]) => void) => record.listeners.set(name, listener),
        setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => (record.openHandler = handler)
      }
    }
    once(): void {}
    show(): void {}
    loadURL(url: string): Promise<void> {
      this.record.loaded.push(url)
      return Promise.resolve()
    }
  }
  return {
    BrowserWindow,
    shell: { openExternal: (url: string) => (fake.opened.push(url), Promise.resolve()) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (listener: typeof fake.headersListener) => (fake.headersListener = listener) },
        setPermissionRequestHandler: (handler: typeof fake.permissionRequest) => (fake.permissionRequest = handler),
        setPermissionCheckHandler: (handler: typeof fake.permissionCheck) => (fake.permissionCheck = handler)
      }
    }
  }
})

const { createAppWindow, lockDownSession } = await import('../../src/main/window')
const { CONTENT_SECURITY_POLICY } = await import('../../src/main/security')

const APP_URL = 'app://quire/index.html'

function openWindow() {
  fake.windows.length = 0
  createAppWindow({ appUrl: APP_URL, preloadPath: '/opt/quire/out/preload/index.cjs', icon: '/opt/quire/resources/icon-256.png' })
  const window = fake.windows[0]
  if (!window) throw new Error('no window created')
  return window
}

function fire(window: ReturnType<typeof openWindow>, name: string, url = ''): boolean {
  const listener = window.listeners.get(name) as Listener | undefined
  if (!listener) throw new Error(`no ${name} listener`)
  let prevented = false
  listener({ preventDefault: () => (prevented = true) }, url)
  return prevented
}

beforeEach(() => {
  fake.opened.length = 0
})

describe('createAppWindow', () => {
  it('loads only the app page', () => {
    expect(openWindow().loaded).toEqual([APP_URL])
  })

  it('isolates and sandboxes the renderer and turns on nothing risky', () => {
    const preferences = openWindow().options.webPreferences ?? {}
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    for (const risky of ['allowRunningInsecureContent', 'experimentalFeatures', 'enableBlinkFeatures', 'webviewTag', 'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'enableRemoteModule']) {
      expect(preferences[risky] === undefined || preferences[risky] === false, risky).toBe(true)
    }
  })

  it('keeps the window on the app page', () => {
    const window = openWindow()
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(fire(window, event, APP_URL), event).toBe(false)
      for (const elsewhere of ['https://example.com/', 'file:///etc/passwd', 'file:///opt/quire/out/renderer/index.html', 'app://quire/other.html', 'app://evil/index.html', 'javascript:alert(1)', 'data:text/html,<script>1</script>']) {
        expect(fire(window, event, elsewhere), `${event} ${elsewhere}`).toBe(true)
      }
    }
  })

  it('gives the window the app icon on Linux (macOS and Windows take the bundle\'s)', () => {
    expect(openWindow().options.icon).toBe(process.platform === 'linux' ? '/opt/quire/resources/icon-256.png' : undefined)
  })

  it('refuses webviews', () => {
    expect(fire(openWindow(), 'will-attach-webview')).toBe(true)
  })

  it('opens no windows; sends only plain web links to the browser', () => {
    const window = openWindow()
    const urls = ['https://www.icesco.org/', 'http://example.com/a', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'quire://x', 'app://quire/other.html', APP_URL]
    for (const url of urls) expect(window.openHandler?.({ url }), url).toEqual({ action: 'deny' })
    expect(fake.opened).toEqual(['https://www.icesco.org/', 'http://example.com/a'])
  })
})

describe('lockDownSession', () => {
  lockDownSession()

  it('sends the CSP and nosniff with every response, replacing what a page sent', () => {
    let sent: unknown
    fake.headersListener?.({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ['script-src *'] } }, (response) => (sent = response))
    expect(sent).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Content-Type-Options': ['nosniff'] }
    })
  })

  it('denies every permission', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      let granted: boolean | undefined
      fake.permissionRequest?.({}, permission, (answer) => (granted = answer))
      expect(granted, permission).toBe(false)
      expect(fake.permissionCheck?.({}, permission), permission).toBe(false)
    }
  })
})
