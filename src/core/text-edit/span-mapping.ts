// How spans follow an edit of the text. A span's start sticks to the text after it (assoc 1)
// and its end to the text before it (assoc -1), so typing inside a span grows it while typing
// at either edge does not; a deletion inside shrinks it; a span whose whole text is deleted
// (mapped start >= end) leaves the layer and is kept as lost so undo can bring it back. A span
// whose covered text changed is flagged "text changed — check"; its stored text is always set
// to what it covers now.
import type { ChangeSet } from '@codemirror/state'
import type { Annotation, ChangeSetJson, ReviewComment } from '../../shared/model'
import { mapAnnotationsWith, mapComments, type MappedAnnotations } from './annotation-mapping'
import { descEndingAt } from './range-mapping'
import { mapThroughUndo } from './undo-placement'

export { compareAnnotations, type MappedAnnotations } from './annotation-mapping'
export { cancelUndonePairs, mapLayerBack, mapLayerForward, restoreLostSpans, type MappedLayer, type RestoredSpans } from './layer-mapping'

/** Where a span from `start` to `end` lands after `changes`; null when its whole text is deleted. */
export function mapSpan(changes: ChangeSet, start: number, end: number): { start: number; end: number } | null {
  const mappedStart = changes.mapPos(start, 1)
  const mappedEnd = changes.mapPos(end, -1)
  return mappedStart < mappedEnd ? { start: mappedStart, end: mappedEnd } : null
}

/**
 * The annotations after `changes` (made by revision `revisionId`), with `textAfter` the text
 * they refer to afterwards. The input is left untouched.
 */
export function mapAnnotationsThrough(
  annotations: readonly Annotation[],
  changes: ChangeSetJson,
  textAfter: string,
  revisionId: string
): MappedAnnotations {
  const desc = descEndingAt(changes, textAfter)
  return mapAnnotationsWith(annotations, desc, textAfter, revisionId)
}

/**
 * Like mapAnnotationsThrough, for a change set that undoes revision `undoneRevisionId` (so
 * `textAfter` is the text that revision was made on). Mapping alone cannot undo every effect
 * of an edit on a span (a deletion across a span's end leaves it shorter, and the text put
 * back lands at its edge), so a span the mapping does not bring back to its old text goes back
 * where that text is: the one place whose start and end the undone edit sends to the span's
 * start and end. Its old text is the flag's previous text when that revision flagged it, else
 * its text. Spans the revision deleted are brought back by restoreLostSpans.
 */
export function mapAnnotationsThroughUndo(
  annotations: readonly Annotation[],
  changes: ChangeSetJson,
  textAfter: string,
  revisionId: string,
  undoneRevisionId: string
): MappedAnnotations {
  return mapThroughUndo(annotations, descEndingAt(changes, textAfter), textAfter, revisionId, undoneRevisionId)
}

/** Review comments (a layer's `comments`) after `changes`: see mapComments. */
export function mapCommentsThrough(comments: readonly ReviewComment[], changes: ChangeSetJson, textAfter: string): ReviewComment[] {
  return mapComments(comments, descEndingAt(changes, textAfter), textAfter)
}
