// Which project is open, and opening, creating and closing one.
import { homedir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { QuireError } from '../../shared/api'
import type { ProjectSummary } from '../../shared/model'
import { ProjectStore } from '../store/project-store'
import type { SettingsService } from './settings-service'

export class ProjectService {
  private store: ProjectStore | null = null
  readonly #listeners = new Set<(store: ProjectStore | null) => void>()

  constructor(private readonly settings: SettingsService) {}

  get current(): ProjectStore | null {
    return this.store
  }

  /** Called with the new store whenever another project is opened, and with null when it is closed. */
  onProjectChanged(listener: (store: ProjectStore | null) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  requireProject(): ProjectStore {
    if (!this.store) throw new QuireError({ code: 'no-project', message: 'Open or create a project first' })
    return this.store
  }

  summary(): ProjectSummary | null {
    if (!this.store) return null
    const summary: ProjectSummary = { path: this.store.dir, manifest: structuredClone(this.store.manifest), readOnly: this.store.readOnly }
    if (this.store.readOnlyReason !== null) summary.readOnlyReason = this.store.readOnlyReason
    return summary
  }

  /** Creates the project (name defaults to the folder's name), opens it and lists it as recent. */
  async create(dir: string, name: string | null): Promise<ProjectSummary> {
    const absoluteDir = expandUserPath(dir)
    const projectName = name?.trim() || basename(absoluteDir) || 'Untitled project'
    return this.adopt(await ProjectStore.create(absoluteDir, projectName))
  }

  async open(dir: string): Promise<ProjectSummary> {
    const absoluteDir = expandUserPath(dir)
    // Reopening the open project keeps its store, so saves still queued on its annotation
    // files are not raced by a second store writing the same files.
    if (this.store?.dir === absoluteDir) return this.adopt(this.store)
    return this.adopt(await ProjectStore.open(absoluteDir))
  }

  async close(): Promise<void> {
    const closing = this.store
    this.store = null
    if (closing) for (const listener of this.#listeners) listener(null)
    await closing?.close()
  }

  private async adopt(store: ProjectStore): Promise<ProjectSummary> {
    const isNew = this.store !== store
    if (isNew) await this.close()
    this.store = store
    if (isNew) for (const listener of this.#listeners) listener(store)
    await this.settings.addRecentProject(store.dir, store.manifest.name)
    return this.summary() as ProjectSummary
  }
}

/** Absolute path; a leading "~" means the home folder, as people type it in the browser edition. */
export function expandUserPath(path: string): string {
  if (path === '~') return homedir()
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2))
  return resolve(path)
}
