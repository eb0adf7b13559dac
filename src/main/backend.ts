// QuireBackend answers every API call (src/shared/api.ts) from the services. The Electron IPC
// layer and the browser-edition HTTP server both call it after parsing arguments with
// apiArgumentSchemas, so it runs and is tested in plain Node.
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { describeOversizeFile, MAX_IMPORT_BYTES } from '../core/text-decode'
import { QuireError, type QuireApiCalls } from '../shared/api'
import type {
  AgreementOutcome,
  AgreementScope,
  BackupSummary,
  CurationRequest,
  DisagreementList,
  DisagreementQuery,
  DocumentComparison,
  GitSyncResult,
  GitSyncStatus,
  CurationStart,
  RestoredBackup,
  AnnotationEdit,
  AnnotationEditResult,
  AnnotationImportOptions,
  AnnotationImportReport,
  AppEdition,
  AppInfo,
  StartupState,
  DocumentContent,
  DocumentStatus,
  DocumentListPage,
  DocumentSummary,
  ExportChoices,
  ExportFormat,
  ExportJobStatus,
  ImportProgress,
  ExportRequest,
  ImportFile,
  ImportReport,
  LayerComments,
  LayerContent,
  LayerRef,
  LayerSummary,
  ProjectChanges,
  ProjectSummary,
  RefusedImport,
  ReviewCommentInput,
  UserSettings,
  CleanupPreview,
  CleanupRequest,
  CleanupStepId,
  TextEditRequest,
  TextEditResult,
  TextSaveResult,
  TextHistory
} from '../shared/model'
import type {
  EntityList,
  EntityMention,
  EntityMerge,
  ProjectSearchRequest,
  ProjectSearchResult,
  SuggestionList,
  TagAllChoice,
  TagAllPreview,
  TagAllRequest,
  TagAllResult,
  TagSetChange,
  TagSetResult,
  TagUsage
} from '../shared/finding-model'
import { CURATION_ANNOTATOR, FOLDER_EXPORT_FORMATS, isCurationLayer, STARTUP_DOCUMENTS, type ColourSchemeChoice } from '../shared/model'
import type { ProjectDashboard } from '../shared/dashboard-model'
import { startCuration } from './services/curation-service'
import { computeAgreement, listDisagreements } from './services/agreement-service'
import { computeProjectDashboard } from './services/corpus-stats-service'
import { gitSyncStatus, syncProject } from './services/git-sync-service'
import { foldLeftoverJournals } from './store/leftover-journals'
import { AnnotationService } from './services/annotation-service'
import { BackupService } from './services/backup-service'
import { AnnotationImportService } from './services/annotation-import-service'
import { CorpusExportService } from './services/corpus-export-service'
import { EntityService } from './services/entity-service'
import { readExportChoices } from './services/export-choices'
import { ExportJobs } from './services/export-jobs'
import { ImportJobs } from './services/import-jobs'
import { DocumentService } from './services/document-service'
import { DocumentIndex } from './services/document-index'
import { afterWindowStart, afterWindowTookItsStart, windowStarted } from './services/calls-in-progress'
import { ImportService } from './services/import-service'
import { LayerService } from './services/layer-service'
import { ReviewCommentService } from './services/review-comment-service'
import { CompareService } from './services/compare-service'
import { ProjectChangeTracker } from './services/project-changes'
import { expandUserPath, ProjectService } from './services/project-service'
import { SettingsService } from './services/settings-service'
import { TextEditService } from './services/text-edit-service'
import { TagSetService } from './services/tag-set-service'
import { SuggestionService } from './services/suggestion-service'
import { ProjectSearchService } from './services/project-search-service'
import { TagAllService } from './services/tag-all-service'
import { folderIsMissingOrEmpty, PROJECT_FILE_NAME } from './store/project-store'

/** Native dialogs, supplied by the Electron shell; the browser edition has none. */
export interface DesktopDialogs {
  chooseFolder(purpose: 'new' | 'open'): Promise<string | null>
  chooseTextFiles(): Promise<string[] | null>
  /** Save dialog for a file destination, folder dialog for a folder one. Absent: the UI asks for a typed path. */
  chooseExportDestination?(kind: 'file' | 'folder', format: ExportFormat, suggestedPath: string): Promise<string | null>
  /** Multi-select dialog for brat/CoNLL/JSONL files. Absent: the UI offers a file input. */
  chooseAnnotationFiles?(): Promise<string[] | null>
  /** Reveals a file or folder in the system's file manager. */
  showItemInFolder?(path: string): void
}

export interface QuireBackendOptions {
  userDataDir: string
  /** Folder of .txt files that make up the sample project (resources/sample-project). */
  sampleTextsDir: string
  edition: AppEdition
  version: string
  osUserName: string
  dialogs: DesktopDialogs | null
  /** Defaults to MAX_IMPORT_BYTES; lowered in tests. */
  maxImportBytes?: number
  /** Told each colour-scheme choice once it is kept: the desktop shell makes its native menus and dialogs follow. */
  onColourScheme?: (choice: ColourSchemeChoice) => void
}

/**
 * How long the window's start waits for the document index before it answers with the index's
 * progress instead (the list then follows once the index is made): a small project's index is
 * made in less, and its start looks as ever.
 */
const INDEX_PATIENCE_MS = 400

/** Per chosen annotation file (brat, CoNLL, JSONL); larger corpora are imported with `quire import`. */
export const MAX_ANNOTATION_FILE_BYTES = 256 * 1024 * 1024

export const SAMPLE_PROJECT_FOLDER = 'sample-project'
export const SAMPLE_PROJECT_NAME = 'Sample project'
/** Beside the sample texts: the colleagues' layers the sample project starts with. */
export const SAMPLE_ANNOTATIONS_FILE = 'annotations.jsonl'

interface Services {
  settings: SettingsService
  projects: ProjectService
  documents: DocumentService
  layers: LayerService
  compare: CompareService
  comments: ReviewCommentService
  changes: ProjectChangeTracker
  imports: ImportService
  annotations: AnnotationService
  exportJobs: ExportJobs
  importJobs: ImportJobs
  annotationImports: AnnotationImportService
  backups: BackupService
  textEdits: TextEditService
  tagSet: TagSetService
  entities: EntityService
  suggestions: SuggestionService
  search: ProjectSearchService
  tagAll: TagAllService
}

export class QuireBackend implements QuireApiCalls {
  private servicesPromise: Promise<Services> | null = null
  private readonly maxImportBytes: number

  constructor(private readonly options: QuireBackendOptions) {
    this.maxImportBytes = options.maxImportBytes ?? MAX_IMPORT_BYTES
  }

  /** Settings are read on first use so constructing the backend never fails. */
  private services(): Promise<Services> {
    this.servicesPromise ??= (async () => {
      const settings = await SettingsService.open(this.options.userDataDir)
      if (settings.startupProblem) console.warn(`Quire: ${settings.startupProblem}`)
      const projects = new ProjectService(settings)
      const layers = new LayerService(projects)
      // What the window's first answer does not need waits for it (calls-in-progress.ts).
      const documents = new DocumentService(projects, layers, new DocumentIndex(projects, layers, { checkAfter: afterWindowStart, readAfter: afterWindowTookItsStart }))
      const annotations = new AnnotationService(projects)
      const changes = new ProjectChangeTracker(projects, { firstLookAfter: () => documents.index.whenRead().then(() => afterWindowStart()), pollOnWorker: true })
      // Documents the index finds changed after opening (a sync tool worked while Quire was closed) reach the window as colleagues' changes do.
      documents.index.onRefreshed((documentIds) => changes.noteDocumentsChanged(documentIds))
      // The window's first call lists the documents: the index is read while the window boots.
      projects.onProjectChanged((store) => {
        if (store) documents.index.prepare()
      })
      return {
        settings,
        projects,
        documents,
        layers,
        compare: new CompareService(projects, layers),
        comments: new ReviewCommentService(projects),
        changes,
        imports: new ImportService(projects, this.maxImportBytes, () => documents.index.entries()),
        annotations,
        exportJobs: new ExportJobs(async () => new CorpusExportService(projects)),
        importJobs: new ImportJobs(),
        annotationImports: new AnnotationImportService(projects, () => settings.annotatorName ?? this.options.osUserName),
        backups: new BackupService(projects),
        textEdits: new TextEditService(projects, documents, () => settings.heldNames()),
        tagSet: new TagSetService({ projects, layers, annotations, isOwnName: (annotator) => settings.hasHeldName(annotator) }),
        entities: new EntityService(projects),
        suggestions: new SuggestionService(projects, changes),
        search: new ProjectSearchService(projects, layers),
        tagAll: new TagAllService(projects, layers, annotations)
      }
    })()
    // A failed start (e.g. an unwritable userData folder) is retried on the next call.
    this.servicesPromise.catch(() => {
      this.servicesPromise = null
    })
    return this.servicesPromise
  }

  async getStartup(): Promise<StartupState> {
    try {
      return await this.#startup()
    } finally {
      windowStarted()
    }
  }

  async #startup(): Promise<StartupState> {
    const [appInfo, settings, project] = await Promise.all([this.getAppInfo(), this.getSettings(), this.getCurrentProject()])
    if (!project) return { appInfo, settings, project, documents: [], documentCount: 0, firstDocument: null, changesSeq: 0 }
    const { seq: changesSeq } = await this.getProjectChanges(0)
    const annotator = settings.annotatorName
    const { documents: documentService } = await this.services()
    // After a clean close the list's first screen is kept beside the index: the window starts on
    // it while the whole index is read (a second at 100,000 documents).
    let listStart = await documentService.firstOfListWhileReading(annotator, STARTUP_DOCUMENTS)
    if (listStart === null) {
      // A rebuild of the index is shown in the window as it goes, not behind a blank start.
      const indexProgress = await documentService.index.readyWithin(INDEX_PATIENCE_MS)
      if (indexProgress) return { appInfo, settings, project, documents: [], documentCount: 0, firstDocument: null, changesSeq, indexProgress }
      listStart = await documentService.firstOfList(annotator, STARTUP_DOCUMENTS)
    }
    const { documents, documentCount } = listStart
    const first = documents[0]
    // A first document that fails to open is left to the window's own getDocument call, which
    // reports the failure (and offers a backup) as opening any document does.
    const firstDocument = first && annotator ? await this.getDocument({ documentId: first.id, annotator }).catch(() => null) : null
    return { appInfo, settings, project, documents, documentCount, firstDocument, changesSeq }
  }

  async getAppInfo(): Promise<AppInfo> {
    return {
      edition: this.options.edition,
      version: this.options.version,
      osUserName: this.options.osUserName,
      platform: process.platform,
      maxImportBytes: this.maxImportBytes
    }
  }

  async getSettings(): Promise<UserSettings> {
    return (await this.services()).settings.settings
  }

  async setAnnotatorName(name: string): Promise<UserSettings> {
    return (await this.services()).settings.setAnnotatorName(name)
  }

  async setColourScheme(choice: ColourSchemeChoice): Promise<UserSettings> {
    const settings = await (await this.services()).settings.setColourScheme(choice)
    this.options.onColourScheme?.(settings.colourScheme)
    return settings
  }

  async getCurrentProject(): Promise<ProjectSummary | null> {
    return (await this.services()).projects.summary()
  }

  async chooseProjectFolder(purpose: 'new' | 'open'): Promise<string | null> {
    return this.options.dialogs ? this.options.dialogs.chooseFolder(purpose) : null
  }

  async createProject(dir: string, name: string | null): Promise<ProjectSummary> {
    return (await this.services()).projects.create(dir, name)
  }

  async openProject(dir: string): Promise<ProjectSummary> {
    return (await this.services()).projects.open(dir)
  }

  /** For `--project DIR`: opens the project there, or creates one when DIR is missing or empty. */
  async openOrCreateProject(dir: string): Promise<ProjectSummary> {
    const { projects } = await this.services()
    const absoluteDir = expandUserPath(dir)
    if (await folderIsMissingOrEmpty(absoluteDir)) return projects.create(absoluteDir, null)
    return projects.open(absoluteDir)
  }

  /**
   * Opens the sample project in userData, creating it from the sample texts the first time.
   * Later calls open the same folder, so annotations made in it are kept.
   */
  async openSampleProject(): Promise<ProjectSummary> {
    const { projects, imports } = await this.services()
    const dir = join(this.options.userDataDir, SAMPLE_PROJECT_FOLDER)
    const hasProject = await stat(join(dir, PROJECT_FILE_NAME)).then(
      () => true,
      () => false
    )
    if (!hasProject) await projects.create(dir, SAMPLE_PROJECT_NAME)
    const summary = await projects.open(dir)
    // Also heals a first run that stopped between creating the project and importing.
    if ((await projects.requireProject().listDocuments()).length === 0) {
      const names = (await readdir(this.options.sampleTextsDir)).filter((name) => name.endsWith('.txt')).sort()
      const files: ImportFile[] = []
      for (const name of names) files.push({ name, bytes: await readFile(join(this.options.sampleTextsDir, name)) })
      const report = await imports.importTexts(files, 'Quire sample project')
      for (const refused of report.refused) console.warn(`Quire: sample text not imported: ${refused.reason}`)
      await this.#importSampleAnnotations()
    }
    return summary
  }

  /** Two colleagues' layers on the sample texts, so review, agreement and curation can be tried at once. */
  async #importSampleAnnotations(): Promise<void> {
    const path = join(this.options.sampleTextsDir, SAMPLE_ANNOTATIONS_FILE)
    const bytes = await readFile(path).catch(() => null)
    if (bytes === null) return
    const { annotationImports, documents } = await this.services()
    const report = await annotationImports.importAnnotations([{ name: SAMPLE_ANNOTATIONS_FILE, bytes }], { format: 'jsonl' })
    for (const problem of report.errors) console.warn(`Quire: sample annotations not imported: ${problem.file}:${problem.line}: ${problem.message}`)
    // Where the colleagues stand (a JSONL import carries spans, not statuses): one document
    // annotated by both, one still in progress for Rashad.
    for (const document of report.documents) {
      await documents.setStatus({ documentId: document.documentId, annotator: 'Leyla' }, 'done')
      await documents.setStatus({ documentId: document.documentId, annotator: 'Rashad' }, document.name === 'isesco-education-meeting' ? 'done' : 'in-progress')
    }
  }

  async closeProject(): Promise<void> {
    const { projects, exportJobs, search } = await this.services()
    // An export reads the project as it goes: stop it before the project's lock is released.
    await exportJobs.cancelAll()
    search.forget()
    await projects.close()
  }

  async listDocuments(annotator: string | null): Promise<DocumentSummary[]> {
    return (await this.services()).documents.list(annotator)
  }

  async listDocumentPage(annotator: string | null, from: number, count: number): Promise<DocumentListPage> {
    return (await this.services()).documents.page(annotator, from, count)
  }

  async getDocumentSummaries(annotator: string | null, documentIds: string[]): Promise<DocumentSummary[]> {
    return (await this.services()).documents.summaries(annotator, documentIds)
  }

  async getDocument(layer: LayerRef): Promise<DocumentContent> {
    return (await this.services()).documents.get(layer)
  }

  async listLayers(documentId: string): Promise<LayerSummary[]> {
    return (await this.services()).layers.list(documentId)
  }

  async getLayer(layer: LayerRef): Promise<LayerContent> {
    return (await this.services()).layers.get(layer)
  }

  async setDocumentStatus(layer: LayerRef, status: DocumentStatus): Promise<void> {
    const { documents } = await this.services()
    await this.#assertOwnLayer(layer)
    await documents.setStatus(layer, status)
  }

  async getProjectChanges(since: number): Promise<ProjectChanges> {
    const { changes, documents } = await this.services()
    const found = await changes.since(since)
    const indexProgress = documents.index.openingProgress()
    return indexProgress ? { ...found, indexProgress } : found
  }

  /**
   * Quire never writes a colleague's file: the window may write only the layers of names the
   * user has held since Quire started (so edits made before a rename still save where they
   * were made) and the gold layer.
   */
  async #assertOwnLayer(layer: LayerRef): Promise<void> {
    if (isCurationLayer(layer.annotator)) return
    await this.#assertOwnName(layer.annotator)
  }

  async #assertOwnName(annotator: string, message?: string): Promise<void> {
    const { settings } = await this.services()
    if (settings.hasHeldName(annotator)) return
    throw new QuireError({
      code: 'forbidden',
      message: message ?? `Not saved: the layer of ${annotator} is a colleague's; Quire writes only your own layer and the gold layer`
    })
  }

  async importTexts(files: ImportFile[], jobId?: string): Promise<ImportReport> {
    const { imports, settings, importJobs } = await this.services()
    return importJobs.run(jobId, (control) => imports.importTexts(files, settings.annotatorName ?? this.options.osUserName, control))
  }

  async getImportProgress(jobId: string): Promise<ImportProgress | null> {
    return (await this.services()).importJobs.progress(jobId)
  }

  async cancelImport(jobId: string): Promise<void> {
    ;(await this.services()).importJobs.cancel(jobId)
  }

  async chooseAndImportTexts(jobId?: string): Promise<ImportReport | null> {
    if (!this.options.dialogs) return null
    const { projects } = await this.services()
    projects.requireProject()
    const paths = await this.options.dialogs.chooseTextFiles()
    if (!paths || paths.length === 0) return null
    const files: ImportFile[] = []
    const unreadable: RefusedImport[] = []
    for (const path of paths) {
      const fileName = basename(path)
      try {
        // Checked before reading so a huge file is refused without loading it into memory.
        const { size } = await stat(path)
        if (size > this.maxImportBytes) {
          unreadable.push({ fileName, reason: describeOversizeFile(fileName, size, this.maxImportBytes) })
          continue
        }
        files.push({ name: fileName, bytes: await readFile(path) })
      } catch (error) {
        unreadable.push({ fileName, reason: `"${fileName}" could not be read: ${(error as Error).message}` })
      }
    }
    const report =
      files.length > 0 ? await this.importTexts(files, jobId) : { imported: [], refused: [], duplicates: [] }
    return { ...report, refused: [...unreadable, ...report.refused] }
  }

  async applyAnnotationEdits(layer: LayerRef, edits: AnnotationEdit[]): Promise<AnnotationEditResult> {
    const { annotations, documents } = await this.services()
    await this.#assertOwnLayer(layer)
    // A gold span or decision records who curated it: only the user's own name may be recorded.
    for (const edit of edits) {
      const curator = edit.op === 'decide' ? edit.decision.curator : edit.op === 'add' || edit.op === 'restore' ? edit.annotation.provenance?.curator : undefined
      if (curator !== undefined && edit.op !== 'restore') await this.#assertOwnName(curator, `Not saved: the gold layer records ${curator} as curator, which is not your name`)
    }
    const result = await annotations.applyEdits(layer, edits)
    // The edits are saved by now: a summary that cannot be read, or that would wait for the index
    // to be opened (read or rebuilt, seconds at 100,000 documents), leaves the answer without one
    // (the window then asks for it); it never turns the save into a failure the window would
    // retry, nor holds the save's answer.
    const summary = await documents.summariesIfIndexOpen(layer.annotator, [layer.documentId]).then((found) => found?.[0], () => undefined)
    return summary ? { ...result, summary } : result
  }

  async getExportChoices(): Promise<ExportChoices> {
    return readExportChoices((await this.services()).projects.requireProject())
  }

  async chooseExportDestination(format: ExportFormat, suggestedPath: string): Promise<string | null> {
    const kind = FOLDER_EXPORT_FORMATS.includes(format) ? 'folder' : 'file'
    return this.options.dialogs?.chooseExportDestination?.(kind, format, suggestedPath) ?? null
  }

  async startExport(request: ExportRequest): Promise<{ jobId: string }> {
    const { projects, exportJobs } = await this.services()
    projects.requireProject()
    // A typed path (browser edition) may start with "~", as project paths may.
    return exportJobs.start({ ...request, outPath: expandUserPath(request.outPath) })
  }

  async getExportProgress(jobId: string): Promise<ExportJobStatus> {
    return (await this.services()).exportJobs.status(jobId)
  }

  async cancelExport(jobId: string): Promise<void> {
    ;(await this.services()).exportJobs.cancel(jobId)
  }

  async getTextHistory(documentId: string): Promise<TextHistory> {
    return (await this.services()).textEdits.history(documentId)
  }

  /** Text edits are made under the user's own name, like every save. */
  async saveTextEdit(request: TextEditRequest): Promise<TextSaveResult> {
    await this.#assertOwnName(request.author, `Not saved: text edits are recorded under your own name; ${request.author} is not it`)
    return (await this.services()).textEdits.save(request)
  }

  async previewCleanup(documentId: string, steps: CleanupStepId[]): Promise<CleanupPreview> {
    return (await this.services()).textEdits.previewCleanup(documentId, steps)
  }

  async applyCleanup(request: CleanupRequest): Promise<TextEditResult> {
    await this.#assertOwnName(request.author, `Not saved: text edits are recorded under your own name; ${request.author} is not it`)
    return (await this.services()).textEdits.applyCleanup(request)
  }

  async undoTextRevision(documentId: string, author: string, revisionId: string): Promise<TextEditResult> {
    await this.#assertOwnName(author, `Not saved: text edits are recorded under your own name; ${author} is not it`)
    return (await this.services()).textEdits.undo(documentId, author, revisionId)
  }

  async settleTextFork(documentId: string, author: string, keep: string): Promise<TextEditResult> {
    await this.#assertOwnName(author, `Not saved: settling is recorded under your own name; ${author} is not it`)
    return (await this.services()).textEdits.settleFork(documentId, author, keep)
  }

  async listBackups(filePath: string): Promise<BackupSummary[]> {
    return (await this.services()).backups.list(filePath)
  }

  async restoreBackup(filePath: string, backupId: string): Promise<RestoredBackup> {
    return (await this.services()).backups.restore(filePath, backupId)
  }
  // ---- Issue 10 (finding and annotating faster): built by the helpers, each replaces its stubs. ----

  async searchProject(request: ProjectSearchRequest): Promise<ProjectSearchResult> {
    return (await this.services()).search.search(request)
  }

  async previewTagAll(request: TagAllRequest): Promise<TagAllPreview> {
    return (await this.services()).tagAll.preview(request)
  }

  /** Tag-all writes the annotator's own layers only: the name must be one the user has held. */
  async applyTagAll(request: TagAllRequest, chosen: TagAllChoice[]): Promise<TagAllResult> {
    await this.#assertOwnName(request.annotator, `Nothing was tagged: tag-all writes your own layer; ${request.annotator} is not your name`)
    return (await this.services()).tagAll.apply(request, chosen)
  }

  async getSuggestions(layer: LayerRef): Promise<SuggestionList> {
    return (await this.services()).suggestions.suggestionsFor(layer)
  }

  async updateTagSet(changes: TagSetChange[]): Promise<TagSetResult> {
    return (await this.services()).tagSet.update(changes)
  }

  async getTagUsage(): Promise<TagUsage[]> {
    return (await this.services()).tagSet.usage()
  }

  async listEntities(): Promise<EntityList> {
    return (await this.services()).entities.list()
  }

  async listEntityMentions(entityId: string): Promise<EntityMention[]> {
    return (await this.services()).entities.mentions(entityId)
  }

  async mergeEntities(merge: EntityMerge): Promise<EntityList> {
    return (await this.services()).entities.merge(merge)
  }

  async updateEntity(entityId: string, changes: { name?: string; ref?: string | null }): Promise<EntityList> {
    return (await this.services()).entities.update(entityId, changes)
  }

  async splitEntityAlias(entityId: string, aliasKey: string): Promise<EntityList> {
    return (await this.services()).entities.split(entityId, aliasKey)
  }

  async getDashboard(): Promise<ProjectDashboard> {
    return computeProjectDashboard((await this.services()).projects.requireProject())
  }


  async compareDocument(documentId: string, annotators: string[]): Promise<DocumentComparison> {
    return (await this.services()).compare.compare(documentId, annotators)
  }

  async startCuration(documentId: string, request: CurationRequest): Promise<CurationStart> {
    const { projects, documents, layers, settings } = await this.services()
    if (!settings.hasHeldName(request.curator)) {
      throw new QuireError({ code: 'forbidden', message: `Curation is recorded under your own name; ${request.curator} is not it` })
    }
    const store = projects.requireProject()
    store.assertWritable()
    const outcome = await startCuration(store, layers, documentId, request)
    const content = await documents.get({ documentId, annotator: CURATION_ANNOTATOR })
    return { content, prefilled: outcome.prefilled, created: outcome.created }
  }

  async computeAgreement(scope: AgreementScope): Promise<AgreementOutcome> {
    return computeAgreement((await this.services()).projects.requireProject(), scope)
  }

  async listDisagreements(query: DisagreementQuery): Promise<DisagreementList> {
    return listDisagreements((await this.services()).projects.requireProject(), query)
  }

  async getComments(layer: LayerRef): Promise<LayerComments> {
    return (await this.services()).comments.get(layer)
  }

  async saveReviewComment(layer: LayerRef, comment: ReviewCommentInput): Promise<LayerComments> {
    const { comments } = await this.services()
    await this.#assertOwnLayer(layer)
    return comments.save(layer, comment)
  }

  async deleteReviewComment(layer: LayerRef, commentId: string): Promise<LayerComments> {
    const { comments } = await this.services()
    await this.#assertOwnLayer(layer)
    return comments.delete(layer, commentId)
  }

  async setCommentResolved(layer: LayerRef, commentId: string, reviewer: string, resolved: boolean): Promise<LayerComments> {
    const { comments } = await this.services()
    await this.#assertOwnLayer(layer)
    return comments.setResolved(layer, commentId, reviewer, resolved)
  }

  async getSyncStatus(annotator: string): Promise<GitSyncStatus> {
    return gitSyncStatus((await this.services()).projects.requireProject().dir, { annotator })
  }

  async syncProject(annotator: string): Promise<GitSyncResult> {
    const { projects, changes } = await this.services()
    const store = projects.requireProject()
    store.assertWritable()
    await this.#assertOwnName(annotator)
    // Saves still being written would land between the commit and the pull; saves still in a
    // layer's journal (this session's, or left by a Quire that stopped) go into its file.
    await store.settleWrites()
    await foldLeftoverJournals(store)
    const result = await syncProject(store.dir, { annotator })
    // Files the pull brought are colleagues' changes like any other: reported to the window.
    await changes.noticeChanged(result.changedByOthers.map((path) => join(store.dir, path)))
    return result
  }

  async importAnnotations(files: ImportFile[], options: AnnotationImportOptions, jobId?: string): Promise<AnnotationImportReport> {
    const { annotationImports, importJobs } = await this.services()
    return importJobs.run(jobId, (control) => annotationImports.importAnnotations(files, options, control))
  }

  /** Reads the chosen files in main: the page never hands main a path to read. */
  async chooseAnnotationFiles(): Promise<ImportFile[] | null> {
    const choose = this.options.dialogs?.chooseAnnotationFiles
    if (!choose) return null
    ;(await this.services()).projects.requireProject()
    const paths = await choose()
    if (!paths || paths.length === 0) return null
    const files: ImportFile[] = []
    for (const path of paths) {
      const { size } = await stat(path).catch((error: unknown) => {
        throw new QuireError({ code: 'io', path, message: `${path} could not be read: ${(error as Error).message}` })
      })
      if (size > MAX_ANNOTATION_FILE_BYTES) {
        throw new QuireError({
          code: 'invalid-argument',
          path,
          message: `${basename(path)} is ${(size / 1024 / 1024).toFixed(0)} MB; annotation files up to ${MAX_ANNOTATION_FILE_BYTES / 1024 / 1024} MB can be imported`
        })
      }
      files.push({ name: basename(path), bytes: await readFile(path) })
    }
    return files
  }

  /** Only what an export of this session wrote may be revealed: the page cannot probe other paths. */
  async showExportInFolder(path: string): Promise<boolean> {
    const show = this.options.dialogs?.showItemInFolder
    if (!show) return false
    if (!(await this.services()).exportJobs.wrote(path)) {
      throw new QuireError({ code: 'forbidden', message: `${path} was not written by an export in this session`, path })
    }
    show(path)
    return true
  }
}

function notBuiltYet(method: string): QuireError {
  return new QuireError({ code: 'internal', message: `${method} is not built yet` })
}
