// Applies AnnotationEdits to the window's in-memory annotation map by the same rules main
// saves them with (src/core/annotation-edits.ts), so the UI can paint first and undo anything.
import type { Annotation, AnnotationEdit, CurationDecision } from '../../../../shared/model'
import type { RejectedSuggestion } from '../../../../shared/finding-model'
import { AnnotationEditRefusal, planEdits } from '../../../../core/annotation-edits'

export interface EditContext {
  text: string
  annotator: string
  now: () => string
  /** The gold layer's curation decisions by position key (changed in place like the annotations). */
  decisions?: Map<string, CurationDecision>
  /** Suggestions rejected in this window, by suggestionKey (changed in place like the annotations). */
  rejections?: Map<string, RejectedSuggestion>
  /** The project's tag ids; an edit using another tag is refused, as main refuses it. */
  tagIds?: ReadonlySet<string>
  /** The document's name, for messages. */
  documentName?: string
}

export interface AppliedEdits {
  /** Edits that revert the applied ones, in the order they must be applied. */
  revert: AnnotationEdit[]
  /** Ranges whose rendering changed (old and new position of each touched annotation). */
  touchedRanges: { start: number; end: number }[]
  changed: Annotation[]
  removedIds: string[]
  /** The records the changed and removed annotations had before (for structures that hold them). */
  earlier: Annotation[]
}

/** The rules' refusal of an edit; `why` says what is wrong with it in a sentence's end. */
export { AnnotationEditRefusal as EditConflictError }

/** A layer's annotations by id, as the edit rules read and change them (a Map, or the session's span index). */
export interface AnnotationsById {
  get(id: string): Annotation | undefined
  set(id: string, annotation: Annotation): unknown
  delete(id: string): boolean
}

/** Mutates `annotations` (id → record). Throws EditConflictError, changing nothing, when an edit cannot apply. */
export function applyEditsToMap(annotations: AnnotationsById, edits: AnnotationEdit[], context: EditContext): AppliedEdits {
  const decisions = context.decisions
  const rejections = context.rejections
  const plan = planEdits(
    {
      annotation: (id) => annotations.get(id),
      decision: (key) => decisions?.get(key),
      rejection: (key) => rejections?.get(key),
      // The window does not keep the gold layer's curator list; main adds to it.
      curators: undefined
    },
    edits,
    {
      text: context.text,
      tagIds: context.tagIds ?? null,
      annotator: context.annotator,
      documentName: context.documentName ?? 'this document',
      now: context.now()
    }
  )
  if (decisions) {
    for (const [key, decision] of plan.decisions) {
      if (decision) decisions.set(key, decision)
      else decisions.delete(key)
    }
  }
  if (rejections) {
    for (const [key, rejection] of plan.rejections) {
      if (rejection) rejections.set(key, rejection)
      else rejections.delete(key)
    }
  }
  const changed: Annotation[] = []
  const removedIds: string[] = []
  const earlier: Annotation[] = []
  for (const [id, record] of plan.annotations) {
    const before = annotations.get(id)
    if (before) earlier.push(before)
    if (record) {
      annotations.set(id, record)
      changed.push(record)
    } else if (annotations.delete(id)) {
      removedIds.push(id)
    }
  }
  return { revert: plan.revert, touchedRanges: plan.touchedRanges, changed, removedIds, earlier }
}

/** A short human description of a change, for undo/redo button titles. */
export function describeEdits(edits: AnnotationEdit[], tagLabel: (tagId: string) => string): string {
  const first = edits[0]
  if (!first) return 'Change'
  const suffix = edits.length > 1 ? ` (${edits.length} changes)` : ''
  switch (first.op) {
    case 'add':
      return `Add ${tagLabel(first.annotation.tag)}${suffix}`
    case 'restore':
      return `Restore ${tagLabel(first.annotation.tag)}${suffix}`
    case 'delete':
      return `Delete annotation${suffix}`
    case 'update':
      return first.changes.tag !== undefined ? `Change tag to ${tagLabel(first.changes.tag)}${suffix}` : `Edit note${suffix}`
    case 'decide':
      return `Reject a disagreement${suffix}`
    case 'undecide':
      return `Reopen a disagreement${suffix}`
    case 'confirm-text':
      return `Confirm a span's text${suffix}`
    case 'reject-suggestion':
      return `Reject a suggestion${suffix}`
    case 'unreject-suggestion':
      return `Bring back a suggestion${suffix}`
  }
}
