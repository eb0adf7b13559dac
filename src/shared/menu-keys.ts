// The menu's keyboard shortcuts, in one list: the desktop menu shows and registers them, and the
// browser edition, which has no native menu, handles the same keys in the page, so a keyboard
// user reaches Export or Agreement the same way in both.
import type { MenuCommand } from './model'

export const MENU_ACCELERATORS = {
  'new-project': 'CmdOrCtrl+Shift+N',
  'open-project': 'CmdOrCtrl+O',
  'import-texts': 'CmdOrCtrl+I',
  'import-annotations': 'CmdOrCtrl+Shift+I',
  export: 'CmdOrCtrl+E',
  'close-project': 'CmdOrCtrl+Shift+W',
  'show-layers': 'CmdOrCtrl+Shift+L',
  'show-review': 'CmdOrCtrl+Shift+R',
  agreement: 'CmdOrCtrl+Shift+A',
  sync: 'CmdOrCtrl+Shift+S',
  'go-to-document': 'CmdOrCtrl+P'
} as const satisfies Partial<Record<MenuCommand, string>>

/** The parts of a keydown event a shortcut is matched on. */
export interface PressedKey {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

/** The menu command whose shortcut was pressed ("CmdOrCtrl" is Cmd on a Mac, Ctrl elsewhere), or null. */
export function menuCommandForKey(pressed: PressedKey, isMac: boolean): MenuCommand | null {
  const commandKey = isMac ? pressed.metaKey : pressed.ctrlKey
  const otherModifier = isMac ? pressed.ctrlKey : pressed.metaKey
  if (!commandKey || otherModifier || pressed.altKey) return null
  for (const [command, accelerator] of Object.entries(MENU_ACCELERATORS) as [MenuCommand, string][]) {
    const parts = accelerator.split('+')
    const key = parts.at(-1) ?? ''
    if (parts.includes('Shift') === pressed.shiftKey && pressed.key.toLowerCase() === key.toLowerCase()) return command
  }
  return null
}
