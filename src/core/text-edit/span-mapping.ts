// How spans follow an edit of the text. A span's start sticks to the text after it (assoc 1)
// and its end to the text before it (assoc -1), so typing inside a span grows it while typing
// at either edge does not; a deletion inside shrinks it; a span whose whole text is deleted
// (mapped start >= end) leaves the layer and is kept as lost so undo can bring it back. A span
// whose covered text changed is flagged "text changed — check"; its stored text is always set
// to what it covers now.
import { ChangeSet } from '@codemirror/state'
import type { Annotation, AnnotationLayer, ChangeSetJson, LostSpan, ReviewComment, TextRevision } from '../../shared/model'
import { asUtf16 } from '../../shared/model'
import { changeSetOf, TextEditError } from './change-set'
import { mapPositions, type Assoc } from './position-mapping'

/** Where a span from `start` to `end` lands after `changes`; null when its whole text is deleted. */
export function mapSpan(changes: ChangeSet, start: number, end: number): { start: number; end: number } | null {
  const mappedStart = changes.mapPos(start, 1)
  const mappedEnd = changes.mapPos(end, -1)
  return mappedStart < mappedEnd ? { start: mappedStart, end: mappedEnd } : null
}

export interface MappedAnnotations {
  /** The spans still in the text, as new objects, sorted as the store sorts them. */
  annotations: Annotation[]
  /** The spans whose whole text was deleted, with their offsets and text before the edit. */
  lost: LostSpan[]
  /** How many surviving spans cover different text than before (flagged, or flag cleared). */
  flagged: number
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
  const set = ChangeSet.fromJSON(changesChecked(changes))
  if (set.newLength !== textAfter.length) {
    throw new TextEditError(
      `the change set makes a text of ${set.newLength} characters, but the text after it has ${textAfter.length}`
    )
  }
  return mapAnnotationsWith(annotations, changes, set.length, textAfter, revisionId)
}

function changesChecked(changes: ChangeSetJson): ChangeSetJson {
  // changeSetOf checks the form; the length it is checked against is the change set's own.
  const length = changes.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : part[0]), 0)
  changeSetOf(changes, length)
  return changes
}

function mapAnnotationsWith(
  annotations: readonly Annotation[],
  changes: ChangeSetJson,
  textLengthBefore: number,
  textAfter: string,
  revisionId: string
): MappedAnnotations {
  const mapped = mapRanges(changes, annotations, textLengthBefore)
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
    const text = textAfter.slice(start, end)
    const moved: Annotation = { ...annotation, start: asUtf16(start), end: asUtf16(end), text }
    if (text !== annotation.text) {
      flagged++
      if (annotation.textCheck === undefined) moved.textCheck = { previousText: annotation.text, revision: revisionId }
      else if (annotation.textCheck.previousText === text) delete moved.textCheck
    }
    kept.push(moved)
  })
  kept.sort(compareAnnotations)
  return { annotations: kept, lost, flagged }
}

/** The store's order: start, then end, then id. */
export function compareAnnotations(a: Annotation, b: Annotation): number {
  return a.start - b.start || a.end - b.end || a.id.localeCompare(b.id)
}

// Starts map with assoc 1, ends with -1; answers interleaved (start, end, start, end, ...).
function mapRanges(changes: ChangeSetJson, ranges: readonly { start: number; end: number }[], textLength: number): Float64Array {
  const positions = new Float64Array(ranges.length * 2)
  const assocs = new Int8Array(ranges.length * 2) as unknown as Assoc[]
  ranges.forEach((range, index) => {
    if (!(range.start >= 0 && range.end <= textLength)) {
      throw new TextEditError(`a span at ${range.start}–${range.end} lies outside the text of ${textLength} characters`)
    }
    positions[2 * index] = range.start
    assocs[2 * index] = 1
    positions[2 * index + 1] = range.end
    assocs[2 * index + 1] = -1
  })
  return mapPositions(changes, positions, assocs)
}

/** A reviewer's comments follow the spans they are on; a comment whose span's text is gone keeps its text, at the place it was. */
function mapComments(comments: readonly ReviewComment[], changes: ChangeSetJson, textLength: number, textAfter: string): ReviewComment[] {
  if (comments.length === 0) return []
  const mapped = mapRanges(changes, comments.map((comment) => comment.target), textLength)
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
  const changeSets = effective.map((revision) => ({ revision, set: revisionChangeSet(revision) }))
  let composed = ChangeSet.empty(lengthBefore)
  for (const { revision, set } of changeSets) {
    if (set.length !== composed.newLength) {
      throw new TextEditError(
        `revision ${revision.id} was made on a text of ${set.length} characters, but the revisions before it leave ${composed.newLength}`
      )
    }
    composed = composed.compose(set)
  }
  const composedJson = composed.toJSON() as ChangeSetJson
  const lastId = head.id
  const mapped = mapAnnotationsWith(layer.annotations, composedJson, lengthBefore, textAfter, lastId)
  const lostNow = attributeLost(mapped.lost, changeSets)

  const restoredIds = new Set<string>()
  const restored: Annotation[] = []
  const keptIds = new Set(mapped.annotations.map((annotation) => annotation.id))
  changeSets.forEach(({ revision }, index) => {
    if (revision.origin.kind !== 'undo') return
    const undone = revision.origin.undoes
    const candidates = layer.lostInEditing.filter((entry) => entry.revision === undone && !keptIds.has(entry.annotation.id))
    if (candidates.length === 0) return
    let rest = ChangeSet.empty(revision.lengthAfter)
    for (const later of changeSets.slice(index + 1)) rest = rest.compose(later.set)
    const back = mapRanges(rest.toJSON() as ChangeSetJson, candidates.map((entry) => entry.annotation), revision.lengthAfter)
    candidates.forEach((entry, k) => {
      const start = back[2 * k] as number
      const end = back[2 * k + 1] as number
      if (start >= end || textAfter.slice(start, end) !== entry.annotation.text || restoredIds.has(entry.annotation.id)) return
      restoredIds.add(entry.annotation.id)
      restored.push({ ...entry.annotation, start: asUtf16(start), end: asUtf16(end) })
    })
  })

  const annotations = restored.length > 0 ? [...mapped.annotations, ...restored].sort(compareAnnotations) : mapped.annotations
  const lostInEditing = [...layer.lostInEditing.filter((entry) => !restoredIds.has(entry.annotation.id)), ...lostNow]
  return {
    layer: {
      ...layer,
      annotations,
      comments: mapComments(layer.comments, composedJson, lengthBefore, textAfter),
      textRevision: head.id,
      textSha256: head.shaAfter,
      lostInEditing
    },
    lost: lostNow.length,
    flagged: mapped.flagged
  }
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

function revisionChangeSet(revision: TextRevision): ChangeSet {
  try {
    return changeSetOf(revision.changes, revision.lengthBefore)
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
function attributeLost(lost: readonly LostSpan[], changeSets: readonly { revision: TextRevision; set: ChangeSet }[]): LostSpan[] {
  if (lost.length === 0 || changeSets.length === 0) return [...lost]
  let pending = lost.map((entry) => ({ annotation: entry.annotation, start: entry.annotation.start as number, end: entry.annotation.end as number }))
  const attributed: LostSpan[] = []
  changeSets.forEach(({ revision, set }, index) => {
    const isLast = index === changeSets.length - 1
    const mapped = mapRanges(set.toJSON() as ChangeSetJson, pending, set.length)
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
