// View → Appearance in the native menu, with Electron replaced by a recording fake: three radio
// items, the kept choice ticked, each sending its menu command to the window (which saves the
// choice), and the tick following a choice made in the window.
import { describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'

const fake = vi.hoisted(() => ({ items: new Map<string, { checked: boolean }>() }))

vi.mock('electron', () => ({
  app: { isPackaged: true, getVersion: () => '0.0.0-test' },
  Menu: {
    buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
    getApplicationMenu: () => ({ getMenuItemById: (id: string) => fake.items.get(id) ?? null })
  }
}))

const { buildAppMenu, showColourSchemeChoice } = await import('../../src/main/menu')

function appearanceItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  const view = template.find((menu) => menu.label === '&View')
  const appearance = (view?.submenu as MenuItemConstructorOptions[] | undefined)?.find((item) => item.label === 'Appearance')
  return (appearance?.submenu as MenuItemConstructorOptions[] | undefined) ?? []
}

describe('View → Appearance', () => {
  it('offers system, light and dark as radio items with the kept choice ticked, each sending its command', () => {
    const sent: string[] = []
    const template = buildAppMenu((command) => sent.push(command), () => null, 'dark') as unknown as MenuItemConstructorOptions[]
    const items = appearanceItems(template)
    expect(items.map((item) => [item.label, item.type, item.checked, item.id])).toEqual([
      ['Match System', 'radio', false, 'colour-scheme-system'],
      ['Light', 'radio', false, 'colour-scheme-light'],
      ['Dark', 'radio', true, 'colour-scheme-dark']
    ])
    for (const item of items) (item.click as () => void)()
    expect(sent).toEqual(['colour-scheme-system', 'colour-scheme-light', 'colour-scheme-dark'])
  })

  it('ticks the choice made in the window', () => {
    const light = { checked: false }
    fake.items.set('colour-scheme-light', light)
    showColourSchemeChoice('light')
    expect(light.checked).toBe(true)
    // No menu item (no menu yet): nothing to tick, no error.
    expect(() => showColourSchemeChoice('dark')).not.toThrow()
  })
})
