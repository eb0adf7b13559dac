// Where Quire keeps the user's settings when it runs outside Electron (browser edition, CLI,
// tests). The desktop app uses Electron's app.getPath('userData') instead.
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultUserDataDir(environment: NodeJS.ProcessEnv = process.env): string {
  const explicit = environment.QUIRE_USER_DATA
  if (explicit) return explicit
  const configHome = environment.XDG_CONFIG_HOME
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = configHome && configHome.startsWith('/') ? configHome : join(homedir(), '.config')
  return join(base, 'quire')
}
