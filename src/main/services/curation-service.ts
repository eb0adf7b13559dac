// Starting the curation of a document: its gold layer (annotator `curation`) is created and
// pre-filled from the compared annotators' layers by a strategy (src/core/review/curation.ts).
// The app and `quire curate` both start curation here.
import { compareLayers, type ReviewLayer } from '../../core/review/compare'
import { prefillGold, type PrefillStrategy } from '../../core/review/curation'
import { newAnnotationId } from '../../core/ids'
import { QuireError } from '../../shared/api'
import { CURATION_ANNOTATOR, isCurationLayer, type Annotation, type CurationRequest, type DocumentRecord } from '../../shared/model'
import type { ProjectStore } from '../store/project-store'
import type { LayerService } from './layer-service'
import { KEEP_AS_IS } from '../store/annotation-layer-file'

export interface PrefillOutcome {
  /** Spans the pre-fill put in the gold layer (0 when it had begun already). */
  prefilled: number
  /** True when this call created the gold layer. */
  created: boolean
}

/**
 * Creates the gold layer of a document pre-filled by `strategy`, unless curation has begun
 * (then it is left as it is: a curator's work is never replaced). Every compared layer must be
 * readable: a gold layer built without one annotator's spans would look unanimous where it is not.
 */
export async function startCuration(store: ProjectStore, layers: LayerService, documentId: string, request: CurationRequest): Promise<PrefillOutcome> {
  const record = await store.readRecord(documentId)
  const annotators = [...new Set(request.annotators)]
  if (annotators.length < 2) {
    throw new QuireError({ code: 'invalid-argument', message: `Curating "${record.name}" needs at least two annotators to compare; ${annotators.length === 1 ? `only ${annotators[0]} was chosen` : 'none was chosen'}` })
  }
  if (annotators.some(isCurationLayer)) {
    throw new QuireError({ code: 'invalid-argument', message: 'The gold layer cannot be one of the layers it is made from' })
  }
  const compared = await readComparedLayers(store, layers, record, annotators)
  const gold = await store.annotationLayer(record, CURATION_ANNOTATOR)
  const proposals = prefillGold(compared, request.strategy as PrefillStrategy)
  const text = await store.readText(documentId)
  const now = new Date().toISOString()
  // Decided inside the layer's queue: two starts at once (or a curator's edit queued meanwhile)
  // can never both find the gold layer empty and write over each other.
  const outcome = await gold.update((draft) => {
    if (hasBegun(draft)) return KEEP_AS_IS
    draft.status = 'in-progress'
    draft.curators = [request.curator]
    draft.annotations = proposals.map(
      (proposal): Annotation => ({
        id: newAnnotationId(),
        start: proposal.start,
        end: proposal.end,
        tag: proposal.tag,
        text: text.slice(proposal.start, proposal.end),
        annotator: CURATION_ANNOTATOR,
        createdAt: now,
        updatedAt: now,
        provenance: { source: 'curation', detail: `pre-filled (${request.strategy})`, annotators: proposal.annotators, curator: request.curator }
      })
    )
    return 'created' as const
  })
  if (outcome === KEEP_AS_IS) return { prefilled: 0, created: false }
  return { prefilled: proposals.length, created: true }
}

/**
 * Disagreements between the annotators' layers, left for a curator to settle (what `quire curate`
 * reports). Apart from startCuration: the app's window counts them from its own comparison, and
 * comparing a 5 MB document's three layers again only to count cost main ~0.3–0.6 s of each start.
 */
export async function disagreementsBetween(store: ProjectStore, layers: LayerService, record: DocumentRecord, annotators: readonly string[]): Promise<number> {
  const comparison = compareLayers(await readComparedLayers(store, layers, record, [...new Set(annotators)]))
  return comparison.positions.filter((position) => position.kind !== 'agreed').length
}

/**
 * The chosen annotators' layers as compare.ts takes them; an annotator without a file has none.
 * Read as every reader reads a layer (LayerService.read): a colleague's file is parsed once and
 * shared, never loaded into the store as a layer this process writes (loading each of a 5 MB
 * document's three colleague layers again held main about 2 s of a curation's start).
 */
export async function readComparedLayers(store: ProjectStore, layers: LayerService, record: DocumentRecord, annotators: readonly string[]): Promise<ReviewLayer<Annotation>[]> {
  return Promise.all(annotators.map(async (annotator) => ({ annotator, spans: (await layers.read(store, record, annotator)).annotations })))
}

function hasBegun(layer: { annotations: unknown[]; status: string; curators?: string[]; curationDecisions?: unknown[] }): boolean {
  return layer.annotations.length > 0 || layer.status !== 'not-started' || (layer.curators?.length ?? 0) > 0 || (layer.curationDecisions?.length ?? 0) > 0
}
