#!/usr/bin/env node
// `npm run package`: installers for this operating system (electron-builder.config.mjs: AppImage
// and deb on Linux, dmg on macOS, NSIS on Windows) into dist/. What it needs is checked first,
// in seconds, so a machine that cannot package hears it in one line before a long build.
import { realpathSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { tsImport } from 'tsx/esm/api'

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Stops with one line on stderr and a non-zero exit code. */
class CannotPackage extends Error {}

/**
 * The unpacked Electron to build from. electron-builder would otherwise fetch Electron itself,
 * with its own retries and no time limit; from the `electron` package's folder it works offline.
 */
async function electronToPackage() {
  const { installedElectronDist, downloadElectron } = await tsImport('../src/server/electron-binary.ts', import.meta.url)
  const installed = installedElectronDist() ?? ((await downloadElectron()) ? installedElectronDist() : null)
  if (installed) return installed
  const { version } = JSON.parse(await readFile(join(appRoot, 'node_modules', 'electron', 'package.json'), 'utf8'))
  throw new CannotPackage(
    `Quire cannot be packaged here: Electron ${version}'s binary is not installed and could not be downloaded; run \`node node_modules/electron/install.js\` where the network allows, then \`npm run package\` again.`
  )
}

/**
 * What stops electron-builder's Linux targets late, said early: the .deb needs a Homepage
 * field, which electron-builder takes from package.json. Null when nothing is missing.
 */
export function linuxMetadataProblem(platform, manifest) {
  if (platform !== 'linux' || manifest.homepage) return null
  return 'Quire cannot be packaged as a .deb yet: package.json has no "homepage" (the package\'s Homepage field); add the project\'s address there.'
}

async function main() {
  const electron = await electronToPackage()
  const metadataProblem = linuxMetadataProblem(process.platform, JSON.parse(await readFile(join(appRoot, 'package.json'), 'utf8')))
  if (metadataProblem) throw new CannotPackage(metadataProblem)

  const { runElectronViteBuild } = await tsImport('../src/server/app-build.ts', import.meta.url)
  console.log('Building the app (electron-vite)…')
  await runElectronViteBuild(appRoot)

  const { default: config } = await import('../electron-builder.config.mjs')
  const { build } = (await import('electron-builder')).default
  console.log(`Packaging with Electron from ${relative(appRoot, electron.dir) || electron.dir}…`)
  const artifacts = await build({
    projectDir: appRoot,
    publish: 'never',
    config: { ...config, electronDist: electron.dir }
  })
  for (const artifact of artifacts) console.log(`  ${relative(appRoot, artifact)}`)
}

// Run, not imported by a test; realpath because Node resolves links in import.meta.url only.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().then(
    () => process.exit(0),
    (error) => {
      const message = error instanceof CannotPackage ? error.message : `Packaging failed: ${error instanceof Error ? error.message : String(error)}`
      console.error(message)
      process.exit(1)
    }
  )
}
