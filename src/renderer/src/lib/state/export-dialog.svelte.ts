// The export dialog's state: the options the user picks, the running export (polled, since
// main cannot push progress over the browser edition's HTTP) and its summary. The component
// only renders this and forwards clicks.
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type {
  AnnotatorSummary,
  AppEdition,
  ConllSchemeName,
  DocumentSummary,
  ExportFormat,
  ExportOffsetUnit,
  ExportProgress,
  ExportRequest,
  ExportResult
} from '../../../../shared/model'
import { FOLDER_EXPORT_FORMATS } from '../../../../shared/model'
import { plural } from '../text/quantities'

export type ExportScope = 'current' | 'selected' | 'all'
export type ExportPhase = 'loading' | 'options' | 'running' | 'finished'

export interface ExportFormatInfo {
  format: ExportFormat
  label: string
  /** One line on what it is for, shown under the choice. */
  description: string
}

export const EXPORT_FORMAT_INFO: readonly ExportFormatInfo[] = [
  { format: 'jsonl', label: 'JSONL', description: 'One document per line with its text, SHA-256 and spans: spaCy- and doccano-style scripts read it as is.' },
  { format: 'brat', label: 'brat standoff', description: 'A folder with NAME.txt and NAME.ann per document, plus annotation.conf.' },
  { format: 'conll', label: 'CoNLL-2003', description: 'One token per line with its NE tag. Overlapping spans are resolved (the longest kept) and counted.' },
  { format: 'tei', label: 'TEI XML', description: 'A folder with one TEI document per text: persName, orgName and rs elements inline.' },
  { format: 'csv', label: 'CSV', description: 'One row per annotation, for spreadsheets.' },
  { format: 'doccano', label: 'doccano', description: 'JSONL for doccano sequence labelling: one line per document and annotator, offsets in code points.' },
  { format: 'label-studio', label: 'Label Studio', description: 'JSON tasks for Label Studio, one annotation per annotator, offsets in code points; its labelling config names the labels "label" and the text "text".' }
]

export const OFFSET_UNIT_LABELS: Readonly<Record<ExportOffsetUnit, string>> = {
  codepoint: 'Unicode code points (Python, spaCy, brat)',
  utf16: 'UTF-16 code units (JavaScript, Java)',
  utf8: 'UTF-8 bytes'
}

export interface ExportDialogOptions {
  documents: readonly DocumentSummary[]
  /** The open document, offered as the "this document" scope. */
  currentDocumentId: string | null
  edition: AppEdition
  pollIntervalMs?: number
  /**
   * An export that wrote everything as it was (nothing left out or adjusted, no warning): the
   * dialog has nothing left to say, so the caller closes it and says so in a notice.
   */
  onFinishedCleanly?: (result: ExportResult) => void
}

/** Nothing left out, adjusted or warned about, and not cancelled. */
export function isCleanExport(result: ExportResult): boolean {
  return !result.cancelled && result.warnings.length === 0 && result.dropped === 0 && result.adjusted === 0
}

/** "Exported 3 documents and 120 spans to corpus.jsonl". */
export function describeExport(result: ExportResult): string {
  const name = result.outPath.split(/[\\/]/).filter(Boolean).at(-1) ?? result.outPath
  return `Exported ${plural(result.documents, 'document')} and ${plural(result.spans, 'span')} to ${name}`
}

const DEFAULT_POLL_INTERVAL_MS = 150

export class ExportDialogState {
  phase = $state<ExportPhase>('loading')
  format = $state<ExportFormat>('jsonl')
  scope = $state<ExportScope>('all')
  selectedDocumentIds = $state<string[]>([])
  annotators = $state.raw<AnnotatorSummary[]>([])
  chosenAnnotators = $state<string[]>([])
  scheme = $state<ConllSchemeName>('IOB2')
  offsets = $state<ExportOffsetUnit>('codepoint')
  /** One destination per format, so switching format back and forth keeps what was typed. */
  destinations = $state<Record<ExportFormat, string>>({ jsonl: '', brat: '', conll: '', tei: '', csv: '', doccano: '', 'label-studio': '' })
  progress = $state<ExportProgress | null>(null)
  result = $state.raw<ExportResult | null>(null)
  error = $state<QuireError | null>(null)
  cancelling = $state(false)

  readonly documents: readonly DocumentSummary[]
  readonly currentDocumentId: string | null
  readonly edition: AppEdition
  readonly #api: QuireApi
  readonly #pollIntervalMs: number
  readonly #onFinishedCleanly: ((result: ExportResult) => void) | undefined
  #jobId: string | null = null
  #pollTimer: ReturnType<typeof setTimeout> | null = null
  #disposed = false

  constructor(api: QuireApi, options: ExportDialogOptions) {
    this.#api = api
    this.documents = options.documents
    this.currentDocumentId = options.currentDocumentId
    this.edition = options.edition
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS
    this.#onFinishedCleanly = options.onFinishedCleanly
    if (options.currentDocumentId) {
      this.scope = 'current'
      this.selectedDocumentIds = [options.currentDocumentId]
    }
  }

  async load(): Promise<void> {
    try {
      const choices = await this.#api.getExportChoices()
      this.annotators = choices.annotators
      this.chosenAnnotators = choices.annotators.map((annotator) => annotator.name)
      this.destinations = { ...choices.suggestedOutPaths }
    } catch (caught) {
      this.error = QuireError.from(caught)
    }
    this.phase = 'options'
  }

  get destination(): string {
    return this.destinations[this.format]
  }

  set destination(path: string) {
    this.destinations[this.format] = path
  }

  get destinationIsFolder(): boolean {
    return FOLDER_EXPORT_FORMATS.includes(this.format)
  }

  get showsScheme(): boolean {
    return this.format === 'conll'
  }

  /** JSONL states its unit per line; CSV rows name theirs. Other formats always use code points. */
  get showsOffsets(): boolean {
    return this.format === 'jsonl' || this.format === 'csv'
  }

  get canChooseDestination(): boolean {
    return this.edition === 'desktop'
  }

  get currentDocumentName(): string | null {
    return this.documents.find((document) => document.id === this.currentDocumentId)?.name ?? null
  }

  get documentIds(): string[] | 'all' {
    if (this.scope === 'all') return 'all'
    if (this.scope === 'current') return this.currentDocumentId ? [this.currentDocumentId] : []
    // In the project's order, whatever order they were ticked in.
    const chosen = new Set(this.selectedDocumentIds)
    return this.documents.filter((document) => chosen.has(document.id)).map((document) => document.id)
  }

  get documentCount(): number {
    const ids = this.documentIds
    return ids === 'all' ? this.documents.length : ids.length
  }

  /** Why Export cannot run yet, in words; null when it can. */
  get blocker(): string | null {
    if (this.phase !== 'options') return null
    if (this.documents.length === 0) return 'The project has no documents to export.'
    if (this.documentCount === 0) return this.scope === 'current' ? 'No document is open.' : 'Choose at least one document.'
    if (this.annotators.length > 0 && this.chosenAnnotators.length === 0) return 'Choose at least one annotator.'
    if (this.destination.trim() === '') return this.destinationIsFolder ? 'Give the folder to export to.' : 'Give the file to export to.'
    return null
  }

  toggleDocument(documentId: string, chosen: boolean): void {
    const others = this.selectedDocumentIds.filter((id) => id !== documentId)
    this.selectedDocumentIds = chosen ? [...others, documentId] : others
  }

  selectAllDocuments(chosen: boolean): void {
    this.selectedDocumentIds = chosen ? this.documents.map((document) => document.id) : []
  }

  toggleAnnotator(name: string, chosen: boolean): void {
    const others = this.chosenAnnotators.filter((other) => other !== name)
    this.chosenAnnotators = chosen ? [...others, name] : others
  }

  request(): ExportRequest {
    const everyAnnotator = this.annotators.every((annotator) => this.chosenAnnotators.includes(annotator.name))
    const request: ExportRequest = {
      format: this.format,
      outPath: this.destination.trim(),
      documentIds: this.documentIds,
      annotators: everyAnnotator ? 'all' : this.annotators.filter((a) => this.chosenAnnotators.includes(a.name)).map((a) => a.name)
    }
    if (this.showsScheme) request.scheme = this.scheme
    if (this.showsOffsets) request.offsets = this.offsets
    return request
  }

  /** Desktop: the native save or folder dialog, starting at the current destination. */
  async chooseDestination(): Promise<void> {
    try {
      const chosen = await this.#api.chooseExportDestination(this.format, this.destination.trim() || this.destinations[this.format])
      if (chosen) this.destination = chosen
    } catch (caught) {
      this.error = QuireError.from(caught)
    }
  }

  async start(): Promise<void> {
    if (this.blocker !== null || this.phase !== 'options') return
    this.error = null
    const request = this.request()
    const documentsTotal = request.documentIds === 'all' ? this.documents.length : request.documentIds.length
    this.progress = { documentsDone: 0, documentsTotal, spansWritten: 0 }
    this.cancelling = false
    this.phase = 'running'
    try {
      this.#jobId = (await this.#api.startExport(request)).jobId
    } catch (caught) {
      this.error = QuireError.from(caught)
      this.phase = 'options'
      return
    }
    this.#schedulePoll()
  }

  async cancel(): Promise<void> {
    if (this.phase !== 'running' || !this.#jobId || this.cancelling) return
    this.cancelling = true
    try {
      await this.#api.cancelExport(this.#jobId)
    } catch (caught) {
      this.cancelling = false
      this.error = QuireError.from(caught)
    }
  }

  /** Back to the options after a summary, e.g. to export again in another format. */
  again(): void {
    this.result = null
    this.progress = null
    this.error = null
    this.phase = 'options'
  }

  /** Desktop only; the browser edition shows the path with a copy button instead. */
  async showInFolder(): Promise<void> {
    const path = this.result?.outPath
    if (!path) return
    try {
      await this.#api.showExportInFolder(path)
    } catch (caught) {
      this.error = QuireError.from(caught)
    }
  }

  /** Stops polling. A running export keeps running in main; closing the dialog asks to cancel first. */
  dispose(): void {
    this.#disposed = true
    if (this.#pollTimer !== null) clearTimeout(this.#pollTimer)
    this.#pollTimer = null
  }

  #schedulePoll(): void {
    if (this.#disposed) return
    this.#pollTimer = setTimeout(() => void this.#poll(), this.#pollIntervalMs)
  }

  async #poll(): Promise<void> {
    this.#pollTimer = null
    const jobId = this.#jobId
    if (!jobId || this.#disposed) return
    try {
      const status = await this.#api.getExportProgress(jobId)
      if (this.#disposed) return
      this.progress = status.progress
      if (status.state === 'running') {
        this.#schedulePoll()
        return
      }
      if (status.state === 'failed') {
        this.error = new QuireError(status.error ?? { code: 'internal', message: 'The export failed without saying why.' })
        this.phase = 'options'
        return
      }
      this.result = status.result ?? null
      this.phase = 'finished'
      if (this.result && isCleanExport(this.result)) this.#onFinishedCleanly?.(this.result)
    } catch (caught) {
      this.error = QuireError.from(caught)
      this.phase = 'options'
    } finally {
      if (this.phase !== 'running') this.#jobId = null
    }
  }
}
