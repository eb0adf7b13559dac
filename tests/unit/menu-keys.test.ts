// The menu's shortcuts are one list: the desktop menu registers them, the browser edition's page
// matches keydown events against the same list.
import { describe, expect, it } from 'vitest'
import { MENU_ACCELERATORS, menuCommandForKey, type PressedKey } from '../../src/shared/menu-keys'

function press(key: string, modifiers: Partial<Omit<PressedKey, 'key'>> = {}): PressedKey {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers }
}

describe('menu shortcuts', () => {
  it('finds the command of Ctrl (Cmd on a Mac) with the key, with or without Shift as the accelerator says', () => {
    expect(menuCommandForKey(press('e', { ctrlKey: true }), false)).toBe('export')
    expect(menuCommandForKey(press('e', { metaKey: true }), true)).toBe('export')
    expect(menuCommandForKey(press('A', { ctrlKey: true, shiftKey: true }), false)).toBe('agreement')
    expect(menuCommandForKey(press('I', { ctrlKey: true, shiftKey: true }), false)).toBe('import-annotations')
    expect(menuCommandForKey(press('i', { ctrlKey: true }), false)).toBe('import-texts')
    expect(menuCommandForKey(press('p', { metaKey: true }), true)).toBe('go-to-document')
  })

  it('ignores the key alone, the wrong modifier, Alt, and a Shift the accelerator does not have', () => {
    expect(menuCommandForKey(press('e'), false)).toBeNull()
    expect(menuCommandForKey(press('e', { metaKey: true }), false)).toBeNull()
    expect(menuCommandForKey(press('e', { ctrlKey: true }), true)).toBeNull()
    expect(menuCommandForKey(press('e', { ctrlKey: true, altKey: true }), false)).toBeNull()
    expect(menuCommandForKey(press('E', { ctrlKey: true, shiftKey: true }), false)).toBeNull()
    expect(menuCommandForKey(press('z', { ctrlKey: true }), false)).toBeNull()
  })

  it('gives every shortcut in the list back as its own command', () => {
    for (const [command, accelerator] of Object.entries(MENU_ACCELERATORS)) {
      const parts = accelerator.split('+')
      expect(menuCommandForKey(press(parts.at(-1)!.toLowerCase(), { ctrlKey: true, shiftKey: parts.includes('Shift') }), false)).toBe(command)
    }
  })
})
