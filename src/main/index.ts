// Electron entry: wires the backend, IPC, menu and the one app window. Decisions live in
// security.ts and the services; this file only connects them.
import { app, BrowserWindow, dialog, Menu, nativeTheme, protocol, shell } from 'electron'
import { userInfo } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { APP_ID } from '../../packaging/app-identity.mjs'
import { ANNOTATION_IMPORT_EXTENSIONS, type ExportFormat } from '../shared/model'
import { APP_SCHEME_PRIVILEGES, respondToAppRequest } from './app-protocol'
import { appResourcePaths } from './app-resources'
import { APP_PAGE_URL, APP_SCHEME } from './app-url'
import { QuireBackend, type DesktopDialogs } from './backend'
import { registerApiHandlers, sendMenuCommand } from './ipc'
import { buildAppMenu, showColourSchemeChoice } from './menu'
import { createAppWindow, lockDownSession } from './window'

const resources = appResourcePaths({
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  appPath: app.getAppPath(),
  mainBuildDir: dirname(fileURLToPath(import.meta.url))
})
// electron-vite dev serves the renderer; a build is served by the app:// protocol.
const appUrl = process.env.ELECTRON_RENDERER_URL ?? APP_PAGE_URL

let mainWindow: BrowserWindow | null = null

/** `electron . --project DIR` opens (or creates) that project at start. */
function projectFromCommandLine(): string | null {
  const { values } = parseArgs({ args: process.argv.slice(1), options: { project: { type: 'string' } }, strict: false })
  return typeof values.project === 'string' ? values.project : null
}

function osUserName(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER || process.env.USERNAME || 'annotator'
  }
}

// Attached to the window when there is one, so the dialog is modal to it.
function showOpenDialog(options: Electron.OpenDialogOptions): Promise<Electron.OpenDialogReturnValue> {
  return mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options)
}
function showSaveDialog(options: Electron.SaveDialogOptions): Promise<Electron.SaveDialogReturnValue> {
  return mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)
}

const dialogs: DesktopDialogs = {
  async chooseFolder(purpose) {
    const options: Electron.OpenDialogOptions = {
      title: purpose === 'new' ? 'Choose a folder for the new project' : 'Open a Quire project folder',
      buttonLabel: purpose === 'new' ? 'Create Project Here' : 'Open Project',
      properties: ['openDirectory', 'createDirectory']
    }
    const result = await showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  },
  async chooseTextFiles() {
    const options: Electron.OpenDialogOptions = {
      title: 'Import texts',
      buttonLabel: 'Import',
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'Plain text', extensions: ['txt', 'text', 'md'] },
        { name: 'All files', extensions: ['*'] }
      ]
    }
    const result = await showOpenDialog(options)
    return result.canceled ? null : result.filePaths
  },
  async chooseExportDestination(kind, format, suggestedPath) {
    if (kind === 'folder') {
      const options: Electron.OpenDialogOptions = {
        title: `Export ${EXPORT_FORMAT_NAMES[format]} into a folder`,
        buttonLabel: 'Export Here',
        defaultPath: suggestedPath,
        properties: ['openDirectory', 'createDirectory', 'promptToCreate']
      }
      const result = await showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    }
    const extension = suggestedPath.match(/\.([A-Za-z0-9]+)$/)?.[1] ?? format
    const options: Electron.SaveDialogOptions = {
      title: `Export ${EXPORT_FORMAT_NAMES[format]}`,
      buttonLabel: 'Export',
      defaultPath: suggestedPath,
      filters: [
        { name: EXPORT_FORMAT_NAMES[format], extensions: [extension] },
        { name: 'All files', extensions: ['*'] }
      ],
      properties: ['createDirectory', 'showOverwriteConfirmation']
    }
    const result = await showSaveDialog(options)
    return result.canceled ? null : (result.filePath ?? null)
  },
  async chooseAnnotationFiles() {
    const options: Electron.OpenDialogOptions = {
      title: 'Import annotations',
      buttonLabel: 'Choose',
      properties: ['openFile', 'multiSelections'],
      filters: [
        // brat's .txt and annotation.conf travel with its .ann files.
        { name: 'brat, CoNLL, JSONL, doccano, Label Studio, WebAnno TSV, Prodigy', extensions: [...ANNOTATION_IMPORT_EXTENSIONS, 'txt', 'conf'] },
        { name: 'All files', extensions: ['*'] }
      ]
    }
    const result = await showOpenDialog(options)
    return result.canceled ? null : result.filePaths
  },
  showItemInFolder(path) {
    shell.showItemInFolder(path)
  }
}

const EXPORT_FORMAT_NAMES: Record<ExportFormat, string> = {
  jsonl: 'JSONL',
  brat: 'brat standoff',
  conll: 'CoNLL',
  tei: 'TEI XML',
  csv: 'CSV',
  doccano: 'doccano JSONL',
  'label-studio': 'Label Studio JSON'
}

// Must run before the app is ready: every renderer, including any opened by mistake, is sandboxed.
app.enableSandbox()
// Also before ready: app:// gets an origin of its own and counts as a secure context.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])
// Windows groups the window with the installer's shortcuts by this id.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID)

// One Quire per user: a second launch focuses the first, so two windows never race on files.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  const backend = new QuireBackend({
    userDataDir: app.getPath('userData'),
    sampleTextsDir: resources.sampleProjectDir,
    edition: 'desktop',
    version: app.getVersion(),
    osUserName: osUserName(),
    dialogs,
    // Native menus, dialogs and the page's prefers-color-scheme follow the choice.
    onColourScheme: (choice) => {
      nativeTheme.themeSource = choice
      showColourSchemeChoice(choice)
    }
  })

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })

  void app.whenReady().then(async () => {
    lockDownSession()
    const calls = registerApiHandlers({ backend, mainWindow: () => mainWindow, appUrl })
    // The page's first call will be its start: main reads it while the page loads its scripts.
    protocol.handle(APP_SCHEME, (request) => respondToAppRequest(request, resources.rendererDir, () => calls.beginStart()))
    // Set before the window opens, so its first paint already has the chosen colours.
    const colourScheme = await backend.getSettings().then((settings) => settings.colourScheme, () => 'system' as const)
    nativeTheme.themeSource = colourScheme
    Menu.setApplicationMenu(buildAppMenu((command) => mainWindow && sendMenuCommand(mainWindow, command), () => mainWindow, colourScheme))
    const projectDir = projectFromCommandLine()
    if (projectDir) {
      await backend.openOrCreateProject(projectDir).catch((error: unknown) => {
        dialog.showErrorBox('Quire could not open the project', `${projectDir}\n\n${(error as Error).message}`)
      })
    }
    const openWindow = (): void => {
      mainWindow = createAppWindow({ appUrl, preloadPath: resources.preloadPath, icon: resources.windowIcon })
      mainWindow.on('closed', () => (mainWindow = null))
    }
    openWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })

  app.on('window-all-closed', () => {
    // Releases the project lock; every save has already resolved durably.
    void backend.closeProject().finally(() => {
      if (process.platform !== 'darwin') app.quit()
    })
  })
}
