#!/usr/bin/env node
// `npm test`: typecheck, electronegativity, build, then every vitest project (unit, component,
// e2e). Stops at the first failing step and says which one failed.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
export const CHROMIUM_PATH = '/usr/bin/chromium'
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const bin = (name) => join(appRoot, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)

/** Font families the end-to-end tests see the reader draw with on Linux (README: "Every script renders"). */
const LINUX_FONTS = ['Noto Serif', 'Noto Naskh Arabic', 'Noto Color Emoji', 'DejaVu Sans']
const LINUX_FONT_PACKAGES = 'fonts-dejavu-core fonts-noto-core fonts-noto-color-emoji'

/**
 * The families of LINUX_FONTS fontconfig does not know; none when this is not Linux or fc-list
 * cannot be asked (the tests then say for themselves what they miss).
 */
function missingFonts() {
  if (process.platform !== 'linux') return []
  return LINUX_FONTS.filter((family) => {
    const listed = spawnSync('fc-list', [`:family=${family}`, 'family'], { encoding: 'utf8' })
    return listed.status === 0 && listed.stdout.trim() === ''
  })
}

const steps = [
  { name: 'typecheck', command: npm, args: ['run', '-s', 'typecheck'] },
  // Fails on any Electron security finding docs/SECURITY.md does not explain.
  { name: 'electronegativity', command: process.execPath, args: [join(appRoot, 'scripts', 'electronegativity.mjs')] },
  { name: 'build', command: bin('electron-vite'), args: ['build'] },
  { name: 'tests (unit, component, e2e)', command: bin('vitest'), args: ['run', ...process.argv.slice(2)] }
]

function run(step) {
  return new Promise((resolve) => {
    console.log(`\n▶ ${step.name}`)
    const child = spawn(step.command, step.args, { cwd: appRoot, stdio: 'inherit' })
    child.on('error', (error) => {
      console.error(`${step.name}: could not run ${step.command}: ${error.message}`)
      resolve(1)
    })
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

async function main() {
  // Checked first so a missing browser is reported in seconds, not after the build.
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`)
    return 1
  }
  // Without them four end-to-end tests failed ten minutes in (fonts, widths, a drag, axe), on a machine that had Chromium only.
  const fonts = missingFonts()
  if (fonts.length > 0) {
    console.error(`Fonts the end-to-end tests need are not installed (${fonts.join(', ')}): apt-get install -y ${LINUX_FONT_PACKAGES}`)
    return 1
  }
  const started = Date.now()
  for (const step of steps) {
    const code = await run(step)
    if (code !== 0) {
      console.error(`\n✗ npm test failed at step "${step.name}" (exit code ${code}).`)
      return code
    }
  }
  console.log(`\n✓ npm test passed: typecheck, electronegativity, build and all tests (${Math.round((Date.now() - started) / 1000)} s).`)
  return 0
}

main().then((code) => process.exit(code))
