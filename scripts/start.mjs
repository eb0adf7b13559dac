#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here, otherwise the browser edition.
// Arguments pass through (e.g. `npm start -- --project ~/interviews`).
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const passThroughArgs = process.argv.slice(2)

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: appRoot, stdio: 'inherit' })
    const forward = (signal) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    child.on('error', (error) => {
      console.error(`Quire: could not start ${command}: ${error.message}`)
      resolve(1)
    })
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

async function startBrowserEdition(reason) {
  console.error(`${reason}; starting the browser edition instead.`)
  // Node with tsx's loader, not tsx's own command: that one kills a server still busy 60 ms after
  // Ctrl+C (it waits that long for the signal to be taken), and the project is not closed cleanly.
  return run(process.execPath, ['--import', 'tsx', join(appRoot, 'src', 'server', 'cli.ts'), ...passThroughArgs])
}

async function main() {
  const { installedElectronBinary, downloadElectron, hasDisplay } = await tsImport('../src/server/electron-binary.ts', import.meta.url)
  let electronBinary = installedElectronBinary()
  if (!electronBinary) electronBinary = (await downloadElectron()) ? installedElectronBinary() : null
  if (!electronBinary) {
    return startBrowserEdition('Electron is not available on this machine (its binary could not be downloaded)')
  }
  if (!hasDisplay()) return startBrowserEdition('There is no display for the desktop window (DISPLAY is not set)')

  const { ensureBuilt, DESKTOP_BUILD } = await tsImport('../src/server/app-build.ts', import.meta.url)
  if (await ensureBuilt(DESKTOP_BUILD)) console.error('Quire: built the app.')
  return run(electronBinary, [appRoot, ...passThroughArgs])
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Quire could not start: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
)
