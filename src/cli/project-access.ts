// Opening a project from the command line. The CLI takes the same per-computer lock as the
// app: when Quire has the project open, commands that write refuse (nothing is changed), and
// commands that only read go ahead on what the app has saved.
import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import { SettingsService } from '../main/services/settings-service'
import { folderIsMissingOrEmpty, ProjectStore } from '../main/store/project-store'
import { defaultUserDataDir } from '../main/user-data'
import { QuireError } from '../shared/api'
import { basename } from 'node:path'

export async function openProjectForReading(dir: string): Promise<ProjectStore> {
  return ProjectStore.open(resolve(dir))
}

/** Opens (or creates, when `createWhenMissing` and the folder is missing or empty) the project for writing. */
export async function openProjectForWriting(dir: string, createWhenMissing: boolean): Promise<{ store: ProjectStore; created: boolean }> {
  const absolute = resolve(dir)
  const create = createWhenMissing && (await folderIsMissingOrEmpty(absolute))
  const store = create ? await ProjectStore.create(absolute, basename(absolute) || 'Untitled project') : await ProjectStore.open(absolute)
  if (store.readOnlyReason !== null) {
    await store.close()
    throw new QuireError({ code: 'read-only', path: absolute, message: `Nothing was changed in ${absolute}: ${store.readOnlyReason}` })
  }
  return { store, created: create }
}

/** --annotator, else the name set in Quire, else the operating system's user name. */
export async function resolveAnnotatorName(option: string | undefined): Promise<string> {
  if (option !== undefined) return option
  const settings = await SettingsService.open(defaultUserDataDir())
  return settings.annotatorName ?? osUserName()
}

function osUserName(): string {
  try {
    return userInfo().username || 'unknown'
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
}
