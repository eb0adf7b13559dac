// The editor of a document's text (CodeMirror 6), loaded only when edit mode is entered so
// opening a document costs what it did before. Offsets in the editor are the app's UTF-16
// offsets: only "\n" separates lines (a "\r" stays a character of its line, drawn as nothing),
// so a CRLF text keeps every offset and saves back byte for byte.
import { EditorState, type ChangeSet, type Extension } from '@codemirror/state'
import { EditorView, drawSelection, highlightSpecialChars, keymap } from '@codemirror/view'
import { defaultKeymap, history, historyKeymap, redo, undo } from '@codemirror/commands'
import { highlightSelectionMatches, openSearchPanel, search, searchKeymap } from '@codemirror/search'
import { keepUnitsWholeFilter } from './edit-guard'
import { changedSpans, currentSpans, lostSpans, needsOwnBatch, spanMarks, type EditorSpan, type LostEditorSpan, type PlacedSpan } from './span-marks'

export type { EditorSpan, LostEditorSpan, PlacedSpan }
export { changedSpans, currentSpans, lostSpans, needsOwnBatch }

export interface TextEditorCallbacks {
  /** After every change of the text or of the spans it moved: what changed, and the state now. */
  onChange(changes: ChangeSet, state: EditorState, startState: EditorState): void
  /** Ctrl/Cmd+S. */
  onSave(): void
  /** Escape with nothing else to close. */
  onDone(): void
}

// CodeMirror's default set of special characters, less "\r" (part of a CRLF line end here) and
// "\n"; a lone "\r" then shows as nothing rather than as a red dot in every CRLF line.
const SPECIAL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202d\u202e\u2066\u2067\u2069\ufeff\ufff9-\ufffc]/g

/** The editor's state: the text, its spans, undo history, keys and search; kept while edit mode lasts. */
export function createEditorState(text: string, spans: readonly PlacedSpan[], callbacks: TextEditorCallbacks): EditorState {
  return EditorState.create({ doc: text, extensions: [editorExtensions(callbacks), spanMarks(spans, text.length)] })
}

function editorExtensions(callbacks: TextEditorCallbacks): Extension {
  return [
    EditorState.lineSeparator.of('\n'),
    history(),
    keepUnitsWholeFilter,
    EditorView.lineWrapping,
    drawSelection(),
    highlightSpecialChars({ specialChars: SPECIAL_CHARS }),
    highlightSelectionMatches(),
    search({ top: true }),
    // An explicit tabindex says what is already so (the content takes the focus): without it axe
    // takes the scroller for a scrollable region a keyboard cannot reach.
    EditorView.contentAttributes.of({ 'aria-label': 'Document text, editable', spellcheck: 'false', tabindex: '0' }),
    keymap.of([
      { key: 'Mod-s', preventDefault: true, run: () => (callbacks.onSave(), true) },
      { key: 'Mod-h', preventDefault: true, run: openSearchPanel },
      ...searchKeymap,
      { key: 'Escape', run: () => (callbacks.onDone(), true) },
      ...historyKeymap,
      ...defaultKeymap
    ]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged || update.transactions.some((tr) => tr.effects.length > 0)) callbacks.onChange(update.changes, update.state, update.startState)
    })
  ]
}

/** Shows `state` in `parent`. */
export function mountTextEditor(parent: HTMLElement, state: EditorState): EditorView {
  return new EditorView({ state, parent })
}

export { openSearchPanel, redo, undo }
