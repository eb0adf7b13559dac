// Whether the window has no selection at all, known without asking it. Chromium lays the page
// out before it answers any question about a selection that holds no range (rangeCount,
// anchorNode, focusOffset, type…), while a selected range answers at once; so each block the
// reader drew on a scroll step, which checked the selection before replacing its segments,
// forced a style and layout pass of its own (505 of the 593 layouts in a trace of 40 steps
// through a 1 MB text). What is known here: the window's selection was emptied by us
// (`clearWindowSelection`) or by a `selectionchange` reporting no range. Anything that may
// select (a `selectstart`, our own `noteSelectionShown`, a `selectionchange` with a range)
// makes it unknown again, and unknown means "read the selection".

interface Presence {
  knownEmpty: boolean
}

const presences = new WeakMap<Document, Presence>()

function presenceOf(document: Document): Presence {
  const known = presences.get(document)
  if (known) return known
  const presence: Presence = { knownEmpty: false }
  presences.set(document, presence)
  // A selectionchange comes in a task of its own, usually after the frame's layout, so its
  // one read costs no layout of its own; selectstart comes before a user's selection starts.
  document.addEventListener('selectionchange', () => {
    presence.knownEmpty = (document.getSelection()?.rangeCount ?? 0) === 0
  })
  document.addEventListener('selectstart', () => (presence.knownEmpty = false), { capture: true })
  return presence
}

/** True only when the window's selection is surely empty, so reading it can be skipped. */
export function selectionKnownEmpty(document: Document): boolean {
  return presenceOf(document).knownEmpty
}

/** Empties the window's selection (a tag key, Escape), remembering that it is empty. */
export function clearWindowSelection(document: Document): void {
  document.getSelection()?.removeAllRanges()
  presenceOf(document).knownEmpty = true
}

/** Code that selects (the keyboard caret, a kept drag) says so, before its selectionchange arrives. */
export function noteSelectionShown(document: Document): void {
  presenceOf(document).knownEmpty = false
}
