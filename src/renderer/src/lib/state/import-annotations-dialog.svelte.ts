// The import-annotations dialog's state: the chosen files, format, annotator and CoNLL scheme,
// then the report. Main validates everything before it writes anything, so a report with
// errors means nothing was imported; unknown tags can be added on a second, explicit try.
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type {
  AnnotationImportFormat,
  AnnotationImportOptions,
  AnnotationImportReport,
  AppEdition,
  ConllSchemeName,
  ImportFile,
  ImportProblem
} from '../../../../shared/model'
import { ANNOTATION_FORMAT_INFO, ANNOTATION_IMPORT_FORMATS, annotationImportFormatOfFile } from '../../../../shared/annotation-formats'
import type { AppState } from './app-state.svelte'
import { plural } from '../text/quantities'
import { ImportJob } from './import-job.svelte'

export type ImportFormatChoice = 'auto' | AnnotationImportFormat
export type ConllSchemeChoice = 'auto' | ConllSchemeName
export type ImportPhase = 'choose' | 'importing' | 'report'

export const IMPORT_FORMAT_LABELS: Readonly<Record<ImportFormatChoice, string>> = {
  auto: 'From the files',
  ...Object.fromEntries(ANNOTATION_IMPORT_FORMATS.map((format) => [format, ANNOTATION_FORMAT_INFO[format].description]))
} as Record<ImportFormatChoice, string>

/** The rule main imports by (the name, and a .jsonl file's first line), to show the user beforehand what will happen. */
export const formatOfFile = annotationImportFormatOfFile

export interface ImportAnnotationsDialogOptions {
  edition: AppEdition
  /** Prefills the annotator field: the spans of files that name no annotator get this name. */
  annotatorName: string
  /** Runs after a successful import: refresh the document list and the open document. */
  onImported: (report: AnnotationImportReport) => Promise<void>
  /** After onImported, for an import with no warning: the report has nothing to read, so the caller closes the dialog and says so in a notice. */
  onImportedCleanly?: (report: AnnotationImportReport) => void
}

/** Imported with no warning to read. */
export function isCleanAnnotationImport(report: AnnotationImportReport): boolean {
  return report.imported && report.warnings.length === 0
}

/** "Imported 12 spans into 2 documents (3 already there); added the tag LOC". */
export function describeAnnotationImport(report: AnnotationImportReport): string {
  const already = report.spansAlreadyPresent > 0 ? ` (${plural(report.spansAlreadyPresent, 'span')} already there)` : ''
  const tags = report.addedTags.length === 0 ? '' : `; added ${report.addedTags.length === 1 ? 'the tag' : 'the tags'} ${report.addedTags.join(', ')}`
  return `Imported ${plural(report.spans, 'span')} into ${plural(report.documents.length, 'document')}${already}${tags}`
}

export class ImportAnnotationsDialogState {
  phase = $state<ImportPhase>('choose')
  files = $state.raw<ImportFile[]>([])
  format = $state<ImportFormatChoice>('auto')
  scheme = $state<ConllSchemeChoice>('auto')
  annotator = $state('')
  report = $state.raw<AnnotationImportReport | null>(null)
  error = $state<QuireError | null>(null)
  /** The import being written, with its progress and Cancel. */
  job = $state.raw<ImportJob | null>(null)

  readonly edition: AppEdition
  readonly #api: QuireApi
  readonly #onImported: (report: AnnotationImportReport) => Promise<void>
  readonly #onImportedCleanly: ((report: AnnotationImportReport) => void) | undefined

  constructor(api: QuireApi, options: ImportAnnotationsDialogOptions) {
    this.#api = api
    this.edition = options.edition
    this.annotator = options.annotatorName
    this.#onImported = options.onImported
    this.#onImportedCleanly = options.onImportedCleanly
  }

  get canUseNativeChooser(): boolean {
    return this.edition === 'desktop'
  }

  /** The format the files will be read as, as far as the renderer can tell. */
  get effectiveFormat(): AnnotationImportFormat | null {
    if (this.format !== 'auto') return this.format
    const formats = new Set(this.files.map((file) => formatOfFile(file)).filter((format) => format !== null))
    return formats.size === 1 ? ([...formats][0] ?? null) : null
  }

  get showsScheme(): boolean {
    return this.effectiveFormat === 'conll'
  }

  get blocker(): string | null {
    if (this.files.length === 0) return 'Choose the files to import.'
    if (this.annotator.trim() === '') return 'Give the annotator for spans that name none.'
    return null
  }

  /** Errors other than unknown tags: these must be fixed in the files. */
  get fileErrors(): ImportProblem[] {
    const report = this.report
    if (!report) return []
    return report.errors.filter((error) => error.unknownTag === undefined)
  }

  /** The only thing in the way is tags the project lacks: offer to add them. */
  get canAddUnknownTags(): boolean {
    const report = this.report
    return report !== null && !report.imported && report.unknownTags.length > 0 && this.fileErrors.length === 0
  }

  /** Desktop: native multi-select dialog; main reads the files and returns their bytes. */
  async chooseFiles(): Promise<void> {
    try {
      const chosen = await this.#api.chooseAnnotationFiles()
      if (chosen) this.#addFiles(chosen)
    } catch (caught) {
      this.error = QuireError.from(caught)
    }
  }

  /** Browser edition (file input or drop), and drops on the desktop too. */
  async addBrowserFiles(files: readonly File[]): Promise<void> {
    const read: ImportFile[] = []
    for (const file of files) read.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
    this.#addFiles(read)
  }

  removeFile(name: string): void {
    this.files = this.files.filter((file) => file.name !== name)
    this.#backToChoosing()
  }

  async import(addUnknownTags = false): Promise<void> {
    if (this.blocker !== null || this.phase === 'importing') return
    const options: AnnotationImportOptions = { annotator: this.annotator.trim() }
    if (this.format !== 'auto') options.format = this.format
    if (this.showsScheme && this.scheme !== 'auto') options.scheme = this.scheme
    if (addUnknownTags) options.addUnknownTags = true
    this.error = null
    this.phase = 'importing'
    const job = new ImportJob(this.#api)
    this.job = job
    try {
      const report = await job.run((jobId) => this.#api.importAnnotations(this.files, options, jobId))
      this.report = report
      this.phase = 'report'
      // A cancelled import kept its whole batches: the list must show them.
      if (report.imported || report.cancelled) await this.#onImported(report)
      if (isCleanAnnotationImport(report)) this.#onImportedCleanly?.(report)
    } catch (caught) {
      this.error = QuireError.from(caught)
      this.phase = 'choose'
    } finally {
      this.job = null
    }
  }

  /** From a report: change files or options and try again. */
  edit(): void {
    this.#backToChoosing()
  }

  #addFiles(added: readonly ImportFile[]): void {
    // A file chosen again replaces the earlier copy (it may have been fixed meanwhile).
    const names = new Set(added.map((file) => file.name))
    this.files = [...this.files.filter((file) => !names.has(file.name)), ...added]
    this.#backToChoosing()
  }

  #backToChoosing(): void {
    if (this.phase === 'importing') return
    this.report = null
    this.error = null
    this.phase = 'choose'
  }
}

/**
 * After a successful import: the project's tags (some may have been added), the document
 * list's counts and the open document's annotations are read again. A document with edits
 * still waiting to be saved keeps its session: those edits must not be dropped.
 */
export async function reloadAfterAnnotationImport(app: AppState): Promise<void> {
  const project = await app.api.getCurrentProject()
  if (project) app.project = project
  await app.refreshDocuments()
  const session = app.session
  if (!session || session.saveQueue.pendingCount > 0) return
  session.dispose()
  app.session = null
  await app.openDocument(session.documentId)
}
