// The application's state above one document: app info, settings, the open project, its
// documents, imports and errors. Components call these methods; nothing here touches the DOM.
import type { QuireApi } from '../../../../shared/api'
import { EntitiesPanelState } from './entities-panel.svelte'
import { QuireError } from '../../../../shared/api'
import type { DocumentIndexProgress, GitSyncStatus, RestoredBackup } from '../../../../shared/model'
import type { AppInfo, FirstScreen, StartupState, ColourSchemeChoice, DocumentStatus, DocumentSummary, ImportFile, ImportReport, LayerRef, MenuCommand, ProjectSummary, TagDefinition, UserSettings } from '../../../../shared/model'
import { DEFAULT_TAGS, DOCUMENT_LIST_PAGE } from '../../../../shared/model'
import { withAnnotations } from '../../../../shared/content-layer'
import { DocumentSession, isLongContent } from './document-session.svelte'
import { listEveryDocument } from './document-list-pages'
import { WorkInFlight } from './work-in-flight'
import type { CommentCalls } from './session-comments.svelte'
import { BackupOffer } from './backup-offer.svelte'
import { ComparisonState } from './comparison.svelte'
import { ProjectWatch } from './project-watch.svelte'
import { readSuggestionsShown, saveSuggestionsShown } from './suggestions-preference'
import type { PrefillStrategy } from '../../../../core/review/curation'
import { CURATION_ANNOTATOR, isCurationLayer } from '../../../../shared/model'
import type { DocumentContent, TagDefinition as Tag } from '../../../../shared/model'
import { TextEditing } from './text-editing.svelte'
import { CleanupDialogState } from './cleanup-dialog.svelte'
import type { PlacedSpan } from '../editor/span-marks'
import { Notices } from './notices.svelte'
import { ImportJob } from './import-job.svelte'
import { IndexProgressState } from './index-progress.svelte'
import { plural } from '../text/quantities'
import { afterNextPaint } from '../after-paint'
import { whenSettled } from '../../../../shared/when-settled'
import { givingWay, nextTask, SLICE_TASK_MS } from '../next-task'
import { SavesInOrder } from '../saves-in-order'
import { runInSlices } from '../../../../core/stepwise'
import { blocksOfTextInSteps } from './session-handover'
import { prepareDocumentListIndex } from '../../../../core/document-list/document-list-query'
import { describeTime } from '../text/times'

export type SideTab = 'annotations' | 'layers' | 'review' | 'entities'

function labelOf(tags: readonly Tag[], tagId: string): string {
  return tags.find((tag) => tag.id === tagId)?.label ?? tagId
}

export type Screen = 'loading' | 'start' | 'name' | 'workspace'

/** What the reader draws of a document that is still coming: its first blocks, and the whole text's length. */
export interface FirstScreenPreview {
  session: DocumentSession
  textLength: number
  /** False for its first frame: the workspace around the reader is painted a frame before the text. */
  textShown: boolean
}

export class AppState {
  readonly api: QuireApi
  /** The Entities tab of the side panel. */
  readonly entities: EntitiesPanelState
  /** Calm messages in the corner: what went well, fading by itself. */
  readonly notices = new Notices()
  appInfo = $state<AppInfo | null>(null)
  settings = $state<UserSettings | null>(null)
  project = $state<ProjectSummary | null>(null)
  documents = $state.raw<DocumentSummary[]>([])
  /** How many documents the project has while `documents` is only the start's first screen of them; null once the whole list is here. */
  listingTotal = $state<number | null>(null)
  /** The project's document index being made before the list can be (a rebuild): its progress line. */
  readonly indexProgress = new IndexProgressState()
  /** The start answered before the index was made: the list and the first document come once it is (see showIndexProgress). */
  #listWaitsForIndex = false
  /** An opening reads the whole list (waiting for the index meanwhile): the list is not empty, only not here yet; it ends the index's line when it has it. */
  listReading = $state(false)
  session = $state.raw<DocumentSession | null>(null)
  /**
   * A long first document's first screen (the start's firstScreen), drawn read-only while its
   * whole content comes; null once a session is shown, or when another document is asked for.
   */
  preview = $state.raw<FirstScreenPreview | null>(null)
  /** Sessions that took the place of their document's first screen, and that screen's session (readerKey). */
  readonly #continuedPreviews = new WeakMap<DocumentSession, DocumentSession>()
  /** Documents left while some of their edits were still unsaved; they keep retrying and stay on screen as warnings. */
  unsavedElsewhere = $state.raw<DocumentSession[]>([])
  importReport = $state.raw<ImportReport | null>(null)
  /** A texts import under way: its progress and Cancel are shown once it takes a moment. */
  importJob = $state.raw<ImportJob | null>(null)
  /** Backups offered when the error is about a damaged project file. */
  readonly backupOffer: BackupOffer
  #error = $state<QuireError | null>(null)
  busy = $state<string | null>(null)
  loaded = $state(false)
  /** Set when the name dialog was asked for explicitly (e.g. from the status bar). */
  editingName = $state(false)
  /** Colleagues' layers the editor chose to show; kept when moving to another document. */
  shownLayers = $state.raw<ReadonlySet<string>>(new Set())
  /** The annotators last compared; offered again on the next document. */
  compareChoice = $state.raw<string[] | null>(null)
  /** Whether suggestions are drawn in the reader (kept from document to document, and across reloads). */
  suggestionsShown = $state(readSuggestionsShown())
  /** Which tab of the side panel is open. */
  sideTab = $state<SideTab>('annotations')
  /** Whether the project is a git repository Quire can sync (null until asked). */
  syncStatus = $state.raw<GitSyncStatus | null>(null)
  syncing = $state(false)
  /** Edit mode: the open document's text being edited; null while annotating. */
  editing = $state.raw<TextEditing | null>(null)
  /** Pause in typing before edit mode saves (tests shorten it). */
  textSavePauseMs = 1000
  /** The "Clean up text" dialog, open in edit mode. */
  cleanupDialog = $state.raw<CleanupDialogState | null>(null)
  readonly #watch: ProjectWatch = new ProjectWatch(this)

  constructor(api: QuireApi) {
    this.api = api
    this.backupOffer = new BackupOffer(api)
    this.entities = new EntitiesPanelState(api, (message) => this.notices.show(message))
  }

  /** A failure the user must see (opening a project, importing…); cleared when dismissed or on success. */
  get error(): QuireError | null {
    return this.#error
  }

  set error(error: QuireError | null) {
    this.#error = error
    void this.backupOffer.offerFor(error)
  }

  get screen(): Screen {
    if (!this.loaded) return 'loading'
    // A rename mid-session is a dialog over the workspace (App.svelte): the list's filter, its
    // scroll and the panels stay as they were, as behind any other dialog.
    if (!this.settings?.annotatorName) return 'name'
    return this.project ? 'workspace' : 'start'
  }

  /** The name the user annotates under now (their layer in every document). */
  get annotator(): string | null {
    return this.settings?.annotatorName ?? null
  }

  get tags(): readonly TagDefinition[] {
    return this.project?.manifest.tags ?? DEFAULT_TAGS
  }

  get isBrowserEdition(): boolean {
    return this.appInfo?.edition === 'browser'
  }

  async init(): Promise<void> {
    await this.#run('Starting', async () => {
      const startup = await this.api.getStartup()
      // The answer taken in one task, the window drawn from it in the next: together, with the
      // first frame's layout right after them, they were the opening's longest stretch.
      await nextTask()
      this.appInfo = startup.appInfo
      this.settings = startup.settings
      if (startup.project) await this.#enterProject(startup.project, startup)
    })
    this.loaded = true
  }

  /** Colour choices are saved one after another, so quick changes reach the settings file in the order they were made. */
  readonly #colourSchemeSaves = new SavesInOrder()

  /**
   * Shown at once (App.svelte applies the settings' choice), then kept in the settings; put back if that fails.
   * Only the answer to the latest choice is shown: an earlier save answering late must not flip the window back.
   */
  async chooseColourScheme(choice: ColourSchemeChoice): Promise<void> {
    const before = this.settings
    if (!before || before.colourScheme === choice) return
    this.settings = { ...before, colourScheme: choice }
    const save = this.#colourSchemeSaves.queue(() => this.api.setColourScheme(choice))
    try {
      const saved = await save.saved
      if (save.isLatest()) this.settings = saved
    } catch (caught) {
      if (save.isLatest() && this.settings) this.settings = { ...this.settings, colourScheme: before.colourScheme }
      this.error = QuireError.from(caught)
    }
  }

  async setAnnotatorName(name: string): Promise<boolean> {
    const trimmed = name.trim()
    if (trimmed === '') {
      this.error = new QuireError({ code: 'invalid-argument', message: 'Please enter your name: it is recorded with every annotation you make.' })
      return false
    }
    const previousName = this.annotator
    // Text edits name their author: everything typed under the old name is saved under it first.
    if (!(await this.leaveEditMode())) return false
    const ok = await this.#run('Saving your name', async () => {
      this.settings = await this.api.setAnnotatorName(trimmed)
    })
    if (ok) this.editingName = false
    if (ok && this.project) {
      const session = this.session
      const renamed = previousName !== null && previousName !== this.annotator
      if (session && isCurationLayer(session.annotator)) {
        // Curating goes on in the same gold layer; what is settled from now on names the new curator.
        if (renamed && this.annotator !== null) {
          session.setCurator(this.annotator)
          session.notice = `You now curate as ${trimmed}.`
        }
      } else if (session && session.annotator !== this.annotator) {
        // Edits already made name their layer and keep saving there; from now on the user
        // annotates in the layer of their new name (still comparing, if they were).
        const comparing = session.overlay instanceof ComparisonState && session.overlay.mode === 'compare' ? [...session.overlay.annotators] : null
        await this.#run('Opening your layer', () => this.#showDocument(session.documentId))
        if (comparing) await this.startComparing(comparing)
        if (this.session && previousName) {
          this.session.notice = `Now annotating as ${trimmed}. Earlier work stays in ${previousName}'s layer.`
        }
      }
      // A project opened before the first name was given (quire --project DIR, a first run)
      // shows its first document now, before the list is read again with the annotator's own
      // statuses and counts: at 100,000 documents that reading takes seconds.
      const first = this.documents[0]
      if (!this.session && first) await this.openDocument(first.id)
      await this.refreshDocuments()
    }
    return ok
  }

  /** Desktop: asks for a folder; browser edition: uses the typed path. */
  async createProject(typedPath?: string, name?: string): Promise<void> {
    if (this.#refuseWhileUnsaved()) return
    await this.#run('Creating the project', async () => {
      const folder = typedPath?.trim() || (await this.api.chooseProjectFolder('new'))
      if (!folder) return
      await this.#enterProject(await this.api.createProject(folder, name?.trim() || null))
    })
  }

  async openProject(typedPath?: string): Promise<void> {
    if (this.#refuseWhileUnsaved()) return
    await this.#run('Opening the project', async () => {
      const folder = typedPath?.trim() || (await this.api.chooseProjectFolder('open'))
      if (!folder) return
      await this.#enterProject(await this.api.openProject(folder))
    })
  }

  async openSampleProject(): Promise<void> {
    if (this.#refuseWhileUnsaved()) return
    await this.#run('Opening the sample project', async () => {
      await this.#enterProject(await this.api.openSampleProject())
    })
  }

  /** Shows or hides suggestions, on this document and the next. */
  setSuggestionsShown(shown: boolean): void {
    this.suggestionsShown = shown
    saveSuggestionsShown(shown)
    this.session?.suggestions?.setShown(shown)
  }

  async closeProject(): Promise<void> {
    if (!(await this.leaveEditMode())) return
    if (this.#refuseWhileUnsaved()) return
    const session = this.session
    await this.#run('Closing the project', async () => {
      this.#watch.stop()
      await this.api.closeProject()
      session?.dispose()
      this.session = null
      this.project = null
      this.documents = []
      this.settings = await this.api.getSettings()
    })
  }

  async openDocument(documentId: string): Promise<void> {
    // A first screen drawn is of the document last asked for, which is on its way.
    if ((this.session ?? this.preview?.session)?.documentId === documentId) return
    if (!(await this.leaveEditMode())) return
    const unsaved = this.unsavedElsewhere.find((candidate) => candidate.documentId === documentId)
    if (unsaved) {
      // Its unsaved edits live only in that session; reading the file again would hide them.
      this.#leave(this.session)
      this.unsavedElsewhere = this.unsavedElsewhere.filter((candidate) => candidate !== unsaved)
      this.session = unsaved
      return
    }
    // A reviewer walking documents in compare mode stays in it, comparing the same people.
    const comparing = this.session?.overlay instanceof ComparisonState && this.session.overlay.mode === 'compare' ? [...this.session.overlay.annotators] : null
    await this.#run('Opening the document', () => this.#showDocument(documentId))
    const session = this.session
    if (comparing && session?.documentId === documentId) {
      const present = comparing.filter((name) => name === session.annotator || session.layers.some((layer) => layer.annotator === name && !layer.problem))
      if (present.length >= 2) await this.startComparing(comparing)
    }
  }

  /**
   * Puts the newest backup of the damaged file the current error names back in place (main
   * keeps the damaged file aside), then opens again what failed to open.
   */
  async restoreNewestBackup(): Promise<void> {
    const path = this.error?.path
    const backup = this.backupOffer.newest
    if (path === undefined || !backup) return
    await this.#run('Restoring the backup', async () => {
      const restored = await this.api.restoreBackup(path, backup.id)
      await this.#reopenAfterRestore(path)
      this.notices.show(describeRestoredBackup(restored))
    })
  }

  async #reopenAfterRestore(path: string): Promise<void> {
    const projectFile = /[\\/]project\.json$/
    if (projectFile.test(path)) {
      const dir = path.replace(projectFile, '')
      if (this.project?.path !== dir) await this.#enterProject(await this.api.openProject(dir))
      return
    }
    this.documents = await this.#wholeList()
    const documentId = /[\\/]documents[\\/]([a-z0-9][a-z0-9-]*)[\\/]/.exec(path)?.[1]
    if (documentId !== undefined && this.session?.documentId !== documentId) await this.#showDocument(documentId)
  }

  /** Documents being opened: the list's pages wait for them (#wholeList). */
  readonly #openings = new WorkInFlight()
  /** Counts the documents asked for: only the last one asked for is shown when it comes. */
  #openingsAsked = 0

  async #showDocument(documentId: string): Promise<void> {
    const annotator = this.annotator
    if (annotator === null) return
    const asked = ++this.#openingsAsked
    // A first screen drawn while its document comes is of that document only.
    if (this.preview && this.preview.session.documentId !== documentId) this.#dropPreview()
    // A document asked for since (a click in the list while a long one came) is the one shown.
    const stillWanted = (): boolean => asked === this.#openingsAsked
    await this.#openings.during(async () => this.#showArrivedContent(await this.api.getDocument({ documentId, annotator }), stillWanted))
  }

  /** Puts a document's content on screen as a new session (the previous one keeps saving if it must). */
  #showContent(content: DocumentContent): void {
    this.#show(this.#newSession(content))
  }

  /**
   * #showContent for a document main has just sent. A long document's blocks are cut in short
   * tasks first; its session (its layer checked for order, its panel's groups) is made in one
   * task and drawn in the next: in one task, making it and drawing the window around it were
   * the opening's one long task (issue 12).
   */
  async #showArrivedContent(content: DocumentContent, stillWanted: () => boolean = () => true): Promise<void> {
    if (!stillWanted()) return
    const long = isLongContent(content)
    if (long) await runInSlices(blocksOfTextInSteps(content.text), nextTask, SLICE_TASK_MS)
    if (!stillWanted()) return
    const session = this.#newSession(content)
    if (long) await nextTask()
    if (!stillWanted()) {
      session.dispose()
      return
    }
    this.#show(session)
  }

  /**
   * What the reader is keyed on: a session of its own, but the same for a document's first screen
   * and the whole content that takes its place. The reader then keeps the blocks it drew, and only
   * those whose highlights differ are drawn again; built anew, they were the opening's longest
   * stretch after its first paint (issue 12): every element of the screen made, styled and laid
   * out once more, to show what was already there.
   */
  readerKey(session: DocumentSession): DocumentSession {
    return this.#continuedPreviews.get(session) ?? session
  }

  #show(session: DocumentSession): void {
    const previous = this.session
    const preview = this.preview?.session
    if (preview && preview.documentId === session.documentId && preview.annotator === session.annotator) this.#continuedPreviews.set(session, preview)
    this.session = session
    this.#dropPreview()
    this.#leave(previous)
    void session.suggestions?.refresh()
  }

  /**
   * Draws a long first document's first screen while its whole content comes (the workspace is
   * shown from then), and resolves once it is painted: null when another document was shown or
   * another project opened meanwhile. Its session is made in one task and drawn in the next: in
   * one, they were the opening's longest stretch before its first paint (issue 12). The workspace
   * around it is painted a frame before its text: the chrome's mount is most of the script and the
   * text most of the styling and layout, and together, with no tick between them, they were the
   * opening's longest freeze. The frame this adds costs an opening that has time to spare (a long
   * document; a short one comes whole in the start and is drawn in one frame).
   */
  async #paintPreview(screen: FirstScreen): Promise<FirstScreenPreview | null> {
    const project = this.project
    const session = new DocumentSession({
      content: screen.content,
      tags: this.tags,
      saveEdits: () => Promise.reject(new QuireError({ code: 'invalid-argument', message: 'The document is still opening.' })),
      readOnlyReason: 'the document is still opening'
    })
    await nextTask()
    // Meanwhile another document was shown, or another project opened (a menu command).
    if (this.session || this.project !== project) {
      session.dispose()
      return null
    }
    const chrome: FirstScreenPreview = { session, textLength: screen.textLength, textShown: false }
    this.preview = chrome
    this.loaded = true
    await new Promise<void>((painted) => afterNextPaint(painted))
    // Another document chosen meanwhile is the one shown.
    if (this.preview !== chrome) return null
    const drawn: FirstScreenPreview = { ...chrome, textShown: true }
    this.preview = drawn
    await new Promise<void>((painted) => afterNextPaint(painted))
    return this.preview === drawn ? drawn : null
  }

  #dropPreview(): void {
    this.preview?.session.dispose()
    this.preview = null
  }

  #newSession(content: DocumentContent): DocumentSession {
    const session: DocumentSession = new DocumentSession({
      content,
      tags: this.tags,
      saveEdits: async (layer, edits) => {
        const result = await this.api.applyAnnotationEdits(layer, edits)
        // The save brings the row as its annotator sees it: yours, unless you renamed yourself since.
        if (result.summary && layer.annotator === this.annotator) void this.#showSummaries([result.summary], [layer.documentId])
        else void this.refreshDocumentSummaries([layer.documentId])
        // What you tag is suggested elsewhere in the document (and what you accept no longer is).
        this.session?.suggestions?.refreshSoon()
        // The first save creates the layer's file: the layer list then shows it. The session on
        // screen may be another one by now (a rename reopened the document).
        // Likewise a save under an earlier name changes a layer the shown session lists as another's.
        const shown = this.session
        if (shown?.documentId === layer.documentId && (shown !== session || !shown.layers.some((summary) => summary.annotator === layer.annotator))) {
          void this.#refreshLayers(shown)
        }
        return result
      },
      loadLayer: (layer) => this.api.getLayer(layer),
      loadSuggestions: (layer) => this.api.getSuggestions(layer),
      suggestionsShown: this.suggestionsShown,
      comments: this.#commentCalls(),
      visibleLayers: this.shownLayers,
      readOnlyReason: this.#readOnlyReasonFor(content)
    })
    return session
  }

  #readOnlyReasonFor(content: DocumentContent): string | null {
    if (this.project?.readOnly) return this.project.readOnlyReason ?? 'it is open elsewhere'
    const problem = content.textProblem
    if (problem?.kind === 'damaged') return `a revision of this text is damaged or missing (${problem.path}), so the text is shown as its last good revision`
    if (problem?.kind === 'fork') return 'two edits of this text were made from the same revision; keep one of them first'
    return null
  }

  // ---- edit mode ----

  /** Why the open document's text cannot be edited now; null when it can. */
  get editBlockedReason(): string | null {
    const session = this.session
    if (!session) return 'no document is open'
    if (session.readOnlyReason) return session.readOnlyReason
    if (isCurationLayer(session.annotator)) return 'leave curation first (Back to my layer)'
    if (session.overlay) return 'stop comparing first'
    return null
  }

  /** Edit mode for the open document: its annotation edits are saved first, so the text they refer to is the one edited. */
  async enterEditMode(): Promise<void> {
    const session = this.session
    if (!session || this.editing) return
    const blocked = this.editBlockedReason
    if (blocked) {
      session.notice = `The text cannot be edited now: ${blocked}.`
      return
    }
    if (session.saveQueue.state === 'failed') {
      session.notice = 'Your last annotation changes are not saved yet; the text can be edited once they are.'
      session.saveQueue.retryNow()
      return
    }
    await session.saveQueue.whenIdle()
    if (this.session !== session) return
    session.closePopover()
    this.editing = new TextEditing({
      content: withAnnotations(session.content, session.annotations),
      author: session.annotator,
      calls: this.api,
      spansFor: (content) => this.#editorSpans(content),
      onSaved: () => void this.refreshDocumentSummaries([session.documentId]),
      pauseMs: this.textSavePauseMs
    })
  }

  /**
   * Leaves edit mode once everything typed is saved; the reader then shows the text and spans
   * as main has them. False (edit mode stays, the failure shown) when saving failed.
   */
  async leaveEditMode(): Promise<boolean> {
    const editing = this.editing
    if (!editing) return true
    if (!(await editing.flush())) return false
    if (this.editing !== editing) return true
    editing.dispose()
    this.editing = null
    this.cleanupDialog = null
    if (editing.savedAny && this.session?.documentId === editing.documentId) {
      if (editing.contentIsCurrent) this.#showContent(editing.content)
      else {
        // Saves while typing answered without the document: read it once, as main now has it.
        try {
          await this.#showDocument(editing.documentId)
        } catch (caught) {
          this.error = QuireError.from(caught)
        }
      }
    }
    return true
  }

  openCleanupDialog(): void {
    const editing = this.editing
    if (!editing || this.cleanupDialog) return
    this.cleanupDialog = new CleanupDialogState({
      documentId: editing.documentId,
      preview: (documentId, steps) => this.api.previewCleanup(documentId, steps),
      apply: (steps) => editing.applyCleanup(steps)
    })
  }

  /** Two revisions made from the same one: keeps `keep`, sets the others aside, and shows the text it leaves. */
  async settleTextFork(keep: string): Promise<void> {
    const session = this.session
    if (!session || this.annotator === null) return
    await this.#run('Keeping that version', async () => {
      const result = await this.api.settleTextFork(session.documentId, session.annotator, keep)
      if (this.session === session) this.#showContent(result.content)
      await this.refreshDocumentSummaries([session.documentId])
    })
  }

  /** The spans edit mode shows on `content`'s text: your layer's, and the colleagues' layers shown. */
  async #editorSpans(content: DocumentContent): Promise<PlacedSpan[]> {
    const tags = this.tags
    const spans: PlacedSpan[] = content.annotations.map((annotation) => ({
      span: { key: annotation.id, id: annotation.id, layer: content.annotator, own: true, tag: annotation.tag, title: labelOf(tags, annotation.tag), text: annotation.text },
      from: annotation.start,
      to: annotation.end
    }))
    const shown = [...this.shownLayers].filter((annotator) => annotator !== content.annotator && content.layers.some((layer) => layer.annotator === annotator && !layer.problem))
    const layers = await Promise.all(shown.map((annotator) => this.api.getLayer({ documentId: content.document.id, annotator }).catch(() => null)))
    layers.forEach((layer, i) => {
      const annotator = shown[i]
      if (!layer || annotator === undefined) return
      for (const annotation of layer.annotations) {
        spans.push({
          span: { key: `${annotator}\u0000${annotation.id}`, id: annotation.id, layer: annotator, own: false, tag: annotation.tag, title: `${labelOf(tags, annotation.tag)} by ${annotator}`, text: annotation.text },
          from: annotation.start,
          to: annotation.end
        })
      }
    })
    return spans
  }

  /** Compare mode: draws every position of the chosen layers; `n` / `p` walk the disagreements. */
  async startComparing(annotators: string[]): Promise<void> {
    const session = this.session
    if (!session || annotators.length < 2) return
    this.compareChoice = [...annotators]
    const comparison = new ComparisonState({ session, annotators, mode: 'compare', compare: (documentId, chosen) => this.api.compareDocument(documentId, chosen) })
    session.overlay = comparison
    session.closePopover()
    this.sideTab = 'review'
    await comparison.load()
    if (comparison.comparison && this.session === session) comparison.step('next')
  }

  /** Opens a document in compare mode at one disagreement (from the agreement screen's lists). */
  async showDisagreement(documentId: string, annotators: string[], positionId: string): Promise<void> {
    if (this.session && isCurationLayer(this.session.annotator)) await this.stopCuration()
    await this.openDocument(documentId)
    const session = this.session
    if (!session || session.documentId !== documentId) return
    await this.startComparing(annotators)
    if (session.overlay instanceof ComparisonState && session.overlay.comparison?.positions.some((position) => position.id === positionId)) {
      session.overlay.select(positionId)
    }
  }

  /**
   * Asks main to compare these layers ahead of the click on Compare (the Review tab does, once it
   * is open): main keeps the result while no layer changes, so compare mode then opens at once on
   * a long document. Nothing is shown; a failure shows when Compare is clicked.
   */
  prepareComparison(annotators: string[]): void {
    const session = this.session
    if (!session || annotators.length < 2 || session.overlay) return
    void this.api.compareDocument(session.documentId, annotators).catch(() => undefined)
  }

  stopComparing(): void {
    if (this.session && this.session.overlay instanceof ComparisonState && this.session.overlay.mode === 'compare') this.session.overlay = null
  }

  /**
   * Opens the document's gold layer for curation (pre-filled the first time by `strategy`),
   * with the chosen annotators' disagreements to settle.
   */
  async startCuration(annotators: string[], strategy: PrefillStrategy): Promise<void> {
    const curator = this.annotator
    const own = this.session
    if (!own || curator === null || annotators.length < 2) return
    this.compareChoice = [...annotators]
    await this.#run('Opening the gold layer', async () => {
      const start = await this.api.startCuration(own.documentId, { annotators, strategy, curator })
      const gold: DocumentSession = new DocumentSession({
        content: start.content,
        tags: this.tags,
        saveEdits: async (layer, edits) => {
          const result = await this.api.applyAnnotationEdits(layer, edits)
          void this.refreshDocumentSummaries([layer.documentId])
          return result
        },
        loadLayer: (layer) => this.api.getLayer(layer),
        provenanceForNewSpans: { source: 'curation', annotators: [], curator },
        readOnlyReason: this.project?.readOnly ? (this.project.readOnlyReason ?? 'it is open elsewhere') : null
      })
      const curation = new ComparisonState({ session: gold, annotators, mode: 'curate', curator, compare: (documentId, chosen) => this.api.compareDocument(documentId, chosen) })
      gold.overlay = curation
      await curation.load()
      this.session = gold
      this.#leave(own)
      this.sideTab = 'review'
      await this.refreshDocumentSummaries([own.documentId])
      const left = curation.remaining.length
      gold.notice = start.created
        ? `Gold layer started: ${start.prefilled} ${start.prefilled === 1 ? 'span' : 'spans'} pre-filled (${strategy}); ${left} ${left === 1 ? 'disagreement' : 'disagreements'} to settle.`
        : `Curation continues where it was left: ${left} ${left === 1 ? 'disagreement' : 'disagreements'} to settle.`
      if (curation.comparison) curation.step('next')
    })
  }

  /** Leaves curation (its edits keep saving) and opens your own layer of the document again. */
  async stopCuration(): Promise<void> {
    const gold = this.session
    if (!gold || !isCurationLayer(gold.annotator)) return
    await this.#run('Opening your layer', () => this.#showDocument(gold.documentId))
  }

  #commentCalls(): CommentCalls {
    return {
      save: (layer, comment) => this.api.saveReviewComment(layer, comment),
      delete: (layer, commentId) => this.api.deleteReviewComment(layer, commentId),
      setResolved: (layer, commentId, reviewer, resolved) => this.api.setCommentResolved(layer, commentId, reviewer, resolved)
    }
  }

  /** Asks main whether the project can be synced through git (no network). */
  async refreshSyncStatus(): Promise<void> {
    const annotator = this.annotator
    if (!this.project || annotator === null) {
      this.syncStatus = null
      return
    }
    try {
      this.syncStatus = await this.api.getSyncStatus(annotator)
    } catch {
      this.syncStatus = null
    }
  }

  /**
   * Commits your files, pulls colleagues' work (rebase) and pushes. Waits for unsaved edits
   * first: a sync never commits half of what is on screen.
   */
  async sync(): Promise<void> {
    const annotator = this.annotator
    if (!this.project || annotator === null || this.syncing) return
    const pending = [this.session, ...this.unsavedElsewhere].filter((candidate) => candidate !== null && candidate.saveQueue.pendingCount > 0)
    if (pending.some((candidate) => candidate?.saveQueue.state === 'failed')) {
      this.error = new QuireError({ code: 'io', message: 'Some changes could not be saved yet; sync once they are (see the warning above).' })
      return
    }
    this.syncing = true
    try {
      await Promise.all(pending.map((candidate) => candidate?.saveQueue.whenIdle()))
      const result = await this.api.syncProject(annotator)
      this.notices.show(result.message)
      this.error = null
      await this.pollProjectChanges()
    } catch (caught) {
      this.error = QuireError.from(caught)
    } finally {
      this.syncing = false
      await this.refreshSyncStatus()
    }
  }

  /** Shows or hides a colleague's layer in this document and in the next ones opened. */
  async setLayerShown(annotator: string, shown: boolean): Promise<void> {
    const next = new Set(this.shownLayers)
    if (shown) next.add(annotator)
    else next.delete(annotator)
    this.shownLayers = next
    await this.session?.colleagues.setVisible(annotator, shown)
  }

  async #refreshLayers(session: DocumentSession): Promise<void> {
    try {
      await session.setLayers(await this.api.listLayers(session.documentId))
    } catch (caught) {
      this.error = QuireError.from(caught)
    }
  }

  /**
   * The project as main now describes it (its tags changed here or in a colleague's synced
   * project.json): the toolbar, the keys and the reader's colours follow the new tag set.
   */
  showProject(project: ProjectSummary): void {
    const tagsChanged = JSON.stringify(project.manifest.tags) !== JSON.stringify(this.project?.manifest.tags)
    this.project = project
    if (tagsChanged) this.session?.setTags(project.manifest.tags)
  }

  /** Colleagues' work arriving in the folder (see ProjectWatch). */
  pollProjectChanges(): Promise<void> {
    return this.#watch.poll()
  }


  /**
   * True (with the reason shown, and the saves retried) while edits are unsaved: they are
   * saved into the open project, so it must stay open until they are.
   */
  #refuseWhileUnsaved(): boolean {
    const unsaved = [this.session, ...this.unsavedElsewhere].filter((candidate) => candidate !== null && candidate.saveQueue.pendingCount > 0)
    if (unsaved.length === 0) return false
    this.error = new QuireError({ code: 'io', message: 'Some changes are not saved yet; the project stays open until they are.' })
    for (const pending of unsaved) pending?.saveQueue.retryNow()
    return true
  }

  /** Disposes a session left behind, or keeps it retrying (and warning) while it has unsaved edits. */
  #leave(previous: DocumentSession | null): void {
    if (!previous) return
    if (previous.saveQueue.pendingCount === 0) {
      previous.dispose()
      return
    }
    this.unsavedElsewhere = [...this.unsavedElsewhere, previous]
    void previous.saveQueue.whenIdle().then(() => {
      if (!this.unsavedElsewhere.includes(previous)) return
      this.unsavedElsewhere = this.unsavedElsewhere.filter((candidate) => candidate !== previous)
      previous.dispose()
    })
  }

  /** Takes the index's progress from the change feed; once it is made, a list left waiting for it is read and its first document opened. */
  showIndexProgress(progress: DocumentIndexProgress | null): void {
    if (this.indexProgress.listing) return
    if (progress !== null || this.indexProgress.progress === null) {
      this.indexProgress.show(progress)
      return
    }
    // Made: the line says the list is coming until it is here (at 10,000 documents a second or two), then goes.
    this.indexProgress.showListing()
    if (this.listReading) return
    if (!this.#listWaitsForIndex) {
      this.indexProgress.show(null)
      return
    }
    this.#listWaitsForIndex = false
    void this.refreshDocuments()
      .finally(() => this.indexProgress.show(null))
      .then(async () => {
        const first = this.documents[0]
        if (first && !this.session && this.annotator) await this.openDocument(first.id)
      })
  }

  /** Status saves, one after another: two quick choices reach main in the order they were made, so the last one stays. */
  readonly #statusSaves = new SavesInOrder()
  /** Per layer with status saves under way: the status main holds (the one shown before the first choice, then each one saved). */
  readonly #statusesHeld = new Map<string, { status: DocumentStatus; pending: number }>()

  /**
   * Sets the status of your layer on a document (or of the layer named: the gold layer while
   * curating). Shown at once; if the latest choice cannot be saved, the select shows again what
   * main holds (an earlier quick choice that was saved, or the status before them).
   */
  async setDocumentStatus(documentId: string, status: DocumentStatus, annotator = this.annotator): Promise<void> {
    if (annotator === null) return
    const layer: LayerRef = { documentId, annotator }
    const sessionOfLayer = (): DocumentSession | null => (this.session?.documentId === documentId && this.session.annotator === annotator ? this.session : null)
    const key = `${documentId}\n${annotator}`
    const held = this.#statusesHeld.get(key) ?? { status: sessionOfLayer()?.status ?? status, pending: 0 }
    held.pending++
    this.#statusesHeld.set(key, held)
    const shown = sessionOfLayer()
    if (shown) shown.status = status
    // #run catches what fails (and says so).
    const save = this.#statusSaves.queue((isLatest) =>
      this.#run('Saving the status', async () => {
        try {
          await this.api.setDocumentStatus(layer, status)
          held.status = status
        } finally {
          // Only the latest choice sets what is shown: an earlier one answering would flip the select back.
          const session = sessionOfLayer()
          if (session && isLatest()) session.status = held.status
          if (--held.pending === 0) this.#statusesHeld.delete(key)
        }
        await this.refreshDocumentSummaries([documentId])
      })
    )
    await save.saved
  }

  /**
   * Every document, with the list's index made in short tasks before the list is shown: at
   * 100,000 documents made in one go it froze the window for a few hundred milliseconds.
   */
  async #wholeList(): Promise<DocumentSummary[]> {
    const documents = await listEveryDocument(this.api, this.annotator, DOCUMENT_LIST_PAGE, () => this.#openings.idle())
    await prepareDocumentListIndex(documents, nextTask)
    return documents
  }

  /** Readings of the whole list asked for: only the latest one's answer is taken. */
  #listsAsked = 0

  /** The whole list read again; an answer overtaken by a later reading is dropped (it may be another annotator's counts). */
  async refreshDocuments(): Promise<void> {
    const asked = ++this.#listsAsked
    try {
      const documents = await this.#wholeList()
      if (asked !== this.#listsAsked) return
      this.documents = documents
      this.listingTotal = null
    } catch (caught) {
      if (asked === this.#listsAsked) this.error = QuireError.from(caught)
    }
  }

  /**
   * Takes the summaries of the documents named afresh (after a save): only those cross from
   * main, not the whole list. A document the list does not hold yet brings the whole list.
   */
  async refreshDocumentSummaries(documentIds: readonly string[]): Promise<void> {
    try {
      await this.#showSummaries(await this.api.getDocumentSummaries(this.annotator, [...documentIds]), documentIds)
    } catch (caught) {
      this.error = QuireError.from(caught)
    }
  }

  /** Puts fresh summaries of the documents named in the list's rows; one the list does not hold (or one gone) brings the whole list. */
  async #showSummaries(fresh: readonly DocumentSummary[], documentIds: readonly string[]): Promise<void> {
    const byId = new Map(fresh.map((summary) => [summary.id, summary]))
    const known = this.documents.filter((summary) => byId.has(summary.id)).length
    if (known !== fresh.length || fresh.length !== documentIds.length) {
      await this.refreshDocuments()
      return
    }
    this.documents = this.documents.map((summary) => byId.get(summary.id) ?? summary)
  }

  /** Desktop: native file dialog. Returns false when the caller must offer a file input instead (browser edition). */
  async chooseAndImportTexts(): Promise<boolean> {
    if (this.isBrowserEdition) return false
    await this.#run('Importing texts', async () => {
      const report = await this.#followImport((jobId) => this.api.chooseAndImportTexts(jobId))
      if (report) await this.#afterImport(report)
    })
    return true
  }

  async importFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return
    await this.#run('Importing texts', async () => {
      const payload: ImportFile[] = []
      for (const file of files) payload.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
      await this.#afterImport(await this.#followImport((jobId) => this.api.importTexts(payload, jobId)))
    })
  }

  /** Runs a texts import as `importJob`, shown with its progress and Cancel while it runs. */
  async #followImport<T>(start: (jobId: string) => Promise<T>): Promise<T> {
    const job = new ImportJob(this.api)
    this.importJob = job
    try {
      return await job.run(start)
    } finally {
      if (this.importJob === job) this.importJob = null
    }
  }

  dismissError(): void {
    this.error = null
  }

  dismissImportReport(): void {
    this.importReport = null
  }

  /** Native menu commands run the same actions as the buttons. `chooseFiles` opens the browser file input. */
  async handleMenuCommand(command: MenuCommand, chooseFiles: () => void): Promise<void> {
    switch (command) {
      case 'new-project':
        return this.createProject()
      case 'open-project':
        return this.openProject()
      case 'open-sample-project':
        return this.openSampleProject()
      case 'close-project':
        return this.closeProject()
      case 'import-texts':
        if (this.project && !(await this.chooseAndImportTexts())) chooseFiles()
        return
      // In edit mode Undo and Redo are the editor's (typing), not the annotation history's.
      case 'undo':
        if (this.editing) this.editing.editorCommands?.undo()
        else this.session?.undo()
        return
      case 'redo':
        if (this.editing) this.editing.editorCommands?.redo()
        else this.session?.redo()
        return
      case 'show-layers':
        this.sideTab = 'layers'
        return
      case 'show-review':
        this.sideTab = 'review'
        return
      case 'sync':
        return this.sync()
      case 'colour-scheme-system':
        return this.chooseColourScheme('system')
      case 'colour-scheme-light':
        return this.chooseColourScheme('light')
      case 'colour-scheme-dark':
        return this.chooseColourScheme('dark')
    }
  }

  /** A clean import is said in a notice; refused files or duplicates keep the report open to read. */
  async #afterImport(report: ImportReport): Promise<void> {
    if (report.refused.length > 0 || report.duplicates.length > 0 || report.cancelled) this.importReport = report
    else this.notices.show(describeImportedTexts(report))
    await this.refreshDocuments()
    const first = report.imported[0]
    if (!this.session && first) await this.openDocument(first.documentId)
  }

  /** `startup`: the list and first document main sent with the app's start (getStartup), read instead of asked for. */
  async #enterProject(project: ProjectSummary, startup?: StartupState): Promise<void> {
    this.session?.dispose()
    this.session = null
    this.project = project
    // The change count is taken before the list is read, so nothing landing in between is missed.
    const changes = startup ? null : await this.api.getProjectChanges(0)
    const changesSeq = startup ? startup.changesSeq : changes!.seq
    this.#listWaitsForIndex = startup?.indexProgress !== undefined
    this.indexProgress.show(startup?.indexProgress ?? changes?.indexProgress ?? null)
    // Watched before the list is read: the change feed carries the index's progress while a rebuild holds the list back.
    this.#watch.start(changesSeq)
    if (this.#listWaitsForIndex) {
      this.documents = []
      this.listingTotal = null
      return
    }
    if (startup) this.documents = startup.documents
    else {
      this.listReading = true
      try {
        this.documents = await this.#wholeList()
      } finally {
        this.listReading = false
        this.indexProgress.show(null)
      }
    }
    // The start brings only the list's first screen; the rest is asked for once the first document is painted.
    const listCut = startup !== undefined && startup.documentCount > startup.documents.length
    this.listingTotal = listCut ? startup.documentCount : null
    const first = this.documents[0]
    try {
      // Called inside #run: a document that fails to open must fail it, or the run's success
      // would clear the error (a damaged annotation file) before the editor saw it.
      const annotator = this.settings?.annotatorName
      const sent = startup?.firstDocument
      const firstScreen = startup?.firstScreen
      if (first && annotator && sent?.document.id === first.id && sent.annotator === annotator) await this.#showArrivedContent(sent)
      else if (first && annotator) {
        // Its first screen painted first, then the whole asked for: its megabytes arriving while
        // the window drew made the opening's longest freeze (the request worker, main and the
        // window share two cores on the bench machine).
        if (firstScreen?.content.document.id === first.id && firstScreen.content.annotator === annotator) {
          // Not painted: another document or project is the one shown.
          if (!(await this.#paintPreview(firstScreen))) return
          // The first screen is there: the rest leaves the cores to the browser between its tasks.
          await givingWay(() => this.#showDocument(first.id))
        } else await this.#showDocument(first.id)
      }
    } finally {
      // Its document failed to open, or another was asked for and shown.
      this.#dropPreview()
      // After the first document is painted: the whole list (100,000 documents are megabytes to
      // send and unpack) would compete with reading and drawing it; asking git (processes in main)
      // waits until the opening has settled (its span index, its panels).
      afterNextPaint(() => {
        if (listCut) void this.refreshDocuments()
        whenSettled(() => void this.refreshSyncStatus())
      })
    }
  }

  async #run(what: string, action: () => Promise<void>): Promise<boolean> {
    this.busy = what
    try {
      await action()
      this.error = null
      return true
    } catch (caught) {
      this.error = QuireError.from(caught)
      return false
    } finally {
      this.busy = null
    }
  }
}

/** "Imported 1 file: field-notes.txt", "Imported 3 files". */
export function describeImportedTexts(report: ImportReport): string {
  if (report.imported.length === 0) return 'No file was imported.'
  const only = report.imported.length === 1 ? report.imported[0] : undefined
  return only ? `Imported 1 file: ${only.fileName}` : `Imported ${plural(report.imported.length, 'file')}`
}

/** "Restored the backup saved today at 16:51: …/project.json is back in place. The file it replaced was kept as …". */
export function describeRestoredBackup(restored: RestoredBackup): string {
  const keptAside = restored.keptAsidePath ? ` The file it replaced was kept as ${restored.keptAsidePath}.` : ''
  return `Restored the backup saved ${describeTime(restored.savedAt)}: ${restored.path} is back in place.${keptAside}`
}
