// An edit in the editor never splits a surrogate pair or a CRLF: a change whose edge falls
// inside one is widened to take the whole pair (a deletion), or moved before it (an insertion).
// Main refuses a change that splits one; doing the same here means the editor never offers
// such a change, so a keystroke never ends in a refused save.
import { EditorState, Transaction, type Text, type TransactionSpec } from '@codemirror/state'

import { splitsCharacter } from '../../../../core/text-edit/change-set'

/** True when `position` lies between the two code units of a surrogate pair or of a CRLF (the core's rule). */
export function splitsUnit(doc: Text, position: number): boolean {
  if (position <= 0 || position >= doc.length) return false
  return splitsCharacter(doc.sliceString(position - 1, position + 1), 1)
}

/** The range, widened so neither edge splits a unit; null when it splits none. */
export function keepUnitsWhole(doc: Text, from: number, to: number): { from: number; to: number } | null {
  const fromSplits = splitsUnit(doc, from)
  const toSplits = to !== from && splitsUnit(doc, to)
  if (!fromSplits && !toSplits) return null
  const start = fromSplits ? from - 1 : from
  // An insertion inside a unit goes before it; a deletion takes the whole unit.
  const end = to === from ? start : toSplits ? to + 1 : to
  return { from: start, to: end }
}

function guard(tr: Transaction): Transaction | TransactionSpec {
  if (!tr.docChanged) return tr
  const doc = tr.startState.doc
  let widened = false
  const changes: { from: number; to: number; insert: string }[] = []
  tr.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    const whole = keepUnitsWhole(doc, fromA, toA)
    if (whole) widened = true
    const change = { from: whole?.from ?? fromA, to: whole?.to ?? toA, insert: inserted.toString() }
    const last = changes.at(-1)
    // Widening can make two changes overlap: they become one.
    if (last && change.from < last.to) {
      last.insert += change.insert
      last.to = Math.max(last.to, change.to)
    } else changes.push(change)
  })
  if (!widened) return tr
  const userEvent = tr.annotation(Transaction.userEvent)
  return {
    changes,
    effects: tr.effects,
    scrollIntoView: tr.scrollIntoView,
    ...(userEvent === undefined ? {} : { annotations: Transaction.userEvent.of(userEvent) })
  }
}

export const keepUnitsWholeFilter = EditorState.transactionFilter.of(guard)
