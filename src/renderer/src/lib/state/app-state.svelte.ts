// The application's state above one document: app info, settings, the open project, its
// documents, imports and errors. Components call these methods; nothing here touches the DOM.
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type { AppInfo, DocumentStatus, DocumentSummary, ImportFile, ImportReport, MenuCommand, ProjectSummary, TagDefinition, UserSettings } from '../../../../shared/model'
import { DEFAULT_TAGS } from '../../../../shared/model'
import { DocumentSession } from './document-session.svelte'
import { BackupOffer } from './backup-offer.svelte'

export type Screen = 'loading' | 'start' | 'name' | 'workspace'

export class AppState {
  readonly api: QuireApi
  appInfo = $state<AppInfo | null>(null)
  settings = $state<UserSettings | null>(null)
  project = $state<ProjectSummary | null>(null)
  documents = $state.raw<DocumentSummary[]>([])
  session = $state.raw<DocumentSession | null>(null)
  /** Documents left while some of their edits were still unsaved; they keep retrying and stay on screen as warnings. */
  unsavedElsewhere = $state.raw<DocumentSession[]>([])
  importReport = $state.raw<ImportReport | null>(null)
  /** Backups offered when the error is about a damaged project file. */
  readonly backupOffer: BackupOffer
  #error = $state<QuireError | null>(null)
  busy = $state<string | null>(null)
  loaded = $state(false)
  /** Set when the name dialog was asked for explicitly (e.g. from the status bar). */
  editingName = $state(false)

  constructor(api: QuireApi) {
    this.api = api
    this.backupOffer = new BackupOffer(api)
  }

  /** A failure the user must see (opening a project, importing…); cleared when dismissed or on success. */
  get error(): QuireError | null {
    return this.#error
  }

  set error(error: QuireError | null) {
    this.#error = error
    void this.backupOffer.offerFor(error)
  }

  get screen(): Screen {
    if (!this.loaded) return 'loading'
    if (!this.settings?.annotatorName || this.editingName) return 'name'
    return this.project ? 'workspace' : 'start'
  }

  get tags(): readonly TagDefinition[] {
    return this.project?.manifest.tags ?? DEFAULT_TAGS
  }

  get isBrowserEdition(): boolean {
    return this.appInfo?.edition === 'browser'
  }

  async init(): Promise<void> {
    await this.#run('Starting', async () => {
      const [appInfo, settings, project] = await Promise.all([this.api.getAppInfo(), this.api.getSettings(), this.api.getCurrentProject()])
      this.appInfo = appInfo
      this.settings = settings
      if (project) await this.#enterProject(project)
    })
    this.loaded = true
  }

  async setAnnotatorName(name: string): Promise<boolean> {
    const trimmed = name.trim()
    if (trimmed === '') {
      this.error = new QuireError({ code: 'invalid-argument', message: 'Please enter your name: it is recorded with every annotation you make.' })
      return false
    }
    const ok = await this.#run('Saving your name', async () => {
      this.settings = await this.api.setAnnotatorName(trimmed)
    })
    if (ok) this.editingName = false
    if (ok && this.project) {
      // Statuses and counts are the annotator's own; a project opened before the first name
      // was given (quire --project DIR) also shows its first document now.
      await this.refreshDocuments()
      const first = this.documents[0]
      if (!this.session && first) await this.openDocument(first.id)
    }
    return ok
  }

  /** Desktop: asks for a folder; browser edition: uses the typed path. */
  async createProject(typedPath?: string, name?: string): Promise<void> {
    if (this.#refuseWhileUnsaved()) return
    await this.#run('Creating the project', async () => {
      const folder = typedPath?.trim() || (await this.api.chooseProjectFolder('new'))
      if (!folder) return
      await this.#enterProject(await this.api.createProject(folder, name?.trim() || null))
    })
  }

  async openProject(typedPath?: string): Promise<void> {
    if (this.#refuseWhileUnsaved()) return
    await this.#run('Opening the project', async () => {
      const folder = typedPath?.trim() || (await this.api.chooseProjectFolder('open'))
      if (!folder) return
      await this.#enterProject(await this.api.openProject(folder))
    })
  }

  async openSampleProject(): Promise<void> {
    if (this.#refuseWhileUnsaved()) return
    await this.#run('Opening the sample project', async () => {
      await this.#enterProject(await this.api.openSampleProject())
    })
  }

  async closeProject(): Promise<void> {
    if (this.#refuseWhileUnsaved()) return
    const session = this.session
    await this.#run('Closing the project', async () => {
      await this.api.closeProject()
      session?.dispose()
      this.session = null
      this.project = null
      this.documents = []
      this.settings = await this.api.getSettings()
    })
  }

  async openDocument(documentId: string): Promise<void> {
    if (this.session?.documentId === documentId) return
    const unsaved = this.unsavedElsewhere.find((candidate) => candidate.documentId === documentId)
    if (unsaved) {
      // Its unsaved edits live only in that session; reading the file again would hide them.
      this.#leave(this.session)
      this.unsavedElsewhere = this.unsavedElsewhere.filter((candidate) => candidate !== unsaved)
      this.session = unsaved
      return
    }
    await this.#run('Opening the document', () => this.#showDocument(documentId))
  }

  /**
   * Puts the newest backup of the damaged file the current error names back in place (main
   * keeps the damaged file aside), then opens again what failed to open.
   */
  async restoreNewestBackup(): Promise<void> {
    const path = this.error?.path
    const backup = this.backupOffer.newest
    if (path === undefined || !backup) return
    await this.#run('Restoring the backup', async () => {
      const restored = await this.api.restoreBackup(path, backup.id)
      await this.#reopenAfterRestore(path)
      this.backupOffer.restored = restored
    })
  }

  async #reopenAfterRestore(path: string): Promise<void> {
    const projectFile = /[\\/]project\.json$/
    if (projectFile.test(path)) {
      const dir = path.replace(projectFile, '')
      if (this.project?.path !== dir) await this.#enterProject(await this.api.openProject(dir))
      return
    }
    this.documents = await this.api.listDocuments()
    const documentId = /[\\/]documents[\\/]([a-z0-9][a-z0-9-]*)[\\/]/.exec(path)?.[1]
    if (documentId !== undefined && this.session?.documentId !== documentId) await this.#showDocument(documentId)
  }

  async #showDocument(documentId: string): Promise<void> {
    const content = await this.api.getDocument(documentId)
    const previous = this.session
    this.session = new DocumentSession({
      content,
      tags: this.tags,
      saveEdits: async (id, edits) => {
        const result = await this.api.applyAnnotationEdits(id, edits)
        void this.refreshDocuments()
        return result
      },
      readOnlyReason: this.project?.readOnly ? (this.project.readOnlyReason ?? 'it is open elsewhere') : null
    })
    this.#leave(previous)
  }

  /**
   * True (with the reason shown, and the saves retried) while edits are unsaved: they are
   * saved into the open project, so it must stay open until they are.
   */
  #refuseWhileUnsaved(): boolean {
    const unsaved = [this.session, ...this.unsavedElsewhere].filter((candidate) => candidate !== null && candidate.saveQueue.pendingCount > 0)
    if (unsaved.length === 0) return false
    this.error = new QuireError({ code: 'io', message: 'Some changes are not saved yet; the project stays open until they are.' })
    for (const pending of unsaved) pending?.saveQueue.retryNow()
    return true
  }

  /** Disposes a session left behind, or keeps it retrying (and warning) while it has unsaved edits. */
  #leave(previous: DocumentSession | null): void {
    if (!previous) return
    if (previous.saveQueue.pendingCount === 0) {
      previous.dispose()
      return
    }
    this.unsavedElsewhere = [...this.unsavedElsewhere, previous]
    void previous.saveQueue.whenIdle().then(() => {
      if (!this.unsavedElsewhere.includes(previous)) return
      this.unsavedElsewhere = this.unsavedElsewhere.filter((candidate) => candidate !== previous)
      previous.dispose()
    })
  }

  async setDocumentStatus(documentId: string, status: DocumentStatus): Promise<void> {
    await this.#run('Saving the status', async () => {
      await this.api.setDocumentStatus(documentId, status)
      if (this.session?.documentId === documentId) this.session.status = status
      await this.refreshDocuments()
    })
  }

  async refreshDocuments(): Promise<void> {
    try {
      this.documents = await this.api.listDocuments()
    } catch (caught) {
      this.error = QuireError.from(caught)
    }
  }

  /** Desktop: native file dialog. Returns false when the caller must offer a file input instead (browser edition). */
  async chooseAndImportTexts(): Promise<boolean> {
    if (this.isBrowserEdition) return false
    await this.#run('Importing texts', async () => {
      const report = await this.api.chooseAndImportTexts()
      if (report) await this.#afterImport(report)
    })
    return true
  }

  async importFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return
    await this.#run('Importing texts', async () => {
      const payload: ImportFile[] = []
      for (const file of files) payload.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
      await this.#afterImport(await this.api.importTexts(payload))
    })
  }

  dismissError(): void {
    this.error = null
  }

  dismissImportReport(): void {
    this.importReport = null
  }

  /** Native menu commands run the same actions as the buttons. `chooseFiles` opens the browser file input. */
  async handleMenuCommand(command: MenuCommand, chooseFiles: () => void): Promise<void> {
    switch (command) {
      case 'new-project':
        return this.createProject()
      case 'open-project':
        return this.openProject()
      case 'open-sample-project':
        return this.openSampleProject()
      case 'close-project':
        return this.closeProject()
      case 'import-texts':
        if (this.project && !(await this.chooseAndImportTexts())) chooseFiles()
        return
      case 'undo':
        this.session?.undo()
        return
      case 'redo':
        this.session?.redo()
        return
    }
  }

  async #afterImport(report: ImportReport): Promise<void> {
    this.importReport = report
    await this.refreshDocuments()
    const first = report.imported[0]
    if (!this.session && first) await this.openDocument(first.documentId)
  }

  async #enterProject(project: ProjectSummary): Promise<void> {
    this.session?.dispose()
    this.session = null
    this.project = project
    this.documents = await this.api.listDocuments()
    const first = this.documents[0]
    // Called inside #run: a document that fails to open must fail it, or the run's success
    // would clear the error (a damaged annotation file) before the editor saw it.
    if (first && this.settings?.annotatorName) await this.#showDocument(first.id)
  }

  async #run(what: string, action: () => Promise<void>): Promise<boolean> {
    this.busy = what
    try {
      await action()
      this.error = null
      return true
    } catch (caught) {
      this.error = QuireError.from(caught)
      return false
    } finally {
      this.busy = null
    }
  }
}
