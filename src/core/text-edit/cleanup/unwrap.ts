// Hard-wrapped lines inside a paragraph are joined with one space; an empty or whitespace-only
// line ends a paragraph. A line ending in a word broken by a hyphen is left to dehyphenate,
// which decides whether the hyphen stays.
import { plural } from '../../quantities'
import { hyphenatedBreakAt, isBlank, linesOf, trimmedEnd, trimmedStart, type TextLine } from './lines'
import type { CleanupEdit, CleanupStep } from './types'

export const unwrapStep: CleanupStep = {
  id: 'unwrap',
  plan(text) {
    const edits: CleanupEdit[] = []
    const lines = linesOf(text)
    let leftForDehyphenate = 0
    for (let index = 0; index + 1 < lines.length; index++) {
      const line = (lines[index] as TextLine)
      const next = (lines[index + 1] as TextLine)
      if (isBlank(text, line) || isBlank(text, next)) continue
      if (hyphenatedBreakAt(text, line, next) >= 0) {
        leftForDehyphenate++
        continue
      }
      const from = trimmedEnd(text, line)
      const to = trimmedStart(text, next)
      // One space already there (before or after the break) is kept rather than replaced.
      if (to - from === line.breakEnd - line.end + 1 && text[from] === ' ') {
        edits.push({ from: from + 1, to, insert: '', kind: 'joined', rule: 'a line break inside a paragraph' })
      } else if (to - from === line.breakEnd - line.end + 1 && text[to - 1] === ' ') {
        edits.push({ from, to: to - 1, insert: '', kind: 'joined', rule: 'a line break inside a paragraph' })
      } else {
        edits.push({ from, to, insert: ' ', kind: 'joined', rule: 'a line break inside a paragraph' })
      }
    }
    const parts = [edits.length === 0 ? 'No hard-wrapped lines' : `${plural(edits.length, 'hard-wrapped line')} joined`]
    if (leftForDehyphenate > 0) parts.push(`${plural(leftForDehyphenate, 'hyphenated line end')} left for dehyphenate`)
    return { edits, summary: parts.join(', ') }
  }
}
