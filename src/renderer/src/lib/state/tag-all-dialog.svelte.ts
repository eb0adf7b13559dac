// "Tag all N occurrences as …": main's preview of every occurrence (in this document or the
// whole project), a checkbox each (skipped ones listed with the reason, not choosable), and
// Apply. The open document's share is tagged through its session, so one Ctrl/Cmd+Z there
// removes the whole batch; the other documents' share goes to main's tag-all (one save per
// document), and "Undo tag all" deletes every span it added, in every document.
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type { SearchQuery, TagAllChoice, TagAllOccurrence, TagAllPreview, TagAllRequest } from '../../../../shared/finding-model'
import type { Annotation, AnnotationEdit, TagDefinition } from '../../../../shared/model'
import { plural } from '../text/quantities'

export type TagAllScope = 'document' | 'project'

/** The open document's session, as far as tag-all uses it. */
export interface TagAllSession {
  documentId: string
  annotator: string
  annotations: readonly Annotation[]
  readOnlyReason: string | null
  newId(): string
  applyEdits(edits: AnnotationEdit[], label?: string): boolean
}

export interface TagAllOptions {
  api: Pick<QuireApi, 'previewTagAll' | 'applyTagAll' | 'applyAnnotationEdits'>
  query: SearchQuery
  tags: readonly TagDefinition[]
  annotator: string
  /** The open document, if any: the "this document" scope, and the session its share goes through. */
  session: TagAllSession | null
  scope: TagAllScope
  /** After applying: the document list and counts changed. */
  onApplied: (outcome: TagAllOutcome) => void
}

/** What an apply did, kept so "Undo tag all" can take it back. */
export interface TagAllOutcome {
  label: string
  summary: string
  /** Added span ids per document (the open document's included). */
  added: { documentId: string; ids: string[] }[]
  annotator: string
}

export function occurrenceKey(occurrence: Pick<TagAllOccurrence, 'documentId' | 'start' | 'end'>): string {
  return `${occurrence.documentId}:${occurrence.start}-${occurrence.end}`
}

export class TagAllDialogState {
  readonly query: SearchQuery
  readonly tags: readonly TagDefinition[]
  tag = $state('')
  scope = $state<TagAllScope>('project')
  preview = $state.raw<TagAllPreview | null>(null)
  /** Keys of the occurrences whose checkbox is off. */
  unchecked = $state.raw<ReadonlySet<string>>(new Set())
  loading = $state(false)
  applying = $state(false)
  error = $state.raw<QuireError | null>(null)
  readonly #options: TagAllOptions
  #serial = 0

  constructor(options: TagAllOptions) {
    this.#options = options
    this.query = options.query
    this.tags = options.tags
    this.tag = options.tags[0]?.id ?? ''
    this.scope = options.session ? options.scope : 'project'
  }

  get hasDocumentScope(): boolean {
    return this.#options.session !== null
  }

  get chosen(): TagAllOccurrence[] {
    return (this.preview?.occurrences ?? []).filter((occurrence) => occurrence.skip === null && !this.unchecked.has(occurrenceKey(occurrence)))
  }

  get skipped(): TagAllOccurrence[] {
    return (this.preview?.occurrences ?? []).filter((occurrence) => occurrence.skip !== null)
  }

  get tagLabel(): string {
    return this.tags.find((tag) => tag.id === this.tag)?.label ?? this.tag
  }

  get #request(): TagAllRequest {
    const session = this.#options.session
    return {
      query: this.query,
      tag: this.tag,
      annotator: this.#options.annotator,
      documentIds: this.scope === 'document' && session ? [session.documentId] : 'all'
    }
  }

  async refresh(): Promise<void> {
    const serial = ++this.#serial
    this.loading = true
    this.error = null
    try {
      const preview = await this.#options.api.previewTagAll(this.#request)
      if (serial !== this.#serial) return
      this.preview = preview
      this.unchecked = new Set()
    } catch (error) {
      if (serial === this.#serial) this.error = QuireError.from(error)
    } finally {
      if (serial === this.#serial) this.loading = false
    }
  }

  setTag(tag: string): void {
    this.tag = tag
    void this.refresh()
  }

  setScope(scope: TagAllScope): void {
    this.scope = scope
    void this.refresh()
  }

  toggle(occurrence: TagAllOccurrence, checked: boolean): void {
    const next = new Set(this.unchecked)
    if (checked) next.delete(occurrenceKey(occurrence))
    else next.add(occurrenceKey(occurrence))
    this.unchecked = next
  }

  setAll(checked: boolean): void {
    this.unchecked = checked ? new Set() : new Set((this.preview?.occurrences ?? []).map(occurrenceKey))
  }

  /** Tags the chosen occurrences; the outcome (for the notice and its undo), or null when nothing was done. */
  async apply(): Promise<TagAllOutcome | null> {
    const chosen = this.chosen
    if (chosen.length === 0 || this.applying) return null
    this.applying = true
    this.error = null
    try {
      const session = this.#options.session
      const label = `Tag all "${this.query.text}" as ${this.tagLabel}`
      const inSession = session && session.annotator === this.#options.annotator && session.readOnlyReason === null ? chosen.filter((occurrence) => occurrence.documentId === session.documentId) : []
      const elsewhere: TagAllChoice[] = chosen.filter((occurrence) => !inSession.includes(occurrence)).map(({ documentId, start, end }) => ({ documentId, start, end }))
      const added: TagAllOutcome['added'] = []
      let skipped = 0
      if (session && inSession.length > 0) {
        const ids = this.#tagInSession(session, inSession, label)
        if (ids.length > 0) added.push({ documentId: session.documentId, ids })
        skipped += inSession.length - ids.length
      }
      if (elsewhere.length > 0) {
        const result = await this.#options.api.applyTagAll({ ...this.#request, documentIds: [...new Set(elsewhere.map((choice) => choice.documentId))] }, elsewhere)
        for (const document of result.documents) if (document.added.length > 0) added.push({ documentId: document.documentId, ids: document.added.map((annotation) => annotation.id) })
        skipped += result.skipped
      }
      const spans = added.reduce((sum, entry) => sum + entry.ids.length, 0)
      const summary = `Tagged ${plural(spans, 'span')} as ${this.tagLabel} in ${plural(added.length, 'document')}${skipped > 0 ? `; ${plural(skipped, 'occurrence')} changed meanwhile and ${skipped === 1 ? 'was' : 'were'} skipped` : ''}.`
      const outcome: TagAllOutcome = { label, summary, added, annotator: this.#options.annotator }
      this.#options.onApplied(outcome)
      return outcome
    } catch (error) {
      this.error = QuireError.from(error)
      return null
    } finally {
      this.applying = false
    }
  }

  /** One edit batch in the session: painted at once, one undo entry, one save. */
  #tagInSession(session: TagAllSession, occurrences: readonly TagAllOccurrence[], label: string): string[] {
    const sameTag = session.annotations.filter((annotation) => annotation.tag === this.tag)
    const free = occurrences.filter((occurrence) => !sameTag.some((annotation) => annotation.start < occurrence.end && annotation.end > occurrence.start))
    const edits: AnnotationEdit[] = free.map((occurrence) => ({
      op: 'add',
      annotation: { id: session.newId(), start: occurrence.start, end: occurrence.end, tag: this.tag, provenance: { source: 'manual', detail: `tag-all "${this.query.text.slice(0, 100)}"` } }
    }))
    if (edits.length === 0 || !session.applyEdits(edits, label)) return []
    return edits.flatMap((edit) => (edit.op === 'add' ? [edit.annotation.id] : []))
  }
}

/**
 * Takes a tag-all back in every document: the open document's share through its session (so
 * it is one more undoable step there), the others' by deleting the added ids in main.
 */
export async function undoTagAll(outcome: TagAllOutcome, api: Pick<QuireApi, 'applyAnnotationEdits'>, session: TagAllSession | null): Promise<void> {
  for (const { documentId, ids } of outcome.added) {
    if (session && session.documentId === documentId && session.annotator === outcome.annotator) {
      const present = new Set(session.annotations.map((annotation) => annotation.id))
      const edits: AnnotationEdit[] = ids.filter((id) => present.has(id)).map((id) => ({ op: 'delete', id }))
      if (edits.length > 0) session.applyEdits(edits, `Undo ${outcome.label.charAt(0).toLowerCase()}${outcome.label.slice(1)}`)
      continue
    }
    await api.applyAnnotationEdits({ documentId, annotator: outcome.annotator }, ids.map((id) => ({ op: 'delete', id })))
  }
}
