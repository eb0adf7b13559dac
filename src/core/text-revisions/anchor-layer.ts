// A layer is anchored to the revision its offsets refer to (AnnotationLayer.textRevision). Read
// against a newer head, it is mapped forward through the revisions between (in memory: only its
// owner writes it forward). A layer anchored to a revision the history does not lead from cannot
// be placed on the text at all: it is refused with the reason, and left as it is.
import { ORIGINAL_REVISION, type AnnotationLayer, type LostSpan } from '../../shared/model'
import { mapLayerForward } from '../text-edit/span-mapping'
import { revisionsSince, type RevisionGraph } from './revision-graph'

export type AnchoredLayer =
  | { ok: true; layer: AnnotationLayer; mapped: boolean; lost: LostSpan[] }
  | { ok: false; why: string }

/**
 * `layer` placed on the head's text. `why` completes "The annotation file X …". Only checks
 * that need the revisions are made here; the file's own checks (document id, owner) are the
 * caller's.
 */
export function anchorLayer(layer: AnnotationLayer, graph: RevisionGraph, headText: string): AnchoredLayer {
  const anchor = layer.textRevision
  const known = anchorOf(graph, anchor)
  if (!known) {
    const found = revisionsSince(graph, anchor)
    return { ok: false, why: `(${layer.annotator}) is anchored to ${'problem' in found ? found.problem : `the text revision ${anchor}`}; its spans are not shown until that revision is here` }
  }
  const { sha256: anchorSha, length: anchorLength } = known
  if (layer.textSha256 !== anchorSha) {
    return { ok: false, why: `(${layer.annotator}) refers to a different version of the text (its textSha256 is not that of the text revision ${anchor} it is anchored to)` }
  }
  const outside = layer.annotations.find((annotation) => annotation.end > anchorLength)
  if (outside) return { ok: false, why: `has annotation ${outside.id} ending at ${outside.end}, past the end of the text at revision ${anchor} (${anchorLength} characters)` }
  if (anchor === graph.head.id) return { ok: true, layer, mapped: false, lost: [] }
  const path = revisionsSince(graph, anchor)
  if ('problem' in path) return { ok: false, why: `(${layer.annotator}) is anchored to ${path.problem}; its spans are not shown on the current text` }
  const forward = mapLayerForward(layer, path.revisions, headText)
  const earlier = new Set(layer.lostInEditing)
  return { ok: true, layer: forward.layer, mapped: true, lost: forward.layer.lostInEditing.filter((entry) => !earlier.has(entry)) }
}

/** The SHA-256 and length of the text at revision `id`, when the project has it. */
function anchorOf(graph: RevisionGraph, id: string): { sha256: string; length: number } | null {
  if (id === graph.head.id) return graph.head
  if (id === ORIGINAL_REVISION) return graph.original
  const revision = graph.byId.get(id)
  return revision ? { sha256: revision.shaAfter, length: revision.lengthAfter } : null
}
