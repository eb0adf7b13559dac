// The current text of each document: text.txt (the original, never rewritten) with its revisions
// applied. The head's text is kept in the project's machine-local folder (.quire/heads/), checked
// by its SHA-256 against the head revision before use, so opening an edited document does not
// replay its whole history; a missing or stale copy is rebuilt from text.txt and the revisions.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { QuireError } from '../../shared/api'
import { ORIGINAL_REVISION, type DocumentRecord, type TextProblem, type TextRevision } from '../../shared/model'
import { applyRevisionChain, textAtRevision } from '../../core/text-revisions/apply-chain'
import { headOf, summarizeRevision, type RevisionGraph, type RevisionSetAside } from '../../core/text-revisions/revision-graph'
import { isErrnoCode, readFileIfExists, writeFileDurably } from './durable-file'
import { REVISION_FILE, REVISION_SET_ASIDE_FILE } from './file-kinds'
import { DurableJsonFile } from './json-store'
import type { BackgroundWork } from './background-work'
import type { OwnWrites } from './own-writes'
import { decodeOriginal, readRevisionFolder, revisionFileName, revisionGraphOf, REVISIONS_FOLDER, setAsideFileName } from './revision-files'

const HEADS_FOLDER = 'heads'
const RECENT_TEXTS_KEPT = 4

/** A document's text as it now stands. */
export interface DocumentText {
  record: DocumentRecord
  graph: RevisionGraph
  /** The head's text. */
  text: string
  /** text.txt's text (the same string as `text` until the text is edited). */
  original: string
  /** The head's text as UTF-8 when it was read or made as bytes: a text edit hashes the new text from it. */
  utf8?: Uint8Array
}

/** The text at any revision of the document, for placing a layer anchored off the current history. */
export function textAtOf(state: DocumentText): (revisionId: string) => string {
  return (revisionId) => (revisionId === state.graph.head.id ? state.text : textAtRevision(state.graph, state.original, revisionId))
}

export interface DocumentTextsContext {
  localStateDir: string
  ownWrites: OwnWrites
  readOnly: boolean
  documentFolder(documentId: string): string
  /** documents/<id>/text.txt */
  originalTextPath(documentId: string): string
  readRecord(documentId: string): Promise<DocumentRecord>
  sha256(data: string | Uint8Array): string
  background: BackgroundWork
  /** Told when what is known of a document's text is dropped: it changed, or may have. */
  forgotten?: (documentId: string) => void
}

export class DocumentTexts {
  /** Recently read, verified texts: every edit needs its document's text, and a 20 MB text takes ~50 ms to read and hash. */
  readonly #recent = new Map<string, DocumentText>()
  /** Graphs without texts, for the document list (sizes and lengths of the heads). */
  readonly #graphs = new Map<string, RevisionGraph>()
  readonly #copying = new Map<string, Promise<void>>()

  constructor(private readonly context: DocumentTextsContext) {}

  async current(documentId: string): Promise<DocumentText> {
    const cached = this.#recent.get(documentId)
    if (cached !== undefined) {
      // Re-inserting keeps the map in least-recently-used order.
      this.#recent.delete(documentId)
      this.#recent.set(documentId, cached)
      return cached
    }
    const record = await this.context.readRecord(documentId)
    const folder = this.context.documentFolder(documentId)
    const found = await this.#headText(record, revisionGraphOf(record, await readRevisionFolder(folder)))
    const state: DocumentText = { record, graph: found.graph, text: found.text, original: found.original, ...(found.utf8 ? { utf8: found.utf8 } : {}) }
    this.#remember(state)
    return state
  }

  /** The document's revisions without its text (cheap when the text was never edited: one readdir). */
  async graph(documentId: string, knownRecord?: DocumentRecord): Promise<RevisionGraph> {
    const recent = this.#recent.get(documentId)
    if (recent) return recent.graph
    const cached = this.#graphs.get(documentId)
    if (cached) return cached
    // A document being imported has its record in hand before document.json is written.
    const record = knownRecord ?? (await this.context.readRecord(documentId))
    const graph = revisionGraphOf(record, await readRevisionFolder(this.context.documentFolder(documentId)))
    this.#graphs.set(documentId, graph)
    return graph
  }

  /** The document's text problem as last read (null when none, or not read yet). */
  knownProblem(documentId: string): TextProblem | null {
    return (this.#recent.get(documentId)?.graph ?? this.#graphs.get(documentId))?.problem ?? null
  }

  forget(documentId: string): void {
    this.#recent.delete(documentId)
    this.#graphs.delete(documentId)
    this.context.forgotten?.(documentId)
  }

  /**
   * Writes `revision` (which continues the head of `state`) as a new file — never over an
   * existing one — then the machine-local copy of the new head's text. Returns the new state.
   */
  async append(state: DocumentText, revision: TextRevision, textAfter: string, utf8After?: Uint8Array): Promise<DocumentText> {
    const folder = join(this.context.documentFolder(state.record.id), REVISIONS_FOLDER)
    await mkdir(folder, { recursive: true })
    const path = join(folder, revisionFileName(revision.id))
    if ((await readFileIfExists(path)) !== null) {
      throw new QuireError({ code: 'internal', path, message: `Not saved: the revision file ${path} already exists` })
    }
    await new DurableJsonFile(path, REVISION_FILE, null, (written) => this.context.ownWrites.record(path, written)).write(revision)
    const graph: RevisionGraph = {
      ...state.graph,
      chain: [...state.graph.chain, revision],
      head: headOf(revision),
      byId: new Map([...state.graph.byId, [revision.id, revision]]),
      pathById: new Map([...state.graph.pathById, [revision.id, path]]),
      summaries: [...state.graph.summaries, summarizeRevision(revision, false)]
    }
    const next: DocumentText = { record: state.record, graph, text: textAfter, original: state.original, ...(utf8After ? { utf8: utf8After } : {}) }
    this.forget(state.record.id)
    this.#remember(next)
    // The copy only saves time on the next open, so it is written after the answer.
    this.#keepHeadCopyLater(state.record.id, utf8After ?? textAfter)
    return next
  }

  /** Writes a set-aside note for each revision in `marks` (new files only) and forgets the document's state. */
  async setAside(documentId: string, marks: readonly RevisionSetAside[]): Promise<void> {
    const folder = join(this.context.documentFolder(documentId), REVISIONS_FOLDER)
    for (const mark of marks) {
      const path = join(folder, setAsideFileName(mark.revision))
      if ((await readFileIfExists(path)) !== null) continue
      await new DurableJsonFile(path, REVISION_SET_ASIDE_FILE, null, (written) => this.context.ownWrites.record(path, written)).write(mark)
    }
    this.forget(documentId)
  }

  /** The text of the document at `revisionId`, on its current history or off it (undo needs the text before the head). */
  async textAt(documentId: string, revisionId: string): Promise<string> {
    const state = await this.current(documentId)
    return revisionId === state.graph.head.id ? state.text : textAtRevision(state.graph, state.original, revisionId)
  }

  #remember(state: DocumentText): void {
    this.#recent.set(state.record.id, state)
    const oldest = this.#recent.keys().next()
    if (this.#recent.size > RECENT_TEXTS_KEPT && !oldest.done) this.#recent.delete(oldest.value)
  }

  async #headText(record: DocumentRecord, graph: RevisionGraph): Promise<{ graph: RevisionGraph; text: string; original: string; utf8?: Uint8Array }> {
    const { text: original, bytes } = await this.#original(record)
    // TextDecoder drops a byte-order mark, so bytes that start with one are not the string's UTF-8.
    if (graph.head.id === ORIGINAL_REVISION) return { graph, text: original, original, ...(startsWithBom(bytes) ? {} : { utf8: bytes }) }
    const copy = await readFileIfExists(this.#headCopyPath(record.id)).catch(() => null)
    if (copy !== null && this.context.sha256(copy) === graph.head.sha256) {
      try {
        return { graph, text: new TextDecoder('utf-8', { fatal: true }).decode(copy), original, ...(startsWithBom(copy) ? {} : { utf8: copy }) }
      } catch {
        // A copy that is not UTF-8 cannot have this SHA-256; rebuilt below all the same.
      }
    }
    const rebuilt = applyRevisionChain(graph, { sha256: record.sha256, length: record.length, text: original }, (text) => this.context.sha256(text))
    if (rebuilt.graph.head.id !== ORIGINAL_REVISION) await this.#keepHeadCopy(record.id, rebuilt.text)
    return { ...rebuilt, original }
  }

  async #original(record: DocumentRecord): Promise<{ text: string; bytes: Uint8Array }> {
    const path = this.context.originalTextPath(record.id)
    const bytes = await readFileIfExists(path)
    if (bytes === null) throw new QuireError({ code: 'not-found', path, message: `The text of "${record.name}" is missing: ${path}` })
    return { text: decodeOriginal(record, path, bytes, this.context.sha256), bytes }
  }

  /** Written after the answer, one at a time per document so the newest text is written last. */
  #keepHeadCopyLater(documentId: string, text: string | Uint8Array): void {
    const previous = this.#copying.get(documentId) ?? Promise.resolve()
    const next = previous.then(() => this.#keepHeadCopy(documentId, text))
    this.#copying.set(documentId, next)
    this.context.background.start(`the copy of the current text of ${documentId} was not kept`, () => next)
  }

  /** Best effort: the copy only saves time, and the revisions are the truth. */
  async #keepHeadCopy(documentId: string, text: string | Uint8Array): Promise<void> {
    if (this.context.readOnly) return
    const folder = join(this.context.localStateDir, HEADS_FOLDER)
    try {
      await mkdir(folder, { recursive: true })
      await writeFileDurably(this.#headCopyPath(documentId), text)
    } catch (error) {
      if (!isErrnoCode(error, 'ENOENT')) console.warn(`Quire: could not keep a copy of the current text of ${documentId}: ${(error as Error).message}`)
    }
  }

  #headCopyPath(documentId: string): string {
    return join(this.context.localStateDir, HEADS_FOLDER, `${documentId}.txt`)
  }
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
}
