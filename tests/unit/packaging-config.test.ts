// The installers' configuration, read without Electron's binary: electron-builder.config.mjs
// (app id, targets per OS, what goes into the package), the fuses it flips
// (packaging/fuses.mjs), the icons it names, and the places main looks for what the installer
// puts beside app.asar (docs/SECURITY.md, Electron checklist 19 and "Packaging"; README "Installers").
import { FuseV1Options } from '@electron/fuses'
import { existsSync, statSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { builtinModules, createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import config from '../../electron-builder.config.mjs'
import { APP_ID, PRODUCT_NAME } from '../../packaging/app-identity.mjs'
import { PACKAGED_FUSES } from '../../packaging/fuses.mjs'
import { appResourcePaths, EXTRA_RESOURCE_NAMES } from '../../src/main/app-resources'

const APP_ROOT = join(import.meta.dirname, '..', '..')

/** Width, height and colour type from a PNG's IHDR chunk (the first chunk, at byte 8). */
async function pngHeader(path: string): Promise<{ width: number; height: number; colourType: number }> {
  const bytes = await readFile(join(APP_ROOT, path))
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${path} is a PNG`).toBe(true)
  expect(bytes.subarray(12, 16).toString('latin1'), `${path} starts with IHDR`).toBe('IHDR')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes[25] ?? -1 }
}

/** Targets of one platform's section, as names. */
function targetNames(section: { target?: unknown } | null | undefined): string[] {
  const targets = section?.target
  const list = Array.isArray(targets) ? targets : [targets]
  return list.map((target) => (typeof target === 'string' ? target : (target as { target: string }).target))
}

describe('electron-builder configuration', () => {
  it('names the app once, with a reverse-DNS id', () => {
    expect(config.appId).toBe(APP_ID)
    expect(APP_ID).toMatch(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/)
    expect(config.productName).toBe(PRODUCT_NAME)
    expect(PRODUCT_NAME).toBe('Quire')
  })

  it('builds AppImage and deb on Linux, dmg on macOS, NSIS on Windows', () => {
    expect(targetNames(config.linux)).toEqual(['AppImage', 'deb'])
    expect(targetNames(config.mac)).toEqual(['dmg'])
    expect(targetNames(config.win)).toEqual(['nsis'])
  })

  it('packs the build and the manifest only, into app.asar', () => {
    expect(config.files).toEqual(['out/**/*', 'package.json'])
    expect(config.asar).toBe(true)
    expect(config.directories?.output).toBe('dist')
  })

  it('writes the installers where git does not look', async () => {
    const ignored = (await readFile(join(APP_ROOT, '.gitignore'), 'utf8')).split(/\r?\n/)
    expect(ignored).toContain(`${config.directories?.output}/`)
  })

  it('puts the sample project and the window icon beside app.asar, where main looks for them', () => {
    expect(config.extraResources).toEqual([
      { from: 'resources/sample-project', to: EXTRA_RESOURCE_NAMES.sampleProject },
      { from: 'resources/icon-256.png', to: EXTRA_RESOURCE_NAMES.windowIcon }
    ])
    for (const resource of config.extraResources as Array<{ from: string }>) {
      expect(existsSync(join(APP_ROOT, resource.from)), resource.from).toBe(true)
    }
    expect(statSync(join(APP_ROOT, 'resources/sample-project')).isDirectory()).toBe(true)
  })

  it('flips exactly the listed fuses', () => {
    const { resetAdHocDarwinSignature, ...fuses } = config.electronFuses ?? {}
    expect(fuses).toEqual(PACKAGED_FUSES)
    // Not a fuse: re-signs an unsigned macOS build ad hoc after the flip, so it still launches.
    expect(resetAdHocDarwinSignature).toBe(true)
    expect(PACKAGED_FUSES).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false
    })
    expect(Object.isFrozen(PACKAGED_FUSES)).toBe(true)
  })

  it('names only fuses @electron/fuses knows (electron-builder maps each key to one)', () => {
    const known = Object.keys(FuseV1Options).filter((name) => Number.isNaN(Number(name)))
    for (const key of Object.keys(PACKAGED_FUSES)) {
      expect(known, key).toContain(key.charAt(0).toUpperCase() + key.slice(1))
    }
  })

  it('passes electron-builder’s own schema', async () => {
    // Its validator reads scheme.json only: no network, no Electron. Resolved from
    // electron-builder's folder, so it is the app-builder-lib electron-builder itself runs.
    const fromElectronBuilder = createRequire(createRequire(join(APP_ROOT, 'package.json')).resolve('electron-builder/package.json'))
    const { validateConfiguration } = fromElectronBuilder('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (config: unknown, debugLogger: { isEnabled: boolean; add: () => void }) => Promise<void>
    }
    await expect(validateConfiguration(structuredClone(config), { isEnabled: false, add: () => undefined })).resolves.toBeUndefined()
    await expect(validateConfiguration({ ...structuredClone(config), electronFusez: {} }, { isEnabled: false, add: () => undefined })).rejects.toThrow(/electronFusez/)
  })
})

describe('icons', () => {
  it.each([
    ['resources/icon.png', 1024, 'Linux and macOS'],
    ['resources/icon-256.png', 256, 'Windows and the Linux window'],
    ['src/renderer/public/favicon.png', 64, 'the browser edition']
  ])('%s is %i px square, with transparency (for %s)', async (path, size) => {
    expect(await pngHeader(path)).toEqual({ width: size, height: size, colourType: 6 })
  })

  it('are the ones the configuration names', () => {
    expect(config.linux?.icon).toBe('resources/icon.png')
    expect(config.mac?.icon).toBe('resources/icon.png')
    expect(config.win?.icon).toBe('resources/icon-256.png')
  })

  it('have their SVG source beside them (scripts/make-icons.mjs draws every size from it)', async () => {
    expect(await readFile(join(APP_ROOT, 'resources/icon.svg'), 'utf8')).toContain('viewBox="0 0 1024 1024"')
  })
})

describe('appResourcePaths', () => {
  const mainBuildDir = (root: string): string => join(root, 'out', 'main')

  it('finds the installed app’s files beside app.asar and its build inside it', () => {
    const resourcesPath = join('/opt', 'Quire', 'resources')
    const asar = join(resourcesPath, 'app.asar')
    expect(appResourcePaths({ isPackaged: true, resourcesPath, appPath: asar, mainBuildDir: mainBuildDir(asar) })).toEqual({
      rendererDir: join(asar, 'out', 'renderer'),
      preloadPath: join(asar, 'out', 'preload', 'index.cjs'),
      sampleProjectDir: join(resourcesPath, 'sample-project'),
      windowIcon: join(resourcesPath, 'icon-256.png')
    })
  })

  it('finds them in the repository when run with `electron .`', () => {
    const paths = appResourcePaths({ isPackaged: false, resourcesPath: '/usr/lib/electron/resources', appPath: APP_ROOT, mainBuildDir: mainBuildDir(APP_ROOT) })
    expect(paths).toEqual({
      rendererDir: join(APP_ROOT, 'out', 'renderer'),
      preloadPath: join(APP_ROOT, 'out', 'preload', 'index.cjs'),
      sampleProjectDir: join(APP_ROOT, 'resources', 'sample-project'),
      windowIcon: join(APP_ROOT, 'resources', 'icon-256.png')
    })
    expect(existsSync(paths.sampleProjectDir)).toBe(true)
    expect(existsSync(paths.windowIcon)).toBe(true)
  })
})

/** Package names (not subpaths) that the built JavaScript under `dir` imports or requires. */
async function importedPackages(dir: string): Promise<Set<string>> {
  const names = new Set<string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(c|m)?js$/.test(entry.name)) continue
    const code = await readFile(join(entry.parentPath, entry.name), 'utf8')
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'.][^"']*)["']/g)) {
      const specifier = match[1] ?? ''
      // Only what has the shape of a module name; the same words also occur inside strings.
      if (!/^(node:)?(@[\w.-]+\/)?[\w.-]+(\/[\w./-]+)?$/.test(specifier)) continue
      const parts = specifier.split('/')
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier))
    }
  }
  return names
}

// npm test builds before it tests, so this runs there; a lone vitest run without a build skips it.
describe.skipIf(!existsSync(join(APP_ROOT, 'out', 'main', 'index.js')))('the built app in a package', () => {
  it('imports at run time only Node built-ins, Electron and production dependencies (devDependencies are left out of the package)', async () => {
    const manifest = JSON.parse(await readFile(join(APP_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    const provided = new Set(['electron', ...builtinModules, ...builtinModules.map((name) => `node:${name}`), ...Object.keys(manifest.dependencies)])
    const imported = new Set([...(await importedPackages(join(APP_ROOT, 'out', 'main'))), ...(await importedPackages(join(APP_ROOT, 'out', 'preload')))])
    expect(imported.size).toBeGreaterThan(0)
    expect([...imported].filter((name) => !provided.has(name))).toEqual([])
  })
})
