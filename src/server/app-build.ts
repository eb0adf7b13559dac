// Rebuilds the app with electron-vite when its sources are newer than the build, so
// `npm run web` and `npm start` never serve a stale renderer and never rebuild needlessly.
import { spawn } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { APP_ROOT } from './app-paths'

export interface BuildTarget {
  /** Files the build writes; missing or older than any source means a rebuild. */
  outputs: string[]
  /** Files and folders (searched recursively) the outputs are built from. */
  sources: string[]
}

const SHARED_SOURCES = ['src/shared', 'src/core', 'electron.vite.config.ts', 'svelte.config.js', 'package.json']

export const RENDERER_BUILD: BuildTarget = {
  outputs: [join(APP_ROOT, 'out/renderer/index.html')],
  sources: ['src/renderer', ...SHARED_SOURCES].map((path) => join(APP_ROOT, path))
}

export const DESKTOP_BUILD: BuildTarget = {
  outputs: ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((path) => join(APP_ROOT, path)),
  sources: ['src/main', 'src/preload', 'src/renderer', ...SHARED_SOURCES].map((path) => join(APP_ROOT, path))
}

/** Newest modification time under `path` (0 when it does not exist). */
export async function newestModificationTime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null)
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestModificationTime(join(path, entry)))
  }
  return newest
}

export async function isBuildStale(target: BuildTarget): Promise<boolean> {
  let oldestOutput = Infinity
  for (const output of target.outputs) {
    const info = await stat(output).catch(() => null)
    if (!info) return true
    oldestOutput = Math.min(oldestOutput, info.mtimeMs)
  }
  for (const source of target.sources) {
    if ((await newestModificationTime(source)) > oldestOutput) return true
  }
  return false
}

/** Runs `electron-vite build` quietly; its output is shown only when it fails. */
export function runElectronViteBuild(appRoot: string = APP_ROOT): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(appRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: appRoot,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolvePromise()
      else reject(new Error(`electron-vite build failed (exit code ${code}):\n${output.trim()}`))
    })
  })
}

/** Builds when needed; returns whether it built. */
export async function ensureBuilt(target: BuildTarget): Promise<boolean> {
  if (!(await isBuildStale(target))) return false
  await runElectronViteBuild()
  return true
}
