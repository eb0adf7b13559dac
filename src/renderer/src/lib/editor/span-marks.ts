// Every shown layer's spans as mark decorations in the editor, following each keystroke with
// the rules main applies on save: an insertion at a span's edge does not grow it (marks are not
// inclusive, so their start maps after an insertion and their end before it), an insertion or
// deletion inside it grows or shrinks it, and a span whose whole text is deleted leaves the text
// and is listed as lost; undo (CodeMirror's history, through invertedEffects) brings it back.
// A span whose covered text now differs from what it covered before is flagged "changed" until
// its text is the same again (undo) or the edit is saved and someone confirms it.
import { StateEffect, StateField, type ChangeDesc, type ChangeSet, type EditorState, type Extension, type Range, type Transaction } from '@codemirror/state'
import { Decoration, EditorView, WidgetType, type DecorationSet } from '@codemirror/view'
import { invertedEffects } from '@codemirror/commands'
import { mapSpan } from '../../../../core/text-edit/span-mapping'

/** A span as the editor knows it: whose, which tag, and the text it covered when editing began. */
export interface EditorSpan {
  /** Unique among the editor's spans (a layer's ids may repeat in another layer). */
  key: string
  id: string
  layer: string
  /** Your own layer's span (filled) rather than a colleague's (outlined). */
  own: boolean
  tag: string
  /** Tooltip: who and what. */
  title: string
  /** What it covered when editing began. */
  text: string
}

export interface PlacedSpan {
  span: EditorSpan
  from: number
  to: number
}

/** A span whose whole text was deleted: where it was and what it covered. */
export interface LostEditorSpan extends PlacedSpan {
  /** The text it covered just before the deletion. */
  lostText: string
}

interface SpanMarksValue {
  /** One mark per span, and nothing else: a set without point decorations lets CodeMirror's
   * height map skip it whole when it rebuilds the edited line (with a point anywhere in it, every
   * range after the edit is stepped through, on each keystroke). */
  marks: DecorationSet
  /** The "text changed — check" badges, after your own changed spans. */
  checks: DecorationSet
  lost: readonly LostEditorSpan[]
  /** Spans whose covered text differs from `span.text`, by key. */
  changed: ReadonlyMap<string, EditorSpan>
  /** Lost by the last transaction: what its undo must bring back. */
  lostByLast: readonly LostEditorSpan[]
}
class TextChangedWidget extends WidgetType {
  override eq(): boolean {
    return true
  }
  toDOM(): HTMLElement {
    const badge = document.createElement('span')
    badge.className = 'cm-span-check'
    badge.textContent = 'text changed — check'
    badge.setAttribute('aria-label', 'text changed — check')
    return badge
  }
  override ignoreEvent(): boolean {
    return false
  }
}

const CHECK_WIDGET = new TextChangedWidget()

function markFor(span: EditorSpan, changed: boolean): Decoration {
  const classes = ['cm-span', span.own ? 'cm-span-own' : 'cm-span-other']
  if (changed) classes.push('cm-span-changed')
  return Decoration.mark({
    class: classes.join(' '),
    attributes: { 'data-tag': span.tag, title: changed ? `${span.title} (text changed — check)` : span.title },
    span
  })
}

function checkWidgetFor(span: EditorSpan): Decoration {
  return Decoration.widget({ widget: CHECK_WIDGET, side: 1, span })
}

/** A span's mark, and its badge when it is your own and changed, added to `marks` and `checks`. */
function place(span: EditorSpan, from: number, to: number, changed: boolean, marks: Range<Decoration>[], checks: Range<Decoration>[]): void {
  marks.push(markFor(span, changed).range(from, to))
  if (changed && span.own) checks.push(checkWidgetFor(span).range(to))
}

function keyOf(decoration: Decoration): string {
  return (decoration.spec.span as EditorSpan).key
}

/** Brings spans back (undo of the edit that deleted their text), at positions in the new text. */
const restoreSpans = StateEffect.define<readonly LostEditorSpan[]>({
  map: (spans, mapping: ChangeDesc) =>
    spans
      .map((lost) => ({ ...lost, from: mapping.mapPos(lost.from, 1), to: mapping.mapPos(lost.to, -1) }))
      .filter((lost) => lost.from < lost.to)
})

function isTouched(from: number, to: number, fromA: number, toA: number): boolean {
  // A deletion overlapping the span, or an insertion strictly inside it; never one at its edge.
  return fromA === toA ? from < fromA && fromA < to : Math.max(from, fromA) < Math.min(to, toA)
}

function update(value: SpanMarksValue, tr: Transaction): SpanMarksValue {
  let { marks, checks, lost, changed } = value
  let lostByLast: LostEditorSpan[] = []
  if (tr.docChanged) {
    const touched = new Map<string, PlacedSpan>()
    tr.changes.iterChangedRanges((fromA, toA) => {
      value.marks.between(fromA, toA, (from, to, decoration) => {
        const span = decoration.spec.span as EditorSpan
        if (touched.has(span.key) || !isTouched(from, to, fromA, toA)) return
        touched.set(span.key, { span, from, to })
      })
    })
    marks = marks.map(tr.changes)
    checks = checks.map(tr.changes)
    if (touched.size > 0) {
      let nextChanged: Map<string, EditorSpan> | null = null
      const changedNow = (): Map<string, EditorSpan> => (nextChanged ??= new Map(changed))
      // Spans whose mark CodeMirror's own mapping left wrong (place, or changed or not): replaced.
      const replaced = new Set<string>()
      const addMarks: Range<Decoration>[] = []
      const addChecks: Range<Decoration>[] = []
      let filterFrom = tr.newDoc.length
      let filterTo = 0
      for (const { span, from, to } of touched.values()) {
        // The core's rule, the one main applies when the edit is saved.
        const moved = mapSpan(tr.changes, from, to)
        if (!moved) {
          const at = tr.changes.mapPos(from, 1)
          filterFrom = Math.min(filterFrom, at)
          filterTo = Math.max(filterTo, at)
          lostByLast.push({ span, from, to, lostText: tr.startState.doc.sliceString(from, to) })
          if (changed.has(span.key)) changedNow().delete(span.key)
          replaced.add(span.key)
          continue
        }
        const { start: newFrom, end: newTo } = moved
        const isChanged = tr.newDoc.sliceString(newFrom, newTo) !== span.text
        const wasChanged = changed.has(span.key)
        if (isChanged !== wasChanged) {
          if (isChanged) changedNow().set(span.key, span)
          else changedNow().delete(span.key)
        }
        // A non-inclusive mark maps its start after text inserted there and its end before:
        // typing inside a span usually leaves its mark where the core's rule puts it, and then
        // the mark set is not rebuilt on each keystroke.
        const mappedFrom = tr.changes.mapPos(from, 1)
        const mappedTo = tr.changes.mapPos(to, -1)
        if (isChanged !== wasChanged || mappedFrom !== newFrom || mappedTo !== newTo || mappedFrom >= mappedTo) {
          filterFrom = Math.min(filterFrom, newFrom, mappedFrom)
          filterTo = Math.max(filterTo, newTo, mappedTo)
          replaced.add(span.key)
          addMarks.push(markFor(span, isChanged).range(newFrom, newTo))
        }
        if (isChanged && span.own) addChecks.push(checkWidgetFor(span).range(newTo))
      }
      if (replaced.size > 0 || addMarks.length > 0) {
        marks = marks.update({
          filter: (_from, _to, decoration) => !replaced.has(keyOf(decoration)),
          filterFrom,
          filterTo,
          add: addMarks,
          sort: true
        })
      }
      // Badges are few (your own changed spans): each touched span's is placed afresh.
      checks = checks.update({ filter: (_from, _to, decoration) => !touched.has(keyOf(decoration)), add: addChecks, sort: true })
      if (nextChanged) changed = nextChanged
      if (lostByLast.length > 0) lost = [...lost, ...lostByLast]
    }
  }
  for (const effect of tr.effects) {
    if (!effect.is(restoreSpans)) continue
    const back = new Set(effect.value.map((restored) => restored.span.key))
    const addMarks: Range<Decoration>[] = []
    const addChecks: Range<Decoration>[] = []
    const nextChanged = new Map(changed)
    for (const restored of effect.value) {
      const isChanged = tr.newDoc.sliceString(restored.from, restored.to) !== restored.span.text
      if (isChanged) nextChanged.set(restored.span.key, restored.span)
      place(restored.span, restored.from, restored.to, isChanged, addMarks, addChecks)
    }
    marks = marks.update({ add: addMarks, sort: true })
    checks = checks.update({ add: addChecks, sort: true })
    lost = lost.filter((entry) => !back.has(entry.span.key))
    changed = nextChanged
  }
  if (
    lostByLast.length === 0 &&
    value.lostByLast.length === 0 &&
    marks === value.marks &&
    checks === value.checks &&
    lost === value.lost &&
    changed === value.changed
  )
    return value
  return { marks, checks, lost, changed, lostByLast }
}

const spanMarksField = StateField.define<SpanMarksValue>({
  create: () => ({ marks: Decoration.none, checks: Decoration.none, lost: [], changed: new Map(), lostByLast: [] }),
  update,
  provide: (field) => [EditorView.decorations.from(field, (value) => value.marks), EditorView.decorations.from(field, (value) => value.checks)]
})

/** The editor's spans, starting at their offsets in the text; spans outside it or empty are left out. */
export function spanMarks(spans: readonly PlacedSpan[], textLength: number): Extension {
  const ranges: Range<Decoration>[] = []
  for (const { span, from, to } of spans) {
    if (from < 0 || to > textLength || from >= to) continue
    ranges.push(markFor(span, false).range(from, to))
  }
  return [
    spanMarksField.init(() => ({ marks: Decoration.set(ranges, true), checks: Decoration.none, lost: [], changed: new Map(), lostByLast: [] })),
    invertedEffects.of((tr) => {
      const lostByLast = tr.state.field(spanMarksField).lostByLast
      return lostByLast.length > 0 ? [restoreSpans.of(lostByLast)] : []
    })
  ]
}

export function lostSpans(state: EditorState): readonly LostEditorSpan[] {
  return state.field(spanMarksField).lost
}

export function changedSpans(state: EditorState): ReadonlyMap<string, EditorSpan> {
  return state.field(spanMarksField).changed
}

/** Every span still in the text, where it is now. */
export function currentSpans(state: EditorState): PlacedSpan[] {
  const found: PlacedSpan[] = []
  state.field(spanMarksField).marks.between(0, state.doc.length, (from, to, decoration) => {
    found.push({ span: decoration.spec.span as EditorSpan, from, to })
  })
  return found
}

/**
 * True when `changes` (taking `startState` to the next state) must not be composed with
 * `pending`, the edits not yet saved, which took `batchStart` to `startState`. Main maps spans
 * through a saved change set in one go, the editor keystroke by keystroke; composed, a deletion
 * and a later insertion at the same place become one replacement, and a span's edge there can
 * land on the other side of the inserted text (delete a name's first letter, then type before
 * it). Composing also joins the new change with pending changes next to it, which can move a
 * span the new change does not touch (a deletion that reaches an earlier replacement at a
 * span's start). So every span within the composed change set's changed ranges that take in
 * the new change is mapped from its place before the pending edits through the composed set
 * and compared with where the editor puts it; when any differs the pending edits are saved
 * first, as their own revision. A span the pending edits lost counts too: the composed set
 * must not bring it back.
 */
export function needsOwnBatch(batchStart: EditorState | null, pending: ChangeSet | null, changes: ChangeSet, startState: EditorState): boolean {
  if (!pending || !batchStart) return false
  const startMarks = startState.field(spanMarksField).marks
  const batchMarks = batchStart.field(spanMarksField).marks
  const before = pending.invertedDesc
  // A span the new change touches that was not there when the batch began (undo brought it
  // back): the composed set cannot say where it goes.
  let differs = false
  changes.iterChangedRanges((fromA, toA) => {
    if (differs) return
    startMarks.between(fromA, toA, (from, to, decoration) => {
      const key = keyOf(decoration)
      if (placeOf(batchMarks, key, before.mapPos(from, -1), before.mapPos(to, 1))) return undefined
      differs = true
      return false
    })
  })
  if (differs) return true
  // The new change's ranges, in the batch's starting text.
  const newRanges: [number, number][] = []
  changes.iterChangedRanges((fromA, toA) => newRanges.push([before.mapPos(fromA, -1), before.mapPos(toA, 1)]))
  const composed = pending.compose(changes)
  composed.iterChangedRanges((fromA, toA) => {
    if (differs || !newRanges.some(([from, to]) => from <= toA && fromA <= to)) return
    batchMarks.between(fromA, toA, (oldFrom, oldTo, decoration) => {
      const key = keyOf(decoration)
      const inStart = placeOf(startMarks, key, pending.mapPos(oldFrom, -1), pending.mapPos(oldTo, 1))
      const inEditor = inStart ? mapSpan(changes, inStart.from, inStart.to) : null
      const inCore = mapSpan(composed, oldFrom, oldTo)
      if ((inEditor === null) !== (inCore === null) || (inEditor && inCore && (inEditor.start !== inCore.start || inEditor.end !== inCore.end))) {
        differs = true
        return false
      }
      return undefined
    })
  })
  return differs
}

/** Where the span `key` is in `marks`, looked for between `from` and `to`; null when it is not there. */
function placeOf(marks: DecorationSet, key: string, from: number, to: number): { from: number; to: number } | null {
  let found: { from: number; to: number } | null = null
  marks.between(from, to, (spanFrom, spanTo, decoration) => {
    if (keyOf(decoration) !== key) return undefined
    found = { from: spanFrom, to: spanTo }
    return false
  })
  return found
}
