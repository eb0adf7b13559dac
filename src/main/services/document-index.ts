// The project's document index kept current: what the document list, the change feed and the
// statistics read instead of every document. Each entry is made from one document's files (its
// record, the last text revision's size, every layer's summary); it is made again when the
// document changes here (the store tells which), when a loaded layer saved since, or when the
// document's files changed behind Quire's back (a sync tool, another program):
// - while the project is open, the change tracker sees the files and the store is told;
// - between sessions, opening compares the documents folder's names with the index (new and
//   gone documents are found at once) and then, a slice at a time after the first answer, each
//   document's stamps (see document-stamp.ts): first its folders' (two or three stat calls,
//   which find whatever Quire or a sync tool changed), then its files' (names, sizes and
//   modification times of every file, which also find a file another program rewrote in place).
//   `quire stats` answers once the folders are checked (foldersChecked); the app keeps going.
//   In a large project worker threads stat the folders (store/folder-survey.ts): while this
//   thread parses the index when the check is waited for (`quire stats`), once it is read otherwise.
// The app starts reading the index as the project opens (prepare), while its window boots.
// An index that is missing, damaged or from a newer Quire is rebuilt from the documents.
import { statSync } from 'node:fs'
import { basename, join, sep } from 'node:path'
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises'
import { QuireError } from '../../shared/api'
import { STARTUP_DOCUMENTS, type DocumentIndexProgress } from '../../shared/model'
import type { DocumentIndexEntry, IndexedLayer } from '../../core/document-index/entry'
import type { DocumentStatus, LayerSummary } from '../../shared/model'
import type { NewDocument } from '../store/document-batch'
import { DocumentIndexFile, type DocumentIndexHead, type DocumentIndexRefusal } from '../store/document-index-file'
import { sharedCounts, sharedLayers, sharedName, sharedTime } from '../store/index-entry-values'
import { documentStamp, documentStamps, foldersUnchanged, settledFolderStamp, surveyedAsRecorded, type DocumentStamps } from '../store/document-stamp'
import { ANNOTATIONS_FOLDER, DOCUMENT_FILE_NAME, DOCUMENTS_FOLDER, documentIdOfPath, LOCAL_STATE_FOLDER, TEXT_FILE_NAME, type ProjectStore } from '../store/project-store'
import { surveyDocumentFolders, surveyFilesStamps, type FolderSurvey } from '../store/folder-survey'
import { REVISIONS_FOLDER } from '../store/revision-files'
import { betweenCalls, eachInSlices } from './calls-in-progress'
import { compareLayers, LayerService, summarizeLayer } from './layer-service'
import type { ProjectService } from './project-service'

/** What is being done (building entries from documents' files, or checking entries against the disk) and how far. */
export type IndexProgress = DocumentIndexProgress

/** Documents summarised at once while rebuilding (their files are read in parallel). */
const REBUILD_PARALLEL = 16
/** How long one slice of the stamp check may hold the event loop (slices wait while a call is answered: calls-in-progress.ts). */
const CHECK_SLICE_MS = 12
/**
 * From this many documents the folders are stat'ed by a worker thread while the index is parsed;
 * below, starting a worker (tens of milliseconds) costs more than the stat calls it saves.
 */
const FOLDER_SURVEY_FROM = 2000
/** The journal is folded into the index file once it has this many lines per 100 entries (and at least 2,000). */
const JOURNAL_SHARE = 10

const STAMP_FILES = { document: DOCUMENT_FILE_NAME, text: TEXT_FILE_NAME, annotations: ANNOTATIONS_FOLDER, revisions: REVISIONS_FOLDER }
const byName = new Intl.Collator().compare

/** One store's index in memory. */
class StoreIndex {
  entries = new Map<string, DocumentIndexEntry>()
  /** Documents to summarise again before the next answer. */
  readonly dirty = new Set<string>()
  /** The entries sorted by name, until the names change. */
  sorted: DocumentIndexEntry[] | null = null
  /**
   * Entries of imported documents that are in the journal only, not in `entries` (an index that
   * does not keep imported entries); taken back into `entries` before anything reads them.
   */
  journalOnly = false
  /** Each loaded layer's save count when its document was last summarised. */
  readonly loadedRevisions = new Map<string, number>()
  journalLines = 0
  /** How the index was found on opening (for tests and the log). */
  refused: DocumentIndexRefusal | null = null
  /** Every entry is as trustworthy as after a clean close: the file said so, or the files were all checked. */
  clean = false
  /** The file on disk says the index was closed cleanly (or this session wrote it so). */
  cleanOnDisk = false
  /** Entries given a folders' stamp by the check (an index written before Quire kept them). */
  foldersStamped = 0
  ready: Promise<void> = Promise.resolve()
  foldersChecked: Promise<void> = Promise.resolve()
  /** Starts the files' check (once) and resolves when it is done. */
  checked: () => Promise<void> = () => Promise.resolve()
  /**
   * Someone waits for the check (an opening after a crash, `quire stats`): its slices no longer
   * give way to the calls being answered, one of which may be the one waiting.
   */
  awaited = false
  /** Lets the check after opening start now, whatever it was waiting for (someone waits for it). */
  checkWanted: () => void = () => undefined
  /** Serialises refreshes: two answers never summarise the same document at once. */
  refreshing: Promise<void> = Promise.resolve()
  readonly file: DocumentIndexFile
  stopped = false
  /** Worker surveys under way: a project closed (or left) stops them, not left to stat 100,000 folders for nobody. */
  readonly surveys = new Set<FolderSurvey>()
  /** The opening is under way: nothing can be answered until it ends (but the list's first screen: head). */
  opening = false
  /** The head kept beside the file when it can be trusted (DocumentIndexFile.readHead), read as the opening starts. */
  head: Promise<DocumentIndexHead | null> = Promise.resolve(null)
  /** Resolves once something needs the entries: an opening with a head to start on waits for it (see `readAfter`). */
  readonly readWanted: Promise<void>
  wantRead: () => void = () => undefined
  /** How far the opening's rebuild (or its check after a crash) is; null when it has none under way. */
  openingProgress: IndexProgress | null = null
  /** Resolves at the opening's first progress: it has documents to read before it can answer. */
  readonly openingBusy: Promise<void>
  markOpeningBusy: () => void = () => undefined

  /** Keeps `survey` to be stopped with the index, until it has answered. */
  surveying<Survey extends FolderSurvey | null>(survey: Survey): Survey {
    if (survey === null) return survey
    if (this.stopped) {
      survey.cancel()
      return survey
    }
    this.surveys.add(survey)
    void survey.parts.then(() => this.surveys.delete(survey))
    return survey
  }

  /** Stops what the index does in the background (its checks end at their next slice, its surveys at once). */
  stop(): void {
    this.stopped = true
    for (const survey of this.surveys) survey.cancel()
    this.surveys.clear()
  }

  constructor(readonly store: ProjectStore) {
    this.file = new DocumentIndexFile(join(store.dir, LOCAL_STATE_FOLDER))
    this.openingBusy = new Promise((resolve) => (this.markOpeningBusy = resolve))
    this.readWanted = new Promise((resolve) => (this.wantRead = resolve))
  }
}

export class DocumentIndex {
  #current: StoreIndex | null = null
  readonly #refreshedListeners = new Set<(documentIds: string[]) => void>()
  readonly #progressListeners = new Set<(progress: IndexProgress) => void>()
  readonly #listVersions = new WeakMap<readonly DocumentIndexEntry[], number>()
  #lastListVersion = 0

  constructor(
    private readonly projects: Pick<ProjectService, 'requireProject'>,
    private readonly layers: Pick<LayerService, 'summarize'>,
    /**
     * The session only reads documents (`quire stats`): it leaves no mark of having opened the
     * project and writes the index only as it finds changes, so the next opening trusts the
     * index as far as it did.
     */
    private readonly options: {
      readsOnly?: boolean
      /** Projects with this many document folders or more have them stat'ed by a worker thread (folder-survey.ts). */
      folderSurveyFrom?: number
      /**
       * The check after a clean opening (and its folder survey) starts once this resolves, or
       * when someone waits for the check: the app's waits for the window's first answer.
       */
      checkAfter?: () => Promise<void>
      /**
       * False for a bulk import on the command line: the entries of the documents it adds go to
       * the journal only, and are read back from it when something asks for them (at the latest
       * as the project closes). An import of 100,000 documents then does not hold 100,000 entries
       * (~650 bytes each) while it makes its garbage, which V8 lets the heap grow to a multiple of
       * what is held: the import's peak memory grew with the project (×2.3 from 10,000 to 100,000
       * documents). The journal is not folded into the file meanwhile.
       */
      keepsImportedEntries?: boolean
      /**
       * Given, the opening reads the head kept beside the index file (headOfList), and when it
       * can be trusted reads the file itself only once this resolves or something needs the
       * entries: the app's waits for the window to take its start. At 100,000 documents the
       * reading held the thread for a second, and the window's scripts and start waited behind it.
       */
      readAfter?: () => Promise<void>
    } = {}
  ) {}

  /** Told the ids of documents found changed on disk by the check after opening (the window then asks for them). */
  onRefreshed(listener: (documentIds: string[]) => void): () => void {
    this.#refreshedListeners.add(listener)
    return () => this.#refreshedListeners.delete(listener)
  }

  /** Told how a rebuild or the check after opening goes. */
  onProgress(listener: (progress: IndexProgress) => void): () => void {
    this.#progressListeners.add(listener)
    return () => this.#progressListeners.delete(listener)
  }

  /**
   * Null once the index can answer; or, when the opening is still rebuilding it (or checking it
   * after a crash) after `patienceMs`, how far it is: a rebuild of 100,000 documents takes a
   * minute, which the window spends showing its progress rather than waiting blind.
   */
  async readyWithin(patienceMs: number): Promise<IndexProgress | null> {
    const ready = this.#ready().then(() => null)
    const index = this.#current
    if (index === null) return ready
    const busy = delay(patienceMs)
      .then(() => index.openingBusy)
      .then(() => index.openingProgress)
    return Promise.race([ready, busy])
  }

  /** How far the opening's rebuild (or check after a crash) is while the list waits for it; null when it waits for none. */
  openingProgress(): IndexProgress | null {
    return this.#current?.openingProgress ?? null
  }

  /** Every document, sorted by name (then id), current as far as this process knows. */
  async entries(): Promise<DocumentIndexEntry[]> {
    const index = await this.#ready()
    await this.#takeBackFromJournal(index)
    await this.#refresh(index)
    index.sorted ??= sortedByName([...index.entries.values()])
    return index.sorted
  }

  /**
   * The list's first `count` entries and how many there are, while the index is still being read
   * after a clean close: from the head kept beside the index file, so the window's start does not
   * wait for the whole file (a second at 100,000 documents). Null when there is no head to trust,
   * or the index is read (entries() answers).
   */
  async headOfList(count: number): Promise<{ entries: DocumentIndexEntry[]; total: number } | null> {
    // Starts the opening if nothing has yet; its failure is left to the calls that wait for it.
    this.#ready(false).catch(() => undefined)
    const index = this.#current
    if (index === null || !index.opening) return null
    const head = await index.head
    if (head === null || (head.entries.length < count && head.entries.length < head.count)) return null
    return { entries: head.entries.slice(0, count), total: head.count }
  }

  /**
   * Starts reading the open project's index now, so that the window's first call finds it read:
   * at 100,000 documents reading it takes longer than the window takes to boot. A failure is left
   * to that call, which tries again and reports it.
   */
  prepare(): void {
    this.#ready(false).catch(() => undefined)
  }

  /** Resolves once the open project's index has been read, or has failed to be (it does not ask for the reading: see `readAfter`). */
  async whenRead(): Promise<void> {
    await this.#ready(false).catch(() => undefined)
  }

  /**
   * A number for the list entries() answered: the same while no document is added, removed or
   * renamed (the list is then the same array, its entries replaced in place), so pages of the
   * list read with the same number make one list.
   */
  listVersion(entries: readonly DocumentIndexEntry[]): number {
    let version = this.#listVersions.get(entries)
    if (version === undefined) {
      version = ++this.#lastListVersion
      this.#listVersions.set(entries, version)
    }
    return version
  }

  /** The entries of the documents named that exist, in the order named. */
  async entriesFor(documentIds: readonly string[]): Promise<DocumentIndexEntry[]> {
    const index = await this.#ready()
    await this.#takeBackFromJournal(index)
    await this.#refresh(index)
    return documentIds.flatMap((id) => {
      const entry = index.entries.get(id)
      return entry ? [entry] : []
    })
  }

  /**
   * entriesFor, or null while the index is still being opened (read, rebuilt) or is held in its
   * journal only: a save's answer carries its document's summary, and must not wait for those.
   */
  async entriesForIfOpen(documentIds: readonly string[]): Promise<DocumentIndexEntry[] | null> {
    const index = this.#current
    if (!index || index.store !== this.projects.requireProject() || index.opening || index.journalOnly) return null
    return this.entriesFor(documentIds)
  }

  /** Resolves once the check after opening has compared every document with the disk. */
  async checked(): Promise<void> {
    const index = await this.#ready()
    index.awaited = true
    index.checkWanted()
    await index.checked()
  }

  /**
   * Resolves once every document's folders have been compared with the disk, and the files of
   * those whose folders changed: all a sync tool or Quire can have changed is then known.
   */
  async foldersChecked(): Promise<void> {
    const index = await this.#ready()
    index.awaited = true
    index.checkWanted()
    await index.foldersChecked
  }

  /** How the index file was found when the project was opened: null when it was taken. */
  async refusal(): Promise<DocumentIndexRefusal | null> {
    return (await this.#ready()).refused
  }

  /** Writes the whole index now (after an import, and before a project is closed). */
  async save(): Promise<void> {
    const index = await this.#ready()
    await this.#takeBackFromJournal(index)
    await this.#refresh(index)
    if (!index.store.readOnly) await this.#writeAll(index)
  }

  /** `wanted`: the caller needs the entries (an opening waiting to read them reads them now). */
  async #ready(wanted = true): Promise<StoreIndex> {
    const store = this.projects.requireProject()
    if (this.#current?.store !== store) {
      this.#current?.stop()
      const index = new StoreIndex(store)
      this.#current = index
      store.onDocumentChanged((documentId) => {
        index.dirty.add(documentId)
      })
      store.onDocumentsAdded((documents) => this.#added(index, documents))
      store.beforeClose(() => this.#close(index))
      index.ready = this.#opening(index)
      // A failed opening is tried again by the next call.
      index.ready.catch(() => {
        if (this.#current === index) this.#current = null
      })
    }
    const index = this.#current
    if (wanted) index.wantRead()
    await index.ready
    return index
  }

  async #opening(index: StoreIndex): Promise<void> {
    index.opening = true
    try {
      await this.#open(index)
    } finally {
      index.opening = false
      index.openingProgress = null
    }
  }

  async #open(index: StoreIndex): Promise<void> {
    // A large project's folders are stat'ed by a worker. A session that waits for the check
    // (`quire stats`) has them stat'ed while this thread parses the index; in the app the window
    // waits for the list instead, and the survey waits until the index is read and no call is
    // being answered (on two cores it took the core the window needed to boot), while the
    // folder names are listed (on the thread pool) once the file is read, unless the documents
    // folder still has the stamp the file says its entries matched (see DocumentIndexRead): at
    // 100,000 documents listing and comparing the names cost the first answer ~0.1-0.2 s.
    const foldersBefore = documentsFolderStamp(index.store)
    const { readAfter } = this.options
    // A head the collator of this machine would order otherwise is not the list's head here.
    if (readAfter) index.head = index.file.readHead(foldersBefore).then((head) => (head !== null && isSortedByName(head.entries) ? head : null))
    let listing: Promise<string[]> | null = null
    const listed = (): Promise<string[]> => (listing ??= index.store.documentFolderNames())
    // `background`: nobody waits for the check yet (see surveyDocumentFolders).
    const survey = (names: readonly string[], background: boolean): FolderSurvey | null =>
      index.surveying(names.length >= (this.options.folderSurveyFrom ?? FOLDER_SURVEY_FROM) ? surveyDocumentFolders(join(index.store.dir, DOCUMENTS_FOLDER), names, [ANNOTATIONS_FOLDER], background) : null)
    // Listed and read at once (both wait on the disk, off this thread); the survey starts as soon
    // as the names are in, between the read's slices: one after the other, this thread sat idle
    // through both (~0.17 s of `quire stats` at 100,000 documents).
    const surveyAlongside = this.options.readsOnly === true ? listed().then((names) => survey(names, false)) : null
    // A listing that fails fails the opening below, where the names are awaited; not unhandled meanwhile.
    surveyAlongside?.catch(() => undefined)
    if (readAfter && (await index.head) !== null) await Promise.race([readAfter(), index.readWanted])
    const read = await index.file.read()
    const unchangedFolders = !('refused' in read) && listing === null && foldersBefore !== undefined && read.documentsFolder === foldersBefore
    const names = unchangedFolders ? [...read.entries.keys()] : await listed()
    if ('refused' in read) {
      void surveyAlongside?.then((started) => started?.cancel())
      index.refused = read.refused
      if (read.refused !== 'missing') console.warn(`Quire: rebuilding the document index: ${read.detail}`)
      await this.#summarizeAll(index, names, 'rebuild')
      index.clean = true
      if (!index.store.readOnly) await this.#writeAll(index)
      return
    }
    index.clean = read.closedCleanly
    index.cleanOnDisk = read.closedCleanly
    index.entries = read.entries
    index.journalLines = read.journalLines
    // Documents added or removed behind Quire's back are found from the folder's names alone.
    const { removed, added } = unchangedFolders ? { removed: [], added: [] } : foldersAgainstEntries(names, index.entries)
    for (const id of removed) index.entries.delete(id)
    await this.#summarizeAll(index, added, 'rebuild')
    if (removed.length > 0 || added.length > 0) {
      index.sorted = null
      await this.#append(index, [...removed.map((id) => ({ removed: id })), ...added.flatMap((id) => entryOrRemoval(index, id))])
    }
    if (!index.store.readOnly && !this.options.readsOnly) await index.file.append([{ opened: new Date().toISOString() }]).catch(() => undefined)
    // Documents changed in place. After a clean close only another program can have changed
    // them: checked after the window's first answer (checkAfter), a slice at a time. After a crash (or while another
    // Quire has the project open) this process's own last saves may be missing: checked first.
    // A session that only reads checks the files only when asked: it answers once, from the
    // folders' check, and a sync tool's or Quire's changes move folders.
    index.awaited = !read.closedCleanly
    const wanted = new Promise<void>((resolve) => (index.checkWanted = resolve))
    if (index.awaited) index.checkWanted()
    const mayStart = Promise.race([wanted, this.options.checkAfter?.() ?? Promise.resolve()])
    const surveyed = surveyAlongside ?? mayStart.then(() => (index.awaited ? nextTurn() : betweenCalls())).then(() => (index.stopped ? null : survey(names, !index.awaited)))
    const folderCheck = mayStart.then(() => this.#checkFolders(index, surveyed))
    index.foldersChecked = folderCheck.then(() => undefined)
    let fileCheck: Promise<void> | null = null
    index.checked = () => (fileCheck ??= folderCheck.then((unchanged) => this.#checkFiles(index, unchanged)))
    if (!this.options.readsOnly || !read.closedCleanly) void index.checked()
    if (!read.closedCleanly) await index.checked()
  }

  /** New documents taken as written (an import's batch): nothing is read back. */
  #added(index: StoreIndex, documents: readonly NewDocument[]): void {
    const { store } = index
    const entries = documents.map(({ record, layers }): DocumentIndexEntry => {
      const summaries = layers.map((layer) => summarizeLayer(layer, store.layerPath(record.id, layer.annotator))).sort(compareLayers)
      const stamps = documentStamps(store.documentFolder(record.id), STAMP_FILES)
      const indexed = sharedLayers(summaries.map((layer) => indexedLayer(layer)))
      // Spelled out, not spread: an entry with every field in its literal keeps them in the
      // object itself, where added ones go to a property array of their own (40 bytes each,
      // 100,000 entries held through an import).
      return stamps.folders === undefined
        ? { id: record.id, name: record.name, sizeBytes: record.sizeBytes, length: record.length, layers: indexed, sha256: record.sha256, stamp: stamps.files }
        : { id: record.id, name: record.name, sizeBytes: record.sizeBytes, length: record.length, layers: indexed, sha256: record.sha256, stamp: stamps.files, folders: stamps.folders }
    })
    const keeps = this.options.keepsImportedEntries !== false || index.store.readOnly
    for (const entry of entries) {
      if (keeps) index.entries.set(entry.id, entry)
      else index.entries.delete(entry.id)
      index.dirty.delete(entry.id)
    }
    if (!keeps) index.journalOnly = true
    index.sorted = null
    index.refreshing = index.refreshing.then(() => this.#append(index, entries))
  }

  /** Writes the whole index as the project closes (its layers' journals just folded into their files). */
  async #close(index: StoreIndex): Promise<void> {
    index.stop()
    index.wantRead()
    // Taken before anything is listed or summarised: a folder that comes or goes after it moves it.
    const foldersBefore = documentsFolderStamp(index.store)
    try {
      await index.ready
    } catch {
      return
    }
    await index.refreshing
    await this.#takeBackFromJournal(index)
    if (this.options.readsOnly) {
      // Nothing to write after a clean close (what it found changed is in the journal), unless
      // many entries had no folders' stamp; after a crash its full check leaves the index clean,
      // which the next opening is told.
      const worthWriting = !index.cleanOnDisk || index.foldersStamped > index.entries.size / 100
      if (!index.store.readOnly && index.clean && worthWriting) await this.#writeAll(index)
      return
    }
    for (const path of index.store.loadedLayerPaths()) {
      const documentId = documentIdOfPath(index.store.dir, path)
      if (documentId !== null) index.dirty.add(documentId)
    }
    await this.#refresh(index)
    if (index.store.readOnly) return
    settleFolderStamps(index)
    await index.file.write(index.entries.values(), true, foldersBefore === undefined ? undefined : await entriesMatchFolders(index, foldersBefore), headOf(index))
  }

  /**
   * Puts the entries that are in the journal only back in memory (see `keepsImportedEntries`):
   * the index as the file and its journal hold it, under the entries this process has (which
   * are newer; each of their changes went to the journal too). Should the file not read back,
   * the documents it would have had are summarised from their files.
   */
  async #takeBackFromJournal(index: StoreIndex): Promise<void> {
    if (!index.journalOnly) return
    // Only once what is being appended has landed.
    await index.refreshing
    if (!index.journalOnly) return
    index.journalOnly = false
    index.sorted = null
    const read = await index.file.read()
    if ('refused' in read) {
      console.warn(`Quire: summarising the imported documents again: ${read.detail}`)
      const names = await index.store.documentFolderNames()
      await this.#summarizeAll(index, names.filter((id) => !index.entries.has(id)), 'rebuild')
      return
    }
    // Into the Map read made (the entries here replace theirs in place): a second Map of every entry is not made.
    for (const [id, entry] of index.entries) read.entries.set(id, entry)
    index.entries = read.entries
  }

  /** Summarises `ids` from their files (a rebuild, or documents found new), in parallel. */
  async #summarizeAll(index: StoreIndex, ids: readonly string[], stage: IndexProgress['stage']): Promise<void> {
    let next = 0
    let done = 0
    const report = (): void => this.#report(index, { stage, done, total: ids.length })
    const worker = async (): Promise<void> => {
      while (next < ids.length && !index.stopped) {
        const id = ids[next++] as string
        const entry = await this.#summarize(index.store, id)
        if (entry) index.entries.set(id, entry)
        else index.entries.delete(id)
        done++
        if (done % 500 === 0) report()
      }
    }
    if (ids.length === 0) return
    report()
    await Promise.all(Array.from({ length: Math.min(REBUILD_PARALLEL, ids.length) }, worker))
    index.sorted = null
    report()
  }

  /**
   * Compares each document's folders with its entry's stamp of them, and the files' stamps of
   * those whose folders differ (or were never stamped); documents that differ are summarised
   * again and announced. Returns the documents whose folders were unchanged.
   */
  async #checkFolders(index: StoreIndex, survey: FolderSurvey | null | Promise<FolderSurvey | null>): Promise<string[]> {
    const unchanged: string[] = []
    const found = await survey
    // A session that only reads waits for nothing else: its thread takes its share of the survey.
    const surveyed = (await (this.options.readsOnly === true ? found?.helpedParts() : found?.parts)) ?? new Map<string, string>()
    const changed = await this.#inSlices(index, [...index.entries.keys()], (id, entry, folderOf) => {
      const found = surveyed.get(id)
      // Most documents are told from the strings alone; a folder's path is made only when looked at.
      if (entry.folders !== undefined && (surveyedAsRecorded(entry.folders, found) || foldersUnchanged(folderOf(), STAMP_FILES, entry.folders, found))) {
        unchanged.push(id)
        return false
      }
      const stamps = documentStamps(folderOf(), STAMP_FILES)
      if (stamps.files !== entry.stamp) return true
      // Unchanged: from now on its folders tell (written with the index's next full write).
      if (stamps.folders !== undefined) {
        entry.folders = stamps.folders
        index.foldersStamped++
      }
      return false
    })
    await this.#refreshChanged(index, changed)
    return unchanged
  }

  /** Compares the files' stamps of `ids` (whose folders were unchanged) with their entries'. */
  async #checkFiles(index: StoreIndex, ids: readonly string[]): Promise<void> {
    // A large project's files are stat'ed by worker threads (folder-survey.ts): made here, the
    // stat calls' garbage made the saves during the check dearer. What they could not answer is
    // stat'ed here.
    let surveyed = new Map<string, string>()
    if (ids.length >= (this.options.folderSurveyFrom ?? FOLDER_SURVEY_FROM) && !index.stopped) {
      surveyed = await index.surveying(surveyFilesStamps(join(index.store.dir, DOCUMENTS_FOLDER), ids, STAMP_FILES, !index.awaited)).parts
    }
    const changed = await this.#inSlices(index, ids, (id, entry, folderOf) => entry.stamp !== (surveyed.get(id) ?? documentStamp(folderOf(), STAMP_FILES)))
    if (!index.stopped) index.clean = true
    await this.#refreshChanged(index, changed)
  }

  /** Runs `differs` over the entries of `ids`, a slice at a time; the ids it found changed. */
  async #inSlices(index: StoreIndex, ids: readonly string[], differs: (id: string, entry: DocumentIndexEntry, folderOf: () => string) => boolean): Promise<string[]> {
    const changed: string[] = []
    const checked = await eachInSlices(
      ids,
      (id) => {
        const entry = index.entries.get(id)
        if (entry && differs(id, entry, () => index.store.documentFolder(id))) changed.push(id)
      },
      {
        sliceMs: CHECK_SLICE_MS,
        // A later turn of the event loop; one with no call being answered unless the check is awaited.
        pause: () => (index.awaited ? nextTurn() : betweenCalls()),
        goOn: () => !index.stopped,
        afterSlice: (done) => this.#report(index, { stage: 'check', done, total: ids.length })
      }
    )
    return checked ? changed : []
  }

  #report(index: StoreIndex, progress: IndexProgress): void {
    if (index.opening) {
      index.openingProgress = progress
      index.markOpeningBusy()
    }
    for (const listener of this.#progressListeners) listener(progress)
  }

  async #refreshChanged(index: StoreIndex, changed: readonly string[]): Promise<void> {
    if (changed.length === 0 || index.stopped) return
    for (const id of changed) index.dirty.add(id)
    await this.#refresh(index)
    for (const listener of this.#refreshedListeners) listener([...changed])
  }

  /** Summarises again the documents marked dirty and those whose loaded layers saved since. */
  #refresh(index: StoreIndex): Promise<void> {
    const run = index.refreshing.then(async () => {
      const { store } = index
      for (const path of store.loadedLayerPaths()) {
        const layer = store.loadedLayer(path)
        if (layer && index.loadedRevisions.get(path) !== layer.revision) {
          const documentId = documentIdOfPath(store.dir, path)
          if (documentId !== null) index.dirty.add(documentId)
        }
      }
      if (index.dirty.size === 0) return
      const ids = [...index.dirty]
      index.dirty.clear()
      const changes: IndexChange[] = []
      for (const id of ids) {
        // The save counts before summarising: a save landing meanwhile makes it dirty again.
        const revisions = loadedRevisionsOf(store, id)
        const before = index.entries.get(id)
        const entry = await this.#summarize(store, id)
        for (const [path, revision] of revisions) index.loadedRevisions.set(path, revision)
        if (entry) index.entries.set(id, entry)
        else index.entries.delete(id)
        if (entry?.name !== before?.name) index.sorted = null
        else if (entry && index.sorted) replaceInSorted(index, before as DocumentIndexEntry, entry)
        changes.push(entry ?? { removed: id })
      }
      await this.#append(index, changes)
    })
    index.refreshing = run.catch(() => undefined)
    return run
  }

  /** The document as its files say now; null when it is not a document (gone, or a half-finished import). */
  async #summarize(store: ProjectStore, id: string): Promise<DocumentIndexEntry | null> {
    // The stamps first: a file changing while this reads leaves stamps that no longer match.
    const stamps = documentStamps(store.documentFolder(id), STAMP_FILES)
    let record
    try {
      record = await store.readRecordIfExists(id)
    } catch (error) {
      return { id, name: id, sizeBytes: 0, length: 0, layers: [], problem: QuireError.from(error).toInfo(), ...stampFields(stamps) }
    }
    if (record === null) return null
    const layers = await this.layers.summarize(store, record)
    // The current text's size: the last revision records it, so no text is read.
    const head = (await store.texts.graph(record.id, record).catch(() => null))?.chain.at(-1)
    return {
      id,
      name: record.name,
      sizeBytes: head ? (head.sizeBytesAfter ?? record.sizeBytes) : record.sizeBytes,
      length: head ? head.lengthAfter : record.length,
      layers: layers.map((layer) => indexedLayer(layer)),
      sha256: record.sha256,
      ...stampFields(stamps)
    }
  }

  /** Appends changes to the index's journal, folding it into the file once it has grown. */
  async #append(index: StoreIndex, changes: readonly IndexChange[]): Promise<void> {
    if (index.store.readOnly || changes.length === 0 || index.stopped) return
    try {
      index.journalLines += changes.length
      if (!index.journalOnly && index.journalLines >= Math.max(2000, (index.entries.size * JOURNAL_SHARE) / 100)) await this.#writeAll(index)
      else await index.file.append(changes)
    } catch (error) {
      // A cache: the next opening finds the stale entries by their stamps.
      console.warn(`Quire: the document index was not saved: ${(error as Error).message}`)
    }
  }

  /** A session that only reads marks the file closed whenever its entries are as good as a clean close's. */
  async #writeAll(index: StoreIndex): Promise<void> {
    const closed = this.options.readsOnly === true && index.clean
    await index.file.write(index.entries.values(), closed, undefined, headOf(index))
    index.cleanOnDisk = closed
    index.journalLines = 0
  }
}

type IndexChange = DocumentIndexEntry | { removed: string }

const compareEntries = (a: DocumentIndexEntry, b: DocumentIndexEntry): number => byName(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

function isSortedByName(entries: readonly DocumentIndexEntry[]): boolean {
  for (let position = 1; position < entries.length; position++) {
    if (compareEntries(entries[position - 1] as DocumentIndexEntry, entries[position] as DocumentIndexEntry) > 0) return false
  }
  return true
}

/** The list's first screen, kept beside the index file (DocumentIndexFile.readHead). */
function headOf(index: StoreIndex): DocumentIndexEntry[] {
  return firstByName(index.entries.values(), STARTUP_DOCUMENTS)
}

/** The first `count` entries by name, without sorting them all: most entries are passed over after one comparison. */
function firstByName(entries: Iterable<DocumentIndexEntry>, count: number): DocumentIndexEntry[] {
  const first: DocumentIndexEntry[] = []
  for (const entry of entries) {
    if (first.length === count && compareEntries(entry, first[count - 1] as DocumentIndexEntry) >= 0) continue
    first.splice(placeByName(first, entry), 0, entry)
    if (first.length > count) first.pop()
  }
  return first
}

/** Where `entry` goes in `sorted` (by name, then id): the first place whose entry is not before it (binary search). */
function placeByName(sorted: readonly DocumentIndexEntry[], entry: DocumentIndexEntry): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compareEntries(sorted[middle] as DocumentIndexEntry, entry) < 0) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * `entries` sorted by name, then id. An index file written in that order (an import of numbered
 * texts) is read in it: one comparison per entry then finds nothing to do, where sorting 100,000
 * entries by the collator makes some 1.7 million.
 */
function sortedByName(entries: DocumentIndexEntry[]): DocumentIndexEntry[] {
  return isSortedByName(entries) ? entries : entries.sort(compareEntries)
}

/**
 * Puts `entry` in the place of `before` (same name and id) in the sorted list, found by binary
 * search: looking along the list for it cost every save a pass over up to 100,000 entries.
 */
function replaceInSorted(index: StoreIndex, before: DocumentIndexEntry, entry: DocumentIndexEntry): void {
  const sorted = index.sorted as DocumentIndexEntry[]
  const place = placeByName(sorted, before)
  if (sorted[place] === before) sorted[place] = entry
  // Not where its name puts it (never expected): the list is sorted again when next asked for.
  else index.sorted = null
}

/** The index of one open store, for commands that work on a store without the app's services. */
export function documentIndexOf(store: ProjectStore, options: ConstructorParameters<typeof DocumentIndex>[2] = {}): DocumentIndex {
  const projects = { requireProject: () => store }
  return new DocumentIndex(projects, new LayerService(projects), options)
}

/** The documents folder's stamp (inode and change time), or undefined while it changed too recently to be relied on (or is missing). */
function documentsFolderStamp(store: ProjectStore): string | undefined {
  const info = statSync(join(store.dir, DOCUMENTS_FOLDER), { throwIfNoEntry: false })
  return info ? settledFolderStamp(info) : undefined
}

/**
 * `foldersBefore` when the entries are the documents folder's folders, one for one (listed now,
 * after the stamp was taken, so that a folder that came or went since moved the stamp); else undefined.
 */
async function entriesMatchFolders(index: StoreIndex, foldersBefore: string): Promise<string | undefined> {
  const names = await index.store.documentFolderNames().catch(() => null)
  if (names === null || names.length !== index.entries.size) return undefined
  return names.every((name) => index.entries.has(name)) ? foldersBefore : undefined
}

/**
 * The entries whose folder is gone and the folders that have no entry. When every folder has an
 * entry and there are as many folders as entries (the usual opening), none is gone: no set of
 * 100,000 names is made to find that out.
 */
function foldersAgainstEntries(names: readonly string[], entries: ReadonlyMap<string, DocumentIndexEntry>): { removed: string[]; added: string[] } {
  const added = names.filter((id) => !entries.has(id))
  if (added.length === 0 && names.length === entries.size) return { removed: [], added }
  const present = new Set(names)
  return { removed: [...entries.keys()].filter((id) => !present.has(id)), added }
}

function stampFields(stamps: DocumentStamps): Pick<DocumentIndexEntry, 'stamp' | 'folders'> {
  return stamps.folders === undefined ? { stamp: stamps.files } : { stamp: stamps.files, folders: stamps.folders }
}

/**
 * Entries made while their folders were still changing (a document just imported or saved)
 * have no folders' stamp; before the index is written, each gets one if its files are still
 * as the entry says, so the next opening can check it by its folders.
 */
function settleFolderStamps(index: StoreIndex): void {
  for (const [id, entry] of index.entries) {
    if (entry.folders !== undefined) continue
    const stamps = documentStamps(index.store.documentFolder(id), STAMP_FILES)
    if (stamps.folders !== undefined && stamps.files === entry.stamp) entry.folders = stamps.folders
  }
}

function indexedLayer(layer: LayerSummary): IndexedLayer {
  return {
    file: sharedName(basename(layer.path)),
    annotator: sharedName(layer.annotator),
    status: sharedName(layer.status) as DocumentStatus,
    spans: layer.spans,
    countsByTag: sharedCounts(layer.countsByTag),
    updatedAt: sharedTime(layer.updatedAt),
    ...(layer.problem ? { problem: layer.problem } : {})
  }
}

function entryOrRemoval(index: StoreIndex, id: string): IndexChange[] {
  const entry = index.entries.get(id)
  return [entry ?? { removed: id }]
}

function loadedRevisionsOf(store: ProjectStore, documentId: string): Map<string, number> {
  const revisions = new Map<string, number>()
  const folder = store.documentFolder(documentId) + sep
  for (const path of store.loadedLayerPaths()) {
    const layer = store.loadedLayer(path)
    if (layer && path.startsWith(folder)) revisions.set(path, layer.revision)
  }
  return revisions
}
