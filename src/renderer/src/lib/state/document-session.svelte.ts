// One open document: its text, blocks, annotations (indexed for range queries), selection,
// undo history and save queue. Every change paints first (the affected blocks re-render),
// then is saved in the background; the session never waits on disk to show the editor's work.
import { SvelteMap } from 'svelte/reactivity'
import type {
  Annotation,
  AnnotationEdit,
  AnnotationEditResult,
  DocumentContent,
  DocumentStatus,
  LayerContent,
  LayerRef,
  LayerSummary,
  CurationDecision,
  Provenance,
  TagDefinition,
  TextProblem
} from '../../../../shared/model'
import { asUtf16 } from '../../../../shared/model'
import { LayerSpans } from '../../../../shared/layer-spans'
import type { SpanToDraw } from '../../../../shared/layer-columns'
import { newAnnotationId } from '../../../../core/ids'
import { layerColumnsOf, spanCountOf } from '../../../../shared/content-layer'
import { listedAlike, type AnnotationGroups } from './annotation-groups'
import { blockIndexesTouching, type TextBlock } from '../../../../core/text-blocks'
import { spansAddedBy, statusAfterSpansAdded } from '../../../../core/layer-status'
import { nextGraphemeBoundary, nextWordBoundary, previousGraphemeBoundary, previousWordBoundary, snapToWords, wordAt } from '../../../../core/word-snap'
import { EditHistory } from './edit-history'
import { blocksOfText, keepUntouchedLayer, takeUntouchedLayer } from './session-handover'
import { afterNextPaintGivingWay } from '../after-paint'
import { afterPaintInSlices } from '../work-in-slices'
import { SpanChangeLog, type SpanRangeChange } from './span-change-log'
import { applyEditsToMap, describeEdits, EditConflictError, type AnnotationsById } from './annotation-edits'
import { SaveQueue } from './save-queue.svelte'
import { SessionComments, type CommentCalls } from './session-comments.svelte'
import { ColleagueLayers } from './colleague-layers.svelte'
import { ownMark, type ReaderMark } from '../reader/marks'
import { SuggestionsState } from './suggestions.svelte'
import { untilPointerReleased, watchPointer } from '../reader/pointer-held'
import type { RejectedSuggestion, SuggestionList } from '../../../../shared/finding-model'

export interface TextSelection {
  /** Where the selection began; the focus is where it ends (may be before the anchor). */
  anchor: number
  focus: number
  /** Alt was held: tag exactly these characters instead of snapping to words. */
  exact: boolean
}

export interface PopoverRequest {
  /** Your own annotations under the click. */
  annotationIds: string[]
  /** Shown colleagues' spans under the click (read-only). */
  colleagueSpans?: { annotator: string; id: string }[]
  x: number
  y: number
}

/** Something else the reader draws over the text (compare and curation positions). */
export interface MarkOverlay {
  marksIn(start: number, end: number): ReaderMark[]
  /** Read by the reader so a change of the overlay redraws it. */
  readonly version: number
  /** False: your own spans are not drawn while the overlay is on (compare mode). */
  readonly showsOwn: boolean
  /** A click on the text at `offset`: true when the overlay took it (made a position current). */
  activate?(offset: number): boolean
  /** Curation: who settles from now on. */
  setCurator?(curator: string): void
}

export interface ScrollRequest {
  offset: number
  /** Only when the offset is not already in view (stepping through find matches), not centred anyway. */
  onlyIfHidden?: boolean
  /** Changes on every request so asking twice for the same place scrolls twice. */
  serial: number
}

export type CaretMove = 'char-left' | 'char-right' | 'word-left' | 'word-right'

export interface DocumentSessionOptions {
  content: DocumentContent
  tags: readonly TagDefinition[]
  /** Saves to the layer the edits were made in: the session's own, named in every call. */
  saveEdits: (layer: LayerRef, edits: AnnotationEdit[]) => Promise<AnnotationEditResult>
  /** Reads another layer of the document (a colleague's, the gold layer). */
  loadLayer?: (layer: LayerRef) => Promise<LayerContent>
  /** Colleagues' layers to draw from the start (what the editor chose on the previous document). */
  visibleLayers?: ReadonlySet<string>
  /** Recorded on spans made by hand in this session (the gold layer records who curated). */
  provenanceForNewSpans?: Provenance
  /** Saving review comments (in this layer) and resolutions of colleagues' comments on it. */
  comments?: CommentCalls
  createId?: () => string
  now?: () => string
  /** Asks main for the layer's suggestions; without it the session has none. */
  loadSuggestions?: (layer: LayerRef) => Promise<SuggestionList>
  /** Whether suggestions are drawn (the editor's choice, kept from document to document). */
  suggestionsShown?: boolean
  /** Set when the project cannot be written (another window holds it). */
  readOnlyReason?: string | null
  locale?: string
}

const FLASH_MS = 1600
/**
 * From this many spans or characters (a 60 KB text's spans), making a document's session and
 * drawing it are two tasks: as one, a 100 KB document's (1,741 spans) took 34 ms on a slow
 * 2-core machine, and its first frame's layout and paint made the window's longest freeze of the
 * opening (52-57 ms). A shorter document is shown in the task its content arrived in.
 */
const OWN_TASK_FROM_SPANS = 1000
const OWN_TASK_FROM_CHARACTERS = 60_000

/** A document whose session takes long enough to make that it is made in a task of its own, before the one that draws it. */
export function isLongContent(content: DocumentContent): boolean {
  return spanCountOf(content) >= OWN_TASK_FROM_SPANS || content.text.length >= OWN_TASK_FROM_CHARACTERS
}

/**
 * The tags as plain objects. The app's come from its project, a deep `$state`, where every read
 * of a tag's field is a tracked signal: each reader block looked its marks' tags up that way
 * (three `find`s per span), so drawing a block subscribed it to every field of every tag and
 * allocated as it went (a sixth of what a 5 MB document's scroll allocated). The session's tags
 * change only as a whole (`setTags`), so a copy loses nothing.
 */
function plainTags(tags: readonly TagDefinition[]): readonly TagDefinition[] {
  return $state.snapshot(tags) as readonly TagDefinition[]
}

export class DocumentSession {
  readonly documentId: string
  /** The document as it was opened (its text, revision and any problem with the text). */
  readonly content: DocumentContent
  /** A damaged revision or two edits waiting to be settled: the text cannot be edited or annotated. */
  readonly textProblem: TextProblem | null
  /** The layer this session edits: the annotator's own, or the gold layer during curation. */
  readonly layer: LayerRef
  readonly name: string
  readonly text: string
  readonly blocks: readonly TextBlock[]
  /** The project's tags: replaced when the tag set changes (the tag editor, a colleague's synced change). */
  tags = $state.raw<readonly TagDefinition[]>([])
  readonly annotator: string
  /**
   * Your layer: the spans it was opened with (a long layer kept in columns, objects made only for
   * what is drawn or listed) and every change since. A long layer's ids are learnt in short tasks
   * once its first screen is painted; whatever needs an id before then (a key, an edit, a click)
   * learns the rest at once. The learning is set going by the first marks read (the first
   * screen), not by the constructor: a long document's session is made a task before it is drawn
   * (app-state), and a frame painted in between would start it ahead of that screen.
   */
  #layer: LayerSpans
  /** What the layer was opened from (its array, or its columns), while it is unchanged: a later session of it may take it over. */
  #openedFrom: object | null
  #learningIds: (() => void) | null = null
  /** Bumped on every change of your layer: whatever reads it re-runs. */
  #layerChanges = $state(0)
  /** Bumped with #layerChanges, except when no span's start, end or tag changed (a save's answer adding its dates): #rangeLog's version. */
  #rangeChanges = $state(0)
  readonly #rangeLog = new SpanChangeLog()
  /** #layerChanges as the side panel has it: it follows once the frame showing a change is painted. */
  #panelChanges = $state(0)
  #wholeLayer: { changes: number; annotations: Annotation[] } | null = null
  readonly saveQueue: SaveQueue
  readonly readOnlyReason: string | null
  /** The other layers of the document, drawn read-only when shown. */
  readonly colleagues: ColleagueLayers

  status = $state<DocumentStatus>('not-started')
  /** Every layer of the document (this one included once saved), as the layer list shows them. */
  layers = $state.raw<LayerSummary[]>([])
  /** What the Layers tab lists: yours always (even before its file is first saved), then every other layer file; `rows` counts them. */
  readonly listedLayers = $derived.by(() => {
    const others = this.layers.filter((layer) => layer.annotator !== this.annotator)
    return { own: this.layers.find((layer) => layer.annotator === this.annotator), others, rows: others.length + 1 }
  })
  /** Compare or curation marks drawn over the text; null while annotating. */
  overlay = $state.raw<MarkOverlay | null>(null)
  /** Comments you wrote on colleagues' spans, and colleagues' comments on yours. */
  readonly comments: SessionComments
  /** Gold layer: bumped when a curation decision is made or undone. */
  decisionsVersion = $state(0)
  /** Gold layer: disagreements rejected, by position key. */
  readonly decisions = new Map<string, CurationDecision>()
  /** Suggestions rejected in this window (main hides those rejected before), by suggestionKey. */
  readonly rejections = new Map<string, RejectedSuggestion>()
  /** Bumped when a suggestion is rejected or a rejection undone. */
  rejectionsVersion = $state(0)
  /** Spans suggested from the project's annotations; null when the session cannot ask for them. */
  readonly suggestions: SuggestionsState | null
  #provenanceForNewSpans: Provenance | null
  /**
   * Your annotations by tag, as the side panel lists them: it follows a change once the frame
   * showing it in the text is painted, so a key press paints its highlight without waiting for
   * the panel's work. One object for the session's life (the panel tells documents apart by it).
   */
  readonly panel: AnnotationGroups
  selection = $state<TextSelection | null>(null)
  popover = $state<PopoverRequest | null>(null)
  flashId = $state<string | null>(null)
  scrollRequest = $state<ScrollRequest | null>(null)
  /** A short message about the last action that could not be done, e.g. nothing selected. */
  notice = $state<string | null>(null)
  historyVersion = $state(0)

  /** The edit rules' view of the layer by id. */
  readonly #annotationsById: AnnotationsById = {
    get: (id) => this.#layer.get(id),
    set: (_id, annotation) => this.#layer.set(annotation),
    delete: (id) => this.#layer.delete(id)
  }
  #tagIds: ReadonlySet<string>
  readonly #blockVersions = new SvelteMap<number, number>()
  readonly #history = new EditHistory()
  readonly #createId: () => string
  readonly #now: () => string
  readonly #locale: string | undefined
  #flashTimer: ReturnType<typeof setTimeout> | null = null
  #cancelPanelUpdate: (() => void) | null = null
  /** Bumped when everything must be drawn again (the layer list or your own layer was replaced). */
  #redraws = $state(0)
  #scrollSerial = 0

  constructor(options: DocumentSessionOptions) {
    const { content } = options
    this.content = content
    this.textProblem = content.textProblem ?? null
    this.documentId = content.document.id
    this.name = content.document.name
    this.text = content.text
    this.blocks = blocksOfText(content.text)
    const tags = plainTags(options.tags)
    this.tags = tags
    this.#tagIds = new Set(tags.map((tag) => tag.id))
    this.annotator = content.annotator
    this.layer = { documentId: content.document.id, annotator: content.annotator }
    this.status = content.status
    this.layers = content.layers
    for (const decision of content.curationDecisions) this.decisions.set(decision.positionKey, decision)
    this.#provenanceForNewSpans = options.provenanceForNewSpans ?? null
    this.comments = new SessionComments(
      {
        layer: this.layer,
        newId: () => this.#createId(),
        mayChange: () => !this.#refuseWhenReadOnly(),
        say: (notice) => (this.notice = notice),
        redraw: () => this.#redrawAll()
      },
      content.comments,
      options.comments ?? null
    )
    this.colleagues = new ColleagueLayers({
      documentId: this.documentId,
      ownAnnotator: this.annotator,
      tags,
      load: options.loadLayer ?? (() => Promise.reject(new Error('this session cannot read other layers')))
    })
    void this.colleagues.setSummaries(content.layers)
    for (const annotator of options.visibleLayers ?? []) void this.colleagues.setVisible(annotator, true)
    this.readOnlyReason = options.readOnlyReason ?? null
    this.#createId = options.createId ?? newAnnotationId
    this.#now = options.now ?? (() => new Date().toISOString())
    this.#locale = options.locale
    // Reading `content.annotations` of a layer in columns would make every span an object.
    const columns = layerColumnsOf(content)
    this.#openedFrom = columns ?? content.annotations
    this.#layer = takeUntouchedLayer(this.#openedFrom) ?? (columns ? LayerSpans.fromPacked(columns) : LayerSpans.fromAnnotations(content.annotations, content.text))
    this.#layer.onShadowedGone = () => this.#layerChanged(true)
    this.panel = this.#panelGroups()
    // Watched from the start: a drag already under way when suggestions arrive must be known.
    if (options.loadSuggestions && typeof document !== 'undefined') watchPointer(document)
    this.suggestions = options.loadSuggestions
      ? new SuggestionsState(
          {
            layer: this.layer,
            tags,
            revisionId: content.revision.id,
            // By offsets alone: the suggestions' answer comes right after the first paint, and
            // asking by id would learn a long layer's ids in that one task.
            hasSpanOverlapping: (start, end) => this.#layer.anyOverlapping(start, end),
            isRejected: (key) => this.rejections.has(key),
            layerVersion: () => this.layerVersion,
            applyEdits: (edits, label) => this.applyEdits(edits, label),
            newId: () => this.#createId(),
            say: (notice) => (this.notice = notice),
            untilPointerReleased: () => (typeof document === 'undefined' ? Promise.resolve() : untilPointerReleased(document))
          },
          options.loadSuggestions,
          options.suggestionsShown ?? true
        )
      : null
    this.saveQueue = new SaveQueue({
      send: (edits) => options.saveEdits(this.layer, edits),
      onSaved: (result) => this.#reconcileSaved(result)
    })
  }

  /** Read inside a block's derived view so that block (and only it) re-renders when its annotations change. */
  blockVersion(blockIndex: number): number {
    return this.#blockVersions.get(blockIndex) ?? 0
  }

  get canUndo(): boolean {
    void this.historyVersion
    return this.#history.canUndo
  }

  get canRedo(): boolean {
    void this.historyVersion
    return this.#history.canRedo
  }

  get undoLabel(): string | null {
    void this.historyVersion
    return this.#history.undoLabel
  }

  get redoLabel(): string | null {
    void this.historyVersion
    return this.#history.redoLabel
  }

  get selectedRange(): { start: number; end: number } | null {
    if (!this.selection) return null
    return { start: Math.min(this.selection.anchor, this.selection.focus), end: Math.max(this.selection.anchor, this.selection.focus) }
  }

  tagById(tagId: string): TagDefinition | undefined {
    return this.tags.find((tag) => tag.id === tagId)
  }

  tagLabel = (tagId: string): string => this.tagById(tagId)?.label ?? tagId

  get(id: string): Annotation | undefined {
    // Read so callers inside $derived/$effect re-run when the layer changes.
    void this.#layerChanges
    return this.#layer.get(id)
  }

  /**
   * Every annotation of your layer in text order (the same array until the next change). A pass
   * over the whole layer: a long layer's spans are made objects for it, so only whole-layer work
   * reads it (comparing, tagging all, the text editor), never drawing or listing.
   */
  get annotations(): Annotation[] {
    const changes = this.#layerChanges
    if (this.#wholeLayer?.changes !== changes) this.#wholeLayer = { changes, annotations: this.#layer.all() }
    return this.#wholeLayer.annotations
  }

  /** Calls `visit` with every span of your layer's start, end and tag, in no set order: a whole-layer pass that makes no span an object. */
  forEachSpanRange(visit: (start: number, end: number, tag: string) => void): void {
    void this.#rangeChanges
    this.#layer.forEachRange(visit)
  }

  /** Your layer's span changes since `version` (a `spanRangesVersion` read before), oldest first; null when they are not all known. Re-runs a derived reading it when the spans change. */
  spanRangeChangesSince(version: number): SpanRangeChange[] | null {
    void this.#rangeChanges
    return this.#rangeLog.since(version)
  }

  /** Counts the changes of your layer's spans (start, end, tag): what spanRangeChangesSince asks from. */
  get spanRangesVersion(): number {
    return this.#rangeChanges
  }

  /** How many annotations your layer has. */
  get annotationCount(): number {
    void this.#layerChanges
    return this.#layer.size
  }

  /** Whether your layer has a span of exactly this start, end and tag. */
  hasSpan(start: number, end: number, tag: string): boolean {
    return this.#ownSpansOf(start, end).some((annotation) => annotation.tag === tag)
  }

  /** Annotations covering the character at `offset`, outermost first. */
  annotationsAt(offset: number): Annotation[] {
    return this.#ownOverlapping(offset, offset + 1)
  }

  /** Your spans of exactly [start, end), whatever their tag. */
  #ownSpansOf(start: number, end: number): Annotation[] {
    return this.#ownOverlapping(start, end).filter((annotation) => annotation.start === start && annotation.end === end)
  }

  /** Your spans touching [start, end), in order; the first read sets a long layer's ids learning after the paint. */
  #ownOverlapping(start: number, end: number): Annotation[] {
    this.#learnIdsAfterPaint()
    return this.#layer.overlapping(start, end)
  }

  /** #ownOverlapping with only what the reader draws of each span: what each block drawn reads. */
  #ownToDraw(start: number, end: number): SpanToDraw[] {
    this.#learnIdsAfterPaint()
    return this.#layer.overlappingToDraw(start, end)
  }

  /** A long layer's ids are learnt in slices after the paint that first reads its spans. */
  #learnIdsAfterPaint(): void {
    if (!this.#layer.idsKnown) this.#learningIds ??= afterPaintInSlices(() => this.#layer.learnIdsStep())
  }

  #panelGroups(): AnnotationGroups {
    const session = this
    return {
      get version() {
        return session.#panelChanges
      },
      get total() {
        void session.#panelChanges
        return session.#layer.size
      },
      tags: () => this.#layer.tags(),
      count: (tag) => this.#layer.tagCount(tag),
      slice: (tag, from, to) => this.#layer.tagSlice(tag, from, to)
    }
  }

  /**
   * Your layer changed: what reads it re-runs, the panel after the next paint; `redraw`: every
   * block too. `rangesChanged` false: only what main adds on saving changed (dates), no span's
   * start, end or tag, so what reads the ranges alone (forEachSpanRange) need not run again.
   * `change`: the spans it took out and put in, when known. `listed` false: nothing the side
   * panel shows of a span changed (a save's answer adding dates), so its lists are not redone.
   */
  #layerChanged(redraw = false, rangesChanged = true, change: SpanRangeChange | null = null, listed = true): void {
    this.#layerChanges++
    if (rangesChanged) this.#rangeChanges = this.#rangeLog.record(change)
    if (redraw) this.#redrawAll()
    if (listed) this.#showInPanelAfterPaint()
  }

  /** Read by each reader block: bumped when colleagues' layers or the overlay change what is drawn. */
  get drawVersion(): number {
    return this.colleagues.version + (this.overlay?.version ?? 0) + this.#redraws + this.decisionsVersion + (this.suggestions?.version ?? 0) + this.rejectionsVersion
  }

  /** Changes when the layer's spans or rejections do (what suggestions are still open). */
  get layerVersion(): number {
    return this.#layerChanges + this.rejectionsVersion
  }

  /** Everything the reader draws over [start, end): your spans, shown colleagues' spans, the overlay. */
  marksIn(start: number, end: number): ReaderMark[] {
    const overlay = this.overlay
    const open = this.comments.openTargets
    const marks =
      overlay && !overlay.showsOwn
        ? []
        : this.#ownToDraw(start, end).map((annotation) => {
            const mark = ownMark(annotation, this.tags)
            if (open.has(annotation.id)) mark.commented = true
            return mark
          })
    const colleagueMarks = !overlay || overlay.showsOwn ? this.colleagues.marksIn(start, end) : []
    for (const mark of colleagueMarks) {
      if (this.comments.writtenTargets.has(`${mark.layer}\u0000${mark.id}`)) mark.commented = true
      marks.push(mark)
    }
    if (overlay) marks.push(...overlay.marksIn(start, end))
    // Suggestions are for your own layer: not drawn over compared layers, nor over a colleague's
    // span you are looking at (its popover copies it to your layer).
    if (this.suggestions && (!overlay || overlay.showsOwn)) {
      for (const mark of this.suggestions.marksIn(start, end)) {
        if (!colleagueMarks.some((other) => other.start < mark.end && mark.start < other.end)) marks.push(mark)
      }
    }
    return marks
  }

  /** Takes a new layer list (files changed on disk, or this layer was saved for the first time). */
  async setLayers(layers: LayerSummary[]): Promise<void> {
    this.layers = layers
    await this.colleagues.setSummaries(layers)
    this.#redrawAll()
  }

  /**
   * Your own layer as it now is on disk (it changed there: synced from another computer).
   * Only called while nothing is waiting to be saved, so no edit of yours is lost; undo
   * history refers to the old version and is cleared.
   */
  replaceOwnAnnotations(annotations: Annotation[], status: DocumentStatus): void {
    this.#learningIds?.()
    this.#learningIds = null
    this.#layer = LayerSpans.fromAnnotations(annotations, this.text)
    this.#layer.onShadowedGone = () => this.#layerChanged(true)
    this.#openedFrom = null
    this.status = status
    this.#history.clear()
    this.historyVersion++
    this.#layerChanged(true)
  }

  /**
   * Copies a colleague's span into your layer (same characters, tag and note), recording whose
   * it was. Refused with a notice when your layer already has it.
   */
  copyToMyLayer(annotator: string, id: string): string | null {
    if (this.#refuseWhenReadOnly()) return null
    const source = this.colleagues.get(annotator, id)
    if (!source) return null
    const sameRange = this.#ownSpansOf(source.start, source.end)
    if (sameRange.some((a) => a.tag === source.tag)) {
      this.notice = `Your layer already has "${source.text}" as ${this.tagLabel(source.tag)}.`
      return null
    }
    const retag = sameRange[0]
    if (retag) {
      // The same words in your layer with another tag: take the colleague's tag, as tagging them would.
      this.changeTag(retag.id, source.tag)
      this.notice = `Changed "${source.text}" in your layer to ${this.tagLabel(source.tag)}, as ${annotator} has it.`
      return retag.id
    }
    const newId = this.#createId()
    const annotation: Extract<AnnotationEdit, { op: 'add' }>['annotation'] = {
      id: newId,
      start: source.start,
      end: source.end,
      tag: source.tag,
      provenance: { source: 'copy', annotators: [annotator] }
    }
    if (source.note) annotation.note = source.note
    this.applyEdits([{ op: 'add', annotation }], `Copy ${this.tagLabel(source.tag)} from ${annotator}`)
    this.notice = `Copied "${source.text}" (${this.tagLabel(source.tag)}) from ${annotator} to your layer.`
    return newId
  }

  // ---- selection and caret ----

  setSelection(anchor: number, focus: number, exact = false): void {
    const clamp = (n: number): number => Math.max(0, Math.min(this.text.length, n))
    this.selection = { anchor: clamp(anchor), focus: clamp(focus), exact }
    this.notice = null
  }

  clearSelection(): void {
    this.selection = null
  }

  /** Moves the caret (or, with `extend`, the selection's focus) by a character or a word. */
  moveCaret(move: CaretMove, extend: boolean): void {
    const current = this.selection ?? { anchor: 0, focus: 0, exact: false }
    let from = current.focus
    if (!extend && current.anchor !== current.focus && (move === 'char-left' || move === 'char-right')) {
      // Like a text field: an arrow without Shift collapses the selection to its edge.
      const edge = move === 'char-left' ? Math.min(current.anchor, current.focus) : Math.max(current.anchor, current.focus)
      this.setSelection(edge, edge, current.exact)
      return
    }
    const locale = this.#locale === undefined ? {} : { locale: this.#locale }
    switch (move) {
      case 'char-left':
        from = previousGraphemeBoundary(this.text, from)
        break
      case 'char-right':
        from = nextGraphemeBoundary(this.text, from)
        break
      case 'word-left':
        from = previousWordBoundary(this.text, from, locale)
        break
      case 'word-right':
        from = nextWordBoundary(this.text, from, locale)
        break
    }
    this.setSelection(extend ? current.anchor : from, from, current.exact)
  }

  /** The span a tag key would create now: the snapped selection, or the word under the caret. */
  targetRange(): { start: number; end: number } | null {
    const range = this.selectedRange
    if (!range) return null
    const locale = this.#locale === undefined ? {} : { locale: this.#locale }
    if (range.start === range.end) return wordAt(this.text, range.start, locale)
    return snapToWords(this.text, range.start, range.end, { exact: this.selection?.exact ?? false, ...locale })
  }

  // ---- changes ----

  /** Tags the selection (or the word at the caret). Returns the new annotation's id, or null with a notice. */
  tagSelection(tagId: string): string | null {
    if (this.#refuseWhenReadOnly()) return null
    const tag = this.tagById(tagId)
    if (!tag) {
      this.notice = `Unknown tag "${tagId}".`
      return null
    }
    const range = this.targetRange()
    if (!range) {
      this.notice = this.selection ? 'The selection has no words to tag.' : 'Select some text first, then press a tag key.'
      return null
    }
    const sameRange = this.#ownSpansOf(range.start, range.end)
    if (sameRange.some((a) => a.tag === tagId)) {
      this.notice = `"${this.text.slice(range.start, range.end)}" is already tagged ${tag.label}.`
      return null
    }
    const retag = sameRange[0]
    if (retag) {
      // The same words tagged again with another tag: the editor is correcting the tag.
      this.changeTag(retag.id, tagId)
      return retag.id
    }
    const id = this.#createId()
    const annotation: Extract<AnnotationEdit, { op: 'add' }>['annotation'] = { id, start: asUtf16(range.start), end: asUtf16(range.end), tag: tagId }
    if (this.#provenanceForNewSpans) annotation.provenance = structuredClone(this.#provenanceForNewSpans)
    this.applyEdits([{ op: 'add', annotation }])
    this.setSelection(range.end, range.end)
    return id
  }

  changeTag(id: string, tagId: string): void {
    if (this.get(id)?.tag === tagId) return
    this.applyEdits([{ op: 'update', id, changes: { tag: tagId } }])
  }

  setNote(id: string, note: string): void {
    const existing = this.get(id)
    if (!existing) return
    const trimmed = note.trim()
    if (trimmed === (existing.note ?? '')) return
    this.applyEdits([{ op: 'update', id, changes: { note: trimmed === '' ? null : trimmed } }])
  }

  /** Someone checked a span flagged "text changed — check": the flag goes. */
  confirmText(id: string): void {
    if (!this.get(id)?.textCheck) return
    this.applyEdits([{ op: 'confirm-text', id }])
  }

  deleteAnnotation(id: string): void {
    if (!this.get(id)) return
    this.applyEdits([{ op: 'delete', id }])
    if (this.popover) {
      const remaining = this.popover.annotationIds.filter((other) => other !== id)
      this.popover = remaining.length > 0 ? { ...this.popover, annotationIds: remaining } : null
    }
  }

  /** Paints the edits, records them for undo and queues them for saving. Returns false when they could not apply. */
  applyEdits(edits: AnnotationEdit[], label?: string): boolean {
    if (this.#refuseWhenReadOnly()) return false
    try {
      const revert = this.#paint(edits)
      this.#history.record(label ?? describeEdits(edits, this.tagLabel), revert)
      this.historyVersion++
      return true
    } catch (error) {
      if (error instanceof EditConflictError) {
        this.notice = `That change could not be made: it ${error.why}.`
        return false
      }
      throw error
    }
  }

  undo(): void {
    if (this.#refuseWhenReadOnly()) return
    const label = this.#history.undo((edits) => this.#paint(edits))
    this.historyVersion++
    this.notice = label ? `Undid: ${label}` : 'Nothing to undo.'
  }

  redo(): void {
    if (this.#refuseWhenReadOnly()) return
    const label = this.#history.redo((edits) => this.#paint(edits))
    this.historyVersion++
    this.notice = label ? `Redid: ${label}` : 'Nothing to redo.'
  }

  // ---- navigation ----

  openPopover(annotationIds: string[], x: number, y: number, colleagueSpans: { annotator: string; id: string }[] = []): void {
    this.popover = annotationIds.length + colleagueSpans.length > 0 ? { annotationIds, colleagueSpans, x, y } : null
  }

  closePopover(): void {
    this.popover = null
  }

  /** Gold layer: who is curating now (the user renamed themselves while curating). */
  setCurator(curator: string): void {
    if (this.#provenanceForNewSpans?.source === 'curation') this.#provenanceForNewSpans = { ...this.#provenanceForNewSpans, curator }
    this.overlay?.setCurator?.(curator)
  }

  /** A fresh annotation id (the session's own generator, so tests can fix them). */
  newId(): string {
    return this.#createId()
  }

  /** Scrolls the reader so `offset` is in view (centred, or left where it is when `onlyIfHidden` and already in view). */
  scrollTo(offset: number, options: { onlyIfHidden?: boolean } = {}): void {
    this.scrollRequest = { offset, serial: ++this.#scrollSerial, ...(options.onlyIfHidden ? { onlyIfHidden: true } : {}) }
  }

  /** Scrolls the reader to an annotation and flashes it so the eye finds it. */
  reveal(id: string): void {
    const annotation = this.get(id)
    if (!annotation) return
    this.scrollRequest = { offset: annotation.start, serial: ++this.#scrollSerial }
    const previous = this.flashId
    this.flashId = id
    if (previous && previous !== id) this.#bumpRange(this.get(previous))
    this.#bumpRange(annotation)
    if (this.#flashTimer) clearTimeout(this.#flashTimer)
    this.#flashTimer = setTimeout(() => {
      this.flashId = null
      this.#bumpRange(this.get(id))
    }, FLASH_MS)
  }

  dispose(): void {
    if (this.#openedFrom && this.#layer.unchangedSinceLoad) {
      keepUntouchedLayer(this.#openedFrom, this.#layer)
      // Offered once: disposed again, it must not offer a layer another session may have taken.
      this.#openedFrom = null
    }
    if (this.#flashTimer) clearTimeout(this.#flashTimer)
    this.#cancelPanelUpdate?.()
    this.#learningIds?.()
    this.suggestions?.dispose()
    this.saveQueue.dispose()
  }

  #refuseWhenReadOnly(): boolean {
    if (this.readOnlyReason === null) return false
    this.notice = `This project is read-only: ${this.readOnlyReason}`
    return true
  }

  /** Applies edits to memory and the index, re-renders the touched blocks, queues the save; returns the revert edits. */
  #paint(edits: AnnotationEdit[]): AnnotationEdit[] {
    const applied = applyEditsToMap(this.#annotationsById, edits, {
      text: this.text,
      annotator: this.annotator,
      now: this.#now,
      decisions: this.decisions,
      rejections: this.rejections,
      tagIds: this.#tagIds,
      documentName: this.name
    })
    if (edits.some((edit) => edit.op === 'decide' || edit.op === 'undecide')) this.decisionsVersion++
    if (edits.some((edit) => edit.op === 'reject-suggestion' || edit.op === 'unreject-suggestion')) this.rejectionsVersion++
    // applyEditsToMap has changed the layer itself (#annotationsById is the layer).
    for (const range of applied.touchedRanges) this.#bumpRange(range)
    for (const annotation of applied.changed) this.#bumpRange(annotation)
    if (applied.changed.length > 0 || applied.earlier.length > 0) this.#layerChanged(false, true, { removed: applied.earlier, added: applied.changed })
    // Main moves the layer's status by the same rule when it saves these edits.
    this.status = statusAfterSpansAdded(this.status, spansAddedBy(edits))
    this.saveQueue.enqueue(edits)
    return applied.revert
  }

  #redrawAll(): void {
    this.#redraws++
  }

  /** A new tag set (renamed, recoloured, rekeyed, added): keys tag with it and every block is drawn again. */
  setTags(newTags: readonly TagDefinition[]): void {
    const tags = plainTags(newTags)
    this.tags = tags
    this.#tagIds = new Set(tags.map((tag) => tag.id))
    this.colleagues.setTags(tags)
    this.#redrawAll()
  }

  #bumpRange(range: { start: number; end: number } | undefined): void {
    if (!range) return
    for (const blockIndex of blockIndexesTouching(this.blocks, range.start, Math.max(range.end, range.start + 1))) {
      this.#blockVersions.set(blockIndex, this.blockVersion(blockIndex) + 1)
    }
  }

  /** Takes main's saved records (text, times) unless a newer local edit to the same annotation is still queued. */
  #reconcileSaved(result: AnnotationEditResult): void {
    const stillPending = new Set<string>()
    for (const edit of this.saveQueue.pendingEdits) {
      if (edit.op === 'add' || edit.op === 'restore') stillPending.add(edit.annotation.id)
      else if (edit.op === 'update' || edit.op === 'delete') stillPending.add(edit.id)
    }
    let replaced = 0
    // Most answers only add main's dates, which the panel does not show: it is redone (a frame of
    // its own after a tag, some 5 ms of the window's CPU) only when a row would read differently.
    let listed = false
    // A span main saved at another place or with another tag than the window had: out there, in here.
    const movedFrom: Annotation[] = []
    const movedTo: Annotation[] = []
    for (const saved of result.saved) {
      const local = this.#annotationsById.get(saved.id)
      if (!local || stillPending.has(saved.id)) continue
      const moved = local.start !== saved.start || local.end !== saved.end || local.tag !== saved.tag
      if (moved || local.note !== saved.note) {
        this.#bumpRange(local)
        this.#bumpRange(saved)
      }
      if (moved) {
        movedFrom.push(local)
        movedTo.push(saved)
      }
      if (!listedAlike(local, saved)) listed = true
      this.#layer.set(saved)
      replaced++
    }
    if (replaced > 0) this.#layerChanged(false, movedTo.length > 0, { removed: movedFrom, added: movedTo }, listed)
  }

  #showInPanelAfterPaint(): void {
    if (this.#cancelPanelUpdate) return
    this.#cancelPanelUpdate = afterNextPaintGivingWay(() => {
      this.#cancelPanelUpdate = null
      this.#panelChanges = this.#layerChanges
    })
  }
}
