// Edit mode for one document's text. The editor (CodeMirror, loaded when edit mode opens) hands
// every change here; changes gather and are saved as one revision after a pause in typing, and
// at once on Ctrl/Cmd+S, on Done and before the document is left, so nothing typed is lost.
// A save that fails keeps its changes (they are sent again with the next ones) and says so.
// Each save's result is the document as main now has it: the reader takes it when edit mode ends.
import type { ChangeSet, EditorState } from '@codemirror/state'
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type { CleanupStepId, DocumentContent, TextEditResult, TextHistory, TextSaveResult } from '../../../../shared/model'
import type { EditorSpan, LostEditorSpan, PlacedSpan } from '../editor/span-marks'

export type TextSaveState = 'saved' | 'unsaved' | 'saving' | 'failed'

export type TextEditingCalls = Pick<QuireApi, 'saveTextEdit' | 'getTextHistory' | 'undoTextRevision' | 'applyCleanup'>

export interface TextEditingOptions {
  content: DocumentContent
  /** Whose edits these are: the session's annotator, named as the author of every revision. */
  author: string
  calls: TextEditingCalls
  /** The spans to show on a text: your layer's and the shown colleagues' (read again after undo or cleanup). */
  spansFor: (content: DocumentContent) => Promise<PlacedSpan[]>
  /** Each time main saved a revision (the document list's counts may have changed). */
  onSaved?: (result: TextSaveResult) => void
  /** Pause in typing before the changes are saved. */
  pauseMs?: number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** Milliseconds now (the pause is measured against it). */
  now?: () => number
}

const DEFAULT_PAUSE_MS = 1000
/** Longest wait, while typing keeps the page busy, before the panel's span lists catch up. */
const LISTS_WAIT_MS = 200

export class TextEditing {
  readonly documentId: string
  readonly author: string
  /**
   * The document as main last returned it: the revision the next save is based on. After a
   * save while typing only its revision and lost spans move on (see contentIsCurrent).
   */
  content: DocumentContent
  /** False once a save answered without the document: its text and spans are then older than the editor's. */
  contentIsCurrent = true
  saveState = $state<TextSaveState>('saved')
  error = $state.raw<QuireError | null>(null)
  /** Spans whose whole text was deleted while editing (undo brings them back). */
  lost = $state.raw<readonly LostEditorSpan[]>([])
  /** Spans whose covered text changed while editing. */
  changed = $state.raw<readonly EditorSpan[]>([])
  history = $state.raw<TextHistory | null>(null)
  /** Why the history could not be read (shown in its place; saving is not affected). */
  historyError = $state.raw<QuireError | null>(null)
  /** Set while a revision is undone or a cleanup applied: the editor waits. */
  busy = $state<string | null>(null)
  /** Bumped when the text was replaced from outside the editor (undo of a saved edit, a cleanup): the editor starts afresh. */
  reloads = $state(0)
  /** True once any revision was saved in this edit mode. */
  savedAny = false
  /** Undo and redo in the editor (the menu's Undo and Redo go there in edit mode); set while the editor is shown. */
  editorCommands: { undo(): void; redo(): void } | null = null
  /** The editor's state, kept while edit mode lasts (the view may be rebuilt). Null until the editor first loads. */
  editorState: EditorState | null = null

  readonly #calls: TextEditingCalls
  readonly #spansFor: (content: DocumentContent) => Promise<PlacedSpan[]>
  readonly #onSaved: (result: TextSaveResult) => void
  readonly #pauseMs: number
  readonly #setTimer: (callback: () => void, ms: number) => unknown
  readonly #clearTimer: (handle: unknown) => void
  readonly #now: () => number
  /** Changes made since the last save was sent, against the text that save leaves. */
  #unsaved: ChangeSet | null = null
  /** Earlier batches closed before `#unsaved` (see needsOwnBatch), oldest first: each is saved as its own revision. */
  #closedBatches: ChangeSet[] = []
  /** The editor's state before `#unsaved`. */
  #batchStart: EditorState | null = null
  #sending: Promise<void> | null = null
  #timer: unknown = null
  /** When the pause in typing is over and the changes are sent (the timer may be due earlier; it then waits again). */
  #sendAt = 0
  /** The lost and changed spans the panel shows next, and the callback that will show them. */
  #nextLists: { lost: readonly LostEditorSpan[]; changed: ReadonlyMap<string, EditorSpan> } | null = null
  #cancelLists: (() => void) | null = null

  constructor(options: TextEditingOptions) {
    this.documentId = options.content.document.id
    this.author = options.author
    this.content = $state.raw(options.content)
    this.#calls = options.calls
    this.#spansFor = options.spansFor
    this.#onSaved = options.onSaved ?? (() => {})
    this.#pauseMs = options.pauseMs ?? DEFAULT_PAUSE_MS
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms))
    this.#clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
    this.#now = options.now ?? (() => Date.now())
  }

  get hasUnsaved(): boolean {
    return this.#unsaved !== null || this.#closedBatches.length > 0 || this.#sending !== null
  }

  /** The changes not yet sent, and the editor's state before them (the editor asks whether a new change may join them). */
  get pendingBatch(): { start: EditorState | null; changes: ChangeSet | null } {
    return { start: this.#batchStart, changes: this.#unsaved }
  }

  /** The spans to start the editor with, on the text main last returned. */
  spans(): Promise<PlacedSpan[]> {
    return this.#spansFor(this.content)
  }

  /** Called by the editor after every change: records it and the spans it lost or changed. */
  recordChange(
    changes: ChangeSet,
    state: EditorState,
    lost: readonly LostEditorSpan[],
    changed: ReadonlyMap<string, EditorSpan>,
    ownBatch = false,
    startState: EditorState | null = null
  ): void {
    this.editorState = state
    this.#showListsSoon(lost, changed)
    if (changes.empty) return
    if (ownBatch && this.#unsaved) {
      this.#closedBatches.push(this.#unsaved)
      this.#unsaved = null
    }
    if (!this.#unsaved) this.#batchStart = startState
    this.#unsaved = this.#unsaved ? this.#unsaved.compose(changes) : changes
    if (this.saveState !== 'failed') this.saveState = 'unsaved'
    this.#schedule()
  }

  /** Saves now whatever is unsaved; true once everything typed is saved. */
  async flush(): Promise<boolean> {
    this.#cancelTimer()
    while (this.#sending || this.#unsaved || this.#closedBatches.length > 0) {
      if (this.#sending) await this.#sending
      else {
        await this.#send()
        if (this.saveState === 'failed') return false
      }
    }
    return this.saveState !== 'failed'
  }

  /** The document's revisions, newest last, with any problem. */
  async loadHistory(): Promise<void> {
    try {
      this.history = await this.#calls.getTextHistory(this.documentId)
      this.historyError = null
    } catch (caught) {
      this.historyError = QuireError.from(caught)
    }
  }

  /** Undoes the newest saved revision (a new revision); spans it deleted come back. */
  async undoLastRevision(): Promise<boolean> {
    const head = this.content.revision.id
    return this.#replaceText('Undoing the last edit', () => this.#calls.undoTextRevision(this.documentId, this.author, head))
  }

  /** Applies cleanup steps as one revision. */
  async applyCleanup(steps: CleanupStepId[]): Promise<boolean> {
    return this.#replaceText('Cleaning up the text', () =>
      this.#calls.applyCleanup({ documentId: this.documentId, author: this.author, baseRevision: this.content.revision.id, steps })
    )
  }

  dispose(): void {
    this.#cancelTimer()
    this.#dropLists()
  }

  // The panel's lists of lost and changed spans follow the editor once the frame showing the
  // keystroke is drawn: built inside the keystroke (the first span changed or lost makes a new
  // list), they delayed the letter typed on the 5 MB text.
  #showListsSoon(lost: readonly LostEditorSpan[], changed: ReadonlyMap<string, EditorSpan>): void {
    this.#nextLists = { lost, changed }
    if (this.#cancelLists) return
    const show = (): void => {
      this.#cancelLists = null
      const next = this.#nextLists
      this.#nextLists = null
      if (!next) return
      if (next.lost !== this.lost) this.lost = next.lost
      if (next.changed.size !== this.changed.length || [...next.changed.values()].some((span, i) => this.changed[i] !== span)) this.changed = [...next.changed.values()]
    }
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(show, { timeout: LISTS_WAIT_MS })
      this.#cancelLists = () => cancelIdleCallback(handle)
    } else {
      const handle = setTimeout(show, 0)
      this.#cancelLists = () => clearTimeout(handle)
    }
  }

  #dropLists(): void {
    this.#cancelLists?.()
    this.#cancelLists = null
    this.#nextLists = null
  }

  async #replaceText(what: string, call: () => Promise<TextEditResult>): Promise<boolean> {
    if (this.busy) return false
    if (!(await this.flush())) return false
    this.busy = what
    try {
      const result = await call()
      this.#took(result)
      this.editorState = null
      this.#dropLists()
      this.lost = []
      this.changed = []
      this.reloads++
      await this.loadHistory()
      return true
    } catch (caught) {
      this.error = QuireError.from(caught)
      return false
    } finally {
      this.busy = null
    }
  }

  #took(result: TextSaveResult): void {
    // Without the document (a save while typing), `content.text` stays the text edit mode
    // started from; the editor holds the live text, and the revision and lost spans move on.
    this.content = result.content ?? { ...this.content, revision: result.head, lostInEditing: result.lostInEditing }
    this.contentIsCurrent = result.content !== null
    this.error = null
    if (result.revision) this.savedAny = true
    this.#onSaved(result)
  }

  // Each keystroke only moves the time to send: clearing and setting a timer on every keystroke
  // was measurable in a keystroke's frame on the 5 MB text. The one timer, when it fires early,
  // waits out the rest of the pause.
  #schedule(): void {
    this.#sendAt = this.#now() + this.#pauseMs
    if (this.#timer === null) this.#armTimer(this.#pauseMs)
  }

  #armTimer(ms: number): void {
    this.#timer = this.#setTimer(() => {
      this.#timer = null
      const left = this.#sendAt - this.#now()
      if (left > 0) this.#armTimer(left)
      else if (!this.#sending) void this.#send()
    }, ms)
  }

  #cancelTimer(): void {
    if (this.#timer !== null) this.#clearTimer(this.#timer)
    this.#timer = null
  }

  #send(): Promise<void> {
    const fromClosed = this.#closedBatches.length > 0
    const changes = this.#closedBatches.shift() ?? this.#unsaved
    if (!changes) return Promise.resolve()
    if (!fromClosed) this.#unsaved = null
    this.saveState = 'saving'
    const sending = (async () => {
      try {
        const result = await this.#calls.saveTextEdit({
          documentId: this.documentId,
          author: this.author,
          baseRevision: this.content.revision.id,
          changes: changes.toJSON(),
          // The editor shows the text and its spans already; the whole document (5 MB and 88,000
          // spans on a long text) would cost more than the save. Leaving edit mode reads it once.
          withContent: false
        })
        this.#took(result)
        const more = this.#unsaved !== null || this.#closedBatches.length > 0
        this.saveState = more ? 'unsaved' : 'saved'
        if (more) this.#schedule()
        if (this.history) void this.loadHistory()
      } catch (caught) {
        // Kept, and sent again before what was typed since (as its own revision: composing it
        // with later typing could move a span's edge, see needsOwnBatch).
        this.#closedBatches.unshift(changes)
        this.error = QuireError.from(caught)
        this.saveState = 'failed'
      } finally {
        this.#sending = null
      }
    })()
    this.#sending = sending
    return sending
  }
}
