// Listing documents with one annotator's progress and every layer's status, opening a document
// with a named layer, setting a layer's status. Every call names the layer it is about.
import { QuireError } from '../../shared/api'
import type { Annotation, DocumentContent, DocumentRecord, TextProblem, TextRevisionHead, DocumentStatus, DocumentListPage, DocumentSummary, LayerRef } from '../../shared/model'
import { summaryOfEntry, type DocumentIndexEntry } from '../../core/document-index/entry'
import { annotatorFileName } from '../../core/ids'
import { sha256Hex } from '../store/project-store'
import { DocumentIndex } from './document-index'
import type { LayerService } from './layer-service'
import { commentsFor } from './review-comment-service'
import type { ProjectService } from './project-service'
import { PackedLayerCache } from './packed-layer-cache'
import { packWith } from '../../shared/api-payloads'
import { packAnnotations } from '../../shared/packed-annotations'
import { inIndexOrder } from '../../core/span-index'

export class DocumentService {
  readonly #packedLayers = new PackedLayerCache()

  constructor(
    private readonly projects: ProjectService,
    private readonly layers: LayerService,
    /** The project's document index (one per backend; tests and commands may let each service make its own). */
    readonly index: DocumentIndex = new DocumentIndex(projects, layers)
  ) {}

  /**
   * Every document with `annotator`'s status and counts by tag (zero counts and "not-started"
   * when null or when they have no layer), every layer's status, and the curation state, sorted
   * by name. Served from the project's document index: no document is read unless it changed.
   * Unreadable files are listed with `problem`.
   */
  async list(annotator: string | null): Promise<DocumentSummary[]> {
    return this.#summaries(await this.index.entries(), annotator)
  }

  /** The list's first `count` summaries, and how many documents there are (the window's start). */
  async firstOfList(annotator: string | null, count: number): Promise<{ documents: DocumentSummary[]; documentCount: number }> {
    const entries = await this.index.entries()
    return { documents: this.#summaries(entries.slice(0, count), annotator), documentCount: entries.length }
  }

  /**
   * The same, from the head kept beside the index file while the index is still being read after
   * a clean close (DocumentIndex.headOfList); null when there is none to trust.
   */
  async firstOfListWhileReading(annotator: string | null, count: number): Promise<{ documents: DocumentSummary[]; documentCount: number } | null> {
    const head = await this.index.headOfList(count)
    return head === null ? null : { documents: this.#summaries(head.entries, annotator), documentCount: head.total }
  }

  /** `count` summaries of the list from place `from`, with the list's length and version (see DocumentIndex.listVersion). */
  async page(annotator: string | null, from: number, count: number): Promise<DocumentListPage> {
    const entries = await this.index.entries()
    return { documents: this.#summaries(entries.slice(from, from + count), annotator), total: entries.length, version: this.index.listVersion(entries) }
  }

  /** The same summaries for the documents named (those that exist), after a save or a change on disk. */
  async summaries(annotator: string | null, documentIds: readonly string[]): Promise<DocumentSummary[]> {
    return this.#summaries(await this.index.entriesFor(documentIds), annotator)
  }

  /** summaries, or null while the index is still being opened: what a save answers with, never waiting for that. */
  async summariesIfIndexOpen(annotator: string | null, documentIds: readonly string[]): Promise<DocumentSummary[] | null> {
    const entries = await this.index.entriesForIfOpen(documentIds)
    return entries === null ? null : this.#summaries(entries, annotator)
  }

  #summaries(entries: readonly DocumentIndexEntry[], annotator: string | null): DocumentSummary[] {
    const store = this.projects.requireProject()
    const tagIds = store.manifest.tags.map((tag) => tag.id)
    const ownFile = annotator === null ? null : annotatorFileName(annotator, sha256Hex)
    return entries.map((entry) => summaryOfEntry(entry, ownFile, tagIds))
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
      annotations: [],
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
    // The layer's list as it is now (edits splice it in place but replace its records, so the
    // records are as they are now too), copied only when read: an answer leaving for the window
    // sends the packing (cached, or made from these records) and never reads them, which spares
    // a 5 MB document's opening a copy of 88,000 annotations. Copying flat records field by field
    // is ~7x faster than structuredClone, and a caller still never holds the layer's own objects.
    const asNow = annotations.slice()
    copiedWhenRead(content, asNow)
    const revision = file.revision
    const key = `${layer.documentId}\n${layer.annotator}`
    return packWith(content, () => (file.revision === revision ? this.#packedLayers.packed(key, annotations, revision, text) : packAnnotations(inIndexOrder(asNow), text)))
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

/** The layer's records each answered content copies its `annotations` from (copiedWhenRead). */
const recordsOf = new WeakMap<DocumentContent, readonly Annotation[]>()

/**
 * Copies of the content's annotations that end at or before `end`, without copying the rest:
 * reading `annotations` copies all of them (a 5 MB document's 88,000) to keep a few hundred.
 */
export function annotationsEndingBy(content: DocumentContent, end: number): Annotation[] {
  const records = recordsOf.get(content) ?? content.annotations
  const kept: Annotation[] = []
  for (const annotation of records) if (annotation.end <= end) kept.push(copyOf(annotation))
  return kept
}

function copyOf(annotation: Annotation): Annotation {
  return { ...annotation, provenance: { ...annotation.provenance } }
}

/** Gives `content` an `annotations` that copies `annotations` as it is first read (then it is a plain value). */
function copiedWhenRead(content: DocumentContent, annotations: readonly Annotation[]): void {
  recordsOf.set(content, annotations)
  Object.defineProperty(content, 'annotations', {
    enumerable: true,
    configurable: true,
    get() {
      const copies = annotations.map(copyOf)
      Object.defineProperty(content, 'annotations', { value: copies, enumerable: true, configurable: true, writable: true })
      return copies
    },
    set(value: Annotation[]) {
      Object.defineProperty(content, 'annotations', { value, enumerable: true, configurable: true, writable: true })
    }
  })
}
