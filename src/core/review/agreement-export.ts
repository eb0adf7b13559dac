// Agreement figures as files: CSV (one row per figure, for spreadsheets) and JSON (the whole
// report). Pure: the agreement screen downloads them, tests read them back.
import type { AgreementReport, GroupAgreement, PairAgreement, SpanF1Figures } from './agreement'
import type { MeasureValue } from './agreement-measures'
import { F1_RULE, TOKEN_RULE } from './agreement-wording'
import { textCell } from '../formats/csv'

export const AGREEMENT_CSV_HEADER = ['scope', 'tag', 'annotator_a', 'annotator_b', 'measure', 'value', 'not_measured_because', 'documents', 'tokens_or_spans']

interface CsvRow {
  scope: 'all annotators' | 'pair'
  tag: string
  a: string
  b: string
  measure: string
  value: MeasureValue
  documents: number
  amount: number
}

/** RFC 4180, with a BOM so spreadsheets read UTF-8 names; formula-like cells are neutralised. */
export function agreementCsv(report: AgreementReport): string {
  const rows: CsvRow[] = []
  const group = (figures: GroupAgreement, tag: string): void => {
    rows.push({ scope: 'all annotators', tag, a: '', b: '', measure: 'krippendorff_alpha_nominal', value: figures.krippendorffAlpha, documents: figures.alphaDocuments, amount: figures.alphaTokens })
    rows.push({ scope: 'all annotators', tag, a: '', b: '', measure: 'fleiss_kappa', value: figures.fleissKappa, documents: figures.fleissDocuments, amount: figures.fleissTokens })
    rows.push({ scope: 'all annotators', tag, a: '', b: '', measure: 'mean_span_f1_exact', value: figures.meanStrictF1, documents: figures.alphaDocuments, amount: 0 })
    rows.push({ scope: 'all annotators', tag, a: '', b: '', measure: 'mean_span_f1_overlap', value: figures.meanOverlapF1, documents: figures.alphaDocuments, amount: 0 })
  }
  const pair = (figures: PairAgreement, tag: string): void => {
    const [a, b] = figures.annotators
    const spans = (f1: SpanF1Figures): number => f1.possible + f1.actual
    rows.push({ scope: 'pair', tag, a, b, measure: 'span_f1_exact', value: figures.strict.f1, documents: figures.documents, amount: spans(figures.strict) })
    rows.push({ scope: 'pair', tag, a, b, measure: 'span_f1_overlap', value: figures.overlap.f1, documents: figures.documents, amount: spans(figures.overlap) })
    rows.push({ scope: 'pair', tag, a, b, measure: 'cohen_kappa', value: figures.cohenKappa, documents: figures.documents, amount: figures.tokens })
  }
  group(report.overall, 'all')
  for (const figures of report.pairs) pair(figures, 'all')
  for (const tag of report.perTag) {
    group(tag, tag.tag)
    for (const figures of tag.pairs) pair(figures, tag.tag)
  }
  const lines = [AGREEMENT_CSV_HEADER.join(',')]
  for (const row of rows) {
    // Figures stay numbers (a negative κ is not a formula); names and reasons are text cells.
    const value = row.value.value === null ? '' : String(row.value.value)
    const reason = row.value.value === null ? row.value.reason : ''
    lines.push([textCell(row.scope), textCell(row.tag), textCell(row.a), textCell(row.b), row.measure, value, textCell(reason), String(row.documents), String(row.amount)].join(','))
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

export function agreementJson(projectName: string, report: AgreementReport, problems: readonly { path: string; message: string }[]): string {
  return `${JSON.stringify({ project: projectName, howCounted: { tokens: TOKEN_RULE, spans: F1_RULE }, report, problems }, null, 2)}\n`
}
