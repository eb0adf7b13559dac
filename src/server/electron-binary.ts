// Whether the desktop app can run here: `npm start` and the Electron smoke test ask the same way.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { APP_ROOT } from './app-paths'

export const ELECTRON_PACKAGE_DIR = join(APP_ROOT, 'node_modules', 'electron')

/**
 * The Electron binary where the `electron` package puts it (dist/ plus the name in path.txt), or
 * null. Not `require('electron')`: on a missing binary that starts an unbounded, noisy download.
 */
export function installedElectronBinary(): string | null {
  const pathFile = join(ELECTRON_PACKAGE_DIR, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(ELECTRON_PACKAGE_DIR, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

/** A window can be shown: always on macOS and Windows; on Linux when X11 or Wayland is there. */
export function hasDisplay(): boolean {
  if (process.platform !== 'linux') return true
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
}
