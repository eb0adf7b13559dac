// A document as the project's document index keeps it (the store's document-index-file.ts saves
// these), and the document list's summary made from it for one annotator.
import type { QuireErrorInfo } from '../../shared/api'
import { CURATION_ANNOTATOR, type DocumentStatus, type DocumentSummary } from '../../shared/model'
import { documentReviewState, newestChange } from '../review/review-state'

/** One layer file of a document as the list needs it. */
export interface IndexedLayer {
  /** The file's name in annotations/ (how the list finds an annotator's own layer). */
  file: string
  annotator: string
  status: DocumentStatus
  spans: number
  countsByTag: Record<string, number>
  updatedAt: string | null
  problem?: QuireErrorInfo
}

export interface DocumentIndexEntry {
  id: string
  name: string
  sizeBytes: number
  length: number
  /** Sorted by annotator, the gold layer last (as the layer list has them). */
  layers: IndexedLayer[]
  /** document.json cannot be read: the document is listed by its folder name. */
  problem?: QuireErrorInfo
  /**
   * The SHA-256 of the text as imported (document.json's): what a texts import checks for
   * duplicates, without reading every document.json. Absent in indexes written before it was kept.
   */
  sha256?: string
  /** What the document's files were when this entry was made (see store/document-stamp.ts). */
  stamp: string
  /** What its folders were then (a cheaper check); absent when they had changed too recently to tell. */
  folders?: string
}

/**
 * The document list's line for `entry`, with the status and counts by tag of the annotator whose
 * layer file is `ownFile` (zero counts for every project tag, "not-started" when null or when
 * they have no layer), every layer's status and the curation state.
 */
export function summaryOfEntry(entry: DocumentIndexEntry, ownFile: string | null, tagIds: readonly string[]): DocumentSummary {
  const countsByTag: Record<string, number> = {}
  for (const id of tagIds) countsByTag[id] = 0
  if (entry.problem) {
    return {
      id: entry.id,
      name: entry.name,
      sizeBytes: 0,
      length: 0,
      status: 'not-started',
      countsByTag,
      total: 0,
      layers: [],
      curation: null,
      reviewState: 'not-started',
      lastChangedAt: null,
      problem: { ...entry.problem }
    }
  }
  const summary: DocumentSummary = {
    id: entry.id,
    name: entry.name,
    sizeBytes: entry.sizeBytes,
    length: entry.length,
    status: 'not-started',
    countsByTag,
    total: 0,
    layers: entry.layers.map((layer) => ({ annotator: layer.annotator, status: layer.status, spans: layer.spans, ...(layer.problem ? { problem: true } : {}) })),
    curation: curationStatus(entry.layers),
    // An unreadable layer still exists: a damaged gold layer means curation has begun.
    reviewState: documentReviewState(entry.layers),
    lastChangedAt: newestChange(entry.layers)
  }
  const own = ownFile === null ? undefined : entry.layers.find((layer) => layer.file === ownFile)
  if (own?.problem) summary.problem = { ...own.problem }
  else if (own) {
    summary.status = own.status
    for (const [tag, count] of Object.entries(own.countsByTag)) countsByTag[tag] = (countsByTag[tag] ?? 0) + count
    summary.total = own.spans
  }
  return summary
}

/** The gold layer's status; a gold layer that cannot be read counts as curation in progress. */
function curationStatus(layers: readonly IndexedLayer[]): DocumentStatus | null {
  const gold = layers.find((layer) => layer.annotator === CURATION_ANNOTATOR)
  if (!gold) return null
  return gold.problem ? 'in-progress' : gold.status
}
