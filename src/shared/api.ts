// The one contract between the renderer and the main process. The Electron preload
// (src/preload) and the browser-edition client (src/renderer/src/lib/http-api.ts) both
// implement it; src/main/api-handlers.ts serves it from plain services.
import type {
  AgreementOutcome,
  AgreementScope,
  BackupSummary,
  CurationRequest,
  DisagreementList,
  DisagreementQuery,
  DocumentComparison,
  DocumentListPage,
  GitSyncResult,
  GitSyncStatus,
  CurationStart,
  RestoredBackup,
  AnnotationEdit,
  AnnotationEditResult,
  CleanupPreview,
  CleanupRequest,
  CleanupStepId,
  TextEditRequest,
  TextEditResult,
  TextSaveResult,
  TextHistory,
  AnnotationImportOptions,
  AnnotationImportReport,
  AppInfo,
  StartupState,
  DocumentContent,
  DocumentStatus,
  DocumentSummary,
  ExportChoices,
  ExportFormat,
  ExportJobStatus,
  ExportRequest,
  ImportFile,
  ImportProgress,
  ImportReport,
  LayerComments,
  LayerContent,
  LayerRef,
  LayerSummary,
  MenuCommand,
  ProjectChanges,
  ProjectSummary,
  ReviewCommentInput,
  UserSettings,
  ColourSchemeChoice
} from './model'
import type { ProjectDashboard } from './dashboard-model'
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
} from './finding-model'

/** Calls answered by main. Every argument is schema-checked there (src/shared/api-schemas.ts). */
export interface QuireApiCalls {
  /** App info, settings, the open project, its documents and the first one's content: the window's start in one call. */
  getStartup(): Promise<StartupState>
  getAppInfo(): Promise<AppInfo>
  getSettings(): Promise<UserSettings>
  setAnnotatorName(name: string): Promise<UserSettings>
  /** Keeps the window's colour scheme (system, light or dark) in the user's settings. */
  setColourScheme(choice: ColourSchemeChoice): Promise<UserSettings>

  getCurrentProject(): Promise<ProjectSummary | null>
  /** Native folder picker on the desktop; null in the browser edition, where the UI asks for a path. */
  chooseProjectFolder(purpose: 'new' | 'open'): Promise<string | null>
  createProject(dir: string, name: string | null): Promise<ProjectSummary>
  openProject(dir: string): Promise<ProjectSummary>
  openSampleProject(): Promise<ProjectSummary>
  closeProject(): Promise<void>

  /** Every document; status and counts are those of `annotator`'s layers (none when null). */
  listDocuments(annotator: string | null): Promise<DocumentSummary[]>
  /**
   * `count` documents of listDocuments' list from place `from`, with the list's length and
   * version: the window takes a long list a page at a time, so no answer (and no task in main or
   * the window) grows with the project. A page of another version than the first's means the
   * list changed between them (documents added, removed or renamed): start again.
   */
  listDocumentPage(annotator: string | null, from: number, count: number): Promise<DocumentListPage>
  /**
   * The summaries of the documents named (those that exist, in the order named), as
   * listDocuments has them: after a save, only the changed documents cross to the window.
   */
  getDocumentSummaries(annotator: string | null, documentIds: string[]): Promise<DocumentSummary[]>
  /** A document's text with the named layer (empty when that annotator has none yet) and a summary of every layer. */
  getDocument(layer: LayerRef): Promise<DocumentContent>
  /** Every annotator's layer on the document, the gold layer included; unreadable files are listed with their problem. */
  listLayers(documentId: string): Promise<LayerSummary[]>
  /** One layer as saved (read-only use: a colleague's layer, or the gold layer for comparison). */
  getLayer(layer: LayerRef): Promise<LayerContent>
  setDocumentStatus(layer: LayerRef, status: DocumentStatus): Promise<void>
  /**
   * What changed in the project folder since `since` (0 at first): colleagues' files arriving
   * through a synced folder. Quire's own saves are not reported.
   */
  getProjectChanges(since: number): Promise<ProjectChanges>
  /** `jobId`, made by the window, names the import for getImportProgress and cancelImport. */
  importTexts(files: ImportFile[], jobId?: string): Promise<ImportReport>
  /** Native multi-select file dialog then import; null when cancelled or in the browser edition. */
  chooseAndImportTexts(jobId?: string): Promise<ImportReport | null>
  /** How far the import named `jobId` is while its call runs; null before it starts and once it has answered. */
  getImportProgress(jobId: string): Promise<ImportProgress | null>
  /** Stops that import after the batch being written: it answers with `cancelled`, keeping the whole batches written. */
  cancelImport(jobId: string): Promise<void>

  /**
   * Resolves only once the change is durably on disk. Only the user's own layers (names held
   * in this session) and the gold layer can be written; a colleague's file never is.
   */
  applyAnnotationEdits(layer: LayerRef, edits: AnnotationEdit[]): Promise<AnnotationEditResult>

  /** Annotators present in the project and a suggested destination per format. */
  getExportChoices(): Promise<ExportChoices>
  /** Native save (file formats) or folder (brat, TEI) dialog; null when cancelled or in the browser edition. */
  chooseExportDestination(format: ExportFormat, suggestedPath: string): Promise<string | null>
  /** Starts an export in main; poll getExportProgress with the job id. */
  startExport(request: ExportRequest): Promise<{ jobId: string }>
  /** Finished jobs are kept for a few minutes after they end. */
  getExportProgress(jobId: string): Promise<ExportJobStatus>
  /** Stops the export between documents; the job then finishes with result.cancelled. */
  cancelExport(jobId: string): Promise<void>
  /** Desktop: reveals an export's output in the file manager. False in the browser edition. */
  showExportInFolder(path: string): Promise<boolean>

  /**
   * Compares the named layers of a document (compare mode and curation): every span position,
   * agreed or not, in columns. An annotator without a layer there is listed as missing.
   */
  compareDocument(documentId: string, annotators: string[]): Promise<DocumentComparison>
  /**
   * Opens a document's gold layer for curation, creating it pre-filled by the request's
   * strategy when curation has not begun (a gold layer with work in it is never replaced).
   */
  startCuration(documentId: string, request: CurationRequest): Promise<CurationStart>

  /**
   * Agreement figures over the chosen documents and annotators (span F1, token κ and α; see
   * docs/AGREEMENT.md). Files that cannot be read are listed and count as missing layers.
   */
  computeAgreement(scope: AgreementScope): Promise<AgreementOutcome>
  /** The disagreements behind one cell of the agreement screen, in document order. */
  listDisagreements(query: DisagreementQuery): Promise<DisagreementList>

  /** Whether the project is a git repository and what a sync by `annotator` would do (no network). */
  getSyncStatus(annotator: string): Promise<GitSyncStatus>
  /**
   * Commits the annotator's own files, pulls colleagues' commits (rebase) and pushes. On a
   * conflict nothing is merged and the working tree is left as it was; the error names the file.
   */
  syncProject(annotator: string): Promise<GitSyncResult>

  /** Review comments written by the layer's annotator, and colleagues' comments on its spans. */
  getComments(layer: LayerRef): Promise<LayerComments>
  /** Adds or changes a comment on a colleague's span, kept in the reviewer's own layer (`layer`). */
  saveReviewComment(layer: LayerRef, comment: ReviewCommentInput): Promise<LayerComments>
  deleteReviewComment(layer: LayerRef, commentId: string): Promise<LayerComments>
  /** Marks a colleague's comment on one of your spans resolved, or open again, in your own layer. */
  setCommentResolved(layer: LayerRef, commentId: string, reviewer: string, resolved: boolean): Promise<LayerComments>

  /** A document's text revisions, its head, and any problem (damaged file, two revisions with one parent). */
  getTextHistory(documentId: string): Promise<TextHistory>
  /**
   * Saves an edit of the text as a new revision (under the project lock) and maps every
   * layer's spans through it. Refused when baseRevision is not the head any more.
   */
  saveTextEdit(request: TextEditRequest): Promise<TextSaveResult>
  /** What the cleanup steps would change, step by step, without changing anything. */
  previewCleanup(documentId: string, steps: CleanupStepId[]): Promise<CleanupPreview>
  /** Applies the cleanup steps as one revision. */
  applyCleanup(request: CleanupRequest): Promise<TextEditResult>
  /** Undoes the head revision with a new revision; spans it deleted come back. */
  undoTextRevision(documentId: string, author: string, revisionId: string): Promise<TextEditResult>
  /** Settles two revisions with the same parent: `keep` stays, the others are set aside (kept, not deleted). */
  settleTextFork(documentId: string, author: string, keep: string): Promise<TextEditResult>

  /** Validates every file before writing anything; see AnnotationImportReport. */
  importAnnotations(files: ImportFile[], options: AnnotationImportOptions, jobId?: string): Promise<AnnotationImportReport>
  /** Native multi-select dialog returning the chosen files' contents; null when cancelled or in the browser edition. */
  chooseAnnotationFiles(): Promise<ImportFile[] | null>

  /** Good backups of a project file (the path a 'corrupt-store' error named), newest first. */
  listBackups(filePath: string): Promise<BackupSummary[]>
  /** Puts a backup back as that file; the file it replaces is kept aside, never deleted. */
  restoreBackup(filePath: string, backupId: string): Promise<RestoredBackup>

  /**
   * Every match in the project as concordance lines, `limit` from `offset`, with whether each
   * is tagged and by whom. A regular expression is stopped after a time limit (timedOut).
   */
  searchProject(request: ProjectSearchRequest): Promise<ProjectSearchResult>
  /** What tag-all would do: every occurrence, with those it would skip and why. Writes nothing. */
  previewTagAll(request: TagAllRequest): Promise<TagAllPreview>
  /** Tags the chosen occurrences in the annotator's layers, one save per document. */
  applyTagAll(request: TagAllRequest, chosen: TagAllChoice[]): Promise<TagAllResult>

  /** Spans suggested in a layer from the project's annotations, less those it rejected. */
  getSuggestions(layer: LayerRef): Promise<SuggestionList>

  /** Changes the project's tag set (project.json), checked as a whole before anything is written. */
  updateTagSet(changes: TagSetChange[]): Promise<TagSetResult>
  /** Spans per tag and annotator over the project (the tag editor's "used by"). */
  getTagUsage(): Promise<TagUsage[]>

  /** The project's entities: saved ones and groups of equal texts not yet saved. */
  listEntities(): Promise<EntityList>
  /** Every annotation that mentions an entity, in document order. */
  listEntityMentions(entityId: string): Promise<EntityMention[]>
  /** Makes the listed entities and groups one entity with a canonical name and identifier. */
  mergeEntities(merge: EntityMerge): Promise<EntityList>
  /** Renames an entity or sets its identifier (null clears it). */
  updateEntity(entityId: string, changes: { name?: string; ref?: string | null }): Promise<EntityList>
  /** Takes an alias out of its entity: it is a group of its own again. */
  splitEntityAlias(entityId: string, aliasKey: string): Promise<EntityList>

  /** The project at a glance: documents by status, spans by tag and annotator, progress over time, agreement. */
  getDashboard(): Promise<ProjectDashboard>
}

export type ApiMethod = keyof QuireApiCalls

/** Push notifications from main (native menu commands). The browser edition has no native menu. */
export interface QuireApiEvents {
  onMenuCommand(listener: (command: MenuCommand) => void): () => void
}

export type QuireApi = QuireApiCalls & QuireApiEvents

/** Error shape that crosses either transport intact. */
export interface QuireErrorInfo {
  code: QuireErrorCode
  message: string
  /** File the error is about, when there is one. */
  path?: string
  /** 1-based line in that file, when known. */
  line?: number
  /** What is wrong with that file, in a few words without its path or advice ("line 3, column 9: …"): for a line too short for the whole message. */
  reason?: string
}

export type QuireErrorCode =
  | 'invalid-argument'
  | 'not-found'
  | 'no-project'
  | 'no-annotator'
  | 'read-only'
  | 'corrupt-store'
  | 'unsupported-version'
  | 'io'
  | 'forbidden'
  /** The data changed since the call's caller read it (the text was edited meanwhile). */
  | 'conflict'
  | 'internal'

export class QuireError extends Error {
  readonly code: QuireErrorCode
  readonly path?: string
  readonly line?: number
  readonly reason?: string

  constructor(info: QuireErrorInfo) {
    super(info.message)
    this.name = 'QuireError'
    this.code = info.code
    if (info.path !== undefined) this.path = info.path
    if (info.line !== undefined) this.line = info.line
    if (info.reason !== undefined) this.reason = info.reason
  }

  toInfo(): QuireErrorInfo {
    const info: QuireErrorInfo = { code: this.code, message: this.message }
    if (this.path !== undefined) info.path = this.path
    if (this.line !== undefined) info.line = this.line
    if (this.reason !== undefined) info.reason = this.reason
    return info
  }

  static from(value: unknown): QuireError {
    if (value instanceof QuireError) return value
    if (isQuireErrorInfo(value)) return new QuireError(value)
    const message = value instanceof Error ? value.message : String(value)
    return new QuireError({ code: 'internal', message })
  }
}

export function isQuireErrorInfo(value: unknown): value is QuireErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}
