// The project's document index kept current: what the document list, the change feed and the
// statistics read instead of every document. Each entry is made from one document's files (its
// record, the last text revision's size, every layer's summary); it is made again when the
// document changes here (the store tells which), when a loaded layer saved since, or when the
// document's files changed behind Quire's back (a sync tool, another program):
// - while the project is open, the change tracker sees the files and the store is told;
// - between sessions, opening compares the documents folder's names with the index (new and
//   gone documents are found at once) and then, a slice at a time after the first answer, each
//   document's stamp (names, sizes and modification times of its files, see document-stamp.ts).
// An index that is missing, damaged or from a newer Quire is rebuilt from the documents.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { basename, join, relative, sep } from 'node:path'
import { QuireError } from '../../shared/api'
import type { DocumentIndexEntry, IndexedLayer } from '../../core/document-index/entry'
import type { LayerSummary } from '../../shared/model'
import type { NewDocument } from '../store/document-batch'
import { DocumentIndexFile, type DocumentIndexRefusal } from '../store/document-index-file'
import { documentStamp } from '../store/document-stamp'
import { ANNOTATIONS_FOLDER, DOCUMENT_FILE_NAME, DOCUMENTS_FOLDER, LOCAL_STATE_FOLDER, TEXT_FILE_NAME, type ProjectStore } from '../store/project-store'
import { REVISIONS_FOLDER } from '../store/revision-files'
import { compareLayers, LayerService, summarizeLayer } from './layer-service'
import type { ProjectService } from './project-service'

export interface IndexProgress {
  /** What is being done: building the index from every document, or checking it against the disk. */
  stage: 'rebuild' | 'check'
  done: number
  total: number
}

/** Documents summarised at once while rebuilding (their files are read in parallel). */
const REBUILD_PARALLEL = 16
/** How long one slice of the stamp check may hold the event loop. */
const CHECK_SLICE_MS = 12
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
  /** Each loaded layer's save count when its document was last summarised. */
  readonly loadedRevisions = new Map<string, number>()
  journalLines = 0
  /** How the index was found on opening (for tests and the log). */
  refused: DocumentIndexRefusal | null = null
  ready: Promise<void> = Promise.resolve()
  checked: Promise<void> = Promise.resolve()
  /** Serialises refreshes: two answers never summarise the same document at once. */
  refreshing: Promise<void> = Promise.resolve()
  readonly file: DocumentIndexFile
  stopped = false

  constructor(readonly store: ProjectStore) {
    this.file = new DocumentIndexFile(join(store.dir, LOCAL_STATE_FOLDER))
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
    private readonly layers: Pick<LayerService, 'summarize'>
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

  /** Every document, sorted by name (then id), current as far as this process knows. */
  async entries(): Promise<DocumentIndexEntry[]> {
    const index = await this.#ready()
    await this.#refresh(index)
    index.sorted ??= [...index.entries.values()].sort((a, b) => byName(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return index.sorted
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
    await this.#refresh(index)
    return documentIds.flatMap((id) => {
      const entry = index.entries.get(id)
      return entry ? [entry] : []
    })
  }

  /** Resolves once the check after opening has compared every document with the disk. */
  async checked(): Promise<void> {
    const index = await this.#ready()
    await index.checked
  }

  /** How the index file was found when the project was opened: null when it was taken. */
  async refusal(): Promise<DocumentIndexRefusal | null> {
    return (await this.#ready()).refused
  }

  /** Writes the whole index now (after an import, and before a project is closed). */
  async save(): Promise<void> {
    const index = await this.#ready()
    await this.#refresh(index)
    if (!index.store.readOnly) await this.#writeAll(index)
  }

  async #ready(): Promise<StoreIndex> {
    const store = this.projects.requireProject()
    if (this.#current?.store !== store) {
      if (this.#current) this.#current.stopped = true
      const index = new StoreIndex(store)
      this.#current = index
      store.onDocumentChanged((documentId) => {
        index.dirty.add(documentId)
      })
      store.onDocumentsAdded((documents) => this.#added(index, documents))
      store.beforeClose(() => this.#close(index))
      index.ready = this.#open(index)
      // A failed opening is tried again by the next call.
      index.ready.catch(() => {
        if (this.#current === index) this.#current = null
      })
    }
    const index = this.#current
    await index.ready
    return index
  }

  async #open(index: StoreIndex): Promise<void> {
    const read = await index.file.read()
    const names = await index.store.documentFolderNames()
    if ('refused' in read) {
      index.refused = read.refused
      if (read.refused !== 'missing') console.warn(`Quire: rebuilding the document index: ${read.detail}`)
      await this.#summarizeAll(index, names, 'rebuild')
      if (!index.store.readOnly) await this.#writeAll(index)
      return
    }
    index.entries = read.entries
    index.journalLines = read.journalLines
    // Documents added or removed behind Quire's back are found from the folder's names alone.
    const present = new Set(names)
    const removed = [...index.entries.keys()].filter((id) => !present.has(id))
    for (const id of removed) index.entries.delete(id)
    const added = names.filter((id) => !index.entries.has(id))
    await this.#summarizeAll(index, added, 'rebuild')
    if (removed.length > 0 || added.length > 0) {
      index.sorted = null
      await this.#append(index, [...removed.map((id) => ({ removed: id })), ...added.flatMap((id) => entryOrRemoval(index, id))])
    }
    if (!index.store.readOnly) await index.file.append([{ opened: new Date().toISOString() }]).catch(() => undefined)
    // Documents changed in place. After a clean close only another program can have changed
    // them: checked after the first answer, a slice at a time. After a crash (or while another
    // Quire has the project open) this process's own last saves may be missing: checked first.
    index.checked = this.#checkStamps(index)
    if (!read.closedCleanly) await index.checked
  }

  /** New documents taken as written (an import's batch): nothing is read back. */
  #added(index: StoreIndex, documents: readonly NewDocument[]): void {
    const { store } = index
    const entries = documents.map(({ record, layers }): DocumentIndexEntry => {
      const folder = store.documentFolder(record.id)
      const summaries = layers.map((layer) => summarizeLayer(layer, store.layerPath(record.id, layer.annotator))).sort(compareLayers)
      return {
        id: record.id,
        name: record.name,
        sizeBytes: record.sizeBytes,
        length: record.length,
        layers: summaries.map((layer) => indexedLayer(layer)),
        stamp: documentStamp(folder, STAMP_FILES)
      }
    })
    for (const entry of entries) {
      index.entries.set(entry.id, entry)
      index.dirty.delete(entry.id)
    }
    index.sorted = null
    index.refreshing = index.refreshing.then(() => this.#append(index, entries))
  }

  /** Writes the whole index as the project closes (its layers' journals just folded into their files). */
  async #close(index: StoreIndex): Promise<void> {
    index.stopped = true
    try {
      await index.ready
    } catch {
      return
    }
    await index.refreshing
    for (const path of index.store.loadedLayerPaths()) {
      const documentId = documentIdOfPath(index.store, path)
      if (documentId !== null) index.dirty.add(documentId)
    }
    await this.#refresh(index)
    if (!index.store.readOnly) await index.file.write(index.entries.values(), true)
  }

  /** Summarises `ids` from their files (a rebuild, or documents found new), in parallel. */
  async #summarizeAll(index: StoreIndex, ids: readonly string[], stage: IndexProgress['stage']): Promise<void> {
    let next = 0
    let done = 0
    const report = (): void => {
      for (const listener of this.#progressListeners) listener({ stage, done, total: ids.length })
    }
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
    await Promise.all(Array.from({ length: Math.min(REBUILD_PARALLEL, ids.length) }, worker))
    index.sorted = null
    report()
  }

  /** Compares each document's stamp with its entry's; documents that differ are summarised again and announced. */
  async #checkStamps(index: StoreIndex): Promise<void> {
    await nextTurn()
    const ids = [...index.entries.keys()]
    const changed: string[] = []
    let position = 0
    while (position < ids.length) {
      if (index.stopped) return
      const sliceEnd = performance.now() + CHECK_SLICE_MS
      while (position < ids.length && performance.now() < sliceEnd) {
        const id = ids[position++] as string
        const entry = index.entries.get(id)
        if (entry && entry.stamp !== documentStamp(index.store.documentFolder(id), STAMP_FILES)) changed.push(id)
      }
      for (const listener of this.#progressListeners) listener({ stage: 'check', done: position, total: ids.length })
      await nextTurn()
    }
    if (changed.length === 0 || index.stopped) return
    for (const id of changed) index.dirty.add(id)
    await this.#refresh(index)
    for (const listener of this.#refreshedListeners) listener(changed)
  }

  /** Summarises again the documents marked dirty and those whose loaded layers saved since. */
  #refresh(index: StoreIndex): Promise<void> {
    const run = index.refreshing.then(async () => {
      const { store } = index
      for (const path of store.loadedLayerPaths()) {
        const layer = store.loadedLayer(path)
        if (layer && index.loadedRevisions.get(path) !== layer.revision) {
          const documentId = documentIdOfPath(store, path)
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
        else if (entry && index.sorted) index.sorted[index.sorted.indexOf(before as DocumentIndexEntry)] = entry
        changes.push(entry ?? { removed: id })
      }
      await this.#append(index, changes)
    })
    index.refreshing = run.catch(() => undefined)
    return run
  }

  /** The document as its files say now; null when it is not a document (gone, or a half-finished import). */
  async #summarize(store: ProjectStore, id: string): Promise<DocumentIndexEntry | null> {
    // The stamp first: a file changing while this reads leaves a stamp that no longer matches.
    const stamp = documentStamp(store.documentFolder(id), STAMP_FILES)
    let record
    try {
      record = await store.readRecordIfExists(id)
    } catch (error) {
      return { id, name: id, sizeBytes: 0, length: 0, layers: [], problem: QuireError.from(error).toInfo(), stamp }
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
      stamp
    }
  }

  /** Appends changes to the index's journal, folding it into the file once it has grown. */
  async #append(index: StoreIndex, changes: readonly IndexChange[]): Promise<void> {
    if (index.store.readOnly || changes.length === 0 || index.stopped) return
    try {
      index.journalLines += changes.length
      if (index.journalLines >= Math.max(2000, (index.entries.size * JOURNAL_SHARE) / 100)) await this.#writeAll(index)
      else await index.file.append(changes)
    } catch (error) {
      // A cache: the next opening finds the stale entries by their stamps.
      console.warn(`Quire: the document index was not saved: ${(error as Error).message}`)
    }
  }

  async #writeAll(index: StoreIndex): Promise<void> {
    await index.file.write(index.entries.values())
    index.journalLines = 0
  }
}

type IndexChange = DocumentIndexEntry | { removed: string }

/** The index of one open store, for commands that work on a store without the app's services. */
export function documentIndexOf(store: ProjectStore): DocumentIndex {
  const projects = { requireProject: () => store }
  return new DocumentIndex(projects, new LayerService(projects))
}

function indexedLayer(layer: LayerSummary): IndexedLayer {
  return {
    file: basename(layer.path),
    annotator: layer.annotator,
    status: layer.status,
    spans: layer.spans,
    countsByTag: { ...layer.countsByTag },
    updatedAt: layer.updatedAt,
    ...(layer.problem ? { problem: layer.problem } : {})
  }
}

function entryOrRemoval(index: StoreIndex, id: string): IndexChange[] {
  const entry = index.entries.get(id)
  return [entry ?? { removed: id }]
}

function documentIdOfPath(store: ProjectStore, path: string): string | null {
  const [folder, documentId] = relative(store.dir, path).split(sep)
  return folder === DOCUMENTS_FOLDER && documentId !== undefined ? documentId : null
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
