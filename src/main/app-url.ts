// Where the desktop app's page lives: app://quire/index.html, served by app-protocol.ts from
// the built renderer. One place, read by the protocol handler and the navigation and IPC checks.
export const APP_SCHEME = 'app'
export const APP_HOST = 'quire'
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`
