// The Electron entry (src/main/index.ts) with Electron replaced by recording fakes: the
// sandbox is enabled for every renderer before the app is ready, and any web contents created
// later (a devtools pane, a stray frame) can open no window, and app:// is registered as a
// privileged scheme before the app is ready (docs/SECURITY.md items 4, 14 and 18).
import { tmpdir } from 'node:os'
import { describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => ({
  calls: [] as string[],
  privilegedSchemes: [] as unknown[],
  appListeners: new Map<string, (...args: unknown[]) => void>()
}))

vi.mock('electron', () => {
  const app = {
    isPackaged: false,
    enableSandbox: () => fake.calls.push('enableSandbox'),
    requestSingleInstanceLock: () => (fake.calls.push('requestSingleInstanceLock'), true),
    quit: () => fake.calls.push('quit'),
    getPath: () => tmpdir(),
    getAppPath: () => tmpdir(),
    getVersion: () => '0.0.0-test',
    getName: () => 'Quire',
    on: (name: string, listener: (...args: unknown[]) => void) => fake.appListeners.set(name, listener),
    // Never ready: the test is about what happens before, and no window may open here.
    whenReady: () => (fake.calls.push('whenReady'), new Promise(() => undefined))
  }
  // Other app calls main may add later (app ids, themes) are harmless no-ops here.
  const forgivingApp = new Proxy(app, {
    get: (target, name) => (name in target ? target[name as keyof typeof target] : name === 'then' ? undefined : () => undefined)
  })
  return {
    app: forgivingApp,
    BrowserWindow: class {},
    dialog: {},
    Menu: { setApplicationMenu: () => undefined, buildFromTemplate: () => ({}) },
    shell: {},
    session: {},
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => (fake.calls.push('registerSchemesAsPrivileged'), fake.privilegedSchemes.push(...schemes)),
      handle: () => fake.calls.push('protocol.handle')
    },
    ipcMain: { handle: () => undefined }
  }
})

await import('../../src/main/index')

describe('src/main/index.ts', () => {
  it('enables the sandbox for every renderer before anything else happens', () => {
    expect(fake.calls[0]).toBe('enableSandbox')
    expect(fake.calls.indexOf('enableSandbox')).toBeLessThan(fake.calls.indexOf('whenReady'))
  })

  it('registers app:// as standard and secure before the app is ready, and serves it only once ready', () => {
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }])
    expect(fake.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(fake.calls.indexOf('whenReady'))
    // The handler is installed in whenReady, which never resolves here.
    expect(fake.calls).not.toContain('protocol.handle')
  })

  it('denies new windows from any web contents created later', () => {
    const onCreated = fake.appListeners.get('web-contents-created')
    expect(onCreated).toBeDefined()
    let handler: ((details: { url: string }) => { action: string }) | undefined
    onCreated?.({}, { setWindowOpenHandler: (h: typeof handler) => (handler = h) })
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(handler?.({ url }), url).toEqual({ action: 'deny' })
    }
  })
})
