// Colleagues' work arriving in the project folder: main watches the folder and numbers what
// changed; the window asks every second what changed since it last asked, then reloads the
// changed documents' summaries and the open document's layers and comments. A changed project.json (a
// colleague's tag set) is read again and the reader redrawn with its tags. Your own layer is
// reread only when nothing of yours is waiting to be saved, so an unsaved edit is never
// overwritten.
import type { QuireApi } from '../../../../shared/api'
import { DOCUMENT_LIST_PAGE, type Annotation, type DocumentIndexProgress, type ProjectSummary } from '../../../../shared/model'
import { ComparisonState } from './comparison.svelte'
import type { DocumentSession } from './document-session.svelte'

/** How often the window asks main what colleagues changed in the project folder. */
export const PROJECT_CHANGES_POLL_MS = 1000

/** What the watch needs of the app: its API, the open project and document, the document list. */
export interface WatchedApp {
  readonly api: QuireApi
  readonly project: ProjectSummary | null
  /** Takes the project summary read again (a colleague's project.json: new tags). */
  showProject(project: ProjectSummary): void
  readonly session: DocumentSession | null
  refreshDocuments(): Promise<void>
  /** Takes only these documents' summaries afresh (the whole list when one of them is new or gone). */
  refreshDocumentSummaries(documentIds: readonly string[]): Promise<void>
  /** Takes how far the document index is while the list waits for it (null: it waits for none). */
  showIndexProgress(progress: DocumentIndexProgress | null): void
  /** The side panel's tab, and the Entities tab's state (refreshed only while it is shown). */
  readonly sideTab: string
  readonly entities: { refresh(): Promise<void> }
}

export class ProjectWatch {
  #seq = 0
  #timer: ReturnType<typeof setTimeout> | null = null
  #polling = false
  readonly #app: WatchedApp

  constructor(app: WatchedApp) {
    this.#app = app
  }

  /**
   * Starts asking (a project was opened). `fromSeq`: the change count taken before the window
   * read the project's list and document, so what changed since then is reloaded; without it,
   * the first answer only sets where to count from.
   */
  start(fromSeq = 0): void {
    this.stop()
    this.#seq = fromSeq
    const tick = (): void => {
      this.#timer = setTimeout(() => {
        void this.poll().finally(() => {
          if (this.#timer !== null) tick()
        })
      }, PROJECT_CHANGES_POLL_MS)
    }
    // Given where to count from (the start's count, or the one just asked for), the first ask
    // waits its second like the others: asked at once, it was one more round trip to main in
    // every opening, before the first screen was painted (issue 12), and it could only find what
    // changed in the few milliseconds since that count was taken.
    if (fromSeq === 0) void this.poll()
    tick()
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }

  async poll(): Promise<void> {
    const app = this.#app
    if (!app.project || this.#polling) return
    this.#polling = true
    try {
      const changes = await app.api.getProjectChanges(this.#seq)
      const first = this.#seq === 0
      this.#seq = changes.seq
      app.showIndexProgress(changes.indexProgress ?? null)
      if (first) return
      if (changes.projectFileChanged || changes.listChanged) {
        const project = await app.api.getCurrentProject()
        if (project) app.showProject(project)
      }
      // Documents changed: only their summaries cross (the whole list of 100,000 is megabytes). A
      // changed tag set, changes too old to say which documents, or a pull changing most of them
      // take the whole list.
      const wholeList = changes.projectFileChanged || changes.documentIds.length === 0 || changes.documentIds.length > DOCUMENT_LIST_PAGE
      if (changes.listChanged && wholeList) await app.refreshDocuments()
      else if (changes.listChanged || changes.documentIds.length > 0) await app.refreshDocumentSummaries(changes.documentIds)
      const session = app.session
      // Any layer of any document may change the project's lexicon, so the suggestions here.
      if (changes.listChanged || changes.documentIds.length > 0) session?.suggestions?.refreshSoon()
      if (session && (changes.listChanged || changes.documentIds.includes(session.documentId))) await this.#reloadChangedDocument(session)
      // A colleague's merge (entities.json) or their layers change what the Entities tab lists.
      if (app.sideTab === 'entities' && (changes.entitiesChanged || changes.listChanged || changes.documentIds.length > 0)) await app.entities.refresh()
    } catch {
      // A project closed meanwhile, or the server restarting: the next poll tries again.
    } finally {
      this.#polling = false
    }
  }

  async #reloadChangedDocument(session: DocumentSession): Promise<void> {
    const { api } = this.#app
    const layers = await api.listLayers(session.documentId)
    if (this.#app.session !== session) return
    await session.setLayers(layers)
    session.comments.set(await api.getComments(session.layer))
    // A compared layer changed: compare again (the current disagreement is kept when it still is one).
    if (session.overlay instanceof ComparisonState) await session.overlay.load()
    const own = layers.find((layer) => layer.annotator === session.annotator)
    if (!own || own.problem) return
    // Not awaited: a slow or failing save must not hold up the next polls (colleagues' files keep arriving).
    void this.#reloadOwnLayer(session)
  }

  /**
   * Takes your own layer from disk once nothing of yours is waiting to be saved, and only if no
   * save landed while it was read (that read would be older than the screen).
   */
  async #reloadOwnLayer(session: DocumentSession): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await session.saveQueue.whenIdle()
      if (this.#app.session !== session) return
      const savedBefore = session.saveQueue.savedCount
      const saved = await this.#app.api.getLayer(session.layer)
      if (this.#app.session !== session) return
      if (session.saveQueue.pendingCount > 0 || session.saveQueue.savedCount !== savedBefore) continue
      if (sameAsSession(saved.annotations, session) && saved.status === session.status) return
      session.replaceOwnAnnotations(saved.annotations, saved.status)
      session.notice = 'Your annotations on this document changed on disk (synced from another computer); Quire shows them as they are there now.'
      return
    }
  }
}

/** The layer read from disk has the session's spans (by id: offsets, tag and note); asked span by span, so a long layer in columns is not made objects whole. */
function sameAsSession(saved: readonly Annotation[], session: DocumentSession): boolean {
  if (saved.length !== session.annotationCount) return false
  return saved.every((annotation) => {
    const other = session.get(annotation.id)
    return other !== undefined && other.start === annotation.start && other.end === annotation.end && other.tag === annotation.tag && other.note === annotation.note
  })
}
