// The project's document index on disk: one compact entry per document (name, sizes, every
// layer's status and counts, and the stamp of the files it was made from), so opening a project
// or listing its documents never reads every document. It is a cache, rebuilt from the documents
// whenever it cannot be trusted: it lives in .quire/ (machine-local, never committed by git sync;
// a sync tool that copies it anyway brings stamps that do not match this disk, so each document
// is looked at again), and it is checked entry by entry when read.
//
// .quire/document-index.json holds the entries as of its writing, in columns (schema version 2,
// core/document-index/columns.ts: far smaller than an object per document, and quicker to parse);
// .quire/document-index.journal holds the entries changed since, one JSON line each, appended
// without fsync (a lost line only means one document is summarised again). The journal is folded into the file when it has grown.
import { appendFileSync } from 'node:fs'
import { appendFile, open, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { DOCUMENT_STATUSES, type DocumentStatus } from '../../shared/model'
import { columnsJsonPieces, entriesOfColumns } from '../../core/document-index/columns'
import type { DocumentIndexEntry, IndexedLayer } from '../../core/document-index/entry'
import { isCount, isObject, isProblem } from '../../core/value-checks'
import { byteLines, type ByteLine } from '../../core/formats/byte-lines'
import { readFileIfExists, writeFileDurably } from './durable-file'
import { readJsonCacheFile } from './json-cache-file'
import { sharedCounts, sharedLayers, sharedName, sharedTime } from './index-entry-values'

export const DOCUMENT_INDEX_FILE_NAME = 'document-index.json'
export const DOCUMENT_INDEX_JOURNAL_NAME = 'document-index.journal'
export const DOCUMENT_INDEX_FORMAT = 'quire-document-index'
/** Version 2 keeps the entries in columns (core/document-index/columns.ts); version 1's list of entries is still read. */
export const DOCUMENT_INDEX_SCHEMA_VERSION = 2
const ENTRIES_SCHEMA_VERSION = 1
const JOURNAL_CHUNK_BYTES = 1 << 20
/**
 * Journal appends up to this many characters are written synchronously: without an fsync the write only
 * copies the bytes into the page cache (about 5 µs for a saved document's line), where the
 * asynchronous append made three trips to libuv's thread pool (open, write, close) that cost a
 * save's summary 130-230 µs of waiting, and more while other threads had the cores (the first
 * saves after opening 100,000 documents). Larger appends (many documents found changed at
 * once) stay off the event loop.
 */
const SYNC_APPEND_CHARACTERS = 64 * 1024

export type { DocumentIndexEntry, IndexedLayer }

/** Why the index on disk was not taken (it is rebuilt from the documents instead). */
export type DocumentIndexRefusal = 'missing' | 'damaged' | 'newer-version'

export type DocumentIndexRead =
  | {
      entries: Map<string, DocumentIndexEntry>
      journalLines: number
      /**
       * The last session wrote the whole index as it closed the project, and none opened it for
       * writing since: only a sync tool (or another program) can have changed documents since.
       * Sessions that only read documents (`quire stats`) leave no mark: the entries they found
       * changed and journaled are as current as the rest.
       */
      closedCleanly: boolean
    }
  | { refused: DocumentIndexRefusal; detail: string }

/** A journal line: an entry made again, a document gone, or a session that may change documents opening the project. */
export type DocumentIndexChange = DocumentIndexEntry | { removed: string } | { opened: string }

export class DocumentIndexFile {
  readonly path: string
  readonly journalPath: string

  constructor(localStateDir: string) {
    this.path = join(localStateDir, DOCUMENT_INDEX_FILE_NAME)
    this.journalPath = join(localStateDir, DOCUMENT_INDEX_JOURNAL_NAME)
  }

  /** The entries of the file with the journal's lines applied; any doubt refuses the whole index. */
  async read(): Promise<DocumentIndexRead> {
    const file = await readJsonCacheFile(this.path)
    if ('refused' in file) return file
    const { data } = file
    if (!isObject(data) || data.format !== DOCUMENT_INDEX_FORMAT || typeof data.schemaVersion !== 'number') {
      return { refused: 'damaged', detail: `${this.path} is not a Quire document index` }
    }
    if (data.schemaVersion > DOCUMENT_INDEX_SCHEMA_VERSION) {
      return { refused: 'newer-version', detail: `${this.path} was written by a newer Quire (schema version ${data.schemaVersion})` }
    }
    const entries = new Map<string, DocumentIndexEntry>()
    if (data.schemaVersion === DOCUMENT_INDEX_SCHEMA_VERSION && isObject(data.documents)) {
      const listed = entriesOfColumns(data.documents)
      if (typeof listed === 'string') return { refused: 'damaged', detail: `${this.path}: ${listed}` }
      for (const entry of listed) entries.set(entry.id, entry)
    } else if (data.schemaVersion === ENTRIES_SCHEMA_VERSION && Array.isArray(data.documents)) {
      for (const [position, candidate] of data.documents.entries()) {
        const entry = checkedEntry(candidate)
        if (entry === null) return { refused: 'damaged', detail: `${this.path}: entry ${position + 1} is not a document summary` }
        entries.set(entry.id, entry)
      }
    } else {
      return { refused: 'damaged', detail: `${this.path} has no documents of schema version ${data.schemaVersion}` }
    }
    let journalLines = 0
    let opened = false
    const decoder = new TextDecoder()
    for await (const { bytes } of journalLinesOf(this.journalPath)) {
      if (bytes.length === 0) continue
      // A line cut off by a crash is the last one; its document is summarised again when found stale.
      let change: unknown
      try {
        change = JSON.parse(decoder.decode(bytes))
      } catch {
        continue
      }
      if (isObject(change) && typeof change.opened === 'string') opened = true
      else if (isObject(change) && typeof change.removed === 'string') entries.delete(change.removed)
      else {
        const entry = checkedEntry(change)
        if (entry === null) return { refused: 'damaged', detail: `${this.journalPath}: line ${journalLines + 1} is not a document summary` }
        entries.set(entry.id, entry)
      }
      journalLines++
    }
    return { entries, journalLines, closedCleanly: data.closed === true && !opened }
  }

  /** Writes every entry afresh and empties the journal; `closed` when the project is being closed. */
  async write(entries: Iterable<DocumentIndexEntry>, closed = false): Promise<void> {
    await writeFileDurably(this.path, indexFileChunks([...entries], closed))
    await rm(this.journalPath, { force: true })
  }

  /** Appends changed entries (and removed ids) to the journal. */
  async append(changes: readonly DocumentIndexChange[]): Promise<void> {
    if (changes.length === 0) return
    const lines = changes.map((change) => `${JSON.stringify(change)}\n`).join('')
    if (lines.length <= SYNC_APPEND_CHARACTERS) appendFileSync(this.journalPath, lines)
    else await appendFile(this.journalPath, lines)
  }
}

/**
 * The journal's lines, read a megabyte at a time: after a bulk import it holds every imported
 * document's entry (see DocumentIndex's `keepsImportedEntries`), tens of megabytes at 100,000
 * documents, never held whole. A journal that cannot be read is an empty one.
 */
async function* journalLinesOf(path: string): AsyncGenerator<ByteLine> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch {
    return
  }
  try {
    yield* byteLines(chunksOf(handle))
  } catch {
    // Unreadable from here on: what was read stands; the rest is summarised again when found stale.
  } finally {
    await handle.close()
  }
}

async function* chunksOf(handle: FileHandle): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = new Uint8Array(JOURNAL_CHUNK_BYTES)
    const { bytesRead } = await handle.read(chunk, 0, JOURNAL_CHUNK_BYTES, null)
    if (bytesRead === 0) return
    yield chunk.subarray(0, bytesRead)
  }
}

/** The file in pieces of a thousand entries' worth of a column (the index of 100,000 documents is never one string). */
function* indexFileChunks(documents: readonly DocumentIndexEntry[], closed: boolean): Generator<string> {
  yield `{"format":"${DOCUMENT_INDEX_FORMAT}","schemaVersion":${DOCUMENT_INDEX_SCHEMA_VERSION},"closed":${closed},"documents":{\n`
  yield* columnsJsonPieces(documents)
  yield '}}\n'
}

const STATUSES = new Set<string>(DOCUMENT_STATUSES)
const SHA256_HEX = /^[0-9a-f]{64}$/

function checkedEntry(value: unknown): DocumentIndexEntry | null {
  if (!isObject(value)) return null
  const { id, name, sizeBytes, length, layers, problem, stamp, folders, sha256 } = value
  if (typeof id !== 'string' || typeof name !== 'string' || typeof stamp !== 'string') return null
  if (folders !== undefined && typeof folders !== 'string') return null
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256))) return null
  if (!isCount(sizeBytes) || !isCount(length) || !Array.isArray(layers)) return null
  if (problem !== undefined && !isProblem(problem)) return null
  const checkedLayers: IndexedLayer[] = []
  for (const layer of layers) {
    const checked = checkedLayer(layer)
    if (checked === null) return null
    checkedLayers.push(checked)
  }
  const entry: DocumentIndexEntry = { id, name, sizeBytes, length, layers: sharedLayers(checkedLayers), stamp }
  if (problem !== undefined) entry.problem = problem
  if (folders !== undefined) entry.folders = folders
  if (sha256 !== undefined) entry.sha256 = sha256
  return entry
}

function checkedLayer(value: unknown): IndexedLayer | null {
  if (!isObject(value)) return null
  const { file, annotator, status, spans, countsByTag, updatedAt, problem } = value
  if (typeof file !== 'string' || typeof annotator !== 'string' || typeof status !== 'string' || !STATUSES.has(status)) return null
  if (!isCount(spans) || !isObject(countsByTag) || !Object.values(countsByTag).every(isCount)) return null
  if (updatedAt !== null && typeof updatedAt !== 'string') return null
  if (problem !== undefined && !isProblem(problem)) return null
  const layer: IndexedLayer = {
    file: sharedName(file),
    annotator: sharedName(annotator),
    status: sharedName(status) as DocumentStatus,
    spans,
    countsByTag: sharedCounts(countsByTag as Record<string, number>),
    updatedAt: sharedTime(updatedAt)
  }
  if (problem !== undefined) layer.problem = problem
  return layer
}
