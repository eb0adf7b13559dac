// Listing and restoring backups of a project's files: what the editor is offered when a file
// cannot be read. Works on the open project, and on a project that failed to open because its
// project.json is damaged (then no project is open and the folder is the file's own).
import { stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { QuireError } from '../../shared/api'
import { DOCUMENT_STATUS_LABELS, type AnnotationLayer, type BackupSummary, type DocumentRecord, type ProjectManifest, type RestoredBackup } from '../../shared/model'
import { BackupStore, type StoredBackup } from '../store/backups'
import { PROJECT_FILE } from '../store/file-kinds'
import { LOCAL_STATE_FOLDER, PROJECT_FILE_NAME, storedFileKindAt, type ProjectStore } from '../store/project-store'
import type { ProjectService } from './project-service'

export class BackupService {
  constructor(private readonly projects: ProjectService) {}

  /** Good backups of `filePath`, newest first (empty when there are none). */
  async list(filePath: string): Promise<BackupSummary[]> {
    const target = await this.locate(filePath)
    const backups = target.store ? await target.store.listBackups(target.path) : await target.backups.list(target.path, PROJECT_FILE)
    return backups.map((backup) => ({ id: backup.id, savedAt: backup.savedAt, sizeBytes: backup.sizeBytes, description: describe(backup) }))
  }

  /** Puts backup `backupId` back as `filePath`; the file it replaces is kept aside. */
  async restore(filePath: string, backupId: string): Promise<RestoredBackup> {
    const target = await this.locate(filePath)
    const { backup, keptAsidePath } = target.store
      ? await target.store.restoreBackup(target.path, backupId)
      : await target.backups.restore(target.path, backupId, PROJECT_FILE)
    return { path: target.path, backupId: backup.id, savedAt: backup.savedAt, keptAsidePath }
  }

  private async locate(filePath: string): Promise<{ path: string; store: ProjectStore; backups?: never } | { path: string; store: null; backups: BackupStore }> {
    const path = resolve(filePath)
    const store = this.projects.current
    if (store && isInside(store.dir, path)) {
      storedFileKindAt(store.dir, path)
      return { path, store }
    }
    if (basename(path) !== PROJECT_FILE_NAME) {
      throw new QuireError({
        code: store ? 'invalid-argument' : 'no-project',
        path,
        message: store ? `${path} is not a file of the open project ${store.manifest.name}` : `Open the project that holds ${path} first`
      })
    }
    // The project.json of a project that could not be opened: restored in place, without a store.
    const projectDir = dirname(path)
    const isFolder = await stat(projectDir).then(
      (info) => info.isDirectory(),
      () => false
    )
    if (!isFolder) throw new QuireError({ code: 'not-found', path: projectDir, message: `There is no folder at ${projectDir}` })
    return { path, store: null, backups: new BackupStore(projectDir, join(projectDir, LOCAL_STATE_FOLDER)) }
  }
}

function isInside(dir: string, path: string): boolean {
  const inside = relative(dir, path)
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)
}

function describe(backup: StoredBackup<unknown>): string {
  // The backup was validated as its file's kind, so its format tells which one it is.
  const data = backup.data as AnnotationLayer | DocumentRecord | ProjectManifest
  switch (data.format) {
    case 'quire-annotations': {
      const count = data.annotations.length
      const status = DOCUMENT_STATUS_LABELS[data.status].toLowerCase()
      return `${count.toLocaleString('en')} ${count === 1 ? 'annotation' : 'annotations'}, ${status}`
    }
    case 'quire-document':
      return `description of “${data.name}”`
    case 'quire-project':
      return `project “${data.name}”, ${data.tags.length} tags`
  }
}
