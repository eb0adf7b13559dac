// Suggestions for a layer (getSuggestions): the project's lexicon (src/core/suggestions) kept
// in memory and brought up to date, not rebuilt, on each call.
//
// The lexicon is read from every layer file once per project, and saved in .quire/ (see
// lexicon-file.ts): the next opening takes each document's part from there while its
// annotations/ folder and layer files have the stamps they had, and reads only the others.
// After that a call asks two
// cheap questions: which documents' files changed on disk since last time (the project's
// change tracker: colleagues' layers arriving through sync), and which layers this Quire has
// saved since (each loaded layer's revision counter: your own saves, tag-all, an import). Only
// those layers are read again. Suggestions are computed in main, off the window's thread; a
// layer's list is kept until its text, its spans or the lexicon move.
import { basename, join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { AnnotationLayer, LayerRef } from '../../shared/model'
import type { SuggestionList } from '../../shared/finding-model'
import { Lexicon } from '../../core/suggestions/lexicon'
import { buildSuggestionIndex, suggestInText, type SuggestionIndex } from '../../core/suggestions/suggest'
import { suggestionKey } from '../../core/suggestions/suggestion-key'
import { ANNOTATIONS_FOLDER, documentIdOfPath, LOCAL_STATE_FOLDER, type ProjectStore } from '../store/project-store'
import { layerStamp, layerStampText, readLayerFromDisk } from '../store/layer-on-disk'
import { LexiconFile, type SavedDocument } from '../store/lexicon-file'
import { parsedLayers } from './parsed-layer-cache'
import { annotationsFolderStamp, type LexiconBatchJob, type LexiconBatchOutput, type LexiconBatchSettings } from './lexicon-batch'
import { workerEntry, WorkerPool, type WorkerEntry } from './worker-pool'
import { betweenCalls, eachInSlices, LONG_CALL_MS, LONGEST_WAIT_FOR_CALLS_MS } from './calls-in-progress'
import type { ProjectService } from './project-service'
import type { ProjectChangeTracker } from './project-changes'

interface CachedList {
  lexiconVersion: number
  layerRevision: number
  textRevision: string
  list: SuggestionList
}

/** What was read of a document: its annotations/ folder's stamp and each layer's, by path (undefined: not to be saved, read again next time). */
interface DocumentSeen {
  annotationsFolder: string | undefined
  layers: Map<string, string | undefined>
}

/** Far past any change number: asks the tracker for its current number only. */
const LATEST = Number.MAX_SAFE_INTEGER
/** From this many documents to read, the lexicon's reading is made by a worker thread (lexicon-batch.ts). */
const READ_ON_WORKER_FROM = 1000
/** Documents a lexicon worker reads per batch. */
const WORKER_BATCH_DOCUMENTS = 500
/** Taking the saved lexicon or reading layers gives the event loop back this often (a window's call then waits about this long). */
const SLICE_MS = 8
/** Documents read again after the first update before the lexicon is saved again (a large sync). */
const READS_WORTH_SAVING = 500

export class SuggestionService {
  #store: ProjectStore | null = null
  #lexicon = new Lexicon()
  /** The change tracker's number the lexicon is up to date with; null: not built. */
  #changesSeen: number | null = null
  /** Loaded layers' revisions when the lexicon took them, by path. */
  #loadedRevisions = new Map<string, number>()
  /** Each document's layers as last read, with their stamps. */
  #documents = new Map<string, DocumentSeen>()
  /** Documents read from their layers since the lexicon was last saved. */
  #readsSinceSaved = 0
  #saving: Promise<void> = Promise.resolve()
  /** Layers read from their files since the project was opened (tests, the benchmark). */
  #layersRead = 0
  #index: { lexiconVersion: number; labels: string; index: SuggestionIndex } | null = null
  #lists = new Map<string, CachedList>()
  /** One update at a time: two calls arriving together share it. */
  #updating: Promise<void> = Promise.resolve()

  constructor(
    private readonly projects: ProjectService,
    private readonly changes: ProjectChangeTracker,
    private readonly options: {
      /** Where the lexicon worker's code is (tests point one elsewhere to see it fail to start). */
      lexiconWorker?: WorkerEntry | URL
      /** From this many documents to read, a worker reads them (READ_ON_WORKER_FROM; tests use fewer). */
      readOnWorkerFrom?: number
    } = {}
  ) {}

  /** The layer's suggestions, less those it rejected. */
  async suggestionsFor({ documentId, annotator }: LayerRef): Promise<SuggestionList> {
    const store = this.projects.requireProject()
    await this.#bringUpToDate(store)
    const state = await store.textState(documentId)
    const layerFile = await store.annotationLayer(state.record, annotator)
    const cacheKey = `${documentId}\u0000${annotator}`
    const index = this.#indexFor(store)
    const cached = this.#lists.get(cacheKey)
    const textRevision = state.graph.head.id
    if (cached && cached.lexiconVersion === this.#lexicon.version && cached.layerRevision === layerFile.revision && cached.textRevision === textRevision) {
      return cached.list
    }
    const layer = layerFile.current
    const found = suggestInText(state.text, index, {
      layerSpans: layer.annotations,
      rejected: new Set(layer.rejectedSuggestions.map((rejection) => suggestionKey(rejection.tag, rejection.start, rejection.end)))
    })
    const list: SuggestionList = { documentId, revision: textRevision, suggestions: found.suggestions, omitted: found.omitted, rejected: found.hiddenByRejection }
    this.#lists.set(cacheKey, { lexiconVersion: this.#lexicon.version, layerRevision: layerFile.revision, textRevision, list })
    return list
  }

  /** The lexicon's size (texts), for tests and the benchmark. */
  get lexiconSize(): number {
    return this.#lexicon.size
  }

  /** Layer files read since the project was opened (the saved lexicon spares the others). */
  get layersRead(): number {
    return this.#layersRead
  }

  /** Resolves once the lexicon being saved (if any) is on disk. */
  saved(): Promise<void> {
    return this.#saving
  }

  #indexFor(store: ProjectStore): SuggestionIndex {
    const tags = store.manifest.tags
    const labels = tags.map((tag) => `${tag.id}=${tag.label}`).join('\u0000')
    if (this.#index?.lexiconVersion !== this.#lexicon.version || this.#index.labels !== labels) {
      const index = buildSuggestionIndex(this.#lexicon, (tagId) => tags.find((tag) => tag.id === tagId)?.label ?? tagId)
      this.#index = { lexiconVersion: this.#lexicon.version, labels, index }
    }
    return this.#index.index
  }

  #bringUpToDate(store: ProjectStore): Promise<void> {
    const run = this.#updating.then(() => this.#update(store))
    this.#updating = run.catch(() => undefined)
    return run
  }

  async #update(store: ProjectStore): Promise<void> {
    if (store !== this.#store) this.#reset(store)
    if (this.#changesSeen === null) {
      const { seq } = await this.changes.since(LATEST)
      await this.#takeSavedOrRead(store)
      this.#changesSeen = seq
    } else {
      const changed = await this.changes.since(this.#changesSeen)
      if (changed.listChanged && changed.documentIds.length === 0) {
        // Documents came or went, or too much changed to say what: look at every document's
        // folder again (files unchanged since read come from the parsed-layer cache).
        const present = new Set(await store.documentFolderNames())
        for (const documentId of [...this.#documents.keys()]) if (!present.has(documentId)) this.#forgetDocument(documentId)
        for (const documentId of present) await this.#readDocument(store, documentId)
      } else {
        for (const documentId of changed.documentIds) await this.#readDocument(store, documentId)
      }
      this.#changesSeen = changed.seq
    }
    // Layers this Quire saved (its own saves are not reported as changes on disk).
    for (const path of store.loadedLayerPaths()) {
      const loaded = store.loadedLayer(path)
      if (!loaded || this.#loadedRevisions.get(path) === loaded.revision) continue
      this.#takeLayer(path, loaded.current)
      this.#loadedRevisions.set(path, loaded.revision)
      // Saved by this Quire since it was read: its stamp on disk no longer says what was taken.
      this.#documents.get(documentIdOfPath(store.dir, path) ?? '')?.layers.set(path, undefined)
    }
    if (this.#readsSinceSaved >= READS_WORTH_SAVING) this.#save(store)
  }

  /**
   * The lexicon from the saved file where each document's stamps still hold, the rest read
   * from its layers; saved again when anything had to be read.
   */
  async #takeSavedOrRead(store: ProjectStore): Promise<void> {
    const file = new LexiconFile(join(store.dir, LOCAL_STATE_FOLDER))
    const read = await file.read()
    const saved = 'documents' in read ? read.documents : new Map<string, SavedDocument>()
    const started = performance.now()
    // Past LONG_CALL_MS this call no longer counts as being answered: from then on the reading
    // waits for the window's calls (a switch of documents) instead of delaying them, but not for
    // the pause background work leaves after them: this is still a call's answer.
    const pause = (): Promise<void> => (performance.now() - started > LONG_CALL_MS ? betweenCalls(LONGEST_WAIT_FOR_CALLS_MS, 0) : nextTurn())
    const unsaved: string[] = []
    await eachInSlices(
      await store.documentFolderNames(),
      (documentId) => {
        const savedDocument = saved.get(documentId)
        if (!savedDocument || !this.#takeSaved(store, documentId, savedDocument)) unsaved.push(documentId)
      },
      { sliceMs: SLICE_MS, pause }
    )
    if (unsaved.length >= (this.options.readOnWorkerFrom ?? READ_ON_WORKER_FROM)) {
      // A project closed meanwhile is left as it is: nothing more is read, nothing saved in it.
      if (!(await this.#readOnWorker(store, unsaved, pause))) return
    } else await eachInSlices(unsaved, (documentId) => this.#readDocument(store, documentId), { sliceMs: SLICE_MS, pause })
    if (this.#readsSinceSaved > 0 || saved.size !== this.#documents.size) this.#save(store)
  }

  /**
   * Reads `documentIds` on a worker thread at the lowest priority (lexicon-batch.ts), taking each
   * document's part as a saved one is taken; on this thread those it could not read, those with a
   * layer loaded here (its memory may be newer than its file), and all of them should the worker fail.
   * False when the project closed first (the worker is stopped then, not left reading for nobody).
   */
  async #readOnWorker(store: ProjectStore, documentIds: readonly string[], pause: () => Promise<void>): Promise<boolean> {
    const jobs: LexiconBatchJob[] = []
    for (let from = 0; from < documentIds.length; from += WORKER_BATCH_DOCUMENTS) jobs.push({ batchIndex: jobs.length, documentIds: documentIds.slice(from, from + WORKER_BATCH_DOCUMENTS) })
    const pool = new WorkerPool<LexiconBatchSettings, LexiconBatchJob, LexiconBatchOutput>(this.options.lexiconWorker ?? workerEntry('lexicon-worker'), { projectDir: store.dir }, 1)
    let closing = false
    store.beforeClose(async () => {
      closing = true
      await pool.close()
    })
    let taken = 0
    try {
      if (await pool.ready()) {
        for await (const output of pool.convert(jobs)) {
          if (closing) return false
          const here: string[] = []
          for (const [documentId, part] of output.documents) {
            if (part === null || !this.#takeRead(store, documentId, part)) here.push(documentId)
          }
          await eachInSlices(here, (documentId) => this.#readDocument(store, documentId), { sliceMs: SLICE_MS, pause })
          taken++
        }
        return !closing
      }
    } catch (error) {
      if (closing) return false
      console.warn(`Quire: reading the suggestions' lexicon on the main thread (${(error as Error).message})`)
    } finally {
      void pool.close()
    }
    if (closing) return false
    const left = jobs.slice(taken).flatMap((job) => job.documentIds)
    await eachInSlices(left, (documentId) => this.#readDocument(store, documentId), { sliceMs: SLICE_MS, pause })
    return true
  }

  /** Takes a document's part as a worker read it a moment ago; false (nothing taken) when a layer of it is loaded here. */
  #takeRead(store: ProjectStore, documentId: string, part: SavedDocument): boolean {
    const folder = join(store.documentFolder(documentId), ANNOTATIONS_FOLDER)
    if (part.layers.some((layer) => store.loadedLayer(join(folder, layer.name)))) return false
    this.#takePart(folder, documentId, part)
    this.#layersRead += part.layers.length
    this.#readsSinceSaved++
    return true
  }

  /** Takes a document's saved part of the lexicon if its folder and layers are as they were; false: read it. */
  #takeSaved(store: ProjectStore, documentId: string, saved: SavedDocument): boolean {
    const folder = join(store.documentFolder(documentId), ANNOTATIONS_FOLDER)
    if (annotationsFolderStamp(folder) !== saved.annotationsFolder) return false
    const changed = saved.layers.some((layer) => {
      const path = join(folder, layer.name)
      // Loaded in this Quire: its memory may be newer than its file.
      return store.loadedLayer(path) || layerStampText(path) !== layer.stamp
    })
    if (changed) return false
    this.#takePart(folder, documentId, saved)
    return true
  }

  /** Puts a document's part (saved, or just read by a worker) in the lexicon, with the stamps it was taken at. */
  #takePart(folder: string, documentId: string, part: SavedDocument): void {
    const layers = new Map<string, string | undefined>()
    for (const layer of part.layers) {
      const path = join(folder, layer.name)
      this.#lexicon.setSourceTaggings(path, layer.annotator, layer.taggings)
      layers.set(path, layer.stamp)
    }
    this.#documents.set(documentId, { annotationsFolder: part.annotationsFolder, layers })
  }

  /** Writes the lexicon's documents whose stamps are known, in the background (a cache: a failure only means more reading next time). */
  #save(store: ProjectStore): void {
    this.#readsSinceSaved = 0
    // A read that was under way as the project closed (a window's call its server was still
    // answering) finishes after the close's wait for saves: its lexicon would land in a project
    // whose lock is gone, or in a folder being removed.
    if (store.readOnly || store.closing) return
    const documents: [string, SavedDocument][] = []
    for (const [documentId, seen] of this.#documents) {
      const savedDocument = this.#savedDocument(seen)
      if (savedDocument) documents.push([documentId, savedDocument])
    }
    const file = new LexiconFile(join(store.dir, LOCAL_STATE_FOLDER))
    this.#saving = this.#saving.then(() => file.write(documents)).catch(() => undefined)
  }

  #savedDocument(seen: DocumentSeen): SavedDocument | undefined {
    if (seen.annotationsFolder === undefined) return undefined
    const layers: SavedDocument['layers'] = []
    for (const [path, stamp] of seen.layers) {
      const taken = this.#lexicon.sourceTaggings(path)
      if (stamp === undefined || !taken) return undefined
      layers.push({ name: basename(path), stamp, annotator: taken.annotator, taggings: taken.taggings })
    }
    return { annotationsFolder: seen.annotationsFolder, layers }
  }

  #reset(store: ProjectStore): void {
    this.#store = store
    // A process may exit as soon as its project is closed (the browser edition's server on
    // SIGTERM): a lexicon half written then stayed in .quire/ as a temporary file, for good.
    store.beforeClose(() => this.#saving)
    this.#lexicon = new Lexicon()
    this.#changesSeen = null
    this.#loadedRevisions.clear()
    this.#documents.clear()
    this.#readsSinceSaved = 0
    this.#layersRead = 0
    this.#index = null
    this.#lists.clear()
  }

  #forgetDocument(documentId: string): void {
    for (const path of this.#documents.get(documentId)?.layers.keys() ?? []) {
      this.#lexicon.removeSource(path)
      this.#loadedRevisions.delete(path)
    }
    this.#documents.delete(documentId)
    this.#readsSinceSaved++
  }

  async #readDocument(store: ProjectStore, documentId: string): Promise<void> {
    // Stamps are taken before the files are read: a change in between shows as a stamp that moved.
    const annotationsFolder = annotationsFolderStamp(join(store.documentFolder(documentId), ANNOTATIONS_FOLDER))
    const paths = await store.layerFilePaths(documentId)
    const now = new Set(paths)
    for (const path of this.#documents.get(documentId)?.layers.keys() ?? []) {
      if (now.has(path)) continue
      this.#lexicon.removeSource(path)
      this.#loadedRevisions.delete(path)
    }
    const layers = new Map<string, string | undefined>()
    this.#documents.set(documentId, { annotationsFolder, layers })
    this.#readsSinceSaved++
    for (const path of paths) {
      const loaded = store.loadedLayer(path)
      if (loaded) {
        this.#takeLayer(path, loaded.current)
        this.#loadedRevisions.set(path, loaded.revision)
        layers.set(path, undefined)
        continue
      }
      const stamp = layerStampText(path)
      const layer = await readQuietly(path)
      this.#layersRead++
      layers.set(path, layer ? stamp : undefined)
      if (layer) this.#takeLayer(path, layer)
      // A file that cannot be read gives nothing; the layer list names its problem.
      else this.#lexicon.removeSource(path)
    }
  }

  #takeLayer(path: string, layer: AnnotationLayer): void {
    this.#lexicon.setSource(path, layer.annotator, layer.annotations)
  }
}

/** A layer file with its journal (the parsed-layer cache when unchanged), or null when it cannot be read. */
async function readQuietly(path: string): Promise<AnnotationLayer | null> {
  try {
    const stamp = await layerStamp(path)
    const cached = parsedLayers.get(path, stamp)
    if (cached) return cached
    const read = await readLayerFromDisk(path)
    return read?.layer ?? null
  } catch {
    return null
  }
}

