// Suggestions on the open document: spans the project's annotations suggest (main computes
// them, getSuggestions), drawn dashed and never saved until accepted. Accepting adds the span
// (provenance 'suggestion', with the reason); rejecting saves a rejection in the layer, so it
// is not suggested again. Both are ordinary annotation edits of the session: painted first,
// saved in the background, one undo step each (accept all and reject all too).
//
// The list from main is what was saved when it was asked for; what the window did since
// (a span tagged, a suggestion rejected or accepted, either undone) is applied over it here:
// a suggestion is shown while no span of the layer overlaps it and the layer has not rejected it.
import type { Suggestion, SuggestionList } from '../../../../shared/finding-model'
import type { AnnotationEdit, LayerRef, TagDefinition } from '../../../../shared/model'
import { asUtf16 } from '../../../../shared/model'
import { shortTag, type ReaderMark } from '../reader/marks'
import { plural } from '../text/quantities'

/** What the suggestions need of the document session. */
export interface SuggestionHost {
  readonly layer: LayerRef
  readonly tags: readonly TagDefinition[]
  /** The text revision the session's offsets refer to. */
  readonly revisionId: string
  /** True when the layer has a span overlapping [start, end). */
  hasSpanOverlapping(start: number, end: number): boolean
  /** True when the layer rejected this suggestion (in this window or before). */
  isRejected(key: string): boolean
  /** Read by `visible` so it is worked out again when the layer's spans or rejections change. */
  layerVersion(): number
  applyEdits(edits: AnnotationEdit[], label: string): boolean
  newId(): string
  say(notice: string): void
  /** Resolves when nothing is being dragged in the window: suggestions arriving mid-drag wait for it (lib/reader/pointer-held.ts). */
  untilPointerReleased?(): Promise<void>
}

export interface SuggestionPopover {
  key: string
  x: number
  y: number
}

/** Pause after a change before asking main again: a burst of tagging asks once. */
const REFRESH_PAUSE_MS = 300

export class SuggestionsState {
  /** Drawn in the reader; the toggle hides them without forgetting them. */
  shown = $state(true)
  /** As main gave them (text order, never overlapping one another). */
  list = $state.raw<Suggestion[]>([])
  /** Suggestions the layer had rejected when main was last asked. */
  rejectedBefore = $state(0)
  /** Suggestions past the listed ones (main lists a few thousand at most); listed after these are settled. */
  omitted = $state(0)
  loading = $state(false)
  /** Main has answered for this layer at least once (until then there is nothing to count yet). */
  answered = $state(false)
  problem = $state<string | null>(null)
  popover = $state<SuggestionPopover | null>(null)
  /** Bumped whenever what is drawn changes (the list, or shown/hidden). */
  version = $state(0)

  readonly #host: SuggestionHost
  readonly #load: (layer: LayerRef) => Promise<SuggestionList>
  #timer: ReturnType<typeof setTimeout> | null = null
  #asked = 0
  #disposed = false

  constructor(host: SuggestionHost, load: (layer: LayerRef) => Promise<SuggestionList>, shown = true) {
    this.#host = host
    this.#load = load
    this.shown = shown
  }

  /** The suggestions still open: no span of the layer over them, not rejected (worked out once per change). */
  readonly visible: Suggestion[] = $derived.by(() => {
    void this.#host.layerVersion()
    return this.list.filter((suggestion) => this.#isOpen(suggestion))
  })

  /** "3 suggestions" (words, for buttons and the status line). */
  get countText(): string {
    // The first answer of a large project waits for its lexicon (seconds at 100,000 documents):
    // "No suggestions" meanwhile would say there are none.
    if (this.visible.length === 0 && this.loading && !this.answered) return 'Looking for suggestions'
    // Hidden before main was asked (the box unticked, then another document opened): nothing is
    // known, and "No suggestions" would say there are none.
    if (!this.shown && !this.answered) return 'Off'
    return this.visible.length === 0 ? 'No suggestions' : plural(this.visible.length, 'suggestion')
  }

  setShown(shown: boolean): void {
    this.shown = shown
    if (!shown) this.popover = null
    this.version++
    // Hidden suggestions are not asked for: shown again, they are asked for now.
    if (shown) void this.refresh()
  }

  /** Asks main for the layer's suggestions now (not while they are hidden). */
  async refresh(): Promise<void> {
    if (!this.shown) return
    const asked = ++this.#asked
    this.loading = true
    try {
      const list = await this.#load(this.#host.layer)
      await this.#host.untilPointerReleased?.()
      if (asked !== this.#asked || this.#disposed) return
      // Offsets of another text revision (the text was edited meanwhile) are not drawn.
      if (list.revision !== this.#host.revisionId) return
      this.list = list.suggestions
      this.answered = true
      this.rejectedBefore = list.rejected
      this.omitted = list.omitted
      this.problem = null
      this.version++
    } catch (error) {
      if (asked === this.#asked) this.problem = `Suggestions could not be worked out: ${(error as Error).message}`
    } finally {
      if (asked === this.#asked) this.loading = false
    }
  }

  /** Asks again after a short pause (the project's annotations changed). */
  refreshSoon(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.refresh()
    }, REFRESH_PAUSE_MS)
  }

  dispose(): void {
    this.#disposed = true
    if (this.#timer !== null) clearTimeout(this.#timer)
  }

  /** The open suggestion covering the character at `offset`. */
  at(offset: number): Suggestion | null {
    const found = this.#firstEndingAfter(offset)
    const suggestion = this.list[found]
    return suggestion && suggestion.start <= offset && this.#isOpen(suggestion) ? suggestion : null
  }

  /** The open suggestion under a caret or selection: the one it touches. */
  atRange(start: number, end: number): Suggestion | null {
    if (start === end) return this.at(start) ?? (start > 0 ? this.at(start - 1) : null)
    for (let index = this.#firstEndingAfter(start); index < this.list.length; index++) {
      const suggestion = this.list[index] as Suggestion
      if (suggestion.start >= end) break
      if (this.#isOpen(suggestion)) return suggestion
    }
    return null
  }

  byKey(key: string): Suggestion | undefined {
    return this.list.find((suggestion) => suggestion.key === key)
  }

  /** Marks for the reader over [start, end): dashed, the chip "PER?" (a question: a suggestion, not a span). */
  marksIn(start: number, end: number): ReaderMark[] {
    if (!this.shown) return []
    const marks: ReaderMark[] = []
    for (let index = this.#firstEndingAfter(start); index < this.list.length; index++) {
      const suggestion = this.list[index] as Suggestion
      if (suggestion.start >= end) break
      if (!this.#isOpen(suggestion)) continue
      marks.push({
        key: `suggestion\u0000${suggestion.key}`,
        id: suggestion.key,
        layer: null,
        start: suggestion.start,
        end: suggestion.end,
        tag: suggestion.tag,
        style: 'suggestion',
        chip: `${shortTag(this.#host.tags, suggestion.tag)}?`,
        title: `Suggested: ${this.#label(suggestion.tag)}, ${suggestion.reason} (Y accepts, Shift+Y rejects)`,
        spoken: `Suggested ${this.#label(suggestion.tag)}, ${suggestion.reason}`,
        noted: false
      })
    }
    return marks
  }

  openPopover(key: string, x: number, y: number): void {
    this.popover = { key, x, y }
  }

  closePopover(): void {
    this.popover = null
  }

  /** Saves the suggestion as a span of the layer. */
  accept(suggestion: Suggestion): boolean {
    this.popover = null
    const done = this.#host.applyEdits([this.#acceptEdit(suggestion)], `Accept "${suggestion.text}" as ${this.#label(suggestion.tag)}`)
    if (done) this.#host.say(`Accepted "${suggestion.text}" as ${this.#label(suggestion.tag)}.`)
    return done
  }

  /** Hides the suggestion and saves the rejection in the layer. */
  reject(suggestion: Suggestion): boolean {
    this.popover = null
    const done = this.#host.applyEdits([rejectEdit(suggestion)], `Reject the suggestion "${suggestion.text}"`)
    if (done) this.#host.say(`Rejected the suggestion "${suggestion.text}" (${this.#label(suggestion.tag)}); it is not suggested here again.`)
    return done
  }

  /** Accepts every open suggestion of the document: one change, one undo. */
  acceptAll(): void {
    const open = this.visible
    if (open.length === 0) return
    if (this.#host.applyEdits(open.map((suggestion) => this.#acceptEdit(suggestion)), `Accept ${plural(open.length, 'suggestion')}`)) {
      this.#host.say(`Accepted ${plural(open.length, 'suggestion')}.`)
    }
  }

  /** Rejects every open suggestion of the document: one change, one undo. */
  rejectAll(): void {
    const open = this.visible
    if (open.length === 0) return
    if (this.#host.applyEdits(open.map(rejectEdit), `Reject ${plural(open.length, 'suggestion')}`)) {
      this.#host.say(`Rejected ${plural(open.length, 'suggestion')}; they are not suggested here again.`)
    }
  }

  #acceptEdit(suggestion: Suggestion): AnnotationEdit {
    return {
      op: 'add',
      annotation: { id: this.#host.newId(), start: suggestion.start, end: suggestion.end, tag: suggestion.tag, provenance: { source: 'suggestion', detail: suggestion.reason } }
    }
  }

  #isOpen(suggestion: Suggestion): boolean {
    return !this.#host.isRejected(suggestion.key) && !this.#host.hasSpanOverlapping(suggestion.start, suggestion.end)
  }

  #label(tagId: string): string {
    return this.#host.tags.find((tag) => tag.id === tagId)?.label ?? tagId
  }

  /** Index of the first suggestion ending after `offset` (the list is sorted and never overlaps). */
  #firstEndingAfter(offset: number): number {
    let low = 0
    let high = this.list.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.list[middle] as Suggestion).end <= offset) low = middle + 1
      else high = middle
    }
    return low
  }
}

function rejectEdit(suggestion: Suggestion): AnnotationEdit {
  return { op: 'reject-suggestion', suggestion: { tag: suggestion.tag, start: asUtf16(suggestion.start), end: asUtf16(suggestion.end) } }
}
