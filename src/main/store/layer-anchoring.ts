// The one place a stored layer is put on a document's current text: every reader of annotation
// files (the store, the layer list and comparison, exports, agreement) calls this after parsing.
import { QuireError } from '../../shared/api'
import type { AnnotationLayer, DocumentRecord } from '../../shared/model'
import { anchorLayer } from '../../core/text-revisions/anchor-layer'
import type { RevisionGraph } from '../../core/text-revisions/revision-graph'

/**
 * `layer` (read from `path`) with offsets on the head's text: as it is when anchored to the head,
 * mapped forward in memory when anchored to an earlier revision of the current history. A layer
 * of another document, or anchored where the history does not lead from, is refused with a
 * 'corrupt-store' error naming the file; nothing here writes.
 */
export function placeLayerOnHead(
  layer: AnnotationLayer,
  record: DocumentRecord,
  graph: RevisionGraph,
  headText: () => string,
  path: string,
  /** The text at a revision off the current history (set aside, or one side of a fork): such a layer is mapped back to where it left the history, then forward. */
  textAt?: (revisionId: string) => string
): AnnotationLayer {
  if (layer.documentId !== record.id) {
    throw new QuireError({ code: 'corrupt-store', path, message: `The annotation file ${path} belongs to another document: it belongs to document ${layer.documentId}, not to ${record.id}; Quire will not change it` })
  }
  // Most layers are on the head: no need for the text (or to read it) then.
  const anchored = anchorLayer(layer, graph, layer.textRevision === graph.head.id ? '' : headText(), textAt)
  if (!anchored.ok) throw new QuireError({ code: 'corrupt-store', path, message: `The annotation file ${path} ${anchored.why}; Quire will not change it` })
  return anchored.layer
}
