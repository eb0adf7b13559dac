// A layer is anchored to the revision its offsets refer to (AnnotationLayer.textRevision). Read
// against a newer head, it is mapped forward through the revisions between (in memory: only its
// owner writes it forward). A layer anchored to a revision the history does not lead from cannot
// be placed on the text at all: it is refused with the reason, and left as it is.
import { ORIGINAL_REVISION, type AnnotationLayer, type LostSpan, type TextRevision } from '../../shared/model'
import { invertChanges } from '../text-edit/change-set'
import { mapLayerForward } from '../text-edit/span-mapping'
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
  let revisions: TextRevision[]
  if ('revisions' in path) revisions = path.revisions
  else {
    const around = textAt ? backAndForth(graph, anchor, textAt) : null
    if (!around) return { ok: false, why: `(${layer.annotator}) is anchored to ${path.problem}; its spans are not shown on the current text` }
    revisions = around
  }
  let forward
  try {
    forward = mapLayerForward(layer, revisions, headText)
  } catch (error) {
    return { ok: false, why: `(${layer.annotator}) cannot be mapped onto the current text: ${(error as Error).message}` }
  }
  const earlier = new Set(layer.lostInEditing)
  return { ok: true, layer: forward.layer, mapped: true, lost: forward.layer.lostInEditing.filter((entry) => !earlier.has(entry)) }
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

/**
 * Revisions leading from `anchor`, off the current history, to the head: each revision of its
 * branch undone (newest first; the undoing step is named after the revision it returns to, so
 * the steps form one chain), then the history forward from where the branch left it.
 */
function backAndForth(graph: RevisionGraph, anchor: string, textAt: (revisionId: string) => string): TextRevision[] | null {
  const found = branchBack(graph, anchor)
  if (!found) return null
  let back: TextRevision[]
  try {
    back = found.branch.map(
    (revision): TextRevision => ({
      ...revision,
      id: revision.parent,
      parent: revision.id,
      seq: revision.seq - 1,
      shaBefore: revision.shaAfter,
      shaAfter: revision.shaBefore,
      lengthBefore: revision.lengthAfter,
      lengthAfter: revision.lengthBefore,
      changes: invertChanges(revision.changes, textAt(revision.parent)),
      origin: { kind: 'edit' }
    })
    )
  } catch {
    // A branch revision that does not apply cannot be undone: the layer is refused, as before.
    return null
  }
  const since = revisionsSince(graph, found.ancestor)
  return 'revisions' in since ? [...back, ...since.revisions] : null
}

/** The SHA-256 and length of the text at revision `id`, when the project has it. */
function anchorOf(graph: RevisionGraph, id: string): { sha256: string; length: number } | null {
  if (id === graph.head.id) return graph.head
  if (id === ORIGINAL_REVISION) return graph.original
  const revision = graph.byId.get(id)
  return revision ? { sha256: revision.shaAfter, length: revision.lengthAfter } : null
}
