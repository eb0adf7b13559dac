// PDF extractions often repeat text: a line that is its first half twice ("XX"), or a line that
// repeats the line before it. The second copy goes, so spans on the first copy stay.
import { plural } from '../../quantities'
import { isBlank, linesOf, trimmedEnd } from './lines'
import type { CleanupEdit, CleanupStep } from './types'

const HALVED = 'halved'
const REPEATED = 'repeated'

export const undoubleStep: CleanupStep = {
  id: 'undouble',
  plan(text) {
    const edits: CleanupEdit[] = []
    const lines = linesOf(text)
    let previous: string | null = null
    let previousEnd = 0
    for (const line of lines) {
      if (isBlank(text, line)) {
        previous = null
        continue
      }
      // Trailing spaces are the spaces step's business: "XX  " is a doubled line too.
      const end = trimmedEnd(text, line)
      const half = doubledHalfLength(text, line.start, end)
      const content = text.slice(line.start, half > 0 ? line.start + half : end)
      if (previous !== null && content === previous) {
        edits.push({ from: previousEnd, to: end, insert: '', kind: REPEATED, rule: 'the line repeats the line before it' })
        previousEnd = end
        continue
      }
      if (half > 0) {
        edits.push({ from: line.start + half, to: end, insert: '', kind: HALVED, rule: 'the line is its first half twice' })
      }
      previous = content
      // A repeat of this line is deleted from here: after the second half this line loses, if any.
      previousEnd = end
    }
    return { edits, summary: summarize(edits) }
  }
}

// The length of X when text[start, end) is XX with X holding a letter or digit (so rules like
// "----" stay), and the middle does not fall inside a surrogate pair; else 0.
function doubledHalfLength(text: string, start: number, end: number): number {
  const length = end - start
  if (length < 2 || length % 2 !== 0) return 0
  const half = length / 2
  const middle = start + half
  const before = text.charCodeAt(middle - 1)
  if (before >= 0xd800 && before <= 0xdbff) return 0
  if (text.charCodeAt(start) !== text.charCodeAt(middle)) return 0
  if (!text.startsWith(text.slice(start, middle), middle)) return 0
  return /[\p{L}\p{N}]/u.test(text.slice(start, middle)) ? half : 0
}

function summarize(edits: readonly CleanupEdit[]): string {
  const halved = edits.filter((edit) => edit.kind === HALVED).length
  const repeated = edits.length - halved
  if (edits.length === 0) return 'No doubled or repeated lines'
  const parts: string[] = []
  if (halved > 0) parts.push(`${plural(halved, 'doubled line')} halved`)
  if (repeated > 0) parts.push(`${plural(repeated, 'repeated line')} removed`)
  return parts.join(', ')
}
