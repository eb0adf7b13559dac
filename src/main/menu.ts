// The native menu. Project and edit commands go to the renderer, which runs the same action
// as its buttons (undo history lives there); the menu itself decides nothing.
import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'
import type { ColourSchemeChoice, MenuCommand } from '../shared/model'
import { MENU_ACCELERATORS } from '../shared/menu-keys'

const ACCELERATORS: Partial<Record<MenuCommand, string>> = MENU_ACCELERATORS

const colourSchemeItemId = (choice: ColourSchemeChoice): string => `colour-scheme-${choice}`

/** Ticks the View → Appearance item of the choice, however it was made (menu or window). */
export function showColourSchemeChoice(choice: ColourSchemeChoice): void {
  const item = Menu.getApplicationMenu()?.getMenuItemById(colourSchemeItemId(choice))
  if (item) item.checked = true
}

export function buildAppMenu(sendCommand: (command: MenuCommand) => void, mainWindow: () => BrowserWindow | null, colourScheme: ColourSchemeChoice): Menu {
  const command = (label: string, name: MenuCommand, accelerator = ACCELERATORS[name]): MenuItemConstructorOptions => ({
    label,
    click: () => sendCommand(name),
    ...(accelerator ? { accelerator } : {})
  })
  const appearance = (label: string, choice: ColourSchemeChoice): MenuItemConstructorOptions => ({
    ...command(label, `colour-scheme-${choice}`),
    id: colourSchemeItemId(choice),
    type: 'radio',
    checked: colourScheme === choice
  })
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        command('New Project…', 'new-project'),
        command('Open Project…', 'open-project'),
        command('Open Sample Project', 'open-sample-project'),
        { type: 'separator' },
        command('Import Texts…', 'import-texts'),
        command('Import Annotations…', 'import-annotations'),
        command('Export…', 'export'),
        { type: 'separator' },
        command('Close Project', 'close-project'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' }
      ]
    },
    {
      label: '&Edit',
      submenu: [
        // Not the role items: those would undo inside a text field, not the annotation history.
        // The keys are only shown, not registered: the page handles them itself (the browser
        // edition has no menu), and a registered accelerator would undo twice.
        { ...command('Undo', 'undo', 'CmdOrCtrl+Z'), registerAccelerator: false },
        { ...command('Redo', 'redo', 'Shift+CmdOrCtrl+Z'), registerAccelerator: false },
        { type: 'separator' },
        command('Edit Tags…', 'edit-tags'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' }
      ]
    },
    {
      label: '&Review',
      submenu: [
        command('Show Layers', 'show-layers'),
        command('Compare and Curate', 'show-review'),
        command('Agreement…', 'agreement'),
        // Shown, not registered: the page handles the key itself (the browser edition has no menu).
        { ...command('Dashboard…', 'show-dashboard', 'CmdOrCtrl+Shift+D'), registerAccelerator: false },
        { type: 'separator' },
        command('Sync with Git', 'sync')
      ]
    },
    {
      label: '&View',
      submenu: [
        command('Go to Document…', 'go-to-document'),
        { type: 'separator' },
        {
          label: 'Appearance',
          submenu: [appearance('Match System', 'system'), appearance('Light', 'light'), appearance('Dark', 'dark')]
        },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }])
      ]
    },
    {
      label: '&Help',
      submenu: [
        {
          label: `About Quire ${app.getVersion()}`,
          click: () => {
            const window = mainWindow()
            if (window) void import('electron').then(({ dialog }) =>
              dialog.showMessageBox(window, {
                type: 'info',
                title: 'About Quire',
                message: `Quire ${app.getVersion()}`,
                detail: 'Annotate Person, Organization, Event and Program spans in texts. Works offline; your annotations stay in your project folder.'
              })
            )
          }
        }
      ]
    }
  ]
  return Menu.buildFromTemplate(template)
}
