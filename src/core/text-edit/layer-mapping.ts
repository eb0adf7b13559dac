// A layer through a chain of revisions (a colleague's file anchored to an older revision), back
// through one (settling a fork), and the spans an undone revision had deleted brought back.
import type { ChangeDesc } from '@codemirror/state'
import type { Annotation, AnnotationLayer, LostSpan, TextRevision } from '../../shared/model'
import { asUtf16 } from '../../shared/model'
import { compareAnnotations, mapAnnotationsWith, mapComments, mapRejections } from './annotation-mapping'
import { changeDescOf, composeDescs, TextEditError } from './change-set'
import { changedRanges, changesInside, mapRanges, mapRangesDirectly, SWEEP_THRESHOLD } from './range-mapping'
import { mapThroughUndo, placeBackBeforeLaterEdits } from './undo-placement'

export interface MappedLayer {
  layer: AnnotationLayer
  /** Spans lost by these revisions. */
  lost: number
  /** Spans whose covered text changed. */
  flagged: number
}

/**
 * `layer` mapped through `revisions`: the chain from the revision after layer.textRevision up
 * to the head, oldest first; `textAfter` is the head's text. An undo revision only ever undoes
 * the revision right before it, so an edit and its undo cancel (stack-wise: an undo of an
 * undo cancels too) and spans come out exactly as before the edit. The remaining revisions are
 * composed and the spans mapped once. Spans lost to an edit that is undone later in the chain
 * (or before, for the layer's own lostInEditing) come back when their text is there again.
 */
export function mapLayerForward(layer: AnnotationLayer, revisions: readonly TextRevision[], textAfter: string): MappedLayer {
  if (revisions.length === 0) return { layer, lost: 0, flagged: 0 }
  checkChain(layer, revisions)
  const head = revisions[revisions.length - 1] as TextRevision
  if (head.lengthAfter !== textAfter.length) {
    throw new TextEditError(`revision ${head.id} makes a text of ${head.lengthAfter} characters, but the text has ${textAfter.length}`)
  }
  const effective = cancelUndonePairs(revisions)
  const lengthBefore = head === revisions[0] ? head.lengthBefore : (revisions[0] as TextRevision).lengthBefore
  const steps = effective.map((revision) => ({ revision, set: revisionDesc(revision) }))
  let lengthNow = lengthBefore
  for (const { revision, set } of steps) {
    if (set.length !== lengthNow) {
      throw new TextEditError(`revision ${revision.id} was made on a text of ${set.length} characters, but the revisions before it leave ${lengthNow}`)
    }
    lengthNow = set.newLength
  }
  const composed = composeDescs(
    steps.map((step) => step.set),
    lengthBefore
  )
  const lastId = head.id
  // An undo first applies to the layer's own text (whichever revision it undoes: undos stack,
  // so after undoing Y the next undo undoes the X before it), so its spans can go back exactly.
  const first = effective[0]
  const undone = first !== undefined && first.origin.kind === 'undo' ? first.origin.undoes : null
  const mapped = undone === null
    ? mapAnnotationsWith(layer.annotations, composed, textAfter, lastId)
    : effective.length === 1
      ? mapThroughUndo(layer.annotations, composed, textAfter, lastId, undone)
      : placeBackBeforeLaterEdits(
          layer.annotations,
          mapAnnotationsWith(layer.annotations, composed, textAfter, lastId),
          (steps[0] as { set: ChangeDesc }).set,
          composeDescs(
            steps.slice(1).map((step) => step.set),
            (steps[0] as { set: ChangeDesc }).set.newLength
          ),
          textAfter,
          undone,
          lastId
        )
  const lostNow = attributeLost(mapped.lost, steps)
  const annotationsMapped = attributeFlags(layer.annotations, mapped.annotations, steps, lastId)

  const restoredIds = new Set<string>()
  const restored: Annotation[] = []
  const undoneIds = new Set(steps.flatMap(({ revision }) => (revision.origin.kind === 'undo' ? [revision.origin.undoes] : [])))
  const keptIds =
    undoneIds.size > 0 && layer.lostInEditing.some((entry) => undoneIds.has(entry.revision))
      ? new Set(mapped.annotations.map((annotation) => annotation.id))
      : new Set<string>()
  steps.forEach(({ revision }, index) => {
    if (revision.origin.kind !== 'undo') return
    const undoes = revision.origin.undoes
    const candidates = layer.lostInEditing.filter((entry) => entry.revision === undoes && !keptIds.has(entry.annotation.id))
    if (candidates.length === 0) return
    const rest = composeDescs(
      steps.slice(index + 1).map((step) => step.set),
      revision.lengthAfter
    )
    const back = mapRanges(rest, candidates.map((entry) => entry.annotation))
    candidates.forEach((entry, k) => {
      const start = back[2 * k] as number
      const end = back[2 * k + 1] as number
      if (start >= end || textAfter.slice(start, end) !== entry.annotation.text || restoredIds.has(entry.annotation.id)) return
      restoredIds.add(entry.annotation.id)
      restored.push({ ...entry.annotation, start: asUtf16(start), end: asUtf16(end) })
    })
  })

  const annotations = restored.length > 0 ? [...annotationsMapped, ...restored].sort(compareAnnotations) : annotationsMapped
  const lostInEditing = [...layer.lostInEditing.filter((entry) => !restoredIds.has(entry.annotation.id)), ...lostNow]
  return {
    layer: {
      ...layer,
      annotations,
      comments: mapComments(layer.comments, composed, textAfter),
      rejectedSuggestions: mapRejections(layer.rejectedSuggestions, composed, textAfter),
      textRevision: head.id,
      textSha256: head.shaAfter,
      lostInEditing
    },
    lost: lostNow.length,
    flagged: mapped.flagged
  }
}

/**
 * `layer`, anchored to `revision`, taken back to the text that revision was made on
 * (`textBefore`), as if the revision were undone: for settling two revisions with the same
 * parent, where a layer on the revision set aside goes back to the parent and then forward
 * through the one kept. Spans go back exactly where they were (see mapAnnotationsThroughUndo)
 * and those the revision deleted come back; a span whose text still differs is flagged with
 * the revision.
 */
export function mapLayerBack(layer: AnnotationLayer, revision: TextRevision, textBefore: string): MappedLayer {
  if (layer.textRevision !== revision.id) {
    throw new TextEditError(`the layer is anchored to ${layer.textRevision}, not to revision ${revision.id} it would be taken back through`)
  }
  if (textBefore.length !== revision.lengthBefore) {
    throw new TextEditError(`revision ${revision.id} was made on a text of ${revision.lengthBefore} characters, but the text has ${textBefore.length}`)
  }
  const undo = revisionDesc(revision).invertedDesc
  const mapped = mapThroughUndo(layer.annotations, undo, textBefore, revision.id, revision.id)
  const back: AnnotationLayer = {
    ...layer,
    annotations: mapped.annotations,
    comments: mapComments(layer.comments, undo, textBefore),
    rejectedSuggestions: mapRejections(layer.rejectedSuggestions, undo, textBefore),
    textRevision: revision.parent,
    textSha256: revision.shaBefore,
    lostInEditing: [...layer.lostInEditing, ...mapped.lost]
  }
  return { layer: restoreLostSpans(back, revision.id, textBefore).layer, lost: mapped.lost.length, flagged: mapped.flagged }
}

function checkChain(layer: AnnotationLayer, revisions: readonly TextRevision[]): void {
  let parent = layer.textRevision
  for (const revision of revisions) {
    if (revision.parent !== parent) {
      throw new TextEditError(`revision ${revision.id} follows ${revision.parent}, not ${parent}: the revisions do not form one chain from the layer's ${layer.textRevision}`)
    }
    parent = revision.id
  }
}

function revisionDesc(revision: TextRevision): ChangeDesc {
  try {
    return changeDescOf(revision.changes, revision.lengthBefore)
  } catch (error) {
    if (error instanceof TextEditError) throw new TextEditError(`revision ${revision.id}: ${error.message}`)
    throw error
  }
}

/** The revisions left once each undo has cancelled the revision it undoes (stack-wise). */
export function cancelUndonePairs(revisions: readonly TextRevision[]): TextRevision[] {
  const stack: TextRevision[] = []
  for (const revision of revisions) {
    const top = stack[stack.length - 1]
    if (revision.origin.kind === 'undo' && top !== undefined && top.id === revision.origin.undoes) stack.pop()
    else stack.push(revision)
  }
  return stack
}

// Composition says which spans are lost; stepping those few through the revisions one at a
// time says which revision lost each, and where it was just before (where undo would put it back).
function attributeLost(lost: readonly LostSpan[], steps: readonly { revision: TextRevision; set: ChangeDesc }[]): LostSpan[] {
  if (lost.length === 0 || steps.length === 0) return [...lost]
  let pending = lost.map((entry) => ({ annotation: entry.annotation, start: entry.annotation.start as number, end: entry.annotation.end as number }))
  const attributed: LostSpan[] = []
  steps.forEach(({ revision, set }, index) => {
    const isLast = index === steps.length - 1
    // A typed revision has a handful of sections: walking them per span beats sorting for a sweep.
    const mapped =
      pending.length * revision.changes.length < SWEEP_THRESHOLD
        ? mapRangesDirectly(set, pending)
        : mapRanges(set, pending)
    const next: typeof pending = []
    pending.forEach((entry, k) => {
      const start = mapped[2 * k] as number
      const end = mapped[2 * k + 1] as number
      if (start >= end || isLast) {
        attributed.push({ annotation: { ...entry.annotation, start: asUtf16(entry.start), end: asUtf16(entry.end) }, revision: revision.id })
      } else {
        next.push({ annotation: entry.annotation, start, end })
      }
    })
    pending = next
  })
  return attributed
}

// Mapping once flags a changed span with the head revision; stepping the few newly flagged
// spans through the revisions finds the one that first changed their text (an undo of that
// revision can then put them back exactly).
function attributeFlags(
  before: readonly Annotation[],
  after: Annotation[],
  steps: readonly { revision: TextRevision; set: ChangeDesc }[],
  headId: string
): Annotation[] {
  if (steps.length < 2) return after
  const flaggedBefore = new Map(before.filter((annotation) => annotation.textCheck !== undefined).map((annotation) => [annotation.id, annotation.textCheck]))
  const newlyFlagged = new Set(
    after.filter((annotation) => annotation.textCheck?.revision === headId && flaggedBefore.get(annotation.id) !== annotation.textCheck).map((annotation) => annotation.id)
  )
  if (newlyFlagged.size === 0) return after
  let pending = before.filter((annotation) => newlyFlagged.has(annotation.id)).map((annotation) => ({ id: annotation.id, start: annotation.start as number, end: annotation.end as number }))
  const changedBy = new Map<string, string>()
  for (const { revision, set } of steps) {
    const changed = changedRanges(set)
    const next: typeof pending = []
    const mapped = pending.length * changed.length < SWEEP_THRESHOLD ? mapRangesDirectly(set, pending) : mapRanges(set, pending)
    pending.forEach((span, k) => {
      if (changesInside(changed, span.start, span.end)) changedBy.set(span.id, revision.id)
      else next.push({ id: span.id, start: mapped[2 * k] as number, end: mapped[2 * k + 1] as number })
    })
    pending = next
    if (pending.length === 0) break
  }
  return after.map((annotation) => {
    const revision = changedBy.get(annotation.id)
    return revision === undefined || annotation.textCheck === undefined ? annotation : { ...annotation, textCheck: { ...annotation.textCheck, revision } }
  })
}

export interface RestoredSpans {
  layer: AnnotationLayer
  restored: Annotation[]
}

/**
 * Brings back the spans revision `undoneRevisionId` deleted, for a layer now anchored to the
 * text that revision was made on (`text`, e.g. right after its undo): each comes back when the
 * text at its old offsets is its text again and no span with its id is in the layer.
 */
export function restoreLostSpans(layer: AnnotationLayer, undoneRevisionId: string, text: string): RestoredSpans {
  const ids = new Set(layer.annotations.map((annotation) => annotation.id))
  const restored: Annotation[] = []
  const stillLost: LostSpan[] = []
  for (const entry of layer.lostInEditing) {
    const { annotation } = entry
    const fits =
      entry.revision === undoneRevisionId &&
      !ids.has(annotation.id) &&
      annotation.start >= 0 &&
      annotation.start < annotation.end &&
      annotation.end <= text.length &&
      text.slice(annotation.start, annotation.end) === annotation.text
    if (fits) {
      ids.add(annotation.id)
      restored.push({ ...annotation })
    } else {
      stillLost.push(entry)
    }
  }
  if (restored.length === 0) return { layer, restored }
  return {
    layer: { ...layer, annotations: [...layer.annotations, ...restored].sort(compareAnnotations), lostInEditing: stillLost },
    restored
  }
}
