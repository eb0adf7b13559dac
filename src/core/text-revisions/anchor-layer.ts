// A layer is anchored to the revision its offsets refer to (AnnotationLayer.textRevision). Read
// against a newer head, it is mapped forward through the revisions between (in memory: only its
// owner writes it forward). A layer anchored to a revision the history does not lead from cannot
// be placed on the text at all: it is refused with the reason, and left as it is.
import { ORIGINAL_REVISION, type AnnotationLayer, type LostSpan, type TextRevision } from '../../shared/model'
import { mapLayerBack, mapLayerForward } from '../text-edit/span-mapping'
import { branchBack, revisionsSince, type RevisionGraph } from './revision-graph'

export type AnchoredLayer =
  | { ok: true; layer: AnnotationLayer; mapped: boolean; lost: LostSpan[] }
  | { ok: false; why: string }

/**
 * `layer` placed on the head's text. `why` completes "The annotation file X …". Only checks
 * that need the revisions are made here; the file's own checks (document id, owner) are the
 * caller's.
 */
export function anchorLayer(
  layer: AnnotationLayer,
  graph: RevisionGraph,
  headText: string,
  /** The text at a revision off the current history, for a layer anchored there; absent: such a layer is refused. */
  textAt?: (revisionId: string) => string
): AnchoredLayer {
  const anchor = layer.textRevision
  const problem = anchorProblem(layer, graph)
  if (problem !== null) return { ok: false, why: problem }
  if (anchor === graph.head.id) return { ok: true, layer, mapped: false, lost: [] }
  const path = revisionsSince(graph, anchor)
  let from = layer
  let revisions: TextRevision[]
  try {
    if ('revisions' in path) revisions = path.revisions
    else {
      // Off the current history: back through its branch to where it left, then forward.
      const found = textAt ? branchBack(graph, anchor) : null
      const since = found ? revisionsSince(graph, found.ancestor) : null
      if (!found || !textAt || !since || !('revisions' in since)) {
        return { ok: false, why: `(${layer.annotator}) is anchored to ${path.problem}; its spans are not shown on the current text` }
      }
      for (const revision of found.branch) from = mapLayerBack(from, revision, textAt(revision.parent)).layer
      revisions = since.revisions
    }
    const forward = mapLayerForward(from, revisions, headText)
    const earlier = new Set(layer.lostInEditing.map((entry) => `${entry.revision}\u0000${entry.annotation.id}`))
    return { ok: true, layer: forward.layer, mapped: true, lost: forward.layer.lostInEditing.filter((entry) => !earlier.has(`${entry.revision}\u0000${entry.annotation.id}`)) }
  } catch (error) {
    return { ok: false, why: `(${layer.annotator}) cannot be mapped onto the current text: ${(error as Error).message}` }
  }
}

/**
 * Why `layer` cannot be placed on any text of the document (completing "The annotation file X
 * …"), or null: its revision is known, its SHA-256 is that revision's, no span ends past it.
 */
export function anchorProblem(layer: AnnotationLayer, graph: RevisionGraph): string | null {
  const anchor = layer.textRevision
  const known = anchorOf(graph, anchor)
  if (!known) {
    const found = revisionsSince(graph, anchor)
    return `(${layer.annotator}) is anchored to ${'problem' in found ? found.problem : `the text revision ${anchor}`}; its spans are not shown until that revision is here`
  }
  if (layer.textSha256 !== known.sha256) {
    return `(${layer.annotator}) refers to a different version of the text (its textSha256 is not that of the text revision ${anchor} it is anchored to)`
  }
  const outside = layer.annotations.find((annotation) => annotation.end > known.length)
  if (outside) return `has annotation ${outside.id} ending at ${outside.end}, past the end of the text at revision ${anchor} (${known.length} characters)`
  return null
}

/** The SHA-256 and length of the text at revision `id`, when the project has it. */
function anchorOf(graph: RevisionGraph, id: string): { sha256: string; length: number } | null {
  if (id === graph.head.id) return graph.head
  if (id === ORIGINAL_REVISION) return graph.original
  const revision = graph.byId.get(id)
  return revision ? { sha256: revision.shaAfter, length: revision.lengthAfter } : null
}
