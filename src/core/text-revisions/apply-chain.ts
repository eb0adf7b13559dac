// The text of a revision: the original with the revisions before it applied, checked against the
// SHA-256 each revision recorded. A revision that does not apply, or leaves a text other than the
// one it recorded, ends the chain there and names its file (the document is then read-only).
import { applyChanges } from '../text-edit/change-set'
import { ORIGINAL_REVISION } from '../../shared/model'
import { headOf, originalHead, type OriginalText, type RevisionGraph } from './revision-graph'

export type Sha256 = (text: string) => string

/**
 * The head's text. The last text is hashed once; only when it does not match are the steps
 * hashed one by one to find the revision at fault (hashing a 5 MB text after each of 1,000
 * revisions would take seconds).
 */
export function applyRevisionChain(graph: RevisionGraph, original: OriginalText & { text: string }, sha256: Sha256): { graph: RevisionGraph; text: string } {
  let text = original.text
  for (let index = 0; index < graph.chain.length; index++) {
    const revision = graph.chain[index]!
    try {
      text = applyChanges(text, revision.changes)
    } catch (error) {
      // `text` is still the parent's: the failed step assigned nothing.
      return { graph: truncate(graph, original, index, `does not apply to the text of its parent (${(error as Error).message})`), text }
    }
  }
  if (graph.chain.length === 0 || sha256(text) === graph.head.sha256) return { graph, text }
  text = original.text
  for (let index = 0; index < graph.chain.length; index++) {
    const revision = graph.chain[index]!
    const after = applyChanges(text, revision.changes)
    if (after.length !== revision.lengthAfter || sha256(after) !== revision.shaAfter) {
      return { graph: truncate(graph, original, index, 'leaves a text whose SHA-256 is not the one it recorded (its changes were altered)'), text }
    }
    text = after
  }
  return { graph, text }
}

/** The text at any readable revision (on the history or off it), from the original's text. */
export function textAtRevision(graph: RevisionGraph, originalText: string, revisionId: string): string {
  const path: string[] = []
  for (let id = revisionId; id !== ORIGINAL_REVISION; ) {
    const revision = graph.byId.get(id)
    if (!revision || path.length > graph.byId.size) throw new Error(`the text revision ${id} is not in this document's history`)
    path.push(id)
    id = revision.parent
  }
  let text = originalText
  for (const id of path.reverse()) text = applyChanges(text, graph.byId.get(id)!.changes)
  return text
}

/** The text after the first `count` revisions of the chain (no checks: they were made before). */
export function textUpTo(graph: RevisionGraph, originalText: string, count: number): string {
  let text = originalText
  for (const revision of graph.chain.slice(0, count)) text = applyChanges(text, revision.changes)
  return text
}

/** The graph with its chain ending before revision `index`, which is named as damaged. */
function truncate(graph: RevisionGraph, original: OriginalText, index: number, why: string): RevisionGraph {
  const chain = graph.chain.slice(0, index)
  const last = chain.at(-1)
  const head = last ? headOf(last) : originalHead(original)
  const culprit = graph.chain[index]!
  const path = graph.pathById.get(culprit.id) ?? culprit.id
  return {
    ...graph,
    chain,
    head,
    problem: {
      kind: 'damaged',
      path,
      message: `The revision file ${path} ${why}. The text is shown as of revision ${head.id} and cannot be edited until the file is restored (from a backup or your sync history).`
    }
  }
}
