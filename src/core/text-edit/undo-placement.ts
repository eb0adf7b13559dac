// Undoing an edit puts spans back exactly. Mapping through the undo alone cannot (a deletion
// across a span's end leaves it shorter, and the text put back lands at its edge), so a span
// the mapping does not bring back to its old text is placed where that text lies, within what
// the undone edit maps onto the span.
import type { ChangeDesc } from '@codemirror/state'
import type { Annotation } from '../../shared/model'
import { asUtf16 } from '../../shared/model'
import { compareAnnotations, mapAnnotationsWith, type MappedAnnotations } from './annotation-mapping'
import { SectionIndex } from './position-mapping'
import { changedRanges } from './range-mapping'

/** mapAnnotationsThroughUndo (span-mapping.ts) on a change description already checked against the texts. */
export function mapThroughUndo(
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
    const place = placeOfOldText(lookup, annotation, oldText, wholeText(textAfter))
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
function placeOfOldText(lookup: UndoLookup, annotation: Annotation, oldText: string, text: TextWindow): number | null {
  if (oldText.length === 0) return null
  const starts = preimage((pos) => lookup.edit.mapPos(pos, 1), annotation.start, text.length)
  const ends = preimage((pos) => lookup.edit.mapPos(pos, -1), annotation.end, text.length)
  if (starts === null || ends === null || ends.high - starts.low < oldText.length) return null
  const preferred = lookup.undo.mapPos(annotation.start, 1)
  // Only the window the edit allows is searched: indexOf on the whole text would scan to its end.
  const window = text.slice(starts.low, ends.high)
  if (window === null) return null
  let found: number | null = null
  for (let offset = window.indexOf(oldText); offset !== -1 && starts.low + offset <= starts.high; offset = window.indexOf(oldText, offset + 1)) {
    const index = starts.low + offset
    const end = index + oldText.length
    if (end < ends.low) continue
    if (found === null || Math.abs(index - preferred) < Math.abs(found - preferred)) found = index
  }
  return found
}

/** Part of the text the undo leaves; null where it cannot be known (a later edit changed it). */
interface TextWindow {
  length: number
  slice(from: number, to: number): string | null
}

const wholeText = (text: string): TextWindow => ({ length: text.length, slice: (from, to) => text.slice(from, to) })

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

/**
 * For a layer anchored to the revision an undo undid, when more revisions followed the undo:
 * `mapped` is the layer mapped through all of them composed, and each span the undo would put
 * back (see mapThroughUndo) is put back where the later revisions left that place untouched,
 * shifted as they shift it. The text the undo left is read through the later revisions, so a
 * place they changed is not known and that span keeps its mapping.
 */
export function placeBackBeforeLaterEdits(
  annotations: readonly Annotation[],
  mapped: MappedAnnotations,
  undo: ChangeDesc,
  later: ChangeDesc,
  textAfter: string,
  undoneRevisionId: string,
  headId: string
): MappedAnnotations {
  const lookup: UndoLookup = { undo: new SectionIndex(undo.toJSON()), edit: new SectionIndex(undo.invertedDesc.toJSON()) }
  const laterIndex = new SectionIndex(later.toJSON())
  // Characters the later revisions deleted read as a noncharacter no span's text holds, so the
  // search finds the old text only where it can be seen.
  const textLeft: TextWindow = { length: undo.newLength, slice: (from, to) => laterIndex.textBefore(textAfter, from, to, UNREADABLE) }
  const touched = changedRanges(undo)
  const byId = new Map(mapped.annotations.map((annotation) => [annotation.id, annotation]))
  const lostIds = new Set(mapped.lost.map((entry) => entry.annotation.id))
  let placed = 0
  for (const annotation of annotations) {
    if (!touches(touched, annotation.start, annotation.end)) continue
    const flaggedByUndone = annotation.textCheck?.revision === undoneRevisionId
    const oldText = flaggedByUndone ? (annotation.textCheck?.previousText ?? '') : annotation.text
    if (oldText.includes(UNREADABLE)) continue
    const naiveStart = lookup.undo.mapPos(annotation.start, 1)
    const naiveEnd = lookup.undo.mapPos(annotation.end, -1)
    if (naiveStart < naiveEnd && textLeft.slice(naiveStart, naiveEnd) === oldText) continue
    const place = placeOfOldText(lookup, annotation, oldText, textLeft)
    if (place === null) continue
    // Back in place on the text the undo left, then through the later revisions as any span.
    const start = laterIndex.mapPos(place, 1)
    const end = laterIndex.mapPos(place + oldText.length, -1)
    if (start >= end) continue
    const text = textAfter.slice(start, end)
    const restored: Annotation = { ...annotation, start: asUtf16(start), end: asUtf16(end), text }
    if (flaggedByUndone) delete restored.textCheck
    if (text !== oldText) restored.textCheck = restored.textCheck ?? { previousText: oldText, revision: headId }
    byId.set(annotation.id, restored)
    lostIds.delete(annotation.id)
    placed++
  }
  if (placed === 0) return mapped
  const originals = new Map(annotations.map((annotation) => [annotation.id, annotation]))
  const result = [...byId.values()].sort(compareAnnotations)
  return {
    annotations: result,
    lost: mapped.lost.filter((entry) => lostIds.has(entry.annotation.id)),
    flagged: result.filter((annotation) => annotation.text !== originals.get(annotation.id)?.text).length
  }
}

const UNREADABLE = '\uffff'

/** True when a changed range overlaps or touches start–end. */
function touches(ranges: readonly number[], start: number, end: number): boolean {
  let low = 0
  let high = ranges.length / 2
  while (low < high) {
    const middle = (low + high) >> 1
    if ((ranges[2 * middle + 1] as number) < start) low = middle + 1
    else high = middle
  }
  return low < ranges.length / 2 && (ranges[2 * low] as number) <= end
}
