// The document list's view: filter, sort, which rows are on screen and which one is active
// (the keyboard's row). Only the rows in the scroll window (plus a few either side) are drawn,
// all of one height, so 100,000 documents cost what a screenful does. The documents come from
// AppState; what is shown is positions into them (an Int32Array), never copies of the list.
import {
  documentListIndex,
  isFiltered,
  queryDocuments,
  type AnnotatorProgressFilter,
  type DocumentListIndex,
  type DocumentQueryAnswer,
  type DocumentSortKey
} from '../../../../core/document-list/document-list-query'
import type { DocumentReviewState, DocumentSummary } from '../../../../shared/model'

/** Every row's height in px (kept in step with .document-option in app.css). */
export const DOCUMENT_ROW_HEIGHT = 72
/** Rows drawn beyond each edge of the window, so a fast scroll shows no blank before the next frame. */
const OVERSCAN = 8
/** Before the first layout (and where there is none, as in tests) a window is taken to be this tall. */
const UNMEASURED_VIEWPORT = 640

export interface DocumentRow {
  /** Place in the shown list (0-based). */
  row: number
  doc: DocumentSummary
}

export class DocumentListState {
  name = $state('')
  reviewState = $state<DocumentReviewState | 'all'>('all')
  progress = $state.raw<AnnotatorProgressFilter | null>(null)
  sort = $state<DocumentSortKey>('name')
  reversed = $state(false)
  /** The scroll position of the rows (px), read from and written to the scrolled element. */
  scrollTop = $state(0)
  viewportHeight = $state(0)
  /** The keyboard's row, by document id, so it survives a new list or a new filter. */
  activeId = $state<string | null>(null)

  readonly #source: { documents: () => readonly DocumentSummary[]; currentId: () => string | null }

  constructor(documents: () => readonly DocumentSummary[], currentId: () => string | null) {
    this.#source = { documents, currentId }
  }

  // Methods, not the fields themselves: the $derived fields below are set up before the constructor runs.
  #documents(): readonly DocumentSummary[] {
    return this.#source.documents()
  }

  #currentId(): string | null {
    return this.#source.currentId()
  }

  readonly index: DocumentListIndex = $derived(documentListIndex(this.#documents()))
  /** The last answer, which the next keystroke in the filter narrows instead of going through every document. */
  #lastAnswer: DocumentQueryAnswer | null = null
  /** Positions (into the documents) of the rows shown, in order. */
  readonly shown: Int32Array = $derived.by(() => {
    const filtersByState = this.reviewState !== 'all' || this.progress !== null
    // The open document is kept only against the state and progress filters; without them a
    // switch of documents must not go through the list again (100,000 rows).
    const query = { name: this.name, reviewState: this.reviewState, progress: this.progress, sort: this.sort, reversed: this.reversed, keepId: filtersByState ? this.#currentId() : null }
    const shown = queryDocuments(this.index, query, this.#lastAnswer)
    this.#lastAnswer = { index: this.index, query, shown }
    return shown
  })
  readonly filtered = $derived(isFiltered({ name: this.name, reviewState: this.reviewState, progress: this.progress, sort: this.sort, reversed: this.reversed, keepId: null }))
  readonly total = $derived(this.index.documents.length)
  readonly doneCount = $derived(this.index.doneCount)

  /** The active row's place in the shown list, -1 when it is not shown. */
  readonly activeRow = $derived(this.activeId === null ? -1 : this.rowOf(this.activeId))

  readonly #pageRows = $derived(Math.max(1, Math.floor((this.viewportHeight || UNMEASURED_VIEWPORT) / DOCUMENT_ROW_HEIGHT)))

  /**
   * Row elements kept for the window: a screen's rows, a row cut at either edge, and the overscan.
   * Row `r` is drawn by element `r % slotCount` (its key in the component's each).
   */
  readonly slotCount = $derived(Math.ceil((this.viewportHeight || UNMEASURED_VIEWPORT) / DOCUMENT_ROW_HEIGHT) + 1 + 2 * OVERSCAN)

  /** The rows drawn last, by document id: a row with the same place and summary is the same object, so it is not drawn again. */
  #drawn = new Map<string, DocumentRow>()

  /**
   * The rows drawn: the window and its overscan. A row unchanged since the last time keeps its
   * object: a letter typed in the filter that leaves the first screen as it was redraws nothing.
   */
  readonly rows: DocumentRow[] = $derived.by(() => {
    const height = this.viewportHeight || UNMEASURED_VIEWPORT
    // A shorter list than the scroll position (a filter just narrowed it) shows its end, as the browser will.
    const top = Math.max(0, Math.min(this.scrollTop, this.shown.length * DOCUMENT_ROW_HEIGHT - height))
    const first = Math.max(0, Math.floor(top / DOCUMENT_ROW_HEIGHT) - OVERSCAN)
    // As many rows as there are row elements (at least the screen and the overscan below it), so
    // every element has a row: an empty one moving along with the scroll would be removed and made again.
    const end = Math.min(this.shown.length, first + this.slotCount)
    const rows: DocumentRow[] = []
    const drawn = new Map<string, DocumentRow>()
    for (let row = first; row < end; row++) {
      const doc = this.index.documents[this.shown[row]!]!
      const before = this.#drawn.get(doc.id)
      const item = before !== undefined && before.row === row && before.doc === doc ? before : { row, doc }
      rows.push(item)
      drawn.set(doc.id, item)
    }
    this.#drawn = drawn
    return rows
  })

  readonly contentHeight = $derived(this.shown.length * DOCUMENT_ROW_HEIGHT)

  /** The active document when its row is drawn (aria-activedescendant must name an element that exists). */
  readonly activeDrawn = $derived(this.activeRow !== -1 && this.rows.length > 0 && this.activeRow >= this.rows[0]!.row && this.activeRow <= this.rows[this.rows.length - 1]!.row)

  /**
   * The user has scrolled the list or walked it with the keys since a document was last shown in
   * it: a document the app opens on its own then leaves them where they are (showUnlessMoved).
   */
  #movedByUser = false

  /** The user scrolled the rows (not a scroll of ours: the component tells them apart). */
  scrolledByUser(top: number): void {
    this.scrollTop = top
    this.#movedByUser = true
  }

  /** Moves the keyboard's row: by a step, a page, or to either end; it is scrolled into view. */
  move(to: 'next' | 'previous' | 'page-down' | 'page-up' | 'first' | 'last'): void {
    const count = this.shown.length
    if (count === 0) return
    this.#movedByUser = true
    const from = this.activeRow
    let row: number
    if (to === 'first') row = 0
    else if (to === 'last') row = count - 1
    else if (from === -1) row = to === 'previous' || to === 'page-up' ? count - 1 : 0
    else if (to === 'next') row = from + 1
    else if (to === 'previous') row = from - 1
    else if (to === 'page-down') row = from + this.#pageRows
    else row = from - this.#pageRows
    this.activate(Math.min(count - 1, Math.max(0, row)))
  }

  /** Makes a shown row the keyboard's row and scrolls it into view. */
  activate(row: number): void {
    const position = this.shown[row]
    if (position === undefined) return
    this.activeId = this.index.documents[position]!.id
    this.reveal(row)
  }

  /** The active document, if any is shown. */
  get activeDocument(): DocumentSummary | null {
    return this.activeRow === -1 ? null : (this.index.documents[this.shown[this.activeRow]!] ?? null)
  }

  /** Focus arriving on the list: the keyboard's row is the one shown already, the open document, or the first. */
  focusArrived(): void {
    if (this.activeRow !== -1 && this.activeDrawn) return
    const current = this.#currentId()
    const currentRow = current === null ? -1 : this.rowOf(current)
    this.activate(currentRow !== -1 ? currentRow : this.rows[0]?.row ?? 0)
  }

  /**
   * Where a document is in the shown list, -1 when filtered out. A look along the shown rows
   * (a millisecond at 100,000) rather than a map of every id: that map took ~150 ms to build
   * each time a new list arrived, and the first switch after it paid for it.
   */
  rowOf(documentId: string): number {
    const { shown } = this
    const { documents } = this.index
    for (let row = 0; row < shown.length; row++) if (documents[shown[row]!]!.id === documentId) return row
    return -1
  }

  /** A document opened from anywhere (Go to document, search, the list): its row becomes active and in view. */
  showDocument(documentId: string): void {
    this.#movedByUser = false
    const row = this.rowOf(documentId)
    this.activeId = documentId
    if (row !== -1) this.reveal(row)
  }

  /**
   * A document the app opened on its own (a project's first, when none was open), or the open
   * document once the window's height is known: shown as showDocument does, unless the user has
   * moved through the list meanwhile. In a large project the first document can come seconds
   * after the list, and the user who started scrolling lost their place to it.
   */
  showUnlessMoved(documentId: string): void {
    if (this.#movedByUser) return
    this.showDocument(documentId)
  }

  /** Scrolls the least that shows a whole row. */
  reveal(row: number): void {
    const height = this.viewportHeight || UNMEASURED_VIEWPORT
    const top = row * DOCUMENT_ROW_HEIGHT
    if (top < this.scrollTop) this.scrollTop = top
    else if (top + DOCUMENT_ROW_HEIGHT > this.scrollTop + height) this.scrollTop = Math.max(0, top + DOCUMENT_ROW_HEIGHT - height)
  }

  /** A new filter or sort starts at the top, as a new list does. */
  startOver(): void {
    this.scrollTop = 0
  }
}
