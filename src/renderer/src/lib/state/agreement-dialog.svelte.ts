// The agreement screen: which documents and annotators, the figures main computed, the measure
// the matrix shows, the pair the confusion table is for, and the disagreements behind the cell
// last clicked. Opening one of those disagreements is the caller's (it switches documents).
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import { agreementCsv, agreementJson } from '../../../../core/review/agreement-export'
import { isCurationLayer, type AgreementOutcome, type DisagreementList, type DisagreementQuery, type DocumentSummary } from '../../../../shared/model'
import type { PairAgreement } from '../../../../core/review/agreement'
import type { MeasureValue } from '../../../../core/review/agreement-measures'

export type AgreementDocuments = 'current' | 'all' | 'chosen'
export type MatrixMeasure = 'strict' | 'overlap' | 'kappa'

export const MATRIX_MEASURES: readonly { id: MatrixMeasure; label: string }[] = [
  { id: 'strict', label: 'Span F1, exact' },
  { id: 'overlap', label: 'Span F1, overlap' },
  { id: 'kappa', label: 'Cohen’s κ (tokens)' }
]

export interface AgreementDialogOptions {
  documents: readonly DocumentSummary[]
  currentDocumentId: string | null
  projectName: string
}

/** What a clicked cell asked for, said in words above its list. */
export interface CellQuery {
  title: string
  query: DisagreementQuery
}

export class AgreementDialogState {
  scope = $state<AgreementDocuments>('all')
  /** Everyone with a layer in the project; chosen ones are compared. */
  readonly people: string[]
  chosen = $state<string[]>([])
  outcome = $state.raw<AgreementOutcome | null>(null)
  computing = $state(false)
  error = $state.raw<QuireError | null>(null)
  measure = $state<MatrixMeasure>('strict')
  /** The tag the matrix is for; null: all tags together. */
  matrixTag = $state<string | null>(null)
  /** The documents measured when the scope is 'chosen'. */
  chosenDocumentIds = $state<string[]>([])
  /** The pair the confusion table shows, by index into the report's pairs. */
  confusionPair = $state(0)
  cell = $state.raw<CellQuery | null>(null)
  disagreements = $state.raw<DisagreementList | null>(null)
  listing = $state(false)

  readonly #api: QuireApi
  readonly #options: AgreementDialogOptions

  constructor(api: QuireApi, options: AgreementDialogOptions) {
    this.#api = api
    this.#options = options
    const names = new Set<string>()
    for (const document of options.documents) for (const layer of document.layers) if (!layer.problem) names.add(layer.annotator)
    this.people = [...names].sort((a, b) => Number(isCurationLayer(a)) - Number(isCurationLayer(b)) || a.localeCompare(b))
    // The gold layer is compared only when asked for: agreement is between people.
    this.chosen = this.people.filter((name) => !isCurationLayer(name))
    if (options.currentDocumentId !== null && options.documents.length > 1) this.scope = 'current'
    if (options.currentDocumentId !== null) this.chosenDocumentIds = [options.currentDocumentId]
  }

  /** Every document of the project (for the checklist of the 'chosen' scope). */
  get documents(): readonly DocumentSummary[] {
    return this.#options.documents
  }

  toggleDocument(documentId: string, on: boolean): void {
    const chosen = new Set(this.chosenDocumentIds)
    if (on) chosen.add(documentId)
    else chosen.delete(documentId)
    this.chosenDocumentIds = this.#options.documents.filter((document) => chosen.has(document.id)).map((document) => document.id)
  }

  get hasCurrentDocument(): boolean {
    return this.#options.currentDocumentId !== null
  }

  get currentDocumentName(): string {
    return this.#options.documents.find((document) => document.id === this.#options.currentDocumentId)?.name ?? ''
  }

  get documentIds(): string[] | 'all' {
    if (this.scope === 'chosen') return [...this.chosenDocumentIds]
    return this.scope === 'current' && this.#options.currentDocumentId !== null ? [this.#options.currentDocumentId] : 'all'
  }

  /** Why the figures cannot be computed, or null. */
  get blocker(): string | null {
    if (this.chosen.length < 2) return 'Choose at least two annotators: agreement is between people.'
    if (this.scope === 'chosen' && this.chosenDocumentIds.length === 0) return 'Choose at least one document.'
    return null
  }

  toggle(name: string, on: boolean): void {
    const chosen = new Set(this.chosen)
    if (on) chosen.add(name)
    else chosen.delete(name)
    this.chosen = this.people.filter((person) => chosen.has(person))
  }

  async compute(): Promise<void> {
    if (this.blocker) return
    this.computing = true
    this.cell = null
    this.disagreements = null
    try {
      this.outcome = await this.#api.computeAgreement({ documentIds: this.documentIds, annotators: [...this.chosen] })
      this.confusionPair = 0
      this.error = null
    } catch (caught) {
      this.error = QuireError.from(caught)
    } finally {
      this.computing = false
    }
  }

  /** The figure a matrix cell shows for a pair. */
  pairValue(pair: PairAgreement): MeasureValue {
    return this.measure === 'kappa' ? pair.cohenKappa : this.measure === 'overlap' ? pair.overlap.f1 : pair.strict.f1
  }

  /** A pair's figures, for all tags or for the matrix's tag alone. */
  pairOf(a: string, b: string): PairAgreement | undefined {
    const report = this.outcome?.report
    const pairs = this.matrixTag === null ? report?.pairs : report?.perTag.find((tag) => tag.tag === this.matrixTag)?.pairs
    return pairs?.find((pair) => (pair.annotators[0] === a && pair.annotators[1] === b) || (pair.annotators[0] === b && pair.annotators[1] === a))
  }

  /** Lists the disagreements behind a cell: a pair, a tag, a confusion cell. */
  async openCell(title: string, narrowing: Omit<DisagreementQuery, 'documentIds' | 'annotators'>): Promise<void> {
    const query: DisagreementQuery = { documentIds: this.documentIds, annotators: [...this.chosen], limit: 200, ...narrowing }
    this.cell = { title, query }
    this.listing = true
    try {
      this.disagreements = await this.#api.listDisagreements(query)
      this.error = null
    } catch (caught) {
      this.error = QuireError.from(caught)
      this.disagreements = null
    } finally {
      this.listing = false
    }
  }

  closeCell(): void {
    this.cell = null
    this.disagreements = null
  }

  /** The figures as files, named after the project and the scope. */
  files(): { csv: { name: string; text: string }; json: { name: string; text: string } } | null {
    const outcome = this.outcome
    if (!outcome) return null
    const stem = `${this.#options.projectName}-agreement${this.scope === 'current' ? `-${this.currentDocumentName}` : this.scope === 'chosen' ? `-${this.chosenDocumentIds.length}-documents` : ''}`.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    return {
      csv: { name: `${stem}.csv`, text: agreementCsv(outcome.report) },
      json: { name: `${stem}.json`, text: agreementJson(this.#options.projectName, outcome.report, outcome.problems) }
    }
  }
}

/** "0.812", or a dash (the reason is the cell's title). */
export function formatMeasure(value: MeasureValue): string {
  return value.value === null ? '–' : value.value.toFixed(3)
}

/** Shading from red (≤ 0) through amber to green (1), so the matrix reads at a glance; the number is always shown. */
export function measureTone(value: MeasureValue): string {
  if (value.value === null) return 'tone-none'
  if (value.value >= 0.8) return 'tone-high'
  if (value.value >= 0.6) return 'tone-mid'
  return 'tone-low'
}
