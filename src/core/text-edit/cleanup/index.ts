// The PDF-extraction cleanup: five steps, applied in CLEANUP_STEPS order, each planned and
// previewed on the text the previous ones leave, and composed into one change set against the
// text as it was (one revision, one undo).
import { ChangeSet } from '@codemirror/state'
import { CLEANUP_STEPS, type ChangeSetJson, type CleanupExample, type CleanupStepId, type CleanupStepPreview } from '../../../shared/model'
import { applyChanges, LINE_SEPARATOR, TextEditError } from '../change-set'
import { blankLinesStep } from './blank-lines'
import { dehyphenateStep } from './dehyphenate'
import { spacesStep } from './spaces'
import type { CleanupContext, CleanupEdit, CleanupStep } from './types'
import { undoubleStep } from './undouble'
import { unwrapStep } from './unwrap'

export { buildHyphenationEvidence, NO_HYPHENATION_EVIDENCE, type HyphenationEvidence } from './hyphenation-evidence'
export type { CleanupContext, CleanupEdit } from './types'

const STEPS: Record<CleanupStepId, CleanupStep> = {
  undouble: undoubleStep,
  unwrap: unwrapStep,
  dehyphenate: dehyphenateStep,
  'blank-lines': blankLinesStep,
  spaces: spacesStep
}

/** How many changes a preview lists per step. */
export const MAX_EXAMPLES_PER_STEP = 50
/** Characters of context shown on each side of an example. */
const EXAMPLE_CONTEXT = 24

export interface CleanupPlan {
  /** Every chosen step composed, against the input text. */
  changes: ChangeSetJson
  textAfter: string
  /** One per chosen step, in the order they apply. */
  previews: CleanupStepPreview[]
}

/** What the chosen steps would do to `text`, and the change set that does it. */
export function planCleanup(text: string, steps: readonly CleanupStepId[], context: CleanupContext): CleanupPlan {
  const unknown = steps.filter((step) => !CLEANUP_STEPS.includes(step))
  if (unknown.length > 0) throw new TextEditError(`unknown cleanup step ${unknown.join(', ')}; the steps are ${CLEANUP_STEPS.join(', ')}`)
  let current = text
  let composed = ChangeSet.empty(text.length)
  const previews: CleanupStepPreview[] = []
  for (const id of CLEANUP_STEPS) {
    if (!steps.includes(id)) continue
    const plan = STEPS[id].plan(current, context)
    checkInOrder(id, plan.edits)
    const changes = ChangeSet.of(plan.edits, current.length, LINE_SEPARATOR)
    const json = changes.toJSON() as ChangeSetJson
    previews.push({
      step: id,
      count: plan.edits.length,
      summary: plan.summary,
      examples: plan.edits.slice(0, MAX_EXAMPLES_PER_STEP).map((edit) => exampleOf(current, edit))
    })
    composed = composed.compose(changes)
    current = applyChanges(current, json)
  }
  return { changes: composed.toJSON() as ChangeSetJson, textAfter: current, previews }
}

// Each step promises edits in text order that do not overlap (ChangeSet.of would otherwise map
// one through another): a broken promise is a bug in the step, reported rather than applied.
function checkInOrder(id: CleanupStepId, edits: readonly CleanupEdit[]): void {
  let previousEnd = 0
  for (const edit of edits) {
    if (edit.from < previousEnd || edit.to < edit.from) {
      throw new Error(`cleanup step ${id} planned a change at ${edit.from}–${edit.to} overlapping the one before it (ending at ${previousEnd})`)
    }
    previousEnd = edit.to
  }
}

function exampleOf(text: string, edit: CleanupEdit): CleanupExample {
  const left = text.slice(contextStart(text, edit.from), edit.from)
  const right = text.slice(edit.to, contextEnd(text, edit.to))
  return {
    from: edit.from,
    to: edit.to,
    before: visible(left + text.slice(edit.from, edit.to) + right),
    after: visible(left + edit.insert + right),
    rule: edit.rule
  }
}

// Context stops at a line break beyond the one changed, and never splits a surrogate pair.
function contextStart(text: string, from: number): number {
  let start = Math.max(0, from - EXAMPLE_CONTEXT)
  const lineBreak = Math.max(text.lastIndexOf('\n', from - 2), text.lastIndexOf('\r', from - 2))
  if (lineBreak >= start) start = lineBreak + 1
  if (isLowSurrogate(text.charCodeAt(start)) && start > 0) start--
  return Math.min(start, from)
}

function contextEnd(text: string, to: number): number {
  let end = Math.min(text.length, to + EXAMPLE_CONTEXT)
  for (let index = to + 1; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code === 0x0a || code === 0x0d) {
      end = index
      break
    }
  }
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++
  return Math.max(end, to)
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff

/** Line breaks shown as "⏎" so an example stays on one line. */
function visible(snippet: string): string {
  return snippet.replace(/\r\n|\n|\r/g, '⏎')
}
