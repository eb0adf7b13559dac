// Where the browser edition finds the app's own files when run from the source tree (tsx, tests).
import { userInfo } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const APP_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const RENDERER_BUILD_DIR = join(APP_ROOT, 'out', 'renderer')
export const RENDERER_SOURCE_DIR = join(APP_ROOT, 'src', 'renderer')
export const SAMPLE_TEXTS_DIR = join(APP_ROOT, 'resources', 'sample-project')

/** userInfo() throws for a uid without a passwd entry (common in containers). */
export function currentOsUserName(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER || process.env.LOGNAME || 'annotator'
  }
}
