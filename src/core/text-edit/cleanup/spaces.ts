// Runs of spaces collapse to one space and spaces at the end of a line go. A single tab or
// no-break space between words is left as it is: only runs are collapsed.
import { plural } from '../../quantities'
import { isHorizontalSpace } from './lines'
import type { CleanupEdit, CleanupStep } from './types'

const COLLAPSED = 'collapsed'
const TRAILING = 'trailing'

export const spacesStep: CleanupStep = {
  id: 'spaces',
  plan(text) {
    const edits: CleanupEdit[] = []
    const length = text.length
    let index = 0
    while (index < length) {
      if (!isHorizontalSpace(text.charCodeAt(index))) {
        index++
        continue
      }
      const start = index
      while (index < length && isHorizontalSpace(text.charCodeAt(index))) index++
      const next = index < length ? text.charCodeAt(index) : -1
      if (next === -1 || next === 0x0a || next === 0x0d) {
        edits.push({ from: start, to: index, insert: '', kind: TRAILING, rule: 'spaces at the end of a line' })
      } else if (index - start > 1) {
        // Keeping a space that is there (rather than replacing the run) leaves spans beside it be.
        if (text.charCodeAt(start) === 0x20) edits.push({ from: start + 1, to: index, insert: '', kind: COLLAPSED, rule: 'a run of spaces' })
        else if (text.charCodeAt(index - 1) === 0x20) edits.push({ from: start, to: index - 1, insert: '', kind: COLLAPSED, rule: 'a run of spaces' })
        else edits.push({ from: start, to: index, insert: ' ', kind: COLLAPSED, rule: 'a run of spaces' })
      }
    }
    return { edits, summary: summarize(edits) }
  }
}

function summarize(edits: readonly CleanupEdit[]): string {
  if (edits.length === 0) return 'No extra spaces'
  const collapsed = edits.filter((edit) => edit.kind === COLLAPSED).length
  const trailing = edits.length - collapsed
  const parts: string[] = []
  if (collapsed > 0) parts.push(`${plural(collapsed, 'run')} of spaces collapsed`)
  if (trailing > 0) parts.push(`trailing spaces removed from ${plural(trailing, 'line')}`)
  return parts.join(', ')
}
