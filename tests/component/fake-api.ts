// An in-memory QuireApi for component tests (and the screenshot harness). It applies edits
// like main does, records every call, and can be told to fail the next calls.
import type { QuireApi } from '../../src/shared/api'
import { QuireError } from '../../src/shared/api'
import type {
  BackupSummary,
  RestoredBackup,
  Annotation,
  AnnotationEdit,
  AnnotationEditResult,
  AnnotationImportOptions,
  AnnotationImportReport,
  AppInfo,
  DocumentContent,
  DocumentRecord,
  DocumentStatus,
  DocumentSummary,
  ExportChoices,
  ExportFormat,
  ExportJobStatus,
  ExportRequest,
  ImportFile,
  ImportReport,
  MenuCommand,
  ProjectSummary,
  UserSettings
} from '../../src/shared/model'
import { DEFAULT_TAGS, asUtf16 } from '../../src/shared/model'

export interface FakeDocument {
  id: string
  name: string
  text: string
  status?: DocumentStatus
  annotations?: Annotation[]
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
  settings: UserSettings = { annotatorName: 'Leyla', recentProjects: [] }
  project: ProjectSummary | null = null
  documents = new Map<string, FakeDocument>()
  /** Errors thrown by the next applyAnnotationEdits calls, in order. */
  failNextSaves: QuireError[] = []
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
      csv: '/tmp/project-export.csv'
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
  /** Answers to successive importAnnotations calls; the last one repeats. */
  annotationImportReports: AnnotationImportReport[] = []
  /** What the native annotation-file dialog answers (desktop). */
  chosenAnnotationFiles: ImportFile[] | null = [{ name: 'colleague.jsonl', bytes: new TextEncoder().encode('{}\n') }]
  /** Documents whose getDocument fails (e.g. a damaged annotation file) until a backup of error.path is restored. */
  brokenDocuments = new Map<string, QuireError>()
  /** Backups listed per file path, newest first. */
  backupsByPath = new Map<string, BackupSummary[]>()
  restoredBackups: { path: string; backupId: string }[] = []
  #menuListeners = new Set<(command: MenuCommand) => void>()
  #exportRequests = new Map<string, ExportRequest>()

  constructor(documents: FakeDocument[] = []) {
    for (const doc of documents) this.documents.set(doc.id, { status: 'not-started', annotations: [], ...doc })
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

  async getAppInfo(): Promise<AppInfo> {
    this.#record('getAppInfo', [])
    return this.appInfo
  }
  async getSettings(): Promise<UserSettings> {
    this.#record('getSettings', [])
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
  async listDocuments(): Promise<DocumentSummary[]> {
    this.#record('listDocuments', [])
    return [...this.documents.values()].map((doc) => {
      const countsByTag: Record<string, number> = {}
      for (const annotation of doc.annotations ?? []) countsByTag[annotation.tag] = (countsByTag[annotation.tag] ?? 0) + 1
      return {
        id: doc.id,
        name: doc.name,
        sizeBytes: new TextEncoder().encode(doc.text).length,
        length: doc.text.length,
        status: doc.status ?? 'not-started',
        countsByTag,
        total: doc.annotations?.length ?? 0,
        ...(this.brokenDocuments.has(doc.id) ? { problem: this.brokenDocuments.get(doc.id)!.toInfo() } : {})
      }
    })
  }
  async getDocument(documentId: string): Promise<DocumentContent> {
    this.#record('getDocument', [documentId])
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
    return { document: record, text: doc.text, status: doc.status ?? 'not-started', annotator: this.settings.annotatorName ?? 'Leyla', annotations: structuredClone(doc.annotations ?? []) }
  }
  async setDocumentStatus(documentId: string, status: DocumentStatus): Promise<void> {
    this.#record('setDocumentStatus', [documentId, status])
    const doc = this.documents.get(documentId)
    if (doc) doc.status = status
  }
  async importTexts(files: ImportFile[]): Promise<ImportReport> {
    this.#record('importTexts', [files])
    return this.importReport
  }
  async chooseAndImportTexts(): Promise<ImportReport | null> {
    this.#record('chooseAndImportTexts', [])
    return this.appInfo.edition === 'browser' ? null : this.importReport
  }
  async applyAnnotationEdits(documentId: string, edits: AnnotationEdit[]): Promise<AnnotationEditResult> {
    this.#record('applyAnnotationEdits', [documentId, structuredClone(edits)])
    const failure = this.failNextSaves.shift()
    if (failure) throw failure
    const doc = this.documents.get(documentId)
    if (!doc) throw new QuireError({ code: 'not-found', message: `no document ${documentId}` })
    const byId = new Map((doc.annotations ?? []).map((a) => [a.id, a]))
    const saved: Annotation[] = []
    const deletedIds: string[] = []
    for (const edit of edits) {
      if (edit.op === 'add') {
        const a = edit.annotation
        const record = makeAnnotation(doc.text, a.id, a.start, a.end, a.tag, a.note)
        record.annotator = this.settings.annotatorName ?? ''
        byId.set(a.id, record)
        saved.push(record)
      } else if (edit.op === 'restore') {
        byId.set(edit.annotation.id, edit.annotation)
        saved.push(edit.annotation)
      } else if (edit.op === 'delete') {
        if (!byId.delete(edit.id)) throw new QuireError({ code: 'not-found', message: `no annotation ${edit.id}` })
        deletedIds.push(edit.id)
      } else {
        const existing = byId.get(edit.id)
        if (!existing) throw new QuireError({ code: 'not-found', message: `no annotation ${edit.id}` })
        const updated = { ...existing }
        if (edit.changes.tag !== undefined) updated.tag = edit.changes.tag
        if (edit.changes.note === null) delete updated.note
        else if (edit.changes.note !== undefined) updated.note = edit.changes.note
        byId.set(edit.id, updated)
        saved.push(updated)
      }
    }
    doc.annotations = [...byId.values()]
    return { saved, deletedIds }
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
  async importAnnotations(files: ImportFile[], options: AnnotationImportOptions): Promise<AnnotationImportReport> {
    this.#record('importAnnotations', [files, structuredClone(options)])
    const report = this.annotationImportReports.length > 1 ? this.annotationImportReports.shift() : this.annotationImportReports[0]
    return structuredClone(
      report ?? { imported: true, format: 'jsonl', errors: [], unknownTags: [], warnings: [], documents: [], spans: 0, spansAlreadyPresent: 0, addedTags: [] }
    )
  }
  async chooseAnnotationFiles(): Promise<ImportFile[] | null> {
    this.#record('chooseAnnotationFiles', [])
    return this.appInfo.edition === 'browser' ? null : this.chosenAnnotationFiles
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
  #result(request: ExportRequest, cancelled: boolean) {
    return { outPath: request.outPath, files: cancelled ? [] : [request.outPath], documents: cancelled ? 0 : 2, spans: cancelled ? 0 : 17, dropped: 0, adjusted: 0, warnings: [], cancelled }
  }
  onMenuCommand(listener: (command: MenuCommand) => void): () => void {
    this.#menuListeners.add(listener)
    return () => this.#menuListeners.delete(listener)
  }

  /** Annotations main holds now for a document. */
  savedAnnotations(documentId: string): Annotation[] {
    return this.documents.get(documentId)?.annotations ?? []
  }
}
