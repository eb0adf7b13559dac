import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultUserDataDir } from '../../src/main/user-data'

describe('defaultUserDataDir', () => {
  it('prefers $QUIRE_USER_DATA', () => {
    expect(defaultUserDataDir({ QUIRE_USER_DATA: '/data/quire', XDG_CONFIG_HOME: '/xdg' })).toBe('/data/quire')
  })

  it('uses $XDG_CONFIG_HOME/quire when it is absolute', () => {
    expect(defaultUserDataDir({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/quire')
    expect(defaultUserDataDir({ XDG_CONFIG_HOME: 'relative/path' })).toBe(join(homedir(), '.config', 'quire'))
  })

  it('falls back to ~/.config/quire', () => {
    expect(defaultUserDataDir({})).toBe(join(homedir(), '.config', 'quire'))
  })
})
