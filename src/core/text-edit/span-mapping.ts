// How spans follow an edit of the text. A span's start sticks to the text after it (assoc 1)
// and its end to the text before it (assoc -1), so typing inside a span grows it while typing
// at either edge does not; a deletion inside shrinks it; a span whose whole text is deleted
// (mapped start >= end) leaves the layer and is kept as lost so undo can bring it back. A span
// whose covered text changed is flagged "text changed — check"; its stored text is always set
// to what it covers now.
import type { ChangeDesc, ChangeSet } from '@codemirror/state'
import type { Annotation, AnnotationLayer, ChangeSetJson, LostSpan, ReviewComment, TextRevision } from '../../shared/model'
import { asUtf16 } from '../../shared/model'
import { changeDescOf, composeDescs, TextEditError } from './change-set'
import { mapPositions, SectionIndex, type Assoc } from './position-mapping'

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
  const desc = descEndingAt(changes, textAfter)
  return mapAnnotationsWith(annotations, desc, textAfter, revisionId)
}

/** The change set's description, checked to make a text of textAfter's length. */
function descEndingAt(changes: ChangeSetJson, textAfter: string): ChangeDesc {
  const lengthBefore = changes.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : part[0]), 0)
  const desc = changeDescOf(changes, lengthBefore)
  if (desc.newLength !== textAfter.length) {
    throw new TextEditError(`the change set makes a text of ${desc.newLength} characters, but the text after it has ${textAfter.length}`)
  }
  return desc
}

function mapAnnotationsWith(annotations: readonly Annotation[], desc: ChangeDesc, textAfter: string, revisionId: string): MappedAnnotations {
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

function mapThroughUndo(
  annotations: readonly Annotation[],
  set: ChangeDesc,
  textAfter: string,
  revisionId: string,
  undoneRevisionId: string
): MappedAnnotations {
  const mapped = mapAnnotationsWith(annotations, set, textAfter, revisionId)
  const byId = new Map(mapped.annotations.map((annotation) => [annotation.id, annotation]))
  const lostIds = new Set(mapped.lost.map((entry) => entry.annotation.id))
  let lookup: UndoLookup | null = null
  for (const annotation of annotations) {
    const flaggedByUndone = annotation.textCheck?.revision === undoneRevisionId
    const oldText = flaggedByUndone ? (annotation.textCheck?.previousText ?? '') : annotation.text
    if (byId.get(annotation.id)?.text === oldText) continue
    lookup ??= { undo: new SectionIndex(set.toJSON()), edit: new SectionIndex(set.invertedDesc.toJSON()) }
    const place = placeOfOldText(lookup, annotation, oldText, textAfter)
    if (place === null) continue
    const restored: Annotation = { ...annotation, start: asUtf16(place), end: asUtf16(place + oldText.length), text: oldText }
    if (flaggedByUndone) delete restored.textCheck
    byId.set(annotation.id, restored)
    lostIds.delete(annotation.id)
  }
  const originals = new Map(annotations.map((annotation) => [annotation.id, annotation]))
  const result = [...byId.values()].sort(compareAnnotations)
  return {
    annotations: result,
    lost: mapped.lost.filter((entry) => lostIds.has(entry.annotation.id)),
    flagged: result.filter((annotation) => annotation.text !== originals.get(annotation.id)?.text).length
  }
}

// The undone edit's own mapping (the undo's inverse, a ChangeDesc needs no text) sends every
// position of the old text forward monotonically, so the old starts that land on the span's
// start form one range, and likewise the ends: the previous text is looked for there.
function placeOfOldText(lookup: UndoLookup, annotation: Annotation, oldText: string, text: string): number | null {
  if (oldText.length === 0) return null
  const starts = preimage((pos) => lookup.edit.mapPos(pos, 1), annotation.start, text.length)
  const ends = preimage((pos) => lookup.edit.mapPos(pos, -1), annotation.end, text.length)
  if (starts === null || ends === null || ends.high - starts.low < oldText.length) return null
  const preferred = lookup.undo.mapPos(annotation.start, 1)
  // Only the window the edit allows is searched: indexOf on the whole text would scan to its end.
  const window = text.slice(starts.low, ends.high)
  let found: number | null = null
  for (let offset = window.indexOf(oldText); offset !== -1 && starts.low + offset <= starts.high; offset = window.indexOf(oldText, offset + 1)) {
    const index = starts.low + offset
    const end = index + oldText.length
    if (end < ends.low) continue
    if (found === null || Math.abs(index - preferred) < Math.abs(found - preferred)) found = index
  }
  return found
}

/** The undo's mapping and the undone edit's (its inverse), indexed for many single lookups. */
interface UndoLookup {
  undo: SectionIndex
  edit: SectionIndex
}

/** The positions 0..length that a non-decreasing `map` sends to `target`, or null when none. */
function preimage(map: (pos: number) => number, target: number, length: number): { low: number; high: number } | null {
  let low = 0
  let high = length + 1
  while (low < high) {
    const middle = (low + high) >> 1
    if (map(middle) < target) low = middle + 1
    else high = middle
  }
  const first = low
  high = length + 1
  while (low < high) {
    const middle = (low + high) >> 1
    if (map(middle) <= target) low = middle + 1
    else high = middle
  }
  const last = low - 1
  return first <= last ? { low: first, high: last } : null
}

/** Sorts in place, after a linear check: mapping keeps spans in order nearly always. */
function sortLikeTheStore(annotations: Annotation[]): void {
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

// Starts map with assoc 1, ends with -1; answers interleaved (start, end, start, end, ...).
// Ranges wholly before the first change keep their offsets and those wholly after the last one
// shift by the change in length, so a keystroke's revision sweeps (and sorts) only the spans
// near it.
function mapRanges(desc: ChangeDesc, ranges: readonly { start: number; end: number }[]): Float64Array {
  return mapRangesNear(desc, ranges).mapped
}

/** mapRanges, also saying which ranges lay near a change (1); the others' text is as it was. */
function mapRangesNear(desc: ChangeDesc, ranges: readonly { start: number; end: number }[]): { mapped: Float64Array; near: Uint8Array } {
  const textLength = desc.length
  const sections = desc.toJSON()
  const { firstChange, lastChangeEnd } = changedExtent(sections)
  const shift = desc.newLength - textLength
  const mapped = new Float64Array(ranges.length * 2)
  const isNear = new Uint8Array(ranges.length)
  const near: number[] = []
  ranges.forEach((range, index) => {
    if (!(range.start >= 0 && range.end <= textLength)) {
      throw new TextEditError(`a span at ${range.start}–${range.end} lies outside the text of ${textLength} characters`)
    }
    if (range.end < firstChange) {
      mapped[2 * index] = range.start
      mapped[2 * index + 1] = range.end
    } else if (range.start > lastChangeEnd) {
      mapped[2 * index] = range.start + shift
      mapped[2 * index + 1] = range.end + shift
    } else {
      near.push(index)
      isNear[index] = 1
    }
  })
  if (near.length === 0) return { mapped, near: isNear }
  const positions = new Float64Array(near.length * 2)
  const assocs = new Int8Array(near.length * 2) as unknown as Assoc[]
  near.forEach((index, k) => {
    const range = ranges[index] as { start: number; end: number }
    positions[2 * k] = range.start
    assocs[2 * k] = 1
    positions[2 * k + 1] = range.end
    assocs[2 * k + 1] = -1
  })
  const swept = mapPositions(sections, positions, assocs)
  near.forEach((index, k) => {
    mapped[2 * index] = swept[2 * k] as number
    mapped[2 * index + 1] = swept[2 * k + 1] as number
  })
  return { mapped, near: isNear }
}

/** Where the first change starts and the last one ends, in the text before (Infinity and -1 when nothing changes). */
function changedExtent(sections: readonly number[]): { firstChange: number; lastChangeEnd: number } {
  let firstChange = Number.POSITIVE_INFINITY
  let lastChangeEnd = -1
  let pos = 0
  for (let index = 0; index < sections.length; index += 2) {
    const length = sections[index] as number
    if ((sections[index + 1] as number) >= 0) {
      if (firstChange === Number.POSITIVE_INFINITY) firstChange = pos
      lastChangeEnd = pos + length
    }
    pos += length
  }
  return { firstChange, lastChangeEnd }
}

/** Below this many span × section steps, ChangeSet.mapPos per position is cheaper than a sorted sweep. */
const SWEEP_THRESHOLD = 200_000

function mapRangesDirectly(set: ChangeDesc, ranges: readonly { start: number; end: number }[]): Float64Array {
  const mapped = new Float64Array(ranges.length * 2)
  ranges.forEach((range, index) => {
    mapped[2 * index] = set.mapPos(range.start, 1)
    mapped[2 * index + 1] = set.mapPos(range.end, -1)
  })
  return mapped
}

/** Review comments (a layer's `comments`) after `changes`: see mapComments. */
export function mapCommentsThrough(comments: readonly ReviewComment[], changes: ChangeSetJson, textAfter: string): ReviewComment[] {
  return mapComments(comments, descEndingAt(changes, textAfter), textAfter)
}

/** A reviewer's comments follow the spans they are on; a comment whose span's text is gone keeps its text, at the place it was. */
function mapComments(comments: readonly ReviewComment[], desc: ChangeDesc, textAfter: string): ReviewComment[] {
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
  const only = effective.length === 1 ? effective[0] : undefined
  const mapped =
    only !== undefined && only.origin.kind === 'undo' && only.origin.undoes === layer.textRevision
      ? mapThroughUndo(layer.annotations, composed, textAfter, lastId, layer.textRevision)
      : mapAnnotationsWith(layer.annotations, composed, textAfter, lastId)
  const lostNow = attributeLost(mapped.lost, steps)
  const annotationsMapped = attributeFlags(layer.annotations, mapped.annotations, steps, lastId)

  const restoredIds = new Set<string>()
  const restored: Annotation[] = []
  const undone = new Set(steps.flatMap(({ revision }) => (revision.origin.kind === 'undo' ? [revision.origin.undoes] : [])))
  const keptIds =
    undone.size > 0 && layer.lostInEditing.some((entry) => undone.has(entry.revision))
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

/** A change set's changed ranges in the text before, in order: [fromA, toA] pairs. */
function changedRanges(set: ChangeDesc): number[] {
  const ranges: number[] = []
  set.iterChangedRanges((fromA, toA) => {
    ranges.push(fromA, toA)
  })
  return ranges
}

/** True when a change deletes some of start–end or inserts strictly inside it (at an edge changes no covered text). */
function changesInside(ranges: readonly number[], start: number, end: number): boolean {
  let low = 0
  let high = ranges.length / 2
  while (low < high) {
    const middle = (low + high) >> 1
    if ((ranges[2 * middle + 1] as number) <= start) low = middle + 1
    else high = middle
  }
  if (low >= ranges.length / 2) return false
  const fromA = ranges[2 * low] as number
  const toA = ranges[2 * low + 1] as number
  return fromA < end && (fromA < toA || fromA > start)
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
