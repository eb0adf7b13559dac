// Whitespace-only lines become empty and runs of empty lines collapse to one, so paragraphs are
// separated by exactly one empty line. Empty lines before the first paragraph go, and the text
// ends with at most one line break.
import { plural } from '../../quantities'
import { isBlank, linesOf, type TextLine } from './lines'
import type { CleanupEdit, CleanupStep } from './types'

const EMPTIED = 'emptied'
const REMOVED = 'removed'

export const blankLinesStep: CleanupStep = {
  id: 'blank-lines',
  plan(text) {
    const edits: CleanupEdit[] = []
    const lines = linesOf(text)
    const firstFilled = lines.findIndex((line) => !isBlank(text, line))
    if (firstFilled < 0) {
      if (text.length > 0) edits.push({ from: 0, to: text.length, insert: '', kind: REMOVED, rule: 'the text holds only blank lines' })
      return { edits, summary: summarize(edits, countLines(lines)) }
    }
    let lastFilled = lines.length - 1
    while (isBlank(text, (lines[lastFilled] as TextLine))) lastFilled--
    let removedLines = 0
    if (firstFilled > 0) {
      edits.push({ from: 0, to: (lines[firstFilled] as TextLine).start, insert: '', kind: REMOVED, rule: 'empty lines before the first paragraph' })
      removedLines += firstFilled
    }
    let index = firstFilled + 1
    while (index < lastFilled) {
      if (!isBlank(text, (lines[index] as TextLine))) {
        index++
        continue
      }
      const runStart = index
      while (isBlank(text, (lines[index] as TextLine))) index++
      const first = (lines[runStart] as TextLine)
      if (first.end > first.start) edits.push({ from: first.start, to: first.end, insert: '', kind: EMPTIED, rule: 'a whitespace-only line' })
      if (index - runStart > 1) {
        edits.push({ from: first.breakEnd, to: (lines[index - 1] as TextLine).breakEnd, insert: '', kind: REMOVED, rule: 'a run of empty lines collapsed to one' })
        removedLines += index - runStart - 1
      }
    }
    const last = (lines[lastFilled] as TextLine)
    if (last.breakEnd < text.length) {
      edits.push({ from: last.breakEnd, to: text.length, insert: '', kind: REMOVED, rule: 'empty lines after the last paragraph' })
      removedLines += countLines(lines.slice(lastFilled + 1))
    }
    return { edits, summary: summarize(edits, removedLines) }
  }
}

/** Lines, not counting the empty "line" after a text's final line break. */
function countLines(lines: readonly TextLine[]): number {
  return lines.filter((line) => line.breakEnd > line.start).length
}

function summarize(edits: readonly CleanupEdit[], removedLines: number): string {
  if (edits.length === 0) return 'No blank lines to tidy'
  const emptied = edits.filter((edit) => edit.kind === EMPTIED).length
  const parts: string[] = []
  if (emptied > 0) parts.push(`${plural(emptied, 'whitespace-only line')} emptied`)
  if (removedLines > 0) parts.push(`${plural(removedLines, 'empty line')} removed`)
  return parts.join(', ')
}
