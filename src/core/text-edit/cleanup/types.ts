import type { CleanupStepId } from '../../../shared/model'
import type { HyphenationEvidence } from './hyphenation-evidence'

/** What a cleanup step may consult besides the text. */
export interface CleanupContext {
  hyphenation: HyphenationEvidence
}

/** One replacement a step makes, against the text the step runs on. */
export interface CleanupEdit {
  from: number
  to: number
  insert: string
  /** What kind of change, counted in the summary (e.g. "halved", "repeated"). */
  kind: string
  /** Why, shown with the example (dehyphenate: which rule decided). */
  rule: string
}

/** A step's plan on one text: its edits (sorted, not overlapping) and one summary line. */
export interface CleanupStepPlan {
  edits: CleanupEdit[]
  summary: string
}

export interface CleanupStep {
  id: CleanupStepId
  plan(text: string, context: CleanupContext): CleanupStepPlan
}
