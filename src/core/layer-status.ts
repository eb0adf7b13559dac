// How a layer's status follows its spans without anyone setting it: the first span made on a
// document that was not started puts it in progress. Only a person (or a curator) says done,
// and nothing but a person puts a layer back to not started; removing every span does not.
import type { AnnotationEdit, DocumentStatus } from '../shared/model'

/** The status a layer has once `spansAdded` spans were added to it. */
export function statusAfterSpansAdded(status: DocumentStatus, spansAdded: number): DocumentStatus {
  return status === 'not-started' && spansAdded > 0 ? 'in-progress' : status
}

/** How many of these edits put a span on the layer (a new one, or one brought back by undo). */
export function spansAddedBy(edits: readonly AnnotationEdit[]): number {
  let added = 0
  for (const edit of edits) if (edit.op === 'add' || edit.op === 'restore') added++
  return added
}
