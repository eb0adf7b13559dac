// Suggestions for a layer (getSuggestions): the project's lexicon (src/core/suggestions) kept
// in memory and brought up to date, not rebuilt, on each call.
//
// The lexicon is read from every layer file once per project. After that a call asks two
// cheap questions: which documents' files changed on disk since last time (the project's
// change tracker: colleagues' layers arriving through sync), and which layers this Quire has
// saved since (each loaded layer's revision counter: your own saves, tag-all, an import). Only
// those layers are read again. Suggestions are computed in main, off the window's thread; a
// layer's list is kept until its text, its spans or the lexicon move.
import type { AnnotationLayer, LayerRef } from '../../shared/model'
import type { SuggestionList } from '../../shared/finding-model'
import { Lexicon } from '../../core/suggestions/lexicon'
import { buildSuggestionIndex, suggestInText, type SuggestionIndex } from '../../core/suggestions/suggest'
import { suggestionKey } from '../../core/suggestions/suggestion-key'
import type { ProjectStore } from '../store/project-store'
import { layerStamp, readLayerFromDisk } from '../store/layer-on-disk'
import { parsedLayers } from './parsed-layer-cache'
import type { ProjectService } from './project-service'
import type { ProjectChangeTracker } from './project-changes'

interface CachedList {
  lexiconVersion: number
  layerRevision: number
  textRevision: string
  list: SuggestionList
}

/** Far past any change number: asks the tracker for its current number only. */
const LATEST = Number.MAX_SAFE_INTEGER

export class SuggestionService {
  #store: ProjectStore | null = null
  #lexicon = new Lexicon()
  /** The change tracker's number the lexicon is up to date with; null: not built. */
  #changesSeen: number | null = null
  /** Loaded layers' revisions when the lexicon took them, by path. */
  #loadedRevisions = new Map<string, number>()
  /** Layer paths per document, as last read. */
  #pathsByDocument = new Map<string, string[]>()
  #index: { lexiconVersion: number; labels: string; index: SuggestionIndex } | null = null
  #lists = new Map<string, CachedList>()
  /** One update at a time: two calls arriving together share it. */
  #updating: Promise<void> = Promise.resolve()

  constructor(
    private readonly projects: ProjectService,
    private readonly changes: ProjectChangeTracker
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
      for (const documentId of await store.documentFolderNames()) await this.#readDocument(store, documentId)
      this.#changesSeen = seq
    } else {
      const changed = await this.changes.since(this.#changesSeen)
      if (changed.listChanged && changed.documentIds.length === 0) {
        // Documents came or went, or too much changed to say what: look at every document's
        // folder again (files unchanged since read come from the parsed-layer cache).
        const present = new Set(await store.documentFolderNames())
        for (const documentId of [...this.#pathsByDocument.keys()]) if (!present.has(documentId)) this.#forgetDocument(documentId)
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
    }
  }

  #reset(store: ProjectStore): void {
    this.#store = store
    this.#lexicon = new Lexicon()
    this.#changesSeen = null
    this.#loadedRevisions.clear()
    this.#pathsByDocument.clear()
    this.#index = null
    this.#lists.clear()
  }

  #forgetDocument(documentId: string): void {
    for (const path of this.#pathsByDocument.get(documentId) ?? []) {
      this.#lexicon.removeSource(path)
      this.#loadedRevisions.delete(path)
    }
    this.#pathsByDocument.delete(documentId)
  }

  async #readDocument(store: ProjectStore, documentId: string): Promise<void> {
    const paths = await store.layerFilePaths(documentId)
    const now = new Set(paths)
    for (const path of this.#pathsByDocument.get(documentId) ?? []) {
      if (now.has(path)) continue
      this.#lexicon.removeSource(path)
      this.#loadedRevisions.delete(path)
    }
    this.#pathsByDocument.set(documentId, paths)
    for (const path of paths) {
      const loaded = store.loadedLayer(path)
      if (loaded) {
        this.#takeLayer(path, loaded.current)
        this.#loadedRevisions.set(path, loaded.revision)
        continue
      }
      const layer = await readQuietly(path)
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
