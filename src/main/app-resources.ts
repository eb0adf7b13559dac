// Where the desktop app finds its own files, installed or run from the source tree. The
// installer puts the built code in app.asar and copies the files main reads from disk at run
// time (the sample project, the window icon) beside it: electron-builder.config.mjs's
// extraResources, whose `to` names must match EXTRA_RESOURCE_NAMES.
import { join } from 'node:path'

export const EXTRA_RESOURCE_NAMES = { sampleProject: 'sample-project', windowIcon: 'icon-256.png' } as const

export interface AppRuntime {
  isPackaged: boolean
  /** process.resourcesPath: the installed app's resources folder, holding app.asar and the extra resources. */
  resourcesPath: string
  /** app.getAppPath(): the folder with package.json (the repository when run with `electron .`). */
  appPath: string
  /** The folder of the built main process, out/main (inside app.asar once installed). */
  mainBuildDir: string
}

export interface AppResourcePaths {
  /** The built renderer that app:// serves. */
  rendererDir: string
  preloadPath: string
  sampleProjectDir: string
  /** The window's icon (used on Linux; macOS and Windows take the bundle's icon). */
  windowIcon: string
}

export function appResourcePaths(runtime: AppRuntime): AppResourcePaths {
  // Built files sit beside main's build, packaged or not: out/{main,preload,renderer}.
  const builtFile = (...parts: string[]): string => join(runtime.mainBuildDir, '..', ...parts)
  const resourcesDir = runtime.isPackaged ? runtime.resourcesPath : join(runtime.appPath, 'resources')
  return {
    rendererDir: builtFile('renderer'),
    preloadPath: builtFile('preload', 'index.cjs'),
    sampleProjectDir: join(resourcesDir, EXTRA_RESOURCE_NAMES.sampleProject),
    windowIcon: join(resourcesDir, EXTRA_RESOURCE_NAMES.windowIcon)
  }
}
