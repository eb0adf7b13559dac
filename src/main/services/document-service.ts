// Listing documents with one annotator's progress and every layer's status, opening a document
// with a named layer, setting a layer's status. Every call names the layer it is about.
import { QuireError } from '../../shared/api'
import { CURATION_ANNOTATOR, type DocumentContent, type DocumentRecord, type TextProblem, type TextRevisionHead, type DocumentStatus, type DocumentSummary, type LayerRef, type LayerSummary } from '../../shared/model'
import { documentReviewState, newestChange } from '../../core/review/review-state'
import type { LayerService } from './layer-service'
import { commentsFor } from './review-comment-service'
import type { ProjectService } from './project-service'
import { PackedLayerCache } from './packed-layer-cache'
import { packWith } from '../../shared/api-payloads'
import { packAnnotations } from '../../shared/packed-annotations'

export class DocumentService {
  readonly #packedLayers = new PackedLayerCache()

  constructor(
    private readonly projects: ProjectService,
    private readonly layers: LayerService
  ) {}

  /**
   * Every document with `annotator`'s status and counts by tag (zero counts and "not-started"
   * when null or when they have no layer), every layer's status, and the curation state.
   * Unreadable files are listed with `problem`.
   */
  async list(annotator: string | null): Promise<DocumentSummary[]> {
    const store = this.projects.requireProject()
    const tagIds = store.manifest.tags.map((tag) => tag.id)
    const summaries: DocumentSummary[] = []
    for (const listing of await store.listDocuments()) {
      const countsByTag = Object.fromEntries(tagIds.map((id) => [id, 0]))
      if ('problem' in listing) {
        summaries.push({
          id: listing.id,
          name: listing.id,
          sizeBytes: 0,
          length: 0,
          status: 'not-started',
          countsByTag,
          total: 0,
          layers: [],
          curation: null,
          reviewState: 'not-started',
          lastChangedAt: null,
          problem: listing.problem.toInfo()
        })
        continue
      }
      const { record } = listing
      const layers = await this.layers.summarize(store, record)
      // The current text's size: the last revision records it, so no text is read for the list.
      const head = (await store.texts.graph(record.id, record).catch(() => null))?.chain.at(-1)
      const summary: DocumentSummary = {
        id: record.id,
        name: record.name,
        sizeBytes: head ? (head.sizeBytesAfter ?? record.sizeBytes) : record.sizeBytes,
        length: head ? head.lengthAfter : record.length,
        status: 'not-started',
        countsByTag,
        total: 0,
        layers: layers.map((layer) => ({
          annotator: layer.annotator,
          status: layer.status,
          spans: layer.spans,
          ...(layer.problem ? { problem: true } : {})
        })),
        curation: curationStatus(layers),
        // An unreadable layer still exists: a damaged gold layer means curation has begun.
        reviewState: documentReviewState(layers),
        lastChangedAt: newestChange(layers)
      }
      if (annotator !== null) {
        const own = layers.find((layer) => layer.path === store.layerPath(record.id, annotator))
        if (own?.problem) summary.problem = own.problem
        else if (own) {
          summary.status = own.status
          for (const [tag, count] of Object.entries(own.countsByTag)) countsByTag[tag] = (countsByTag[tag] ?? 0) + count
          summary.total = own.spans
        }
      }
      summaries.push(summary)
    }
    return summaries
  }

  async get(layer: LayerRef): Promise<DocumentContent> {
    const store = this.projects.requireProject()
    const { record, text, graph } = await store.textState(layer.documentId)
    let file
    try {
      file = await store.annotationLayer(record, layer.annotator)
    } catch (error) {
      // A damaged revision file shows the text at the last revision that checks out; a layer
      // anchored after it cannot be placed there. The document still opens, read-only, with
      // that layer named (its file untouched) instead of not opening at all.
      if (graph.problem === null) throw error
      return this.#withoutOwnLayer(layer, record, text, graph, QuireError.from(error))
    }
    const own = file.current
    const content: DocumentContent = {
      document: structuredClone(record),
      text,
      status: own.status,
      annotator: layer.annotator,
      // Annotations are flat records: copying them field by field is ~7x faster than
      // structuredClone (30 ms instead of 200 ms for the 88,000 of a 5 MB document), and the
      // caller still never holds the layer's own objects.
      annotations: own.annotations.map((annotation) => ({ ...annotation, provenance: { ...annotation.provenance } })),
      layers: await this.layers.summarize(store, record),
      curationDecisions: structuredClone(own.curationDecisions ?? []),
      comments: await commentsFor(store, record, layer.annotator),
      revision: { ...graph.head },
      lostInEditing: structuredClone(own.lostInEditing),
      textProblem: structuredClone(graph.problem)
    }
    // Sent to the window packed as it was for the same layer revision before, when it was. A
    // layer changed since this answer was made is not cached: the answer's own copy is packed.
    const { annotations } = own
    const revision = file.revision
    const key = `${layer.documentId}\n${layer.annotator}`
    return packWith(content, () => (file.revision === revision ? this.#packedLayers.packed(key, annotations, revision, text) : packAnnotations(content.annotations, text)))
  }

  async #withoutOwnLayer(
    layer: LayerRef,
    record: DocumentRecord,
    text: string,
    graph: { head: TextRevisionHead; problem: TextProblem | null },
    unplaced: QuireError
  ): Promise<DocumentContent> {
    const store = this.projects.requireProject()
    const problem = structuredClone(graph.problem) as TextProblem
    problem.message = `${problem.message} ${layer.annotator}'s spans are not shown: ${unplaced.message}`
    return {
      document: structuredClone(record),
      text,
      status: 'not-started',
      annotator: layer.annotator,
      annotations: [],
      layers: await this.layers.summarize(store, record),
      curationDecisions: [],
      comments: await commentsFor(store, record, layer.annotator).catch(() => ({ written: [], onLayer: [] })),
      revision: { ...graph.head },
      lostInEditing: [],
      textProblem: problem
    }
  }

  /** Resolves once the status is durably saved in the layer's file. */
  async setStatus(layer: LayerRef, status: DocumentStatus): Promise<void> {
    const store = this.projects.requireProject()
    const record = await store.readRecord(layer.documentId)
    const file = await store.annotationLayer(record, layer.annotator)
    await file.update((draft) => {
      draft.status = status
    })
  }
}


/** The gold layer's status; a gold layer that cannot be read counts as curation in progress. */
function curationStatus(layers: readonly LayerSummary[]): DocumentStatus | null {
  const gold = layers.find((layer) => layer.annotator === CURATION_ANNOTATOR)
  if (!gold) return null
  return gold.problem ? 'in-progress' : gold.status
}

