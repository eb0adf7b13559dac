// The layers of a document: every annotator's annotation file (and the gold layer), listed with
// a summary, and read one at a time for comparison. Listing never fails because one file is
// damaged, half-synced or from a newer Quire: that layer is listed with its problem instead.
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { QuireError } from '../../shared/api'
import { isCurationLayer, type AnnotationLayer, type DocumentRecord, type LayerContent, type LayerRef, type LayerSummary } from '../../shared/model'
import { ANNOTATION_FILE } from '../store/file-kinds'
import { parseStoredFile } from '../store/json-store'
import type { ProjectStore } from '../store/project-store'
import type { ProjectService } from './project-service'

interface CachedSummary {
  mtimeMs: number
  size: number
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
      this.#cachedFor = store
    }
    const summaries = await Promise.all((await store.layerFilePaths(record.id)).map((path) => this.#summarizeFile(store, record, path)))
    return summaries.sort(compareLayers)
  }

  /** One layer as saved; an annotator with no file yet has an empty layer. */
  async get(layer: LayerRef): Promise<LayerContent> {
    const store = this.projects.requireProject()
    const record = await store.readRecord(layer.documentId)
    return layerContent((await store.annotationLayer(record, layer.annotator)).current)
  }

  async #summarizeFile(store: ProjectStore, record: DocumentRecord, path: string): Promise<LayerSummary> {
    const loaded = store.loadedLayer(path)
    if (loaded) return summarizeLayer(loaded.current, path)
    try {
      const info = await stat(path)
      const cached = this.#summaryByPath.get(path)
      if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.summary
      const layer = parseStoredFile(await readFile(path), path, ANNOTATION_FILE)
      if (layer.documentId !== record.id) {
        throw new QuireError({
          code: 'corrupt-store',
          path,
          message: `The annotation file ${path} belongs to document ${layer.documentId}, not to ${record.id}; Quire will not change it`
        })
      }
      if (layer.textSha256 !== record.sha256) {
        throw new QuireError({
          code: 'corrupt-store',
          path,
          message: `The annotation file ${path} (${layer.annotator}) refers to a different version of the text of "${record.name}"; Quire will not change it`
        })
      }
      const summary = summarizeLayer(layer, path)
      this.#summaryByPath.set(path, { mtimeMs: info.mtimeMs, size: info.size, summary })
      return summary
    } catch (error) {
      this.#summaryByPath.delete(path)
      return unreadableLayer(path, QuireError.from(error))
    }
  }
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

/** A file that cannot be read: named by its file name (its annotator is inside the file we cannot read). */
function unreadableLayer(path: string, problem: QuireError): LayerSummary {
  return {
    annotator: basename(path, '.json'),
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
