// Undoing an edit puts spans back exactly. Mapping through the undo alone cannot (a deletion
// across a span's end leaves it shorter, and the text put back lands at its edge), so a span
// the mapping does not bring back to its old text is placed where that text lies, within what
// the undone edit maps onto the span.
import type { ChangeDesc } from '@codemirror/state'
import type { Annotation } from '../../shared/model'
import { asUtf16 } from '../../shared/model'
import { compareAnnotations, mapAnnotationsWith, type MappedAnnotations } from './annotation-mapping'
import { SectionIndex } from './position-mapping'

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
