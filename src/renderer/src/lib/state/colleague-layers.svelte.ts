// The other layers of the open document: colleagues' and the gold layer. Each can be shown or
// hidden; a shown layer is loaded once, indexed, and drawn read-only (outlined, with the
// annotator's initials). When a colleague's file changes on disk, only that layer is loaded again.
import { SpanIndex } from '../../../../core/span-index'
import type { Annotation, LayerContent, LayerRef, LayerSummary, TagDefinition } from '../../../../shared/model'
import { QuireError } from '../../../../shared/api'
import { colleagueMark, type ReaderMark } from '../reader/marks'

interface LoadedLayer {
  /** What the layer list said when it was loaded, to know when to load it again. */
  stamp: string
  content: LayerContent
  /**
   * Built on first use: compare mode reads layers it never draws, and indexing 88,000 spans
   * costs a few hundred milliseconds.
   */
  index: SpanIndex<Annotation> | null
}

export interface ColleagueLayersOptions {
  documentId: string
  /** The layer the session edits: never listed here. */
  ownAnnotator: string
  tags: readonly TagDefinition[]
  load: (layer: LayerRef) => Promise<LayerContent>
  /** Called after a change that alters what the reader draws. */
  onChange?: () => void
}

export class ColleagueLayers {
  /** Every other layer of the document, as the layer list shows them. */
  summaries = $state.raw<LayerSummary[]>([])
  /** Annotators whose layers are drawn. */
  visible = $state.raw<ReadonlySet<string>>(new Set())
  /** Why a shown layer could not be loaded, by annotator. */
  problems = $state.raw<ReadonlyMap<string, QuireError>>(new Map())
  /** Bumped whenever what is drawn changes (a layer shown, hidden or reloaded). */
  version = $state(0)

  readonly #loaded = new Map<string, LoadedLayer>()
  readonly #options: ColleagueLayersOptions

  constructor(options: ColleagueLayersOptions) {
    this.#options = { ...options }
  }

  /** Colleagues' spans are drawn with the project's new tag set (labels, colours). */
  setTags(tags: readonly TagDefinition[]): void {
    this.#options.tags = tags
    this.#changed()
  }

  /** Takes the document's layer list (at opening, and whenever files changed on disk). */
  async setSummaries(all: readonly LayerSummary[]): Promise<void> {
    this.summaries = all.filter((layer) => layer.annotator !== this.#options.ownAnnotator)
    const present = new Set(this.summaries.map((layer) => layer.annotator))
    let dropped = false
    for (const annotator of [...this.#loaded.keys()]) {
      if (!present.has(annotator)) {
        this.#loaded.delete(annotator)
        dropped = true
      }
    }
    await Promise.all([...this.visible].filter((annotator) => present.has(annotator)).map((annotator) => this.#ensureLoaded(annotator)))
    if (dropped) this.#changed()
  }

  isVisible(annotator: string): boolean {
    return this.visible.has(annotator)
  }

  async setVisible(annotator: string, shown: boolean): Promise<void> {
    const next = new Set(this.visible)
    if (shown) next.add(annotator)
    else next.delete(annotator)
    this.visible = next
    if (shown) await this.#ensureLoaded(annotator)
    this.#changed()
  }

  /** A layer's content, loading it when needed (compare mode reads layers that are not drawn). */
  async content(annotator: string): Promise<LayerContent | null> {
    await this.#ensureLoaded(annotator)
    return this.#loaded.get(annotator)?.content ?? null
  }

  get(annotator: string, id: string): Annotation | undefined {
    void this.version
    const loaded = this.#loaded.get(annotator)
    return loaded ? indexOf(loaded).get(id) : undefined
  }

  /** Marks of the shown layers touching [start, end). */
  marksIn(start: number, end: number): ReaderMark[] {
    const marks: ReaderMark[] = []
    for (const annotator of this.visible) {
      const loaded = this.#loaded.get(annotator)
      if (!loaded) continue
      for (const annotation of indexOf(loaded).overlapping(start, end)) marks.push(colleagueMark(annotation, annotator, this.#options.tags))
    }
    return marks
  }

  /** Shown colleagues' spans covering the character at `offset`. */
  spansAt(offset: number): { annotator: string; annotation: Annotation }[] {
    const found: { annotator: string; annotation: Annotation }[] = []
    for (const annotator of this.visible) {
      const loaded = this.#loaded.get(annotator)
      if (!loaded) continue
      for (const annotation of indexOf(loaded).overlapping(offset, offset + 1)) found.push({ annotator, annotation })
    }
    return found
  }

  async #ensureLoaded(annotator: string): Promise<void> {
    const summary = this.summaries.find((layer) => layer.annotator === annotator)
    if (!summary || summary.problem) return
    const stamp = `${summary.updatedAt ?? ''}|${summary.spans}|${summary.status}|${summary.comments}`
    if (this.#loaded.get(annotator)?.stamp === stamp) return
    try {
      const content = await this.#options.load({ documentId: this.#options.documentId, annotator })
      this.#loaded.set(annotator, { stamp, content, index: null })
      this.#setProblem(annotator, null)
    } catch (error) {
      this.#loaded.delete(annotator)
      this.#setProblem(annotator, QuireError.from(error))
    }
    this.#changed()
  }

  #setProblem(annotator: string, problem: QuireError | null): void {
    if (!problem && !this.problems.has(annotator)) return
    const next = new Map(this.problems)
    if (problem) next.set(annotator, problem)
    else next.delete(annotator)
    this.problems = next
  }

  #changed(): void {
    this.version++
    this.#options.onChange?.()
  }
}

function indexOf(loaded: LoadedLayer): SpanIndex<Annotation> {
  loaded.index ??= new SpanIndex(loaded.content.annotations)
  return loaded.index
}
