// The user's own settings (annotator name, recent projects), kept in <userData>/settings.json.
import { mkdir, rename } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Low } from 'lowdb'
import { personNameSchema } from '../../shared/api-schemas'
import { QuireError } from '../../shared/api'
import { COLOUR_SCHEME_CHOICES, type ColourSchemeChoice, type RecentProject, type UserSettings } from '../../shared/model'
import { SETTINGS_FILE, type SettingsFile } from '../store/file-kinds'
import { openJsonFile } from '../store/json-store'

export const SETTINGS_FILE_NAME = 'settings.json'
export const MAX_RECENT_PROJECTS = 10

export class SettingsService {
  private queue: Promise<unknown> = Promise.resolve()
  /** Every name the user has had since Quire started: edits made under an earlier name still save to that name's layer. */
  readonly #namesHeld = new Set<string>()

  private constructor(
    private readonly database: Low<SettingsFile>,
    /** Set when an unreadable settings file was moved aside at startup; say so to the user. */
    readonly startupProblem: string | null
  ) {
    if (database.data.annotatorName !== null) this.#namesHeld.add(database.data.annotatorName)
  }

  /**
   * Reads the settings. Settings are not the user's work product and an app that cannot start
   * helps nobody, so an unreadable settings.json is renamed aside (kept, never overwritten)
   * and Quire starts with fresh settings.
   */
  static async open(userDataDir: string): Promise<SettingsService> {
    await mkdir(userDataDir, { recursive: true })
    const path = join(userDataDir, SETTINGS_FILE_NAME)
    const fresh = (): Low<SettingsFile> =>
      openJsonFile(path, SETTINGS_FILE, {
        format: 'quire-settings',
        schemaVersion: SETTINGS_FILE.currentVersion,
        annotatorName: null,
        recentProjects: [],
        colourScheme: 'system'
      })
    const database = fresh()
    try {
      await database.read()
      return new SettingsService(database, null)
    } catch (error) {
      const problem = QuireError.from(error)
      if (problem.code !== 'corrupt-store' && problem.code !== 'unsupported-version') throw error
      const asidePath = join(userDataDir, `settings.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
      await rename(path, asidePath)
      const replacement = fresh()
      await replacement.read()
      return new SettingsService(replacement, `${problem.message} It was kept as ${asidePath}; Quire started with fresh settings.`)
    }
  }

  get settings(): UserSettings {
    const { annotatorName, recentProjects, colourScheme } = this.database.data
    return { annotatorName, recentProjects: recentProjects.map((recent) => ({ ...recent })), colourScheme }
  }

  get annotatorName(): string | null {
    return this.database.data.annotatorName
  }

  /** True when the user has been called `name` at some point since Quire started (their own layers). */
  hasHeldName(name: string): boolean {
    return this.#namesHeld.has(name)
  }

  /** Every name the user has held since Quire started. */
  heldNames(): string[] {
    return [...this.#namesHeld]
  }

  async setAnnotatorName(name: string): Promise<UserSettings> {
    const parsed = personNameSchema.safeParse(name)
    if (!parsed.success) {
      throw new QuireError({ code: 'invalid-argument', message: parsed.error.issues[0]?.message ?? 'invalid annotator name' })
    }
    await this.change((settings) => {
      settings.annotatorName = parsed.data
    })
    this.#namesHeld.add(parsed.data)
    return this.settings
  }

  async setColourScheme(choice: ColourSchemeChoice): Promise<UserSettings> {
    if (!COLOUR_SCHEME_CHOICES.includes(choice)) {
      throw new QuireError({ code: 'invalid-argument', message: `"${String(choice)}" is not a colour scheme (system, light or dark)` })
    }
    await this.change((settings) => {
      settings.colourScheme = choice
    })
    return this.settings
  }

  /** Moves (or adds) the project to the top of the recent list, keeping at most ten. */
  async addRecentProject(path: string, name: string): Promise<UserSettings> {
    const absolutePath = resolve(path)
    const entry: RecentProject = { path: absolutePath, name, openedAt: new Date().toISOString() }
    await this.change((settings) => {
      settings.recentProjects = [entry, ...settings.recentProjects.filter((recent) => recent.path !== absolutePath)].slice(
        0,
        MAX_RECENT_PROJECTS
      )
    })
    return this.settings
  }

  private change(edit: (draft: SettingsFile) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const saved = this.database.data
      const draft = structuredClone(saved)
      edit(draft)
      this.database.data = draft
      try {
        await this.database.write()
      } catch (error) {
        this.database.data = saved
        throw error
      }
    })
    this.queue = run.catch(() => undefined)
    return run
  }
}
