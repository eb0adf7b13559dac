// Editing a document's text: each saved edit, cleanup or undo becomes a revision file, written
// durably before the call answers; the author's layers are mapped onto the new text in memory for
// the answer, and written forward (with the machine-local copy of the text) once it has gone out.
// Colleagues' layers are never written: every reader maps them forward when it reads them
// (store/layer-anchoring.ts). Edits of one project are made one at a time, each checked against
// the head it was made on.
import { QuireError } from '../../shared/api'
import {
  CURATION_ANNOTATOR,
  type ChangeSetJson,
  type CleanupPreview,
  type CleanupRequest,
  type CleanupStepId,
  type RevisionOrigin,
  type TextEditRequest,
  type TextEditResult,
  type TextSaveResult,
  type TextHistory,
  type LostSpan,
  type TextRevision,
  type TextRevisionSummary
} from '../../shared/model'
import { applyChanges, changeSetOf, describeSplitCharacter, invertChanges, newRevisionId } from '../../core/text-edit/change-set'
import { cancelUndonePairs } from '../../core/text-edit/span-mapping'
import { summarizeRevision, type RevisionSetAside } from '../../core/text-revisions/revision-graph'
import { describeChanges } from '../../core/text-revisions/describe-changes'
import type { DocumentText } from '../store/document-texts'
import { sha256Hex, type ProjectStore } from '../store/project-store'
import { REVISION_FILE } from '../store/file-kinds'
import { utf8AfterChanges } from '../store/utf8-after-changes'
import type { DocumentService } from './document-service'
import type { ProjectService } from './project-service'
import { CleanupPlanner } from './cleanup-planner'

export class TextEditService {
  /** One text change at a time per project: the head a change was checked against must still be the head when it is written. */
  #queue: Promise<unknown> = Promise.resolve()
  readonly #cleanup = new CleanupPlanner()

  constructor(
    private readonly projects: Pick<ProjectService, 'requireProject'>,
    private readonly documents: Pick<DocumentService, 'get'>,
    /** The names the user has held this session: only their layers are written forward. */
    private readonly heldNames: () => readonly string[]
  ) {}

  async history(documentId: string): Promise<TextHistory> {
    const { graph } = await this.projects.requireProject().textState(documentId)
    return { documentId, head: { ...graph.head }, revisions: structuredClone(graph.summaries), problem: structuredClone(graph.problem) }
  }

  save(request: TextEditRequest): Promise<TextSaveResult> {
    return this.#serialized(async (store) => {
      const state = await this.#editableState(store, request.documentId, request.baseRevision)
      checkChanges(state, request.changes)
      return this.#commit(store, state, request.author, request.changes, { kind: 'edit' }, describeChanges(request.changes), request.withContent ?? true)
    })
  }

  async previewCleanup(documentId: string, steps: CleanupStepId[]): Promise<CleanupPreview> {
    const store = this.projects.requireProject()
    const state = await store.textState(documentId)
    const plan = await this.#cleanup.plan(store, state, steps)
    return { documentId, baseRevision: state.graph.head.id, steps: plan.previews, lengthAfter: plan.textAfter.length }
  }

  applyCleanup(request: CleanupRequest): Promise<TextEditResult> {
    return this.#serialized(async (store) => {
      const state = await this.#editableState(store, request.documentId, request.baseRevision)
      const plan = await this.#cleanup.plan(store, state, request.steps)
      const summary = plan.previews.filter((preview) => preview.count > 0).map((preview) => preview.summary).join('; ') || 'Nothing to clean'
      return this.#commit(store, state, request.author, plan.changes, { kind: 'clean', steps: [...request.steps] }, summary)
    })
  }

  /**
   * Undoes the latest edit not undone yet with a new revision of its inverse changes. Spans it
   * deleted come back in every layer as it is mapped through the undo (mapLayerForward).
   */
  undo(documentId: string, author: string, revisionId: string): Promise<TextEditResult> {
    return this.#serialized(async (store) => {
      const state = await this.#editableState(store, documentId, null)
      // Undos stack: once the head is an undo, the revision before the one it undid is next.
      const head = cancelUndonePairs(state.graph.chain).at(-1)
      if (!head || head.id !== revisionId) {
        throw new QuireError({
          code: 'conflict',
          message: head
            ? `Only the latest edit of "${state.record.name}" can be undone, and ${revisionId} is not it (the latest is ${head.id}); undo that first`
            : `The text of "${state.record.name}" has no edit left to undo`
        })
      }
      const before = await store.texts.textAt(documentId, head.parent)
      const inverse = invertChanges(head.changes, before)
      // Mapping a layer through an undo brings back the spans the undone revision deleted (mapLayerForward).
      return this.#commit(store, state, author, inverse, { kind: 'undo', undoes: head.id }, `Undid: ${head.summary}`)
    })
  }

  /** Keeps `keep` among revisions with one parent; the others get a set-aside note (nothing deleted). */
  settleFork(documentId: string, author: string, keep: string): Promise<TextEditResult> {
    return this.#serialized(async (store) => {
      store.assertWritable()
      const state = await store.textState(documentId)
      const problem = state.graph.problem
      if (problem?.kind !== 'fork') {
        throw new QuireError({ code: 'conflict', message: `The text of "${state.record.name}" has no two edits waiting to be settled` })
      }
      if (!problem.candidates.some((candidate) => candidate.id === keep)) {
        throw new QuireError({
          code: 'invalid-argument',
          message: `${keep} is not one of the revisions to choose from (${problem.candidates.map((candidate) => candidate.id).join(', ')})`
        })
      }
      const setAsideAt = new Date().toISOString()
      const marks: RevisionSetAside[] = problem.candidates
        .filter((candidate) => candidate.id !== keep)
        .map((candidate) => ({ format: 'quire-revision-set-aside', schemaVersion: REVISION_FILE.currentVersion, revision: candidate.id, kept: keep, author, setAsideAt }))
      await store.texts.setAside(documentId, marks)
      const settled = await store.textState(documentId)
      await this.#writeOwnLayersForward(store, settled)
      return this.#answer(store, documentId, author, null, 0, true)
    })
  }

  async #commit(store: ProjectStore, state: DocumentText, author: string, changes: ChangeSetJson, origin: RevisionOrigin, summary: string): Promise<TextEditResult>
  async #commit(store: ProjectStore, state: DocumentText, author: string, changes: ChangeSetJson, origin: RevisionOrigin, summary: string, withContent: boolean): Promise<TextSaveResult>
  async #commit(
    store: ProjectStore,
    state: DocumentText,
    author: string,
    changes: ChangeSetJson,
    origin: RevisionOrigin,
    summary: string,
    withContent = true
  ): Promise<TextSaveResult> {
    const textAfter = applyChanges(state.text, changes)
    // Hashing the new text's UTF-8 built from the old bytes, not the 5 MB string encoded again.
    const utf8After = state.utf8 ? utf8AfterChanges(state.text, state.utf8, changes) : Buffer.from(textAfter, 'utf8')
    const documentId = state.record.id
    if (textAfter === state.text) return this.#answer(store, documentId, author, null, 0, withContent)
    const head = state.graph.head
    const revision: TextRevision = {
      format: 'quire-revision',
      schemaVersion: REVISION_FILE.currentVersion,
      id: newRevisionId(head.seq + 1),
      parent: head.id,
      seq: head.seq + 1,
      author,
      createdAt: new Date().toISOString(),
      shaBefore: head.sha256,
      shaAfter: sha256Hex(utf8After),
      lengthBefore: state.text.length,
      lengthAfter: textAfter.length,
      sizeBytesAfter: utf8After.length,
      changes,
      origin,
      summary
    }
    const next = await store.texts.append(state, revision, textAfter, utf8After)
    const layersMapped = (await store.layerFilePaths(documentId)).length
    await this.#writeOwnLayersForward(store, next)
    return this.#answer(store, documentId, author, summarizeRevision(revision, false), layersMapped, withContent)
  }

  /** The answer to a text change: the whole document only when asked (it costs more than the save on a long text). */
  async #answer(store: ProjectStore, documentId: string, author: string, revision: TextRevisionSummary | null, layersMapped: number, withContent: true): Promise<TextEditResult>
  async #answer(store: ProjectStore, documentId: string, author: string, revision: TextRevisionSummary | null, layersMapped: number, withContent: boolean): Promise<TextSaveResult>
  async #answer(
    store: ProjectStore,
    documentId: string,
    author: string,
    revision: TextRevisionSummary | null,
    layersMapped: number,
    withContent: boolean
  ): Promise<TextSaveResult> {
    if (withContent) {
      const content = await this.documents.get({ documentId, annotator: author })
      return { revision, content, head: { ...content.revision }, lostInEditing: content.lostInEditing, layersMapped }
    }
    const { record, graph } = await store.textState(documentId)
    let lostInEditing: LostSpan[] = []
    try {
      lostInEditing = structuredClone((await store.annotationLayer(record, author)).current.lostInEditing)
    } catch {
      // A layer that cannot be read is reported when the document is next opened; the save itself stands.
    }
    return { revision, content: null, head: { ...graph.head }, lostInEditing, layersMapped }
  }

  /**
   * The user's layers on the document (names held this session, and the gold layer when one of
   * them curates it) saved at the new head. Each goes through its own save queue; the revision
   * is already durable, so a layer not yet written forward is still read right (mapped).
   */
  async #writeOwnLayersForward(store: ProjectStore, state: DocumentText): Promise<void> {
    const { record } = state
    const existing = new Set(await store.layerFilePaths(record.id))
    const held = this.heldNames()
    const owners = held.filter((name) => existing.has(store.layerPath(record.id, name)))
    if (existing.has(store.layerPath(record.id, CURATION_ANNOTATOR)) && !owners.includes(CURATION_ANNOTATOR)) owners.push(CURATION_ANNOTATOR)
    for (const annotator of owners) {
      let layer
      try {
        layer = await store.annotationLayer(record, annotator)
      } catch {
        // A layer that cannot be placed on the text (damaged, anchored elsewhere) is never written.
        continue
      }
      if (annotator === CURATION_ANNOTATOR && !(layer.current.curators ?? []).some((name) => held.includes(name))) continue
      // After the answer: writing an 88,000-span layer takes far longer than the revision, and a
      // layer not yet written forward is read mapped all the same.
      store.background.start(`the layer ${layer.path} stays anchored to its earlier revision (it is read mapped)`, () => layer.update(() => undefined))
    }
  }

  /** The document's state when `baseRevision` (null: any) is its head and it can be edited. */
  async #editableState(store: ProjectStore, documentId: string, baseRevision: string | null): Promise<DocumentText> {
    store.assertWritable()
    const state = await store.textState(documentId)
    if (state.graph.problem) {
      const { problem } = state.graph
      throw new QuireError({ code: 'read-only', ...(problem.kind === 'damaged' ? { path: problem.path } : {}), message: `Not saved: ${problem.message}` })
    }
    if (baseRevision !== null && baseRevision !== state.graph.head.id) {
      const newer = state.graph.summaries.find((summary) => summary.id === state.graph.head.id)
      throw new QuireError({
        code: 'conflict',
        message:
          `Not saved: the text of "${state.record.name}" changed since you started editing (it is now at revision ${state.graph.head.id}` +
          `${newer ? `, by ${newer.author}` : ''}). Reload it and make your edit again.`
      })
    }
    return state
  }

  #serialized<Result>(run: (store: ProjectStore) => Promise<Result>): Promise<Result> {
    const store = this.projects.requireProject()
    const result = store.background.holdWhile(this.#queue.then(() => run(store)))
    this.#queue = result.catch(() => undefined)
    return result
  }
}

/** Refuses changes that do not fit the head's text or split a character or a CRLF. */
function checkChanges(state: DocumentText, changes: ChangeSetJson): void {
  try {
    changeSetOf(changes, state.text.length)
  } catch (error) {
    throw new QuireError({ code: 'invalid-argument', message: `Not saved: the edit does not fit the text of "${state.record.name}" (${(error as Error).message})` })
  }
  const split = describeSplitCharacter(state.text, changes)
  if (split !== null) throw new QuireError({ code: 'invalid-argument', message: `Not saved: the edit ${split}` })
}
