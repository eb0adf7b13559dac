// The only file that touches ipcRenderer. Exposes one named function per API call (and the
// menu-command subscription) to the page; the page never gets ipcRenderer itself.
// Built as one CommonJS file: a sandboxed preload can require nothing but 'electron', so
// nothing heavy (zod) may be imported here; main parses every argument.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { ApiMethod, QuireApi, QuireApiCalls, QuireErrorInfo } from '../shared/api'
import { API_METHODS } from '../shared/api-methods'
import { encodeBridgeError } from '../shared/bridge-error'
import type { MenuCommand } from '../shared/model'
import { CALL_NAMING_HELD_TEXT, type HeldTextHint, type HoldingTextBridge } from '../shared/held-texts'

type CallOutcome = { ok: true; value: unknown } | { ok: false; error: QuireErrorInfo }

const MENU_COMMAND_CHANNEL = 'quire:menu-command'

/** A Record so the compiler insists every MenuCommand is listed. */
const KNOWN_MENU_COMMANDS: Record<MenuCommand, true> = {
  'new-project': true,
  'open-project': true,
  'import-texts': true,
  'import-annotations': true,
  export: true,
  undo: true,
  redo: true,
  'open-sample-project': true,
  'close-project': true,
  'show-layers': true,
  'show-review': true,
  agreement: true,
  sync: true,
  'edit-tags': true,
  'show-dashboard': true,
  'go-to-document': true,
  'colour-scheme-system': true,
  'colour-scheme-light': true,
  'colour-scheme-dark': true
}

async function invoke<T>(method: ApiMethod, args: unknown[], heldText?: HeldTextHint): Promise<T> {
  const outcome = (await ipcRenderer.invoke(`quire:${method}`, args, heldText)) as CallOutcome
  if (outcome.ok) return outcome.value as T
  // contextBridge keeps only an Error's message; api.ts turns it back into a QuireError.
  throw new Error(encodeBridgeError(outcome.error))
}

// One function per call, generated from the one list of calls (src/shared/api-methods.ts).
const calls = Object.fromEntries(API_METHODS.map((method) => [method, (...args: unknown[]) => invoke(method, args)])) as unknown as QuireApiCalls

const bridge: QuireApi & HoldingTextBridge = {
  ...calls,
  getDocumentHoldingText: (layer, heldText) => invoke(CALL_NAMING_HELD_TEXT, [layer], heldText),
  onMenuCommand(listener) {
    const forward = (_event: IpcRendererEvent, command: unknown): void => {
      if (typeof command === 'string' && Object.hasOwn(KNOWN_MENU_COMMANDS, command)) listener(command as MenuCommand)
    }
    ipcRenderer.on(MENU_COMMAND_CHANNEL, forward)
    return () => void ipcRenderer.off(MENU_COMMAND_CHANNEL, forward)
  }
}

contextBridge.exposeInMainWorld('quire', bridge)
