// Listing documents with the current annotator's progress, opening one, setting its status.
import { QuireError } from '../../shared/api'
import type { DocumentContent, DocumentStatus, DocumentSummary } from '../../shared/model'
import type { ProjectService } from './project-service'
import type { SettingsService } from './settings-service'

export class DocumentService {
  constructor(
    private readonly projects: ProjectService,
    private readonly settings: SettingsService
  ) {}

  /**
   * Every document with the current annotator's status and counts by tag (zero counts and
   * "not-started" before an annotator name is set). Unreadable files are listed with `problem`.
   */
  async list(): Promise<DocumentSummary[]> {
    const store = this.projects.requireProject()
    const annotator = this.settings.annotatorName
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
          problem: listing.problem.toInfo()
        })
        continue
      }
      const { record } = listing
      const summary: DocumentSummary = {
        id: record.id,
        name: record.name,
        sizeBytes: record.sizeBytes,
        length: record.length,
        status: 'not-started',
        countsByTag,
        total: 0
      }
      if (annotator !== null) {
        try {
          const layer = (await store.annotationLayer(record, annotator)).current
          summary.status = layer.status
          for (const annotation of layer.annotations) {
            countsByTag[annotation.tag] = (countsByTag[annotation.tag] ?? 0) + 1
          }
          summary.total = layer.annotations.length
        } catch (error) {
          summary.problem = QuireError.from(error).toInfo()
        }
      }
      summaries.push(summary)
    }
    return summaries
  }

  async get(documentId: string): Promise<DocumentContent> {
    const store = this.projects.requireProject()
    const annotator = this.settings.requireAnnotator()
    const record = await store.readRecord(documentId)
    const text = await store.readText(documentId)
    const layer = (await store.annotationLayer(record, annotator)).current
    return {
      document: structuredClone(record),
      text,
      status: layer.status,
      annotator,
      // Annotations are flat records: copying them field by field is ~7x faster than
      // structuredClone (30 ms instead of 200 ms for the 88,000 of a 5 MB document), and the
      // caller still never holds the layer's own objects.
      annotations: layer.annotations.map((annotation) => ({ ...annotation, provenance: { ...annotation.provenance } }))
    }
  }

  /** Resolves once the status is durably saved in the annotator's file. */
  async setStatus(documentId: string, status: DocumentStatus): Promise<void> {
    const store = this.projects.requireProject()
    const annotator = this.settings.requireAnnotator()
    const record = await store.readRecord(documentId)
    const layer = await store.annotationLayer(record, annotator)
    await layer.update((draft) => {
      draft.status = status
    })
  }
}
