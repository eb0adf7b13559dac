// Review comments of the open document, as they concern the layer the session edits: those its
// annotator wrote on colleagues' spans (kept in their own file), and colleagues' comments on its
// spans with whether they were marked resolved (kept in this annotator's file).
import { QuireError } from '../../../../shared/api'
import type { Annotation, CommentOnLayer, LayerComments, LayerRef, ReviewComment, ReviewCommentInput } from '../../../../shared/model'

/** The calls that change review comments; each answers with the layer's comments as now saved. */
export interface CommentCalls {
  save(layer: LayerRef, comment: ReviewCommentInput): Promise<LayerComments>
  delete(layer: LayerRef, commentId: string): Promise<LayerComments>
  setResolved(layer: LayerRef, commentId: string, reviewer: string, resolved: boolean): Promise<LayerComments>
}

/** What the comments need of their session. */
export interface CommentsHost {
  readonly layer: LayerRef
  newId(): string
  /** False (with a notice) when the project cannot be written. */
  mayChange(): boolean
  say(notice: string): void
  /** The reader draws comment markers: draw again. */
  redraw(): void
}

export class SessionComments {
  written = $state.raw<ReviewComment[]>([])
  onLayer = $state.raw<CommentOnLayer[]>([])

  /** Your spans with a colleague's comment you have not marked resolved. */
  readonly openTargets = $derived(new Set(this.onLayer.filter((entry) => entry.resolvedAt === null).map((entry) => entry.comment.target.annotationId)))
  /** Colleagues' spans you commented on, as "annotator\0id". */
  readonly writtenTargets = $derived(new Set(this.written.map((comment) => `${comment.target.annotator}\u0000${comment.target.annotationId}`)))

  readonly #host: CommentsHost
  readonly #calls: CommentCalls | null

  constructor(host: CommentsHost, comments: LayerComments, calls: CommentCalls | null) {
    this.#host = host
    this.#calls = calls
    this.written = comments.written
    this.onLayer = comments.onLayer
  }

  get openCount(): number {
    return this.onLayer.filter((entry) => entry.resolvedAt === null).length
  }

  /** Colleagues' comments on one of your spans, oldest first. */
  on(annotationId: string): CommentOnLayer[] {
    return this.onLayer.filter((entry) => entry.comment.target.annotationId === annotationId)
  }

  /** Your comment on a colleague's span, if you wrote one. */
  mineOn(annotator: string, annotationId: string): ReviewComment | undefined {
    return this.written.find((comment) => comment.target.annotator === annotator && comment.target.annotationId === annotationId)
  }

  /** Writes (or changes) your comment on a colleague's span; saved in your own layer file. */
  async write(annotator: string, annotation: Annotation, text: string): Promise<boolean> {
    const existing = this.mineOn(annotator, annotation.id)
    const input: ReviewCommentInput = {
      id: existing?.id ?? this.#host.newId(),
      target: { annotator, annotationId: annotation.id, start: annotation.start, end: annotation.end, tag: annotation.tag, text: annotation.text },
      text
    }
    return this.#change((calls) => calls.save(this.#host.layer, input), `Comment saved in your layer; ${annotator} sees it on the span.`)
  }

  async delete(commentId: string): Promise<boolean> {
    return this.#change((calls) => calls.delete(this.#host.layer, commentId), 'Comment deleted.')
  }

  async setResolved(entry: CommentOnLayer, resolved: boolean): Promise<boolean> {
    return this.#change(
      (calls) => calls.setResolved(this.#host.layer, entry.comment.id, entry.reviewer, resolved),
      resolved ? `Marked ${entry.reviewer}'s comment resolved.` : `Opened ${entry.reviewer}'s comment again.`
    )
  }

  /** Takes the comments as main read them now (after a change, or a colleague's file arriving). */
  set(comments: LayerComments): void {
    this.written = comments.written
    this.onLayer = comments.onLayer
    this.#host.redraw()
  }

  async #change(change: (calls: CommentCalls) => Promise<LayerComments>, done: string): Promise<boolean> {
    const calls = this.#calls
    if (!calls || !this.#host.mayChange()) return false
    try {
      this.set(await change(calls))
      this.#host.say(done)
      return true
    } catch (error) {
      this.#host.say(`The comment could not be saved: ${QuireError.from(error).message}`)
      return false
    }
  }
}
