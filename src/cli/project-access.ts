// Opening a project from the command line. The CLI takes the same per-computer lock as the
// app: when Quire has the project open, commands that write refuse (nothing is changed), and
// commands that only read go ahead on what the app has saved.
import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import { SettingsService } from '../main/services/settings-service'
import { folderIsMissingOrEmpty, ProjectStore } from '../main/store/project-store'
import { defaultUserDataDir } from '../main/user-data'
import { QuireError } from '../shared/api'
import { basename, dirname, join } from 'node:path'
import { readdir, rm, stat } from 'node:fs/promises'

export async function openProjectForReading(dir: string): Promise<ProjectStore> {
  return ProjectStore.open(resolve(dir))
}

/** What creating a project added to the disk, so a command that then fails can take it back. */
export interface CreatedProject {
  /** The outermost folder that did not exist before (the project folder or one of its parents), or null. */
  newFolder: string | null
  /** When the project folder existed (empty but for system litter): what it held before. */
  entriesBefore: readonly string[]
}

/** Opens (or creates, when `createWhenMissing` and the folder is missing or empty) the project for writing. */
export async function openProjectForWriting(
  dir: string,
  createWhenMissing: boolean
): Promise<{ store: ProjectStore; created: boolean; creation: CreatedProject | null }> {
  const absolute = resolve(dir)
  const create = createWhenMissing && (await folderIsMissingOrEmpty(absolute))
  const creation = create ? await whatCreatingAdds(absolute) : null
  const store = create ? await ProjectStore.create(absolute, basename(absolute) || 'Untitled project') : await ProjectStore.open(absolute)
  if (store.readOnlyReason !== null) {
    await store.close()
    throw new QuireError({ code: 'read-only', path: absolute, message: `Nothing was changed in ${absolute}: ${store.readOnlyReason}` })
  }
  return { store, created: create, creation }
}

async function whatCreatingAdds(dir: string): Promise<CreatedProject> {
  let newFolder: string | null = null
  for (let folder = dir; ; folder = dirname(folder)) {
    if (await exists(folder)) break
    newFolder = folder
    if (dirname(folder) === folder) break
  }
  return { newFolder, entriesBefore: newFolder === null ? await readdir(dir) : [] }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

/**
 * Takes back a project this command created, after the store is closed: the folders that did
 * not exist, or what was added to a folder that was empty, so a failed first import leaves the
 * disk as it was instead of an empty project.
 */
export async function discardCreatedProject(dir: string, creation: CreatedProject): Promise<void> {
  if (creation.newFolder !== null) {
    await rm(creation.newFolder, { recursive: true, force: true })
    return
  }
  const absolute = resolve(dir)
  const before = new Set(creation.entriesBefore)
  for (const entry of await readdir(absolute)) {
    if (!before.has(entry)) await rm(join(absolute, entry), { recursive: true, force: true })
  }
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
