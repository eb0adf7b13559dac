// The layers of a document: every annotator's annotation file (and the gold layer), listed with
// a summary, and read one at a time for comparison. Listing never fails because one file is
// damaged, half-synced or from a newer Quire: that layer is listed with its problem instead.
import { basename } from 'node:path'
import { QuireError } from '../../shared/api'
import { annotatorFileName } from '../../core/ids'
import { sha256Hex } from '../store/project-store'
import { CURATION_ANNOTATOR, isCurationLayer, type AnnotationLayer, type DocumentRecord, type LayerContent, type LayerRef, type LayerSummary } from '../../shared/model'
import { placeLayerOnHead } from '../store/layer-anchoring'
import { anchorProblem } from '../../core/text-revisions/anchor-layer'
import { spanCountsAfter } from '../../core/text-revisions/counts-after'
import { revisionsSince, type RevisionGraph } from '../../core/text-revisions/revision-graph'
import { textAtOf } from '../store/document-texts'
import { layerStamp, sameLayerStamp, type LayerStamp } from '../store/layer-on-disk'
import { emptyAnnotationLayer } from '../store/annotation-layer-file'
import type { ProjectStore } from '../store/project-store'
import { parsedLayers } from './parsed-layer-cache'
import type { ProjectService } from './project-service'

interface CachedSummary {
  stamp: LayerStamp
  /** The current text's SHA-256 when the verdict was made: a document whose text changed is checked again. */
  textSha256: string
  summary: LayerSummary
}

export class LayerService {
  /**
   * Summaries of files this process has not loaded, by path, valid while the file's size and
   * modification time are unchanged: the document list summarises every layer of every
   * document after each save, and must not parse them all again.
   */
  readonly #summaryByPath = new Map<string, CachedSummary>()
  #cachedFor: ProjectStore | null = null

  constructor(private readonly projects: Pick<ProjectService, 'requireProject'>) {}

  /** Every layer of the document, sorted by annotator (the gold layer last). */
  async list(documentId: string): Promise<LayerSummary[]> {
    const store = this.projects.requireProject()
    return this.summarize(store, await store.readRecord(documentId))
  }

  async summarize(store: ProjectStore, record: DocumentRecord): Promise<LayerSummary[]> {
    this.#useCachesOf(store)
    const summaries = await Promise.all((await store.layerFilePaths(record.id)).map((path) => this.#summarizeFile(store, record, path)))
    return summaries.sort(compareLayers)
  }

  /**
   * The caches hold one project's files: another project's store starts them afresh. Checked by
   * every reader, not by the layer list alone: the list's first summary after a project opened
   * used to empty the cache of the layers getLayer had just parsed (a 5 MB document's three
   * colleague layers, parsed again: about two seconds of main).
   */
  #useCachesOf(store: ProjectStore): void {
    if (this.#cachedFor === store) return
    this.#summaryByPath.clear()
    parsedLayers.clear()
    this.#cachedFor = store
  }

  /** One layer as saved; an annotator with no file yet has an empty layer. */
  async get(layer: LayerRef): Promise<LayerContent> {
    const store = this.projects.requireProject()
    const record = await store.readRecord(layer.documentId)
    return layerContent(await this.read(store, record, layer.annotator))
  }

  /**
   * One layer as saved, shared (callers copy what they hand out, never change it): the store's
   * loaded layer when there is one (newer than the disk), else a colleague's file the layer list
   * has just parsed and that is unchanged since, else the file read now.
   */
  async read(store: ProjectStore, record: DocumentRecord, annotator: string): Promise<AnnotationLayer> {
    this.#useCachesOf(store)
    const path = store.layerPath(record.id, annotator)
    // Through the store, which first places a loaded layer on the current text (cheap when it is).
    if (store.loadedLayer(path)) return (await store.annotationLayer(record, annotator)).current
    // A colleague's layer is read, not loaded into the store: the store keeps only layers this
    // process writes, so a colleague's file is always taken as it now is on disk.
    let info
    try {
      info = await layerStamp(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyAnnotationLayer(record, annotator)
      throw error
    }
    // The file with its journal replayed (in the file's revision), then placed on the current text.
    // Whatever this read does not keep it drops: a shared read waits for its reader to do one or the other.
    let parsed: AnnotationLayer
    try {
      const stored = parsedLayers.get(path, info) ?? (await parsedLayers.readShared(path, info))?.layer
      if (!stored) {
        parsedLayers.delete(path)
        return emptyAnnotationLayer(record, annotator)
      }
      parsed = await placeOnCurrentText(store, record, stored, path)
      if (parsed.annotator !== annotator) {
        throw new QuireError({ code: 'corrupt-store', path, message: `The annotation file ${path} holds the layer of ${parsed.annotator}, not of ${annotator}; Quire will not change it` })
      }
    } catch (error) {
      parsedLayers.delete(path)
      throw error
    }
    parsedLayers.set(path, info, parsed)
    return parsed
  }

  /**
   * What identifies the version of a layer `read` would give now: the store's loaded layer by its
   * save count, a file by its size and modification time, no file as missing.
   */
  async versionOf(store: ProjectStore, record: DocumentRecord, annotator: string): Promise<string> {
    const path = store.layerPath(record.id, annotator)
    const loaded = store.loadedLayer(path)
    if (loaded) return `loaded:${loaded.revision}`
    try {
      const info = await layerStamp(path)
      return `file:${info.size}:${info.mtimeMs}:${info.journal}`
    } catch {
      return 'missing'
    }
  }

  /** Whether the annotator has a layer file on the document (an annotator without one is missing, not empty). */
  async exists(store: ProjectStore, record: DocumentRecord, annotator: string): Promise<boolean> {
    return (await store.layerFilePaths(record.id)).includes(store.layerPath(record.id, annotator))
  }

  async #summarizeFile(store: ProjectStore, record: DocumentRecord, path: string): Promise<LayerSummary> {
    try {
      const loaded = store.loadedLayer(path)
      if (loaded) {
        // Through the store, which first places a loaded layer on the current text.
        const summary = summarizeLayer((await store.annotationLayerAt(record, path)).current, path)
        if (loaded.journalWarning !== null) summary.warning = loaded.journalWarning
        return summary
      }
      const info = await layerStamp(path)
      const cached = this.#summaryByPath.get(path)
      const graph = await store.texts.graph(record.id, record)
      const sameFile = cached !== undefined && sameLayerStamp(cached.stamp, info)
      if (sameFile && cached.textSha256 === graph.head.sha256) return cached.summary
      // A file summarised before keeps its journal's warning when only the text moved.
      let warning = sameFile ? (cached.summary.warning ?? null) : null
      let parsed = parsedLayers.get(path, info)
      if (!parsed) {
        const read = await parsedLayers.readShared(path, info)
        if (read === null) throw new QuireError({ code: 'not-found', path, message: `The annotation file ${path} is gone` })
        parsed = read.layer
        warning = read.warning
      }
      const { summary, placed } = await summarizeOnCurrentText(store, record, graph, parsed, path)
      if (warning !== null) summary.warning = warning
      this.#summaryByPath.set(path, { stamp: info, textSha256: graph.head.sha256, summary })
      parsedLayers.set(path, info, placed ?? parsed)
      return summary
    } catch (error) {
      this.#summaryByPath.delete(path)
      parsedLayers.delete(path)
      return unreadableLayer(path, QuireError.from(error))
    }
  }
}

/**
 * A colleague's layer as every reader sees it: checked as ProjectStore checks the layers it loads
 * (this document's, named for the annotator inside it) and placed on the document's current text
 * (mapped forward in memory when anchored to an earlier revision; see store/layer-anchoring.ts).
 */
export async function placeOnCurrentText(store: ProjectStore, record: DocumentRecord, layer: AnnotationLayer, path: string): Promise<AnnotationLayer> {
  const expectedName = annotatorFileName(layer.annotator, sha256Hex)
  if (basename(path) !== expectedName) {
    throw new QuireError({
      code: 'corrupt-store',
      path,
      reason: `it holds the layer of ${layer.annotator}, whose file Quire names ${expectedName}`,
      message: `The annotation file ${path} holds the layer of ${layer.annotator}, but its name is not that annotator's file name (${expectedName}); Quire will not change it`
    })
  }
  const graph = await store.texts.graph(record.id, record)
  if (layer.textRevision === graph.head.id) return placeLayerOnHead(layer, record, graph, () => '', path)
  const state = await store.textState(record.id)
  return placeLayerOnHead(layer, state.record, state.graph, () => state.text, path, textAtOf(state))
}

/**
 * A colleague's layer summarised as it reads on the current text. Counting needs no mapping when
 * no undo is among the revisions since its anchor (spans survive unless their whole text went),
 * so the layer list after an edit does not map every colleague's 88,000 spans; `placed` is the
 * mapped layer when it had to be made.
 */
async function summarizeOnCurrentText(store: ProjectStore, record: DocumentRecord, graph: RevisionGraph, layer: AnnotationLayer, path: string): Promise<{ summary: LayerSummary; placed: AnnotationLayer | null }> {
  if (layer.textRevision !== graph.head.id && layer.documentId === record.id && basename(path) === annotatorFileName(layer.annotator, sha256Hex)) {
    const problem = anchorProblem(layer, graph)
    if (problem !== null) throw new QuireError({ code: 'corrupt-store', path, message: `The annotation file ${path} ${problem}; Quire will not change it` })
    const since = revisionsSince(graph, layer.textRevision)
    const counts = 'revisions' in since ? spanCountsAfter(layer, since.revisions) : null
    if (counts) return { summary: { ...summarizeLayer(layer, path), ...counts }, placed: null }
  }
  const placed = await placeOnCurrentText(store, record, layer, path)
  return { summary: summarizeLayer(placed, path), placed }
}

export function summarizeLayer(layer: AnnotationLayer, path: string): LayerSummary {
  const countsByTag: Record<string, number> = {}
  let newest: string | null = null
  for (const annotation of layer.annotations) {
    countsByTag[annotation.tag] = (countsByTag[annotation.tag] ?? 0) + 1
    if (newest === null || annotation.updatedAt > newest) newest = annotation.updatedAt
  }
  const summary: LayerSummary = {
    annotator: layer.annotator,
    path,
    status: layer.status,
    spans: layer.annotations.length,
    countsByTag,
    updatedAt: layer.updatedAt ?? newest,
    comments: layer.comments.length
  }
  if (layer.curators) summary.curators = [...layer.curators]
  return summary
}

export function layerContent(layer: AnnotationLayer): LayerContent {
  return {
    annotator: layer.annotator,
    status: layer.status,
    updatedAt: layer.updatedAt ?? null,
    // Flat records: a field copy is far cheaper than structuredClone for 88,000 of them.
    annotations: layer.annotations.map((annotation) => ({ ...annotation, provenance: { ...annotation.provenance } })),
    comments: structuredClone(layer.comments),
    resolvedComments: structuredClone(layer.resolvedComments),
    curators: [...(layer.curators ?? [])],
    curationDecisions: structuredClone(layer.curationDecisions ?? [])
  }
}

/**
 * A file that cannot be read: named by its file name (its annotator is inside the file we cannot
 * read), except the gold layer's, whose name is known — a damaged gold layer still means curation began.
 */
function unreadableLayer(path: string, problem: QuireError): LayerSummary {
  const goldFile = basename(path) === annotatorFileName(CURATION_ANNOTATOR, sha256Hex)
  return {
    annotator: goldFile ? CURATION_ANNOTATOR : basename(path, '.json'),
    path,
    status: 'not-started',
    spans: 0,
    countsByTag: {},
    updatedAt: null,
    comments: 0,
    problem: problem.toInfo()
  }
}

/** The layer list's order: by annotator, the gold layer last. */
export function compareLayers(a: LayerSummary, b: LayerSummary): number {
  const goldLast = Number(isCurationLayer(a.annotator)) - Number(isCurationLayer(b.annotator))
  return goldLast || a.annotator.localeCompare(b.annotator)
}
