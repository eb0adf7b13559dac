// Compare mode and curation, over one document: the chosen annotators' layers are compared
// (src/core/review/compare.ts) and every position is drawn over the text. In compare mode the
// agreed positions are filled with a check and the disagreements hatched; `n` / `p` walk the
// disagreements that pass the filters. In curation the session edits the gold layer: only the
// disagreements not yet settled are drawn, and each is settled by taking one annotator's
// version, all of them, or rejecting it.
import {
  DISAGREEMENT_KINDS,
  filterPositions,
  nextPosition,
  PositionIndex,
  type LayerComparison,
  type PositionKind,
  type ReviewDirection,
  type ReviewPosition
} from '../../../../core/review/compare'
import { settlePosition, type SettleChoice } from '../../../../core/review/curation'
import { UnsettledPositions } from '../../../../core/review/unsettled-positions'
import { expandComparison, type ComparedSpan } from '../../../../core/review/compact-comparison'
import { QuireError } from '../../../../shared/api'
import { asUtf16, type AnnotationEdit, type DocumentComparison } from '../../../../shared/model'
import type { DocumentSession, MarkOverlay } from './document-session.svelte'
import { initialsOf, shortTag, type ReaderMark } from '../reader/marks'

export const KIND_LABELS: Readonly<Record<PositionKind, string>> = {
  agreed: 'Agreed',
  'tag-differs': 'Tag differs',
  'boundaries-differ': 'Boundaries differ',
  'only-in-some': 'Only in some layers'
}

export type ComparisonMode = 'compare' | 'curate'

export interface ComparisonOptions {
  session: DocumentSession
  annotators: string[]
  mode: ComparisonMode
  /** Main's comparison of the document's layers (api.compareDocument). */
  compare: (documentId: string, annotators: string[]) => Promise<DocumentComparison>
  /** Curation: who settles (recorded on every gold span and decision). */
  curator?: string
  now?: () => string
}

export class ComparisonState implements MarkOverlay {
  readonly annotators: readonly string[]
  readonly mode: ComparisonMode
  readonly showsOwn: boolean
  comparison = $state.raw<LayerComparison<ComparedSpan> | null>(null)
  /** Chosen annotators who have no layer on this document: they count as having no spans. */
  missing = $state.raw<string[]>([])
  error = $state.raw<QuireError | null>(null)
  loading = $state(false)
  kinds = $state.raw<ReadonlySet<PositionKind>>(new Set(DISAGREEMENT_KINDS))
  /** null: every tag. */
  tags = $state.raw<ReadonlySet<string> | null>(null)
  currentId = $state<string | null>(null)
  #version = $state(0)
  #index = new PositionIndex<ReviewPosition<ComparedSpan>>([])
  /** Curation: what settles each position, as of the gold layer's `version` (see #unsettledNow). */
  #unsettled: { positions: readonly ReviewPosition<ComparedSpan>[]; tracker: UnsettledPositions<ComparedSpan>; version: number } | null = null
  readonly #session: DocumentSession
  readonly #compare: (documentId: string, annotators: string[]) => Promise<DocumentComparison>
  #curator: string | null
  readonly #now: () => string

  constructor(options: ComparisonOptions) {
    this.#session = options.session
    this.#compare = options.compare
    this.annotators = options.annotators
    this.mode = options.mode
    this.showsOwn = options.mode === 'curate'
    this.#curator = options.curator ?? null
    this.#now = options.now ?? (() => new Date().toISOString())
  }

  get version(): number {
    return this.#version
  }

  /**
   * Asks main to compare the chosen layers (it has them parsed; only the comparison crosses, in
   * columns). Your own edits are saved first, so the comparison sees what is on screen.
   */
  async load(): Promise<void> {
    this.loading = true
    try {
      const session = this.#session
      if (this.annotators.includes(session.annotator)) await session.saveQueue.whenIdle()
      const compact = await this.#compare(session.documentId, [...this.annotators])
      const comparison = expandComparison(compact, session.text)
      this.missing = compact.missing
      this.comparison = comparison
      this.#index = new PositionIndex(comparison.positions)
      if (this.currentId !== null && !comparison.positions.some((position) => position.id === this.currentId)) this.currentId = null
      this.error = null
      this.#version++
    } catch (caught) {
      this.error = QuireError.from(caught)
    } finally {
      this.loading = false
    }
  }

  /** Curation: disagreements the gold layer has not settled yet. */
  readonly remaining = $derived.by((): ReviewPosition<ComparedSpan>[] => {
    const comparison = this.comparison
    if (!comparison || this.mode !== 'curate') return []
    void this.#session.decisionsVersion
    return this.#unsettledNow(comparison.positions).remaining(this.#session.decisions)
  })

  /**
   * What settles each position, brought up to the gold layer as it is now: by the layer's changes
   * since it was last brought up (a press changes a span or two of tens of thousands), or made
   * anew from the whole layer when those are not all known (the layer was replaced, or long ago).
   */
  #unsettledNow(positions: readonly ReviewPosition<ComparedSpan>[]): UnsettledPositions<ComparedSpan> {
    const session = this.#session
    const kept = this.#unsettled
    const changes = kept && kept.positions === positions ? session.spanRangeChangesSince(kept.version) : null
    if (kept && changes) {
      for (const { removed, added } of changes) {
        for (const span of removed) kept.tracker.removeGold(span.start, span.end, span.tag)
        for (const span of added) kept.tracker.addGold(span.start, span.end, span.tag)
      }
      kept.version = session.spanRangesVersion
      return kept.tracker
    }
    const tracker = new UnsettledPositions(positions, (visit) => session.forEachSpanRange(visit))
    this.#unsettled = { positions, tracker, version: session.spanRangesVersion }
    return tracker
  }

  /** The positions the list and `n`/`p` walk: disagreements passing the filters (in curation, only unsettled ones). */
  readonly disagreements = $derived.by((): ReviewPosition<ComparedSpan>[] => {
    const comparison = this.comparison
    if (!comparison) return []
    const filter = { kinds: this.kinds, ...(this.tags ? { tags: this.tags } : {}) }
    return filterPositions(this.mode === 'curate' ? this.remaining : comparison.positions, filter)
  })

  get current(): ReviewPosition<ComparedSpan> | null {
    const id = this.currentId
    return id === null ? null : (this.comparison?.positions.find((position) => position.id === id) ?? null)
  }

  /** 1-based place of the current position in the walked list, or 0. */
  get currentNumber(): number {
    const id = this.currentId
    return id === null ? 0 : this.disagreements.findIndex((position) => position.id === id) + 1
  }

  setKindShown(kind: PositionKind, shown: boolean): void {
    const next = new Set(this.kinds)
    if (shown) next.add(kind)
    else next.delete(kind)
    this.kinds = next
  }

  setTagFilter(tag: string | null): void {
    this.tags = tag === null ? null : new Set([tag])
  }

  /** Goes to the next or previous disagreement from the current one (or from the top), scrolling there. */
  step(direction: ReviewDirection): ReviewPosition<ComparedSpan> | null {
    const list = this.disagreements
    // From the current disagreement; if it has left the list (filtered out, settled by hand), from where it was in the text.
    const current = this.current
    const from =
      current === null ? (direction === 'next' ? -1 : Number.MAX_SAFE_INTEGER) : list.some((position) => position.id === current.id) ? current.id : direction === 'next' ? current.start + 1 : current.start
    const found = nextPosition(list, from, direction, { kinds: this.kinds, ...(this.tags ? { tags: this.tags } : {}) })
    if (!found) {
      this.#session.notice = list.length === 0 ? 'No disagreements here.' : direction === 'next' ? 'That was the last disagreement.' : 'That was the first disagreement.'
      return null
    }
    this.select(found.id)
    return found
  }

  select(id: string): void {
    this.currentId = id
    this.#version++
    const position = this.current
    if (position) this.#session.scrollTo(position.start)
  }

  activate(offset: number): boolean {
    const shown = this.#shownPositions(offset, offset + 1)
    const innermost = shown.sort((a, b) => b.start - a.start || a.end - b.end)[0]
    if (!innermost) return false
    this.select(innermost.id)
    return true
  }

  marksIn(start: number, end: number): ReaderMark[] {
    void this.#version
    return this.#shownPositions(start, end).map((position) => this.#mark(position))
  }

  /**
   * Curation: settles the current disagreement (or `position`) by taking one annotator's spans,
   * all of them, or rejecting it; one undo reverts it. Moves on to the next disagreement.
   */
  settle(choice: SettleChoice, position = this.current): boolean {
    if (this.mode !== 'curate' || !position || position.kind === 'agreed' || this.#curator === null) return false
    const settlement = settlePosition(position, choice)
    // Looked up span by span: a long gold layer made whole (and keyed) held each settle ~150 ms.
    const edits: AnnotationEdit[] = settlement.add
      .filter((proposal) => !this.#session.hasSpan(proposal.start, proposal.end, proposal.tag))
      .map((proposal) => ({
        op: 'add',
        annotation: {
          id: this.#session.newId(),
          start: asUtf16(proposal.start),
          end: asUtf16(proposal.end),
          tag: proposal.tag,
          provenance: { source: 'curation', annotators: proposal.annotators, curator: this.#curator as string }
        }
      }))
    if (settlement.rejectedPositionId !== null) {
      edits.push({ op: 'decide', decision: { positionKey: settlement.rejectedPositionId, decision: 'rejected', curator: this.#curator, decidedAt: this.#now() } })
    }
    if (edits.length === 0) return false
    const label = 'reject' in choice ? 'Reject' : choice.take === 'all' ? 'Take all versions' : `Take ${choice.annotator}'s version`
    if (!this.#session.applyEdits(edits, label)) return false
    this.#version++
    // On to the next one in the text, or back to the first left (the walk wraps after the last).
    const next = nextPosition(this.disagreements, position.start, 'next') ?? this.disagreements[0] ?? null
    const left = this.remaining.length
    this.#session.notice = `${label}: ${left === 0 ? 'nothing' : left} left to settle.`
    if (next) this.select(next.id)
    else {
      this.currentId = null
      this.#session.notice = 'Every disagreement here is settled. Mark the document curated when the gold layer is right.'
    }
    return true
  }

  /** Curation: who settles from now on (the user renamed themselves). */
  setCurator(curator: string): void {
    if (this.mode === 'curate') this.#curator = curator
  }

  /** Redraw after the gold layer changed (an edit by hand, an undo). */
  touch(): void {
    this.#version++
  }

  #shownPositions(start: number, end: number): ReviewPosition<ComparedSpan>[] {
    const found = this.#index.overlapping(start, end)
    if (this.mode === 'compare') return found
    // Read first: it brings #unsettled up to the gold layer, and whoever draws re-runs with it.
    if (this.remaining.length === 0) return []
    const tracker = this.#unsettled?.tracker
    const rejected = this.#session.decisions
    return tracker ? found.filter((position) => tracker.isOpen(position, rejected)) : []
  }

  #mark(position: ReviewPosition<ComparedSpan>): ReaderMark {
    const tags = this.#session.tags
    const short = (tag: string): string => shortTag(tags, tag)
    const holders = position.spansByAnnotator.filter((entry) => entry.spans.length > 0).map((entry) => entry.annotator)
    let chip: string
    switch (position.kind) {
      case 'agreed':
        chip = `${short(position.tags[0] ?? '')}✓`
        break
      case 'tag-differs':
        chip = position.tags.map(short).join('≠')
        break
      case 'boundaries-differ':
        chip = `${position.tags.map(short).join('/')}↔`
        break
      case 'only-in-some':
        chip = `${position.tags.map(short).join('/')}·${holders.map(initialsOf).join('+')}`
        break
    }
    const who = position.spansByAnnotator
      .map((entry) => `${entry.annotator}: ${entry.spans.length === 0 ? 'nothing' : entry.spans.map((span) => `${short(span.tag)} “${span.text}”`).join(', ')}`)
      .join('\n')
    return {
      key: position.id,
      id: position.id,
      layer: null,
      start: position.start,
      end: position.end,
      tag: position.tags[0] ?? '',
      style: position.kind === 'agreed' ? 'agreed' : 'disagreement',
      chip,
      title: `${KIND_LABELS[position.kind]}\n${who}`,
      spoken: `${KIND_LABELS[position.kind]}: ${who.replaceAll('\n', '; ')}`,
      noted: false,
      current: position.id === this.currentId
    }
  }
}
