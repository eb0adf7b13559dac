// The app window: sandboxed, isolated, locked to the app's own page.
import { BrowserWindow, session, shell } from 'electron'
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, isExternalWebLink } from './security'

export interface AppWindowOptions {
  appUrl: string
  preloadPath: string
  /** The window icon on Linux; macOS and Windows show the installed bundle's icon. */
  icon: string
}

/** Applies to every page the default session loads: the app is its only page. */
export function lockDownSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff']
      }
    })
  })
  // Quire needs no camera, notifications, clipboard-read or any other permission.
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
}

export function createAppWindow(options: AppWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Quire',
    ...(process.platform === 'linux' ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  window.once('ready-to-show', () => window.show())
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, options.appUrl)) event.preventDefault()
  })
  window.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, options.appUrl)) event.preventDefault()
  })
  window.webContents.on('will-attach-webview', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(({ url }) => {
    // A web link the user clicked goes to their browser, never into a Quire window.
    if (isExternalWebLink(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  void window.loadURL(options.appUrl)
  return window
}
