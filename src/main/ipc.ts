// The only file that touches ipcMain: one handler per API call, each answering only the app's
// own window and frame, then handing the call to dispatch (startup-ahead.ts, then api-dispatch.ts) as the HTTP server does.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { QuireApiCalls } from '../shared/api'
import { API_METHODS } from '../shared/api-methods'
import type { MenuCommand } from '../shared/model'
import type { ApiCallOutcome } from './api-dispatch'
import { ApiCallsWithStartAhead } from './startup-ahead'
import { isTrustedSenderUrl } from './security'

export const API_CHANNEL_PREFIX = 'quire:'
export const MENU_COMMAND_CHANNEL = 'quire:menu-command'

export interface IpcContext {
  backend: QuireApiCalls
  /** The app's window, or null while there is none. */
  mainWindow(): BrowserWindow | null
  /** The URL the app's page was loaded from (app://quire/index.html, or the dev server). */
  appUrl: string
}

/** Only the top frame of our own window, showing our own page, may call the API. */
function isTrustedSender(event: IpcMainInvokeEvent, context: IpcContext): boolean {
  const window = context.mainWindow()
  const frame = event.senderFrame
  if (!window || window.isDestroyed() || !frame) return false
  return frame === window.webContents.mainFrame && isTrustedSenderUrl(frame.url, context.appUrl)
}

/** Returns the calls' dispatcher, whose beginStart the app:// handler calls as it serves the page. */
export function registerApiHandlers(context: IpcContext): ApiCallsWithStartAhead {
  const calls = new ApiCallsWithStartAhead(context.backend)
  for (const method of API_METHODS) {
    // heldText: the text the window holds of the document asked for (src/shared/held-texts.ts); checked in dispatch.
    ipcMain.handle(API_CHANNEL_PREFIX + method, (event, args: unknown, heldText: unknown): Promise<ApiCallOutcome> | ApiCallOutcome =>
      isTrustedSender(event, context)
        ? calls.dispatch(method, args, heldText)
        : { ok: false, error: { code: 'forbidden', message: 'This page may not use Quire' } }
    )
  }
  return calls
}

export function sendMenuCommand(window: BrowserWindow, command: MenuCommand): void {
  if (!window.isDestroyed()) window.webContents.send(MENU_COMMAND_CHANNEL, command)
}
