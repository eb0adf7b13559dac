// An in-memory QuireApi for component tests (and the screenshot harness). It applies edits
// like main does, records every call, and can be told to fail the next calls.
import type { QuireApi } from '../../src/shared/api'
import { QuireError } from '../../src/shared/api'
import type {
  AgreementOutcome,
  AgreementScope,
  BackupSummary,
  CurationRequest,
  DisagreementItem,
  DisagreementList,
  DisagreementQuery,
  DocumentComparison,
  CommentOnLayer,
  CommentResolution,
  LayerComments,
  ReviewComment,
  ReviewCommentInput,
  GitSyncResult,
  GitSyncStatus,
  CurationStart,
  RestoredBackup,
  Annotation,
  AnnotationEdit,
  AnnotationEditResult,
  AnnotationImportOptions,
  AnnotationImportReport,
  AppInfo,
  StartupState,
  DocumentContent,
  DocumentIndexProgress,
  DocumentRecord,
  DocumentStatus,
  DocumentListPage,
  DocumentSummary,
  ExportChoices,
  ExportFormat,
  ExportJobStatus,
  ExportRequest,
  ImportFile,
  ImportProgress,
  ImportReport,
  LayerContent,
  LayerRef,
  LayerSummary,
  MenuCommand,
  ProjectChanges,
  ProjectSummary,
  UserSettings,
  CleanupPreview,
  CleanupRequest,
  CleanupStepId,
  TextEditRequest,
  TextEditResult,
  TextSaveResult,
  TextHistory
} from '../../src/shared/model'
import type {
  EntityFile,
  EntityList,
  EntityMention,
  EntityMerge,
  ProjectSearchRequest,
  ProjectSearchResult,
  RejectedSuggestion,
  SuggestionList,
  TagAllChoice,
  TagAllPreview,
  TagAllRequest,
  TagAllResult,
  TagSetChange,
  TagSetResult,
  TagUsage
} from '../../src/shared/finding-model'
import { documentReviewState, newestChange } from '../../src/core/review/review-state'
import { applyTagSetChanges, describeTagSetProblems } from '../../src/core/tag-set'
import { groupingKey, ProjectEntityTally, tallyMentions } from '../../src/core/entities/entity-grouping'
import { EntityRefusal } from '../../src/core/entities/entity-ref'
import { mentionContext } from '../../src/core/entities/mention-context'
import { emptyEntityFile, GROUP_ID_PREFIX, mergeEntities, splitEntityAlias, updateEntity, type EntityContext } from '../../src/core/entities/entity-set'
import { AgreementAccumulator } from '../../src/core/review/agreement'
import { compareLayers, filterPositions } from '../../src/core/review/compare'
import { compactComparison } from '../../src/core/review/compact-comparison'
import { DEFAULT_TAGS, STARTUP_DOCUMENTS, asUtf16, type ColourSchemeChoice } from '../../src/shared/model'
import type { ProjectDashboard } from '../../src/shared/dashboard-model'
import { ProjectTally } from '../../src/core/dashboard/project-tally'
import { AnnotationEditRefusal, planEdits, planOutcome } from '../../src/core/annotation-edits'
import { Lexicon } from '../../src/core/suggestions/lexicon'
import { buildSuggestionIndex, suggestInText } from '../../src/core/suggestions/suggest'
import { FakeTextRevisions, type FakeTextLayers } from './fake-text-revisions'
import { compileSearch, findMatches } from '../../src/core/search/find-matches'
import { concordanceContext, passesTagFilters, taggingOfMatches } from '../../src/core/search/concordance'
import { spansAddedBy, statusAfterSpansAdded } from '../../src/core/layer-status'
import { disagreementExcerpt } from '../../src/core/review/disagreement-excerpt'

/** Another annotator's layer (or the gold layer) on a fake document. */
export interface FakeLayer {
  annotator: string
  status?: DocumentStatus
  annotations: Annotation[]
  updatedAt?: string
  /** What main would say of the layer as read (its journal's last save was cut off). */
  warning?: string
}

export interface FakeDocument {
  id: string
  name: string
  text: string
  /** `annotations` and `status` are the layer of this annotator (default: Leyla, the fake's first user). */
  owner?: string
  status?: DocumentStatus
  annotations?: Annotation[]
  /** Everyone else's layers. */
  layers?: FakeLayer[]
}

export function makeAnnotation(text: string, id: string, start: number, end: number, tag: string, note?: string): Annotation {
  const annotation: Annotation = {
    id,
    start: asUtf16(start),
    end: asUtf16(end),
    tag,
    text: text.slice(start, end),
    annotator: 'Leyla',
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    provenance: { source: 'manual' }
  }
  if (note !== undefined) annotation.note = note
  return annotation
}

export class FakeApi implements QuireApi {
  calls: { method: string; args: unknown[] }[] = []
  appInfo: AppInfo = { edition: 'desktop', version: '0.1.0', osUserName: 'leyla', platform: 'linux', maxImportBytes: 50 * 1024 * 1024 }
  settings: UserSettings = { annotatorName: 'Leyla', recentProjects: [], colourScheme: 'system' }
  project: ProjectSummary | null = null
  documents = new Map<string, FakeDocument>()
  /** Text revisions of the documents (edit mode). */
  readonly textRevisions = new FakeTextRevisions()
  /** Errors thrown by the next saveTextEdit calls, in order. */
  failNextTextSaves: QuireError[] = []
  /** Errors thrown by the next applyAnnotationEdits calls, in order. */
  failNextSaves: QuireError[] = []
  /** Thrown by every applyAnnotationEdits call (after failNextSaves) until set back to null: a disk that stays full. */
  failSavesWith: QuireError | null = null
  /** Suggestions rejected, per layer (documentId + annotator), by suggestionKey. */
  readonly #rejections = new Map<string, Map<string, RejectedSuggestion>>()
  importReport: ImportReport = { imported: [], refused: [], duplicates: [] }
  exportChoices: ExportChoices = {
    annotators: [
      { name: 'Leyla', documents: 2, spans: 14 },
      { name: 'Rashad', documents: 1, spans: 3 }
    ],
    suggestedOutPaths: {
      jsonl: '/tmp/project-export.jsonl',
      brat: '/tmp/project-export-brat',
      conll: '/tmp/project-export.conll',
      tei: '/tmp/project-export-tei',
      csv: '/tmp/project-export.csv',
      doccano: '/tmp/project-export-doccano.jsonl',
      'label-studio': '/tmp/project-export-label-studio.json'
    }
  }
  /** What the native destination dialog answers (desktop). */
  chosenExportDestination: string | null = '/home/leyla/chosen-export'
  /** Answers to successive getExportProgress calls; the last one repeats. Empty: the export finishes at once. */
  exportPolls: Omit<ExportJobStatus, 'jobId'>[] = []
  /** Thrown by the next startExport. */
  failNextExportStart: QuireError | null = null
  cancelledJobs: string[] = []
  revealedPaths: string[] = []
  /** Answers to successive getImportProgress calls; the last one repeats. Empty: null (not started). */
  importPolls: (ImportProgress | null)[] = []
  /** While true, importTexts and importAnnotations answer only once cancelImport or finishHeldImport is called. */
  holdImports = false
  cancelledImports: string[] = []
  #heldImport: { release: () => void } | null = null
  /** Answers to successive importAnnotations calls; the last one repeats. */
  annotationImportReports: AnnotationImportReport[] = []
  /** What the native annotation-file dialog answers (desktop). */
  chosenAnnotationFiles: ImportFile[] | null = [{ name: 'colleague.jsonl', bytes: new TextEncoder().encode('{}\n') }]
  /** Documents whose getDocument fails (e.g. a damaged annotation file) until a backup of error.path is restored. */
  brokenDocuments = new Map<string, QuireError>()
  /** What getProjectChanges answers next (then nothing changes). */
  pendingChanges: (Omit<ProjectChanges, 'seq' | 'projectFileChanged' | 'entitiesChanged'> & { projectFileChanged?: boolean; entitiesChanged?: boolean }) | null = null
  /**
   * The document index being rebuilt, one progress per answer: getStartup answers with the first
   * and no list, each getProjectChanges with the next; once none is left the index is made.
   */
  indexRebuild: DocumentIndexProgress[] = []
  /** entities.json of the fake project; `entityFileProblem` stands for a damaged one. */
  entityFile: EntityFile = emptyEntityFile()
  entityFileProblem: string | null = null
  #changeSeq = 1
  /** Backups listed per file path, newest first. */
  backupsByPath = new Map<string, BackupSummary[]>()
  restoredBackups: { path: string; backupId: string }[] = []
  #menuListeners = new Set<(command: MenuCommand) => void>()
  #exportRequests = new Map<string, ExportRequest>()

  constructor(documents: FakeDocument[] = []) {
    for (const doc of documents) this.documents.set(doc.id, { status: 'not-started', annotations: [], owner: 'Leyla', layers: [], ...doc })
  }

  openProjectNamed(name: string, path = '/tmp/project'): ProjectSummary {
    this.project = {
      path,
      readOnly: false,
      manifest: { format: 'quire-project', schemaVersion: 1, name, createdAt: '2024-01-01T00:00:00.000Z', tags: [...DEFAULT_TAGS] }
    }
    return this.project
  }

  sendMenuCommand(command: MenuCommand): void {
    for (const listener of this.#menuListeners) listener(command)
  }

  #record(method: string, args: unknown[]): void {
    this.calls.push({ method, args })
  }

  async getStartup(): Promise<StartupState> {
    this.#record('getStartup', [])
    const settings = structuredClone(this.settings)
    const project = this.project
    if (!project) return { appInfo: this.appInfo, settings, project, documents: [], documentCount: 0, firstDocument: null, changesSeq: 0 }
    // Changes waiting now happened before this read: the start includes them.
    if (this.pendingChanges) this.#changeSeq++
    this.pendingChanges = null
    const changesSeq = this.#changeSeq
    const indexProgress = this.indexRebuild[0]
    if (indexProgress) return { appInfo: this.appInfo, settings, project, documents: [], documentCount: 0, firstDocument: null, changesSeq, indexProgress }
    const annotator = settings.annotatorName
    const listed = await this.listDocuments(annotator)
    const documents = listed.slice(0, STARTUP_DOCUMENTS)
    const first = documents[0]
    const firstDocument = first && annotator ? await this.getDocument({ documentId: first.id, annotator }).catch(() => null) : null
    return { appInfo: this.appInfo, settings, project, documents, documentCount: listed.length, firstDocument, changesSeq }
  }
  async getAppInfo(): Promise<AppInfo> {
    this.#record('getAppInfo', [])
    return this.appInfo
  }
  async getSettings(): Promise<UserSettings> {
    this.#record('getSettings', [])
    return structuredClone(this.settings)
  }
  async setColourScheme(choice: ColourSchemeChoice): Promise<UserSettings> {
    this.#record('setColourScheme', [choice])
    this.settings = { ...this.settings, colourScheme: choice }
    return structuredClone(this.settings)
  }
  async setAnnotatorName(name: string): Promise<UserSettings> {
    this.#record('setAnnotatorName', [name])
    this.settings = { ...this.settings, annotatorName: name }
    return structuredClone(this.settings)
  }
  async getCurrentProject(): Promise<ProjectSummary | null> {
    this.#record('getCurrentProject', [])
    return this.project
  }
  async chooseProjectFolder(purpose: 'new' | 'open'): Promise<string | null> {
    this.#record('chooseProjectFolder', [purpose])
    return this.appInfo.edition === 'browser' ? null : '/tmp/chosen'
  }
  async createProject(dir: string, name: string | null): Promise<ProjectSummary> {
    this.#record('createProject', [dir, name])
    return this.openProjectNamed(name ?? 'New project', dir)
  }
  async openProject(dir: string): Promise<ProjectSummary> {
    this.#record('openProject', [dir])
    return this.openProjectNamed('Opened project', dir)
  }
  async openSampleProject(): Promise<ProjectSummary> {
    this.#record('openSampleProject', [])
    return this.openProjectNamed('Sample project', '/tmp/sample')
  }
  async closeProject(): Promise<void> {
    this.#record('closeProject', [])
    this.project = null
  }
  async getDocumentSummaries(annotator: string | null, documentIds: string[]): Promise<DocumentSummary[]> {
    this.#record('getDocumentSummaries', [annotator, documentIds])
    return this.#summariesOf(annotator).filter((summary) => documentIds.includes(summary.id))
  }
  async listDocuments(annotator: string | null): Promise<DocumentSummary[]> {
    this.#record('listDocuments', [annotator])
    return this.#summariesOf(annotator)
  }
  async listDocumentPage(annotator: string | null, from: number, count: number): Promise<DocumentListPage> {
    this.#record('listDocumentPage', [annotator, from, count])
    const summaries = this.#summariesOf(annotator)
    // Main's version changes when documents are added, removed or renamed: so does this one.
    let version = 0
    for (const character of summaries.map((summary) => `${summary.id}\n${summary.name}`).join('\n')) version = (version * 31 + character.charCodeAt(0)) | 0
    return { documents: summaries.slice(from, from + count), total: summaries.length, version }
  }
  #summariesOf(annotator: string | null): DocumentSummary[] {
    return [...this.documents.values()].map((doc) => {
      const own = annotator === null ? null : this.#layer(doc, annotator, false)
      const countsByTag: Record<string, number> = {}
      for (const annotation of own?.annotations ?? []) countsByTag[annotation.tag] = (countsByTag[annotation.tag] ?? 0) + 1
      const layers = this.#summaries(doc)
      return {
        id: doc.id,
        name: doc.name,
        sizeBytes: new TextEncoder().encode(doc.text).length,
        length: doc.text.length,
        status: own?.status ?? 'not-started',
        countsByTag,
        total: own?.annotations.length ?? 0,
        layers: layers.map((layer) => ({ annotator: layer.annotator, status: layer.status, spans: layer.spans })),
        curation: layers.find((layer) => layer.annotator === 'curation')?.status ?? null,
        reviewState: documentReviewState(layers),
        lastChangedAt: newestChange(layers),
        ...(this.brokenDocuments.has(doc.id) ? { problem: this.brokenDocuments.get(doc.id)!.toInfo() } : {})
      }
    })
  }
  /** A document's layer of one annotator; created empty when `create` (a first save). */
  #layer(doc: FakeDocument, annotator: string, create: boolean): FakeLayer | null {
    if (annotator === (doc.owner ?? 'Leyla')) {
      return {
        annotator,
        get status() {
          return doc.status ?? 'not-started'
        },
        set status(value: DocumentStatus) {
          doc.status = value
        },
        get annotations() {
          return doc.annotations ?? []
        },
        set annotations(value: Annotation[]) {
          doc.annotations = value
        }
      } as FakeLayer
    }
    const found = doc.layers?.find((layer) => layer.annotator === annotator)
    if (found || !create) return found ?? null
    const created: FakeLayer = { annotator, status: 'not-started', annotations: [] }
    doc.layers = [...(doc.layers ?? []), created]
    return created
  }
  #summaries(doc: FakeDocument): LayerSummary[] {
    const layers: FakeLayer[] = []
    const owner = doc.owner ?? 'Leyla'
    if ((doc.annotations?.length ?? 0) > 0 || (doc.status ?? 'not-started') !== 'not-started') {
      layers.push({ annotator: owner, status: doc.status ?? 'not-started', annotations: doc.annotations ?? [] })
    }
    layers.push(...(doc.layers ?? []))
    return layers.map((layer) => {
      const countsByTag: Record<string, number> = {}
      for (const annotation of layer.annotations) countsByTag[annotation.tag] = (countsByTag[annotation.tag] ?? 0) + 1
      return {
        annotator: layer.annotator,
        path: `/tmp/project/documents/${doc.id}/annotations/${layer.annotator}.json`,
        status: layer.status ?? 'not-started',
        spans: layer.annotations.length,
        countsByTag,
        updatedAt: layer.updatedAt ?? layer.annotations.map((a) => a.updatedAt).sort().at(-1) ?? null,
        comments: 0,
        ...(layer.warning !== undefined ? { warning: layer.warning } : {})
      }
    })
  }
  async listLayers(documentId: string): Promise<LayerSummary[]> {
    this.#record('listLayers', [documentId])
    const doc = this.documents.get(documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${documentId}` })
    return this.#summaries(doc)
  }
  async getLayer(layer: LayerRef): Promise<LayerContent> {
    this.#record('getLayer', [layer])
    const doc = this.documents.get(layer.documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${layer.documentId}` })
    const found = this.#layer(doc, layer.annotator, false)
    return {
      annotator: layer.annotator,
      status: found?.status ?? 'not-started',
      updatedAt: null,
      annotations: structuredClone(found?.annotations ?? []),
      comments: [],
      resolvedComments: [],
      curators: [],
      curationDecisions: []
    }
  }
  async getProjectChanges(since: number): Promise<ProjectChanges> {
    this.#record('getProjectChanges', [since])
    const pending = this.pendingChanges
    this.pendingChanges = null
    if (pending) this.#changeSeq++
    this.indexRebuild.shift()
    const indexProgress = this.indexRebuild[0]
    return {
      seq: this.#changeSeq,
      documentIds: pending?.documentIds ?? [],
      listChanged: pending?.listChanged ?? false,
      projectFileChanged: pending?.projectFileChanged ?? false,
      entitiesChanged: pending?.entitiesChanged ?? false,
      ...(indexProgress ? { indexProgress } : {})
    }
  }
  async getDocument(layer: LayerRef): Promise<DocumentContent> {
    this.#record('getDocument', [layer])
    const documentId = layer.documentId
    const broken = this.brokenDocuments.get(documentId)
    if (broken) throw broken
    const doc = this.documents.get(documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${documentId}` })
    const record: DocumentRecord = {
      format: 'quire-document',
      schemaVersion: 1,
      id: doc.id,
      name: doc.name,
      originalFileName: `${doc.name}.txt`,
      encoding: 'utf-8',
      lineEnding: 'lf',
      sizeBytes: doc.text.length,
      length: doc.text.length,
      sha256: '0'.repeat(64),
      importedAt: '2024-01-01T00:00:00.000Z',
      importedBy: 'Leyla'
    }
    const own = this.#layer(doc, layer.annotator, false)
    return {
      document: record,
      text: doc.text,
      status: own?.status ?? 'not-started',
      annotator: layer.annotator,
      annotations: structuredClone(own?.annotations ?? []),
      layers: this.#summaries(doc),
      curationDecisions: [],
      comments: this.#commentsFor(documentId, layer.annotator),
      revision: this.textRevisions.head(documentId, doc.text),
      lostInEditing: this.textRevisions.lostInEditing(documentId, layer.annotator),
      textProblem: this.textRevisions.problem(documentId)
    }
  }
  async setDocumentStatus(layer: LayerRef, status: DocumentStatus): Promise<void> {
    this.#record('setDocumentStatus', [layer, status])
    const doc = this.documents.get(layer.documentId)
    if (!doc) return
    if (layer.annotator === (doc.owner ?? 'Leyla')) doc.status = status
    else this.#layer(doc, layer.annotator, true)!.status = status
  }
  async importTexts(files: ImportFile[], jobId?: string): Promise<ImportReport> {
    this.#record('importTexts', jobId === undefined ? [files] : [files, jobId])
    await this.#holdImport()
    return this.importReport
  }
  async chooseAndImportTexts(jobId?: string): Promise<ImportReport | null> {
    this.#record('chooseAndImportTexts', jobId === undefined ? [] : [jobId])
    if (this.appInfo.edition === 'browser') return null
    await this.#holdImport()
    return this.importReport
  }
  async getImportProgress(jobId: string): Promise<ImportProgress | null> {
    this.#record('getImportProgress', [jobId])
    const poll = this.importPolls.length > 1 ? this.importPolls.shift() : this.importPolls[0]
    return poll === undefined || poll === null ? null : { ...poll }
  }
  async cancelImport(jobId: string): Promise<void> {
    this.#record('cancelImport', [jobId])
    this.cancelledImports.push(jobId)
    this.finishHeldImport()
  }
  /** Lets a held import answer. */
  finishHeldImport(): void {
    this.#heldImport?.release()
    this.#heldImport = null
  }
  async #holdImport(): Promise<void> {
    if (!this.holdImports) return
    await new Promise<void>((release) => (this.#heldImport = { release }))
  }
  async applyAnnotationEdits(layerRef: LayerRef, edits: AnnotationEdit[]): Promise<AnnotationEditResult> {
    this.#record('applyAnnotationEdits', [layerRef, structuredClone(edits)])
    const failure = this.failNextSaves.shift() ?? this.failSavesWith
    if (failure) throw failure
    const doc = this.documents.get(layerRef.documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${layerRef.documentId}` })
    const layer = this.#layer(doc, layerRef.annotator, true)!
    const byId = new Map(layer.annotations.map((a) => [a.id, a]))
    const rejections = this.#rejectionsOf(layerRef)
    let plan
    try {
      // The rules main saves by (src/core/annotation-edits.ts), refusing what main refuses.
      plan = planEdits({ annotation: (id) => byId.get(id), decision: () => undefined, rejection: (key) => rejections.get(key), curators: undefined }, edits, {
        text: doc.text,
        tagIds: this.project ? new Set(this.project.manifest.tags.map((tag) => tag.id)) : null,
        annotator: layerRef.annotator,
        documentName: doc.name,
        now: new Date().toISOString()
      })
    } catch (error) {
      if (error instanceof AnnotationEditRefusal) throw new QuireError({ code: 'invalid-argument', message: `Nothing was saved: ${error.message}` })
      throw error
    }
    for (const [id, record] of plan.annotations) {
      if (record) byId.set(id, record)
      else byId.delete(id)
    }
    layer.annotations = [...byId.values()]
    layer.status = statusAfterSpansAdded(layer.status ?? 'not-started', spansAddedBy(plan.resolved))
    for (const [key, rejection] of plan.rejections) {
      if (rejection) rejections.set(key, rejection)
      else rejections.delete(key)
    }
    // As main answers: with the document's row as the layer's annotator sees it.
    const summary = this.#summariesOf(layerRef.annotator).find((candidate) => candidate.id === layerRef.documentId)
    return summary ? { ...planOutcome(plan), summary } : planOutcome(plan)
  }
  async getExportChoices(): Promise<ExportChoices> {
    this.#record('getExportChoices', [])
    return structuredClone(this.exportChoices)
  }
  async chooseExportDestination(format: ExportFormat, suggestedPath: string): Promise<string | null> {
    this.#record('chooseExportDestination', [format, suggestedPath])
    return this.appInfo.edition === 'browser' ? null : this.chosenExportDestination
  }
  async startExport(request: ExportRequest): Promise<{ jobId: string }> {
    this.#record('startExport', [structuredClone(request)])
    const failure = this.failNextExportStart
    this.failNextExportStart = null
    if (failure) throw failure
    const jobId = `job-${this.#exportRequests.size + 1}`
    this.#exportRequests.set(jobId, request)
    return { jobId }
  }
  async getExportProgress(jobId: string): Promise<ExportJobStatus> {
    this.#record('getExportProgress', [jobId])
    const request = this.#exportRequests.get(jobId)
    if (!request) throw new QuireError({ code: 'not-found', message: `no export ${jobId}` })
    const next = this.exportPolls.length > 1 ? this.exportPolls.shift() : this.exportPolls[0]
    if (this.cancelledJobs.includes(jobId) && (!next || next.state === 'running')) {
      return { jobId, state: 'finished', progress: next?.progress ?? { documentsDone: 0, documentsTotal: 0, spansWritten: 0 }, result: this.#result(request, true) }
    }
    return next ? { jobId, ...structuredClone(next) } : { jobId, state: 'finished', progress: { documentsDone: 2, documentsTotal: 2, spansWritten: 17 }, result: this.#result(request, false) }
  }
  async cancelExport(jobId: string): Promise<void> {
    this.#record('cancelExport', [jobId])
    this.cancelledJobs.push(jobId)
  }
  async showExportInFolder(path: string): Promise<boolean> {
    this.#record('showExportInFolder', [path])
    if (this.appInfo.edition === 'browser') return false
    this.revealedPaths.push(path)
    return true
  }
  /** Agreement computed by the real core over the fake documents. */
  async computeAgreement(scope: AgreementScope): Promise<AgreementOutcome> {
    this.#record('computeAgreement', [structuredClone(scope)])
    const docs = [...this.documents.values()].filter((doc) => scope.documentIds === 'all' || scope.documentIds.includes(doc.id))
    const everyone = [...new Set(docs.flatMap((doc) => this.#summaries(doc).map((layer) => layer.annotator)))].filter((name) => name !== 'curation').sort()
    const annotators = scope.annotators === 'all' ? everyone : scope.annotators
    const accumulator = new AgreementAccumulator({ annotators, tags: DEFAULT_TAGS.map((tag) => tag.id) })
    for (const doc of docs) {
      const present = new Set(this.#summaries(doc).map((layer) => layer.annotator))
      accumulator.addDocument({
        text: doc.text,
        layers: new Map(annotators.map((annotator) => [annotator, present.has(annotator) ? (this.#layer(doc, annotator, false)?.annotations ?? []) : null]))
      })
    }
    return { report: accumulator.report(), problems: [] }
  }
  async listDisagreements(query: DisagreementQuery): Promise<DisagreementList> {
    this.#record('listDisagreements', [structuredClone(query)])
    const docs = [...this.documents.values()].filter((doc) => query.documentIds === 'all' || query.documentIds.includes(doc.id))
    const annotators = query.pair ? [...query.pair] : query.annotators === 'all' ? [] : query.annotators
    const items: DisagreementItem[] = []
    for (const doc of docs) {
      if (annotators.length < 2) break
      const comparison = compareLayers(annotators.map((annotator) => ({ annotator, spans: this.#layer(doc, annotator, false)?.annotations ?? [] })))
      for (const position of filterPositions(comparison.positions, query.tag ? { tags: new Set([query.tag]) } : {})) {
        items.push({
          documentId: doc.id,
          documentName: doc.name,
          positionId: position.id,
          kind: position.kind,
          start: position.start,
          end: position.end,
          ...disagreementExcerpt(doc.text, position.start, position.end),
          spans: position.spansByAnnotator.flatMap((entry) => entry.spans.map((span) => ({ annotator: entry.annotator, start: span.start, end: span.end, tag: span.tag, text: span.text })))
        })
      }
    }
    return { annotators, items, total: items.length, problems: [] }
  }
  /** Review comments each layer wrote, by "documentId\0annotator"; resolutions likewise. */
  writtenComments = new Map<string, ReviewComment[]>()
  resolutions = new Map<string, CommentResolution[]>()
  #commentsFor(documentId: string, annotator: string): LayerComments {
    const resolved = this.resolutions.get(`${documentId}\u0000${annotator}`) ?? []
    const onLayer: CommentOnLayer[] = []
    for (const [key, comments] of this.writtenComments) {
      const [docId, reviewer] = key.split('\u0000') as [string, string]
      if (docId !== documentId || reviewer === annotator) continue
      for (const comment of comments) {
        if (comment.target.annotator !== annotator) continue
        const resolution = resolved.find((entry) => entry.commentId === comment.id && entry.reviewer === reviewer)
        onLayer.push({ reviewer, comment: structuredClone(comment), resolvedAt: resolution?.resolvedAt ?? null })
      }
    }
    return { written: structuredClone(this.writtenComments.get(`${documentId}\u0000${annotator}`) ?? []), onLayer }
  }
  async getComments(layer: LayerRef): Promise<LayerComments> {
    this.#record('getComments', [layer])
    return this.#commentsFor(layer.documentId, layer.annotator)
  }
  async saveReviewComment(layer: LayerRef, input: ReviewCommentInput): Promise<LayerComments> {
    this.#record('saveReviewComment', [layer, structuredClone(input)])
    const key = `${layer.documentId}\u0000${layer.annotator}`
    const list = (this.writtenComments.get(key) ?? []).filter((comment) => comment.id !== input.id)
    list.push({ ...structuredClone(input), createdAt: '2024-05-01T10:00:00.000Z', updatedAt: '2024-05-01T10:00:00.000Z' })
    this.writtenComments.set(key, list)
    return this.#commentsFor(layer.documentId, layer.annotator)
  }
  async deleteReviewComment(layer: LayerRef, commentId: string): Promise<LayerComments> {
    this.#record('deleteReviewComment', [layer, commentId])
    const key = `${layer.documentId}\u0000${layer.annotator}`
    this.writtenComments.set(key, (this.writtenComments.get(key) ?? []).filter((comment) => comment.id !== commentId))
    return this.#commentsFor(layer.documentId, layer.annotator)
  }
  async setCommentResolved(layer: LayerRef, commentId: string, reviewer: string, resolved: boolean): Promise<LayerComments> {
    this.#record('setCommentResolved', [layer, commentId, reviewer, resolved])
    const key = `${layer.documentId}\u0000${layer.annotator}`
    const list = (this.resolutions.get(key) ?? []).filter((entry) => !(entry.commentId === commentId && entry.reviewer === reviewer))
    if (resolved) list.push({ commentId, reviewer, resolvedAt: '2024-05-02T10:00:00.000Z' })
    this.resolutions.set(key, list)
    return this.#commentsFor(layer.documentId, layer.annotator)
  }
  /** What getSyncStatus answers; syncProject answers syncResult or throws failNextSync. */
  syncStatus: GitSyncStatus = { available: true, repository: false, branch: null, upstream: null, ahead: 0, behind: 0, changedOwnFiles: 0, otherChanges: [], operationInProgress: null }
  syncResult: GitSyncResult = { committed: [], commit: null, pulled: 0, pushed: false, changedByOthers: [], message: 'Nothing to sync.' }
  failNextSync: QuireError | null = null
  async getSyncStatus(annotator: string): Promise<GitSyncStatus> {
    this.#record('getSyncStatus', [annotator])
    return structuredClone(this.syncStatus)
  }
  async syncProject(annotator: string): Promise<GitSyncResult> {
    this.#record('syncProject', [annotator])
    const failure = this.failNextSync
    this.failNextSync = null
    if (failure) throw failure
    return structuredClone(this.syncResult)
  }
  /** Compared by the real core and sent in columns, as main does. */
  async compareDocument(documentId: string, annotators: string[]): Promise<DocumentComparison> {
    this.#record('compareDocument', [documentId, [...annotators]])
    const doc = this.documents.get(documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${documentId}` })
    const present = new Set(this.#summaries(doc).map((layer) => layer.annotator))
    const layers = annotators.map((annotator) => ({ annotator, spans: present.has(annotator) ? (this.#layer(doc, annotator, false)?.annotations ?? []) : [] }))
    return { ...compactComparison(compareLayers(layers)), missing: annotators.filter((annotator) => !present.has(annotator)), hasGold: annotators.includes('curation') }
  }
  async startCuration(documentId: string, request: CurationRequest): Promise<CurationStart> {
    this.#record('startCuration', [documentId, structuredClone(request)])
    const doc = this.documents.get(documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${documentId}` })
    const gold = this.#layer(doc, 'curation', true)!
    let prefilled = 0
    const created = gold.annotations.length === 0 && (gold.status ?? 'not-started') === 'not-started'
    if (created) {
      // Unanimous: spans every chosen annotator has, exactly.
      const layers = request.annotators.map((annotator) => this.#layer(doc, annotator, false)?.annotations ?? [])
      const key = (a: Annotation): string => `${a.start}:${a.end}:${a.tag}`
      const [first = [], ...rest] = layers
      const agreed = request.strategy === 'none' ? [] : first.filter((a) => rest.every((layer) => layer.some((b) => key(b) === key(a))))
      gold.annotations = agreed.map((a, index) => ({
        ...a,
        id: `gold-${index + 1}`,
        annotator: 'curation',
        provenance: { source: 'curation' as const, annotators: [...request.annotators], curator: request.curator }
      }))
      gold.status = 'in-progress'
      prefilled = gold.annotations.length
    }
    return { content: await this.getDocument({ documentId, annotator: 'curation' }), prefilled, created }
  }
  async importAnnotations(files: ImportFile[], options: AnnotationImportOptions, jobId?: string): Promise<AnnotationImportReport> {
    this.#record('importAnnotations', jobId === undefined ? [files, structuredClone(options)] : [files, structuredClone(options), jobId])
    await this.#holdImport()
    const report = this.annotationImportReports.length > 1 ? this.annotationImportReports.shift() : this.annotationImportReports[0]
    return structuredClone(
      report ?? { imported: true, format: 'jsonl', errors: [], unknownTags: [], warnings: [], documents: [], spans: 0, spansAlreadyPresent: 0, addedTags: [] }
    )
  }
  async chooseAnnotationFiles(): Promise<ImportFile[] | null> {
    this.#record('chooseAnnotationFiles', [])
    return this.appInfo.edition === 'browser' ? null : this.chosenAnnotationFiles
  }
  // ---- text editing (see fake-text-revisions.ts) ----
  async getTextHistory(documentId: string): Promise<TextHistory> {
    this.#record('getTextHistory', [documentId])
    return this.textRevisions.history(documentId, this.#document(documentId).text)
  }
  async saveTextEdit(request: TextEditRequest): Promise<TextSaveResult> {
    this.#record('saveTextEdit', [structuredClone(request)])
    const failure = this.failNextTextSaves.shift()
    if (failure) throw failure
    const doc = this.#document(request.documentId)
    const saved = this.textRevisions.save(doc.id, doc.text, this.#textLayers(doc), { ...request, origin: { kind: 'edit' } })
    const result = await this.#afterTextEdit(doc, request.author, saved)
    // As main answers: the whole document only when asked.
    return request.withContent === false ? { ...result, content: null } : result
  }
  async previewCleanup(documentId: string, steps: CleanupStepId[]): Promise<CleanupPreview> {
    this.#record('previewCleanup', [documentId, [...steps]])
    return this.textRevisions.preview(documentId, this.#document(documentId).text, steps, this.#projectTexts())
  }
  async applyCleanup(request: CleanupRequest): Promise<TextEditResult> {
    this.#record('applyCleanup', [structuredClone(request)])
    const doc = this.#document(request.documentId)
    const saved = this.textRevisions.clean(doc.id, doc.text, this.#textLayers(doc), request.author, request.baseRevision, request.steps, this.#projectTexts())
    return this.#afterTextEdit(doc, request.author, saved)
  }
  async undoTextRevision(documentId: string, author: string, revisionId: string): Promise<TextEditResult> {
    this.#record('undoTextRevision', [documentId, author, revisionId])
    const doc = this.#document(documentId)
    return this.#afterTextEdit(doc, author, this.textRevisions.undo(documentId, doc.text, this.#textLayers(doc), author, revisionId))
  }
  async settleTextFork(documentId: string, author: string, keep: string): Promise<TextEditResult> {
    this.#record('settleTextFork', [documentId, author, keep])
    this.textRevisions.settle(documentId, keep)
    const content = await this.getDocument({ documentId, annotator: author })
    return { revision: null, content, head: content.revision, lostInEditing: content.lostInEditing, layersMapped: 0 }
  }
  #document(documentId: string): FakeDocument {
    const doc = this.documents.get(documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${documentId}` })
    return doc
  }
  #projectTexts(): string[] {
    return [...this.documents.values()].map((doc) => doc.text)
  }
  #textLayers(doc: FakeDocument): FakeTextLayers {
    return {
      annotators: () => [doc.owner ?? 'Leyla', ...(doc.layers ?? []).map((layer) => layer.annotator)],
      annotations: (annotator) => this.#layer(doc, annotator, false)?.annotations ?? [],
      setAnnotations: (annotator, annotations) => {
        const layer = this.#layer(doc, annotator, true)
        if (layer) layer.annotations = annotations
      }
    }
  }
  async #afterTextEdit(doc: FakeDocument, author: string, saved: { text: string; revision: TextEditResult['revision']; layersMapped: number }): Promise<TextEditResult> {
    doc.text = saved.text
    const content = await this.getDocument({ documentId: doc.id, annotator: author })
    return { revision: saved.revision, content, head: content.revision, lostInEditing: content.lostInEditing, layersMapped: saved.layersMapped }
  }
  async listBackups(filePath: string): Promise<BackupSummary[]> {
    this.#record('listBackups', [filePath])
    return structuredClone(this.backupsByPath.get(filePath) ?? [])
  }
  async restoreBackup(filePath: string, backupId: string): Promise<RestoredBackup> {
    this.#record('restoreBackup', [filePath, backupId])
    const backup = this.backupsByPath.get(filePath)?.find((candidate) => candidate.id === backupId)
    if (!backup) throw new QuireError({ code: 'not-found', path: filePath, message: `There is no backup ${backupId} of ${filePath}` })
    this.restoredBackups.push({ path: filePath, backupId })
    for (const [documentId, error] of this.brokenDocuments) if (error.path === filePath) this.brokenDocuments.delete(documentId)
    return { path: filePath, backupId, savedAt: backup.savedAt, keptAsidePath: `${filePath}.replaced` }
  }
  // ---- Issue 10 (finding and annotating faster): built by the helpers, each replaces its stubs. ----

  /** Searched as main searches (the one matcher and concordance rules of src/core/search), without workers or a time limit. */
  async searchProject(request: ProjectSearchRequest): Promise<ProjectSearchResult> {
    this.#record('searchProject', [request])
    const compiled = compileSearch(request.query)
    if (!compiled.ok) return { lines: [], totalMatches: 0, documentsWithMatches: 0, documentsSearched: 0, timedOut: false, problem: compiled.problem, counting: false }
    const docs = [...this.documents.values()].filter((doc) => !request.documentIds || request.documentIds.includes(doc.id))
    const lines: ProjectSearchResult['lines'] = []
    const withMatches = new Set<string>()
    for (const doc of docs) {
      const { offsets } = findMatches(doc.text, compiled)
      const tagging = taggingOfMatches(offsets, this.#allLayers(doc))
      tagging.forEach((taggedBy, index) => {
        if (!passesTagFilters(taggedBy, request)) return
        const start = offsets[index * 2] as number
        const end = offsets[index * 2 + 1] as number
        withMatches.add(doc.id)
        lines.push({ documentId: doc.id, documentName: doc.name, start: asUtf16(start), end: asUtf16(end), ...concordanceContext(doc.text, start, end), taggedBy: taggedBy ?? [] })
      })
    }
    return { lines: lines.slice(request.offset, request.offset + request.limit), totalMatches: lines.length, documentsWithMatches: withMatches.size, documentsSearched: docs.length, timedOut: false, problem: null, counting: false }
  }

  async previewTagAll(request: TagAllRequest): Promise<TagAllPreview> {
    this.#record('previewTagAll', [request])
    const compiled = compileSearch(request.query)
    if (!compiled.ok) return { occurrences: [], toTag: 0, skipped: 0, timedOut: false, problem: compiled.problem }
    const occurrences: TagAllPreview['occurrences'] = []
    for (const doc of this.documents.values()) {
      if (request.documentIds !== 'all' && !request.documentIds.includes(doc.id)) continue
      const { offsets } = findMatches(doc.text, compiled)
      const tagging = taggingOfMatches(offsets, [{ annotator: request.annotator, annotations: this.#layer(doc, request.annotator, false)?.annotations ?? [] }])
      tagging.forEach((taggedBy, index) => {
        const start = offsets[index * 2] as number
        const end = offsets[index * 2 + 1] as number
        const skip = taggedBy?.some((entry) => entry.tag === request.tag) ? ('overlaps-same-tag' as const) : null
        occurrences.push({ documentId: doc.id, documentName: doc.name, start: asUtf16(start), end: asUtf16(end), ...concordanceContext(doc.text, start, end), skip })
      })
    }
    const skipped = occurrences.filter((occurrence) => occurrence.skip !== null).length
    return { occurrences, toTag: occurrences.length - skipped, skipped, timedOut: false, problem: null }
  }

  /** One applyAnnotationEdits-style save per document, as main does. */
  async applyTagAll(request: TagAllRequest, chosen: TagAllChoice[]): Promise<TagAllResult> {
    this.#record('applyTagAll', [request, structuredClone(chosen)])
    const documents: TagAllResult['documents'] = []
    for (const documentId of new Set(chosen.map((choice) => choice.documentId))) {
      const doc = this.documents.get(documentId)
      if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${documentId}` })
      const mine = chosen.filter((choice) => choice.documentId === documentId)
      const existing = this.#layer(doc, request.annotator, false)?.annotations ?? []
      const free = mine.filter((choice) => !existing.some((annotation) => annotation.tag === request.tag && annotation.start < choice.end && annotation.end > choice.start))
      const edits: AnnotationEdit[] = free.map((choice, index) => ({ op: 'add', annotation: { id: `tag-all-${documentId}-${index}`, start: choice.start, end: choice.end, tag: request.tag, provenance: { source: 'manual', detail: `tag-all "${request.query.text}"` } } }))
      const saved = edits.length > 0 ? (await this.applyAnnotationEdits({ documentId, annotator: request.annotator }, edits)).saved : []
      documents.push({ documentId, documentName: doc.name, added: saved, skipped: mine.length - free.length })
    }
    return { documents, added: documents.reduce((sum, document) => sum + document.added.length, 0), skipped: documents.reduce((sum, document) => sum + document.skipped, 0) }
  }

  async getSuggestions(layer: LayerRef): Promise<SuggestionList> {
    this.#record('getSuggestions', [layer])
    const doc = this.documents.get(layer.documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${layer.documentId}` })
    // Main's rules (src/core/suggestions) over every layer of every fake document.
    const lexicon = new Lexicon()
    for (const each of this.documents.values()) {
      for (const annotator of [each.owner ?? 'Leyla', ...(each.layers ?? []).map((other) => other.annotator)]) {
        lexicon.setSource(`${each.id}\u0000${annotator}`, annotator, this.#layer(each, annotator, false)?.annotations ?? [])
      }
    }
    const tags = this.project?.manifest.tags ?? DEFAULT_TAGS
    const index = buildSuggestionIndex(lexicon, (tagId) => tags.find((tag) => tag.id === tagId)?.label ?? tagId)
    const found = suggestInText(doc.text, index, {
      layerSpans: this.#layer(doc, layer.annotator, false)?.annotations ?? [],
      rejected: new Set(this.#rejectionsOf(layer).keys())
    })
    return { documentId: doc.id, revision: this.textRevisions.head(doc.id, doc.text).id, suggestions: found.suggestions, omitted: found.omitted, rejected: found.hiddenByRejection }
  }

  /** The suggestions a layer rejected, by suggestionKey. */
  #rejectionsOf(layer: LayerRef): Map<string, RejectedSuggestion> {
    const key = `${layer.documentId}\u0000${layer.annotator}`
    let rejections = this.#rejections.get(key)
    if (!rejections) {
      rejections = new Map()
      this.#rejections.set(key, rejections)
    }
    return rejections
  }

  /** What a layer rejected (tests look). */
  rejectedSuggestions(layer: LayerRef): RejectedSuggestion[] {
    return [...this.#rejectionsOf(layer).values()]
  }

  /** The rules of src/core/tag-set.ts; a used tag is deleted only by moving its spans in the named annotator's layers. */
  async updateTagSet(changes: TagSetChange[]): Promise<TagSetResult> {
    this.#record('updateTagSet', [changes])
    if (!this.project) throw new QuireError({ code: 'no-project', message: 'Open or create a project first' })
    const outcome = applyTagSetChanges(this.project.manifest.tags, changes)
    if (!outcome.ok) throw new QuireError({ code: 'invalid-argument', message: describeTagSetProblems(outcome.problems) })
    const documents = new Set<string>()
    let spans = 0
    const moves: (() => void)[] = []
    for (const deletion of outcome.deletions) {
      for (const doc of this.documents.values()) {
        for (const annotator of [doc.owner ?? 'Leyla', ...(doc.layers ?? []).map((layer) => layer.annotator)]) {
          const layer = this.#layer(doc, annotator, false)
          const used = layer?.annotations.filter((annotation) => annotation.tag === deletion.id) ?? []
          if (!layer || used.length === 0) continue
          if (deletion.moveTo === undefined || (annotator !== deletion.annotator && annotator !== 'curation')) {
            throw new QuireError({ code: 'invalid-argument', message: `The tag set was not changed: ${deletion.id} is used by ${annotator} (${used.length} ${used.length === 1 ? 'span' : 'spans'})` })
          }
          const moveTo = deletion.moveTo
          moves.push(() => {
            layer.annotations = layer.annotations.map((annotation) => (annotation.tag === deletion.id ? { ...annotation, tag: moveTo } : annotation))
          })
          documents.add(doc.id)
          spans += used.length
        }
      }
    }
    // Like main: nothing moves unless every deletion can go ahead.
    for (const move of moves) move()
    this.project = { ...this.project, manifest: { ...this.project.manifest, tags: outcome.tags } }
    return { project: structuredClone(this.project), moved: { documents: documents.size, spans } }
  }

  async getTagUsage(): Promise<TagUsage[]> {
    this.#record('getTagUsage', [])
    const usage = new Map<string, TagUsage>((this.project?.manifest.tags ?? []).map((tag) => [tag.id, { tag: tag.id, spans: 0, byAnnotator: {} }]))
    for (const doc of this.documents.values()) {
      for (const annotator of [doc.owner ?? 'Leyla', ...(doc.layers ?? []).map((layer) => layer.annotator)]) {
        for (const annotation of this.#layer(doc, annotator, false)?.annotations ?? []) {
          const entry = usage.get(annotation.tag) ?? { tag: annotation.tag, spans: 0, byAnnotator: {} }
          entry.spans += 1
          entry.byAnnotator[annotator] = (entry.byAnnotator[annotator] ?? 0) + 1
          usage.set(annotation.tag, entry)
        }
      }
    }
    return [...usage.values()]
  }

  async listEntities(): Promise<EntityList> {
    this.#record('listEntities', [])
    return this.#entityList()
  }

  async listEntityMentions(entityId: string): Promise<EntityMention[]> {
    this.#record('listEntityMentions', [entityId])
    const keys = entityId.startsWith(GROUP_ID_PREFIX)
      ? new Set([entityId.slice(GROUP_ID_PREFIX.length)])
      : new Set(this.entityFile.entities.find((entity) => entity.id === entityId)?.aliases ?? [])
    const mentions: EntityMention[] = []
    for (const doc of this.documents.values()) {
      for (const layer of this.#allLayers(doc)) {
        for (const annotation of layer.annotations) {
          if (!keys.has(groupingKey(annotation.text))) continue
          mentions.push({ documentId: doc.id, documentName: doc.name, annotator: layer.annotator, annotationId: annotation.id, start: annotation.start, end: annotation.end, tag: annotation.tag, text: annotation.text, ...mentionContext(doc.text, annotation.start, annotation.end) })
        }
      }
    }
    return mentions
  }

  async mergeEntities(merge: EntityMerge): Promise<EntityList> {
    this.#record('mergeEntities', [merge])
    return this.#changeEntities((context) => mergeEntities(this.entityFile, merge, context).file)
  }

  async updateEntity(entityId: string, changes: { name?: string; ref?: string | null }): Promise<EntityList> {
    this.#record('updateEntity', [entityId, changes])
    return this.#changeEntities((context) => updateEntity(this.entityFile, entityId, changes, context).file)
  }

  async splitEntityAlias(entityId: string, aliasKey: string): Promise<EntityList> {
    this.#record('splitEntityAlias', [entityId, aliasKey])
    return this.#changeEntities((context) => splitEntityAlias(this.entityFile, entityId, aliasKey, context))
  }

  /** Set to make getDashboard fail (or list problems main would report). */
  dashboardProblems: { path: string; message: string }[] = []

  async getDashboard(): Promise<ProjectDashboard> {
    this.#record('getDashboard', [])
    if (!this.project) throw new QuireError({ code: 'no-project', message: 'No project is open' })
    // The same tally as main, over the fake's layers.
    const tally = new ProjectTally(this.project.manifest.tags.map((tag) => tag.id))
    for (const doc of this.documents.values()) {
      tally.addDocument(this.#allLayers(doc).map((layer) => ({ annotator: layer.annotator, status: layer.status ?? 'not-started', annotations: layer.annotations })))
    }
    for (const problem of this.dashboardProblems) tally.addProblem(problem)
    return tally.result(this.project.manifest.name)
  }

  #allLayers(doc: FakeDocument): FakeLayer[] {
    const own = this.#layer(doc, doc.owner ?? 'Leyla', false)
    return [...(own ? [own] : []), ...(doc.layers ?? [])]
  }

  #entityTally(): ProjectEntityTally {
    return new ProjectEntityTally(
      [...this.documents.values()].map((doc) => ({ documentId: doc.id, documentName: doc.name, tally: tallyMentions(this.#allLayers(doc).flatMap((layer) => layer.annotations)) }))
    )
  }

  #entityList(): EntityList {
    return { entities: this.#entityTally().summarize(this.entityFileProblem === null ? this.entityFile.entities : []), problem: this.entityFileProblem }
  }

  #changeEntities(change: (context: EntityContext) => EntityFile): EntityList {
    if (this.entityFileProblem !== null) throw new QuireError({ code: 'corrupt-store', message: `Not saved: ${this.entityFileProblem}` })
    const tally = this.#entityTally()
    try {
      this.entityFile = change({ now: new Date().toISOString(), groupName: (key) => tally.groupName(key) })
    } catch (error) {
      if (error instanceof EntityRefusal) throw new QuireError({ code: 'invalid-argument', message: `Not saved: ${error.message}` })
      throw error
    }
    return this.#entityList()
  }

  #result(request: ExportRequest, cancelled: boolean) {
    return { outPath: request.outPath, files: cancelled ? [] : [request.outPath], documents: cancelled ? 0 : 2, spans: cancelled ? 0 : 17, dropped: 0, adjusted: 0, warnings: [], cancelled }
  }
  onMenuCommand(listener: (command: MenuCommand) => void): () => void {
    this.#menuListeners.add(listener)
    return () => this.#menuListeners.delete(listener)
  }

  /** Annotations main holds now for a document, in the owner's layer or the named one. */
  savedAnnotations(documentId: string, annotator?: string): Annotation[] {
    const doc = this.documents.get(documentId)
    if (!doc) return []
    return this.#layer(doc, annotator ?? doc.owner ?? 'Leyla', false)?.annotations ?? []
  }
}

function notBuiltYet(method: string): QuireError {
  return new QuireError({ code: 'internal', message: `${method} is not built yet` })
}
