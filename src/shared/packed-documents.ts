// The document list on the wire: one column per field instead of one object per document, so a
// project of 100,000 documents crosses to the window as a few arrays (about a third of the JSON,
// and far fewer objects for the window's parser) rather than 100,000 objects with their keys.
// Packed as an answer leaves main and unpacked as it arrives (api-payloads.ts); everything either
// side sees DocumentSummary[].
import type { QuireErrorInfo } from './api'
import { DOCUMENT_STATUSES, type DocumentReviewState, type DocumentStatus, type DocumentSummary } from './model'

const REVIEW_STATES: readonly DocumentReviewState[] = ['not-started', 'in-progress', 'annotated', 'curation-in-progress', 'curated']

export interface PackedDocumentSummaries {
  packed: 'document-summaries'
  ids: string[]
  names: string[]
  sizeBytes: number[]
  lengths: number[]
  /** Index into DOCUMENT_STATUSES. */
  statuses: number[]
  /** Every tag any summary counts, in order of first appearance. */
  tags: string[]
  /** tags.length counts per document, row after row; -1 where a summary has no count for that tag. */
  counts: number[]
  totals: number[]
  /** Annotators named by any document's layers (layerAnnotators index into it). */
  annotators: string[]
  /** Per document: how many layers, then for each its annotator's index, status index, spans and 1 when it has a problem, else 0. */
  layers: number[]
  /** Index into DOCUMENT_STATUSES, -1 for null. */
  curation: number[]
  /** Index into the review states. */
  reviewStates: number[]
  lastChangedAt: (string | null)[]
  /** Problems by the document's position. */
  problems: Record<number, QuireErrorInfo>
}

export function packDocumentSummaries(summaries: readonly DocumentSummary[]): PackedDocumentSummaries {
  const tagIndex = new Map<string, number>()
  for (const summary of summaries) for (const tag in summary.countsByTag) if (!tagIndex.has(tag)) tagIndex.set(tag, tagIndex.size)
  const annotatorIndex = new Map<string, number>()
  const packed: PackedDocumentSummaries = {
    packed: 'document-summaries',
    ids: [],
    names: [],
    sizeBytes: [],
    lengths: [],
    statuses: [],
    tags: [...tagIndex.keys()],
    counts: [],
    totals: [],
    annotators: [],
    layers: [],
    curation: [],
    reviewStates: [],
    lastChangedAt: [],
    problems: {}
  }
  const tagCount = tagIndex.size
  for (const [position, summary] of summaries.entries()) {
    packed.ids.push(summary.id)
    packed.names.push(summary.name)
    packed.sizeBytes.push(summary.sizeBytes)
    packed.lengths.push(summary.length)
    packed.statuses.push(DOCUMENT_STATUSES.indexOf(summary.status))
    const row = packed.counts.length
    for (let column = 0; column < tagCount; column++) packed.counts.push(-1)
    for (const tag in summary.countsByTag) packed.counts[row + (tagIndex.get(tag) as number)] = summary.countsByTag[tag] as number
    packed.totals.push(summary.total)
    packed.layers.push(summary.layers.length)
    for (const layer of summary.layers) {
      let annotator = annotatorIndex.get(layer.annotator)
      if (annotator === undefined) {
        annotator = annotatorIndex.size
        annotatorIndex.set(layer.annotator, annotator)
        packed.annotators.push(layer.annotator)
      }
      packed.layers.push(annotator, DOCUMENT_STATUSES.indexOf(layer.status), layer.spans, layer.problem ? 1 : 0)
    }
    packed.curation.push(summary.curation === null ? -1 : DOCUMENT_STATUSES.indexOf(summary.curation))
    packed.reviewStates.push(REVIEW_STATES.indexOf(summary.reviewState))
    packed.lastChangedAt.push(summary.lastChangedAt)
    if (summary.problem) packed.problems[position] = summary.problem
  }
  return packed
}

export function unpackDocumentSummaries(packed: PackedDocumentSummaries): DocumentSummary[] {
  const summaries: DocumentSummary[] = []
  const tagCount = packed.tags.length
  let layerAt = 0
  for (let position = 0; position < packed.ids.length; position++) {
    const countsByTag: Record<string, number> = {}
    for (let column = 0; column < tagCount; column++) {
      const count = packed.counts[position * tagCount + column] as number
      if (count >= 0) countsByTag[packed.tags[column] as string] = count
    }
    const layerCount = packed.layers[layerAt++] as number
    const layers: DocumentSummary['layers'] = []
    for (let layer = 0; layer < layerCount; layer++, layerAt += 4) {
      const entry: DocumentSummary['layers'][number] = {
        annotator: packed.annotators[packed.layers[layerAt] as number] as string,
        status: DOCUMENT_STATUSES[packed.layers[layerAt + 1] as number] as DocumentStatus,
        spans: packed.layers[layerAt + 2] as number
      }
      if (packed.layers[layerAt + 3] === 1) entry.problem = true
      layers.push(entry)
    }
    const curation = packed.curation[position] as number
    const summary: DocumentSummary = {
      id: packed.ids[position] as string,
      name: packed.names[position] as string,
      sizeBytes: packed.sizeBytes[position] as number,
      length: packed.lengths[position] as number,
      status: DOCUMENT_STATUSES[packed.statuses[position] as number] as DocumentStatus,
      countsByTag,
      total: packed.totals[position] as number,
      layers,
      curation: curation < 0 ? null : (DOCUMENT_STATUSES[curation] as DocumentStatus),
      reviewState: REVIEW_STATES[packed.reviewStates[position] as number] as DocumentReviewState,
      lastChangedAt: packed.lastChangedAt[position] ?? null
    }
    const problem = packed.problems[position]
    if (problem) summary.problem = problem
    summaries.push(summary)
  }
  return summaries
}
