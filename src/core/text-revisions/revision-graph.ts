// Where a document's text stands, worked out from its revision files alone (no text): which
// revisions lead from the original to the head, which were set aside, and what stops the chain
// (a damaged or missing file, two revisions with one parent). Main and the export/agreement
// workers read the files; this decides what they mean, once.
import {
  ORIGINAL_REVISION,
  type TextProblem,
  type TextRevision,
  type TextRevisionHead,
  type TextRevisionSummary
} from '../../shared/model'

/** One file of a document's revisions folder as read: its revision, or why it could not be read. */
export type RevisionFile = { path: string; revision: TextRevision } | { path: string; problem: string }

/** documents/<id>/revisions/<revision>.set-aside.json: `revision` was set aside when someone kept `kept`. */
export interface RevisionSetAside {
  format: 'quire-revision-set-aside'
  schemaVersion: number
  revision: string
  kept: string
  author: string
  setAsideAt: string
}

export interface OriginalText {
  sha256: string
  length: number
}

export interface RevisionGraph {
  original: OriginalText
  /** Revisions from the original's first edit to the head, in order, each the parent of the next. */
  chain: TextRevision[]
  head: TextRevisionHead
  /** Why the text cannot be edited now (the head is then the last revision that checks out). */
  problem: TextProblem | null
  /** Every readable revision by id, set-aside ones included. */
  byId: ReadonlyMap<string, TextRevision>
  /** Revisions set aside, and those built on them. */
  setAside: ReadonlySet<string>
  /** Every readable revision, oldest first. */
  summaries: TextRevisionSummary[]
  /** The file each revision was read from. */
  pathById: ReadonlyMap<string, string>
}

export function summarizeRevision(revision: TextRevision, setAside: boolean): TextRevisionSummary {
  const { format: _format, schemaVersion: _version, changes: _changes, ...rest } = revision
  return { ...structuredClone(rest), setAside }
}

export function originalHead(original: OriginalText): TextRevisionHead {
  return { id: ORIGINAL_REVISION, seq: 0, sha256: original.sha256, length: original.length }
}

export function headOf(revision: TextRevision): TextRevisionHead {
  return { id: revision.id, seq: revision.seq, sha256: revision.shaAfter, length: revision.lengthAfter }
}

/**
 * Follows the revisions from the original: each step takes the one child that is not set aside.
 * Two or more children make a fork (the head stays at their parent until someone settles it);
 * a file that cannot be read, a revision whose parent is missing, or one that does not continue
 * its parent (sequence, SHA-256 or length) makes the document damaged, its head the last
 * revision that checks out. Texts are not looked at: see applyRevisionChain.
 */
export function buildRevisionGraph(original: OriginalText, files: readonly RevisionFile[], setAsideMarks: readonly RevisionSetAside[]): RevisionGraph {
  const byId = new Map<string, TextRevision>()
  const pathById = new Map<string, string>()
  const damaged: { path: string; message: string }[] = []
  for (const file of files) {
    if ('problem' in file) {
      damaged.push({ path: file.path, message: file.problem })
      continue
    }
    const { revision } = file
    if (revision.id === ORIGINAL_REVISION || byId.has(revision.id)) {
      damaged.push({ path: file.path, message: `the revision file ${file.path} repeats the revision id ${revision.id}` })
      continue
    }
    byId.set(revision.id, revision)
    pathById.set(revision.id, file.path)
  }

  const children = new Map<string, TextRevision[]>()
  for (const revision of byId.values()) {
    const list = children.get(revision.parent) ?? []
    list.push(revision)
    children.set(revision.parent, list)
  }
  for (const revision of byId.values()) {
    if (revision.parent !== ORIGINAL_REVISION && !byId.has(revision.parent)) {
      damaged.push({
        path: pathById.get(revision.id) ?? revision.id,
        message: `the revision ${revision.id} (${pathById.get(revision.id)}) continues the revision ${revision.parent}, whose file is missing`
      })
    }
  }

  const setAside = new Set<string>()
  const markSetAside = (id: string): void => {
    if (setAside.has(id)) return
    setAside.add(id)
    for (const child of children.get(id) ?? []) markSetAside(child.id)
  }
  for (const mark of setAsideMarks) if (byId.has(mark.revision)) markSetAside(mark.revision)

  const chain: TextRevision[] = []
  let head = originalHead(original)
  let problem: TextProblem | null = null
  for (;;) {
    const next = (children.get(head.id) ?? []).filter((child) => !setAside.has(child.id))
    if (next.length === 0) break
    if (next.length > 1) {
      const candidates = next.sort(byAge).map((revision) => summarizeRevision(revision, false))
      problem = {
        kind: 'fork',
        parent: head.id,
        candidates,
        message:
          `${candidates.length} revisions continue the same text (${candidates.map((c) => `${c.id} by ${c.author}`).join(', ')}): ` +
          'the text was edited on two computers at once. Choose the one to keep; the others are set aside, not deleted.'
      }
      break
    }
    const revision = next[0] as TextRevision
    const mismatch = continuationProblem(revision, head)
    if (mismatch) {
      const path = pathById.get(revision.id) ?? revision.id
      damaged.unshift({ path, message: `the revision file ${path} ${mismatch}` })
      break
    }
    chain.push(revision)
    head = headOf(revision)
  }

  // A damaged file outranks a fork: settling cannot be offered on a history that does not read.
  const firstDamage = damaged[0]
  if (firstDamage) {
    problem = {
      kind: 'damaged',
      path: firstDamage.path,
      message: `${capitalize(firstDamage.message)}. The text is shown as of revision ${head.id} and cannot be edited until the file is restored (from a backup or your sync history).`
    }
  }

  const summaries = [...byId.values()].sort(byAge).map((revision) => summarizeRevision(revision, setAside.has(revision.id)))
  return { original: { sha256: original.sha256, length: original.length }, chain, head, problem, byId, setAside, summaries, pathById }
}

/**
 * The revisions leading from `from` to the head, or why there are none: `from` is unknown, set
 * aside or on a branch the head does not continue.
 */
export function revisionsSince(graph: RevisionGraph, from: string): { revisions: TextRevision[] } | { problem: string } {
  if (from === ORIGINAL_REVISION) return { revisions: graph.chain }
  const index = graph.chain.findIndex((revision) => revision.id === from)
  if (index !== -1) return { revisions: graph.chain.slice(index + 1) }
  const revision = graph.byId.get(from)
  if (!revision) {
    // With a damaged revision file the revision may well be here, in the file that cannot be read.
    const damaged = graph.problem?.kind === 'damaged' ? graph.problem.path : null
    return {
      problem: damaged
        ? `the text revision ${from}, which cannot be read here (the history stops at ${damaged}, which is damaged or missing)`
        : `the text revision ${from}, which this project does not have (its file is missing or was never synced here)`
    }
  }
  if (graph.setAside.has(from)) return { problem: `the text revision ${from}, which was set aside when two edits of the text were settled` }
  return { problem: `the text revision ${from}, which is not on the text's current history (${graph.problem?.kind === 'fork' ? 'two edits wait to be settled' : 'the history after it cannot be read'})` }
}

/**
 * The revisions from `from` back to the first one the current history also has (or the
 * original), newest first, and that ancestor: the way a layer anchored to a set-aside revision,
 * or to one side of an unsettled fork, reaches the head (back through these, then forward).
 * Null when a parent on the way is missing.
 */
export function branchBack(graph: RevisionGraph, from: string): { branch: TextRevision[]; ancestor: string } | null {
  const onChain = new Set([ORIGINAL_REVISION, ...graph.chain.map((revision) => revision.id)])
  const branch: TextRevision[] = []
  let id = from
  while (!onChain.has(id)) {
    const revision = graph.byId.get(id)
    if (!revision || branch.length > graph.byId.size) return null
    branch.push(revision)
    id = revision.parent
  }
  return { branch, ancestor: id }
}

/** The head after `revision` and whether it continues it; used before writing a new revision. */
function continuationProblem(revision: TextRevision, parent: TextRevisionHead): string | null {
  if (revision.seq !== parent.seq + 1) return `has sequence number ${revision.seq}, but its parent ${parent.id} has ${parent.seq}`
  if (revision.shaBefore !== parent.sha256) return `starts from a text whose SHA-256 is not that of its parent ${parent.id}`
  if (revision.lengthBefore !== parent.length) return `starts from a text of ${revision.lengthBefore} characters, but its parent ${parent.id} has ${parent.length}`
  return null
}

function byAge(a: TextRevision, b: TextRevision): number {
  return a.seq - b.seq || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
