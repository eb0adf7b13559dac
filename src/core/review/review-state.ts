// Where a document stands for the whole team: its annotators' statuses, then its curation.
// One rule for the document list's badges and filters (renderer) and for the listing (main).
import { isCurationLayer, type DocumentReviewState, type DocumentStatus } from '../../shared/model'

export const REVIEW_STATE_LABELS: Readonly<Record<DocumentReviewState, string>> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  annotated: 'Annotated',
  'curation-in-progress': 'Curation in progress',
  curated: 'Curated'
}

/** The same, short enough for the document list's badge beside the layers' initials (a row is one line). */
export const REVIEW_STATE_BADGES: Readonly<Record<DocumentReviewState, string>> = { ...REVIEW_STATE_LABELS, 'curation-in-progress': 'Curating' }

export const REVIEW_STATES: readonly DocumentReviewState[] = ['not-started', 'in-progress', 'annotated', 'curation-in-progress', 'curated']

/**
 * Curated once the gold layer is marked done; curation in progress while it exists otherwise;
 * annotated when every annotator with a layer marked it done; in progress when anyone started
 * (set a status or made a span).
 */
export function documentReviewState(layers: readonly { annotator: string; status: DocumentStatus; spans: number }[]): DocumentReviewState {
  const gold = layers.find((layer) => isCurationLayer(layer.annotator))
  if (gold) return gold.status === 'done' ? 'curated' : 'curation-in-progress'
  const people = layers.filter((layer) => !isCurationLayer(layer.annotator))
  if (people.length > 0 && people.every((layer) => layer.status === 'done')) return 'annotated'
  if (people.some((layer) => layer.status !== 'not-started' || layer.spans > 0)) return 'in-progress'
  return 'not-started'
}

/** The newest of the layers' last changes (ISO times compare as strings); null when none changed. */
export function newestChange(layers: readonly { updatedAt: string | null }[]): string | null {
  let newest: string | null = null
  for (const layer of layers) if (layer.updatedAt !== null && (newest === null || layer.updatedAt > newest)) newest = layer.updatedAt
  return newest
}
