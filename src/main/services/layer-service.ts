// The layers of a document: every annotator's annotation file (and the gold layer), listed with
// a summary, and read one at a time for comparison. Listing never fails because one file is
// damaged, half-synced or from a newer Quire: that layer is listed with its problem instead.
import { basename } from 'node:path'
import { QuireError } from '../../shared/api'
import { annotatorFileName } from '../../core/ids'
import { sha256Hex } from '../store/project-store'
import { CURATION_ANNOTATOR, isCurationLayer, type AnnotationLayer, type DocumentRecord, type LayerContent, type LayerRef, type LayerSummary } from '../../shared/model'
import { layerStamp, readLayerFromDisk, sameLayerStamp, type LayerStamp } from '../store/layer-on-disk'
import { emptyAnnotationLayer } from '../store/annotation-layer-file'
import type { ProjectStore } from '../store/project-store'
import { parsedLayers } from './parsed-layer-cache'
import type { ProjectService } from './project-service'

interface CachedSummary {
  stamp: LayerStamp
  /** The text the verdict was checked against: a document whose text changed is checked again. */
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
    if (this.#cachedFor !== store) {
      this.#summaryByPath.clear()
      parsedLayers.clear()
      this.#cachedFor = store
    }
    const summaries = await Promise.all((await store.layerFilePaths(record.id)).map((path) => this.#summarizeFile(store, record, path)))
    return summaries.sort(compareLayers)
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
    const path = store.layerPath(record.id, annotator)
    const loaded = store.loadedLayer(path)
    if (loaded) return loaded.current
    // A colleague's layer is read, not loaded into the store: the store keeps only layers this
    // process writes, so a colleague's file is always taken as it now is on disk.
    let info
    try {
      info = await layerStamp(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyAnnotationLayer(record, annotator)
      throw error
    }
    const parsed = parsedLayers.get(path, info) ?? (await readLayerFromDisk(path))?.layer ?? emptyAnnotationLayer(record, annotator)
    checkLayerFits(parsed, record, path)
    if (parsed.annotator !== annotator) {
      throw new QuireError({ code: 'corrupt-store', path, message: `The annotation file ${path} holds the layer of ${parsed.annotator}, not of ${annotator}; Quire will not change it` })
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
    const loaded = store.loadedLayer(path)
    if (loaded) {
      const summary = summarizeLayer(loaded.current, path)
      if (loaded.journalWarning !== null) summary.warning = loaded.journalWarning
      return summary
    }
    try {
      const info = await layerStamp(path)
      const cached = this.#summaryByPath.get(path)
      if (cached && sameLayerStamp(cached.stamp, info) && cached.textSha256 === record.sha256) return cached.summary
      const read = await readLayerFromDisk(path)
      if (read === null) throw new QuireError({ code: 'not-found', path, message: `The annotation file ${path} is gone` })
      const { layer } = read
      checkLayerFits(layer, record, path)
      const summary = summarizeLayer(layer, path)
      if (read.warning !== null) summary.warning = read.warning
      this.#summaryByPath.set(path, { stamp: info, textSha256: record.sha256, summary })
      parsedLayers.set(path, info, layer)
      return summary
    } catch (error) {
      this.#summaryByPath.delete(path)
      parsedLayers.delete(path)
      return unreadableLayer(path, QuireError.from(error))
    }
  }
}

/**
 * The checks ProjectStore makes when it loads a layer, made here too so the list never shows as
 * fine a file that opening would refuse: the file is this document's, of this text, named for the
 * annotator inside it, and no span ends past the text.
 */
export function checkLayerFits(layer: AnnotationLayer, record: DocumentRecord, path: string): void {
  const refuse = (why: string): never => {
    throw new QuireError({ code: 'corrupt-store', path, message: `The annotation file ${path} ${why}; Quire will not change it` })
  }
  if (layer.documentId !== record.id) refuse(`belongs to document ${layer.documentId}, not to ${record.id}`)
  if (layer.textSha256 !== record.sha256) refuse(`(${layer.annotator}) refers to a different version of the text of "${record.name}"`)
  if (basename(path) !== annotatorFileName(layer.annotator, sha256Hex)) refuse(`holds the layer of ${layer.annotator}, but its name is not that annotator's file name`)
  const outside = layer.annotations.find((annotation) => annotation.end > record.length)
  if (outside) refuse(`has annotation ${outside.id} ending at ${outside.end}, past the end of "${record.name}" (${record.length} characters)`)
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

function compareLayers(a: LayerSummary, b: LayerSummary): number {
  const goldLast = Number(isCurationLayer(a.annotator)) - Number(isCurationLayer(b.annotator))
  return goldLast || a.annotator.localeCompare(b.annotator)
}
