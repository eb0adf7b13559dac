// The agreement figures as the command line prints them: the token rule first (token κ and
// span F1 can differ a lot, and readers must know why), then all annotators, pairs, tags.
import type { AgreementReport } from '../shared/model'
import type { MeasureValue } from '../core/review/agreement-measures'
import { TOKEN_RULE } from '../core/review/agreement-wording'

export function formatAgreement(projectName: string, report: AgreementReport): string {
  const lines: string[] = []
  lines.push(`Agreement in ${projectName}: ${count(report.documents, 'document')}, ${count(report.tokens, 'word token')}; annotators ${report.annotators.join(', ')}`)
  lines.push('', wrap(TOKEN_RULE, 2), '')
  const overall = report.overall
  lines.push('All annotators together')
  lines.push(row(['  Krippendorff’s α (nominal)', figure(overall.krippendorffAlpha), `${count(overall.alphaTokens, 'token')} in ${count(overall.alphaDocuments, 'document')}`]))
  lines.push(row(['  Fleiss’ κ', figure(overall.fleissKappa), `${count(overall.fleissTokens, 'token')} in ${count(overall.fleissDocuments, 'document')} every annotator has`]))
  lines.push(row(['  mean span F1, exact', figure(overall.meanStrictF1), 'start, end and tag equal']))
  lines.push(row(['  mean span F1, overlap', figure(overall.meanOverlapF1), 'same tag, any overlap']))
  lines.push('', 'Pairs (documents both annotated)')
  lines.push(row(['  ', 'F1 exact', 'F1 overlap', 'Cohen’s κ', 'documents', 'tokens']))
  for (const pair of report.pairs) {
    lines.push(row([`  ${pair.annotators[0]} – ${pair.annotators[1]}`, figure(pair.strict.f1), figure(pair.overlap.f1), figure(pair.cohenKappa), String(pair.documents), pair.tokens.toLocaleString('en')]))
  }
  lines.push('', 'By tag (all annotators)')
  lines.push(row(['  ', 'α', 'Fleiss’ κ', 'F1 exact', 'F1 overlap']))
  for (const tag of report.perTag) {
    lines.push(row([`  ${tag.tag}`, figure(tag.krippendorffAlpha), figure(tag.fleissKappa), figure(tag.meanStrictF1), figure(tag.meanOverlapF1)]))
  }
  const reasons = collectReasons(report)
  if (reasons.length > 0) lines.push('', 'Not measured (–):', ...reasons.map((reason) => `  ${reason}`))
  return `${lines.join('\n')}\n`
}

/** A figure with three decimals, or a dash whose reason is listed below the tables. */
function figure(value: MeasureValue): string {
  return value.value === null ? '–' : value.value.toFixed(3)
}

function collectReasons(report: AgreementReport): string[] {
  const reasons = new Set<string>()
  const note = (value: MeasureValue, where: string): void => {
    if (value.value === null) reasons.add(`${where}: ${value.reason}`)
  }
  note(report.overall.krippendorffAlpha, 'α')
  note(report.overall.fleissKappa, 'Fleiss’ κ')
  for (const pair of report.pairs) note(pair.cohenKappa, `κ ${pair.annotators.join(' – ')}`)
  for (const tag of report.perTag) note(tag.krippendorffAlpha, `α for ${tag.tag}`)
  return [...reasons]
}

const WIDTHS = [34, 10, 11, 11, 11, 10]

function row(cells: string[]): string {
  return cells.map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(WIDTHS[index] ?? 12))).join('')
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`
}

function wrap(text: string, indent: number): string {
  const words = text.split(/\s+/)
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    if (line.length + word.length + 1 > 92 - indent) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.map((part) => ' '.repeat(indent) + part).join('\n')
}
