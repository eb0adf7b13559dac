// Whether the desktop app can run here: `npm start`, `npm run package` and the Electron smoke
// test ask the same way.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { APP_ROOT } from './app-paths'

export const ELECTRON_PACKAGE_DIR = join(APP_ROOT, 'node_modules', 'electron')

/** The executable's path inside an Electron folder, as Electron's own download names it. */
const DEFAULT_EXECUTABLE: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe'
}

export interface ElectronDist {
  /** The unpacked Electron folder (what electron-builder's `electronDist` takes). */
  dir: string
  binary: string
}

/**
 * The unpacked Electron where the `electron` package puts it (dist/ plus the name in path.txt),
 * or where ELECTRON_OVERRIDE_DIST_PATH points (Electron's own variable for using another
 * build), or null. Not `require('electron')`: on a missing binary that starts an unbounded,
 * noisy download.
 */
export function installedElectronDist(env: NodeJS.ProcessEnv = process.env): ElectronDist | null {
  const pathFile = join(ELECTRON_PACKAGE_DIR, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : env.ELECTRON_OVERRIDE_DIST_PATH ? (DEFAULT_EXECUTABLE[process.platform] ?? 'electron') : null
  if (!executable) return null
  const dir = env.ELECTRON_OVERRIDE_DIST_PATH || join(ELECTRON_PACKAGE_DIR, 'dist')
  const binary = join(dir, executable)
  return existsSync(binary) ? { dir, binary } : null
}

export function installedElectronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  return installedElectronDist(env)?.binary ?? null
}

/**
 * One quiet attempt to download the binary with the `electron` package's own installer
 * (.npmrc turns install scripts off, so it may never have run). Resolves whether it succeeded.
 */
export function downloadElectron(timeoutMs = 60_000): Promise<boolean> {
  const installer = join(ELECTRON_PACKAGE_DIR, 'install.js')
  if (!existsSync(installer)) return Promise.resolve(false)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { cwd: APP_ROOT, stdio: 'ignore' })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', () => resolve(false))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve(code === 0)
    })
  })
}

/** A window can be shown: always on macOS and Windows; on Linux when X11 or Wayland is there. */
export function hasDisplay(): boolean {
  if (process.platform !== 'linux') return true
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
}
