// Annotations and review comments through one change set: the rules of how spans follow an
// edit (see span-mapping.ts), on a ChangeDesc already checked against the texts.
import type { ChangeDesc } from '@codemirror/state'
import type { Annotation, LostSpan, ReviewComment } from '../../shared/model'
import type { RejectedSuggestion } from '../../shared/finding-model'
import { asUtf16 } from '../../shared/model'
import { mapRanges, mapRangesNear } from './range-mapping'

export interface MappedAnnotations {
  /** The spans still in the text, as new objects, sorted as the store sorts them. */
  annotations: Annotation[]
  /** The spans whose whole text was deleted, with their offsets and text before the edit. */
  lost: LostSpan[]
  /** How many surviving spans cover different text than before (flagged, or flag cleared). */
  flagged: number
}

/** mapAnnotationsThrough (span-mapping.ts) on a change description already checked against the texts. */
export function mapAnnotationsWith(annotations: readonly Annotation[], desc: ChangeDesc, textAfter: string, revisionId: string): MappedAnnotations {
  const { mapped, near } = mapRangesNear(desc, annotations)
  const kept: Annotation[] = []
  const lost: LostSpan[] = []
  let flagged = 0
  annotations.forEach((annotation, index) => {
    const start = mapped[2 * index] as number
    const end = mapped[2 * index + 1] as number
    if (start >= end) {
      lost.push({ annotation: { ...annotation }, revision: revisionId })
      return
    }
    // A span no change reaches covers the same text as before (the store keeps its text so).
    const text = near[index] === 1 ? textAfter.slice(start, end) : annotation.text
    const moved: Annotation = { ...annotation, start: asUtf16(start), end: asUtf16(end), text }
    if (text !== annotation.text) {
      flagged++
      if (annotation.textCheck === undefined) moved.textCheck = { previousText: annotation.text, revision: revisionId }
      else if (annotation.textCheck.previousText === text) delete moved.textCheck
    }
    kept.push(moved)
  })
  sortLikeTheStore(kept)
  return { annotations: kept, lost, flagged }
}

/** Sorts in place, after a linear check: mapping keeps spans in order nearly always. */
export function sortLikeTheStore(annotations: Annotation[]): void {
  for (let index = 1; index < annotations.length; index++) {
    if (compareAnnotations(annotations[index - 1] as Annotation, annotations[index] as Annotation) > 0) {
      annotations.sort(compareAnnotations)
      return
    }
  }
}

/** The store's order: start, then end, then id. */
export function compareAnnotations(a: Annotation, b: Annotation): number {
  return a.start - b.start || a.end - b.end || a.id.localeCompare(b.id)
}

/** A reviewer's comments follow the spans they are on; a comment whose span's text is gone keeps its text, at the place it was. */
export function mapComments(comments: readonly ReviewComment[], desc: ChangeDesc, textAfter: string): ReviewComment[] {
  if (comments.length === 0) return []
  const mapped = mapRanges(desc, comments.map((comment) => comment.target))
  return comments.map((comment, index) => {
    const start = mapped[2 * index] as number
    const end = mapped[2 * index + 1] as number
    const target =
      start < end
        ? { ...comment.target, start: asUtf16(start), end: asUtf16(end), text: textAfter.slice(start, end) }
        : { ...comment.target, start: asUtf16(end), end: asUtf16(end) }
    return { ...comment, target }
  })
}

/**
 * Rejected suggestions follow the text as spans do (start sticks to the text after it, end to
 * the text before). A rejection is of a text at a place: one whose text an edit deleted or
 * changed is dropped (what is there now was never rejected).
 */
export function mapRejections(rejections: readonly RejectedSuggestion[], desc: ChangeDesc, textAfter: string): RejectedSuggestion[] {
  // One past the text (a hand-edited file) is dropped rather than stop the layer being placed.
  const inText = rejections.filter((rejection) => rejection.end <= desc.length)
  if (inText.length === 0) return []
  const mapped = mapRanges(desc, inText)
  const kept: RejectedSuggestion[] = []
  inText.forEach((rejection, index) => {
    const start = mapped[2 * index] as number
    const end = mapped[2 * index + 1] as number
    if (start < end && textAfter.slice(start, end) === rejection.text) kept.push({ ...rejection, start: asUtf16(start), end: asUtf16(end) })
  })
  return kept
}
