// The only file that touches ipcRenderer. Exposes one named function per API call (and the
// menu-command subscription) to the page; the page never gets ipcRenderer itself.
// Built as one CommonJS file: a sandboxed preload can require nothing but 'electron', so
// nothing heavy (zod) may be imported here; main parses every argument.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { ApiMethod, QuireApi, QuireErrorInfo } from '../shared/api'
import { encodeBridgeError } from '../shared/bridge-error'
import type { MenuCommand } from '../shared/model'

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
  'close-project': true
}

async function invoke<T>(method: ApiMethod, args: unknown[]): Promise<T> {
  const outcome = (await ipcRenderer.invoke(`quire:${method}`, args)) as CallOutcome
  if (outcome.ok) return outcome.value as T
  // contextBridge keeps only an Error's message; api.ts turns it back into a QuireError.
  throw new Error(encodeBridgeError(outcome.error))
}

const bridge: QuireApi = {
  getAppInfo: () => invoke('getAppInfo', []),
  getSettings: () => invoke('getSettings', []),
  setAnnotatorName: (name) => invoke('setAnnotatorName', [name]),
  getCurrentProject: () => invoke('getCurrentProject', []),
  chooseProjectFolder: (purpose) => invoke('chooseProjectFolder', [purpose]),
  createProject: (dir, name) => invoke('createProject', [dir, name]),
  openProject: (dir) => invoke('openProject', [dir]),
  openSampleProject: () => invoke('openSampleProject', []),
  closeProject: () => invoke('closeProject', []),
  listDocuments: () => invoke('listDocuments', []),
  getDocument: (documentId) => invoke('getDocument', [documentId]),
  setDocumentStatus: (documentId, status) => invoke('setDocumentStatus', [documentId, status]),
  importTexts: (files) => invoke('importTexts', [files]),
  chooseAndImportTexts: () => invoke('chooseAndImportTexts', []),
  applyAnnotationEdits: (documentId, edits) => invoke('applyAnnotationEdits', [documentId, edits]),
  getExportChoices: () => invoke('getExportChoices', []),
  chooseExportDestination: (format, suggestedPath) => invoke('chooseExportDestination', [format, suggestedPath]),
  startExport: (request) => invoke('startExport', [request]),
  getExportProgress: (jobId) => invoke('getExportProgress', [jobId]),
  cancelExport: (jobId) => invoke('cancelExport', [jobId]),
  showExportInFolder: (path) => invoke('showExportInFolder', [path]),
  importAnnotations: (files, options) => invoke('importAnnotations', [files, options]),
  chooseAnnotationFiles: () => invoke('chooseAnnotationFiles', []),
  listBackups: (filePath) => invoke('listBackups', [filePath]),
  restoreBackup: (filePath, backupId) => invoke('restoreBackup', [filePath, backupId]),
  onMenuCommand(listener) {
    const forward = (_event: IpcRendererEvent, command: unknown): void => {
      if (typeof command === 'string' && Object.hasOwn(KNOWN_MENU_COMMANDS, command)) listener(command as MenuCommand)
    }
    ipcRenderer.on(MENU_COMMAND_CHANNEL, forward)
    return () => void ipcRenderer.off(MENU_COMMAND_CHANNEL, forward)
  }
}

contextBridge.exposeInMainWorld('quire', bridge)
