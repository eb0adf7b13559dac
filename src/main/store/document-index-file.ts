// The project's document index on disk: one compact entry per document (name, sizes, every
// layer's status and counts, and the stamp of the files it was made from), so opening a project
// or listing its documents never reads every document. It is a cache, rebuilt from the documents
// whenever it cannot be trusted: it lives in .quire/ (machine-local, never committed by git sync;
// a sync tool that copies it anyway brings stamps that do not match this disk, so each document
// is looked at again), and it is checked entry by entry when read.
//
// .quire/document-index.bin holds the entries as of its writing, in binary columns (schema
// version 3, core/document-index/binary-columns.ts): a line of JSON (the header: format, version,
// the body's length and CRC-32, its sections' lengths, the table of strings), then the body.
// The CRC-32 is what finds a damaged body: unlike JSON, a flipped byte in binary still reads.
// .quire/document-index.json is the index of versions 1 and 2 (one JSON text), still read when
// it is the newer of the two (written by an older Quire) and removed when version 3 is written.
// .quire/document-index.journal holds the entries changed since, one JSON line each, appended
// without fsync (a lost line only means one document is summarised again). The journal is folded into the file when it has grown.
// .quire/document-index-head.json holds the list's first screen (the first entries by name) as
// the file beside it has them, written with it: after a clean close the window starts on it while
// the whole file is read (a second at 100,000 documents).
import { appendFileSync } from 'node:fs'
import { appendFile, open, readFile, rm, stat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { setImmediate } from 'node:timers/promises'
import { crc32 } from 'node:zlib'
import { DOCUMENT_STATUSES, type DocumentStatus } from '../../shared/model'
import { entriesOfColumns, entriesOfIndexColumnsInSlices } from '../../core/document-index/columns'
import { BINARY_SECTIONS, bodyBytesOf, columnsOfBinaryInSlices, encodeBinaryColumns, type BinaryIndexLayout } from '../../core/document-index/binary-columns'
import type { DocumentIndexEntry, IndexedLayer } from '../../core/document-index/entry'
import { isCount, isObject, isProblem } from '../../core/value-checks'
import { byteLines, type ByteLine } from '../../core/formats/byte-lines'
import { runInSlices } from '../../core/stepwise'
import { readLargeFileIfExists, writeFileDurably } from './durable-file'
import { readJsonCacheFile } from './json-cache-file'
import { sharedCounts, sharedLayers, sharedName, sharedTime } from './index-entry-values'

export const DOCUMENT_INDEX_FILE_NAME = 'document-index.bin'
/** Where versions 1 and 2 kept the index (JSON). */
export const LEGACY_DOCUMENT_INDEX_FILE_NAME = 'document-index.json'
export const DOCUMENT_INDEX_JOURNAL_NAME = 'document-index.journal'
export const DOCUMENT_INDEX_HEAD_NAME = 'document-index-head.json'
const DOCUMENT_INDEX_HEAD_FORMAT = 'quire-document-index-head'
/** The head's reading takes the file's header from this many bytes at most (a header holds kilobytes). */
const HEAD_HEADER_BYTES = 64 * 1024
export const DOCUMENT_INDEX_FORMAT = 'quire-document-index'
/** Version 3 keeps the entries in binary columns; version 2's JSON columns and version 1's list of entries are still read. */
export const DOCUMENT_INDEX_SCHEMA_VERSION = 3
const JSON_COLUMNS_SCHEMA_VERSION = 2
const ENTRIES_SCHEMA_VERSION = 1
/** A header longer than this is not one (the table of strings holds annotators, layer files and tags: kilobytes). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024
const NEWLINE = 0x0a
/** Entries made between two turns of the event loop (about 20 ms of work on a slow machine). */
const ENTRIES_PER_TURN = 20_000
/** Bytes checksummed between two turns (the first pass over bytes just read is the dear one: ~20 ms). */
const CHECKSUM_BYTES_PER_TURN = 4 * 1024 * 1024
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
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
      /**
       * The documents folder's stamp (its inode and change time) when the file's entries were
       * found to be its folders, one for one; undefined when the writer did not check. While the
       * folder has it still, no document folder came, went or was renamed: the opening then
       * takes the entries' ids for the folders' names instead of listing them.
       */
      documentsFolder: string | undefined
    }
  | { refused: DocumentIndexRefusal; detail: string }

/** The first entries of the index by name, and how many entries it has (see DocumentIndexFile.readHead). */
export interface DocumentIndexHead {
  entries: DocumentIndexEntry[]
  count: number
}

/** A journal line: an entry made again, a document gone, or a session that may change documents opening the project. */
export type DocumentIndexChange = DocumentIndexEntry | { removed: string } | { opened: string }

export class DocumentIndexFile {
  readonly path: string
  /** The index as versions 1 and 2 wrote it. */
  readonly legacyPath: string
  readonly journalPath: string
  readonly headPath: string

  constructor(localStateDir: string) {
    this.path = join(localStateDir, DOCUMENT_INDEX_FILE_NAME)
    this.legacyPath = join(localStateDir, LEGACY_DOCUMENT_INDEX_FILE_NAME)
    this.journalPath = join(localStateDir, DOCUMENT_INDEX_JOURNAL_NAME)
    this.headPath = join(localStateDir, DOCUMENT_INDEX_HEAD_NAME)
  }

  /** The entries of the file with the journal's lines applied; any doubt refuses the whole index. */
  async read(): Promise<DocumentIndexRead> {
    const file = (await this.#legacyIsNewer()) ? await this.#readLegacy() : await this.#readBinary()
    if ('refused' in file) return file
    const { entries, closed, documentsFolder } = file
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
    return { entries, journalLines, closedCleanly: closed && !opened, documentsFolder }
  }

  /**
   * Writes every entry afresh and empties the journal; `closed` when the project is being closed,
   * `documentsFolder` when the entries were just found to be the documents folder's folders, one
   * for one, the folder having this stamp before they were listed (see DocumentIndexRead).
   * `head`: the first entries by name, kept beside the file (see readHead).
   */
  async write(entries: Iterable<DocumentIndexEntry>, closed = false, documentsFolder?: string, head: readonly DocumentIndexEntry[] = []): Promise<void> {
    const documents = [...entries]
    const file = indexFile(documents, closed, documentsFolder)
    await writeFileDurably(this.path, file.pieces)
    await rm(this.legacyPath, { force: true })
    await rm(this.journalPath, { force: true })
    // After the file: a head left from before it names the old file's checksum, and is not taken.
    await writeFileDurably(this.headPath, JSON.stringify({ format: DOCUMENT_INDEX_HEAD_FORMAT, crc32: file.checksum, count: documents.length, entries: head }))
  }

  /**
   * The head written with the file, when the file's full reading is sure to give the same first
   * entries: it was written with this very file (its checksum and count), as its session closed
   * the project, with no journal since and the documents folder still as the file found it
   * (`documentsFolder`: its stamp now). Null in every other case, and whenever anything in it is
   * in doubt: it only spares the window a wait, the full reading follows.
   */
  async readHead(documentsFolder: string | undefined): Promise<DocumentIndexHead | null> {
    if (documentsFolder === undefined) return null
    try {
      const [text, file, journal, legacyIsNewer] = await Promise.all([readFile(this.headPath, 'utf8'), this.#header(), stat(this.journalPath).catch(() => null), this.#legacyIsNewer()])
      if (file === null || legacyIsNewer || (journal !== null && journal.size > 0)) return null
      const { header } = file
      // A file cut short or grown since (its body's checksum is the full read's to check).
      const layout = layoutOf(header)
      if (layout === null || file.bytes !== file.headerEnd + 1 + bodyBytesOf(layout)) return null
      if (header.format !== DOCUMENT_INDEX_FORMAT || header.schemaVersion !== DOCUMENT_INDEX_SCHEMA_VERSION || header.closed !== true || header.documentsFolder !== documentsFolder) return null
      const head: unknown = JSON.parse(text)
      if (!isObject(head) || head.format !== DOCUMENT_INDEX_HEAD_FORMAT || head.crc32 !== header.crc32 || head.count !== header.count || !isCount(head.count) || !Array.isArray(head.entries)) return null
      if (head.entries.length > head.count) return null
      const entries: DocumentIndexEntry[] = []
      for (const candidate of head.entries) {
        const entry = checkedEntry(candidate)
        if (entry === null) return null
        entries.push(entry)
      }
      return { entries, count: head.count }
    } catch {
      return null
    }
  }

  /** The file's header alone (read from its first bytes), where it ends, and the file's size; null when there is no header there. */
  async #header(): Promise<{ header: Record<string, unknown>; headerEnd: number; bytes: number } | null> {
    const handle = await open(this.path, 'r')
    try {
      const bytes = new Uint8Array(HEAD_HEADER_BYTES)
      const [{ bytesRead }, { size }] = await Promise.all([handle.read(bytes, 0, HEAD_HEADER_BYTES, 0), handle.stat()])
      const read = indexFileHeader(bytes.subarray(0, bytesRead))
      return typeof read === 'string' || !isObject(read.header) ? null : { header: read.header, headerEnd: read.headerEnd, bytes: size }
    } finally {
      await handle.close()
    }
  }

  /** Appends changed entries (and removed ids) to the journal. */
  async append(changes: readonly DocumentIndexChange[]): Promise<void> {
    if (changes.length === 0) return
    const lines = changes.map((change) => `${JSON.stringify(change)}\n`).join('')
    if (lines.length <= SYNC_APPEND_CHARACTERS) appendFileSync(this.journalPath, lines)
    else await appendFile(this.journalPath, lines)
  }

  /** An older Quire that opened the project since wrote the JSON index, not this one: it is the current one. */
  async #legacyIsNewer(): Promise<boolean> {
    const [binary, legacy] = await Promise.all([stat(this.path).catch(() => null), stat(this.legacyPath).catch(() => null)])
    return legacy !== null && (binary === null || legacy.mtimeMs > binary.mtimeMs)
  }

  async #readBinary(): Promise<IndexFileEntries | { refused: DocumentIndexRefusal; detail: string }> {
    const bytes = await readLargeFileIfExists(this.path).catch(() => null)
    if (bytes === null) return { refused: 'missing', detail: `${this.path} does not exist` }
    const damaged = (why: string): { refused: 'damaged'; detail: string } => ({ refused: 'damaged', detail: `${this.path} ${why}` })
    const read = indexFileHeader(bytes)
    if (typeof read === 'string') return damaged(read)
    const { header, headerEnd } = read
    if (!isObject(header) || header.format !== DOCUMENT_INDEX_FORMAT || typeof header.schemaVersion !== 'number') return damaged('is not a Quire document index')
    if (header.schemaVersion > DOCUMENT_INDEX_SCHEMA_VERSION) {
      return { refused: 'newer-version', detail: `${this.path} was written by a newer Quire (schema version ${header.schemaVersion})` }
    }
    if (header.schemaVersion !== DOCUMENT_INDEX_SCHEMA_VERSION) return damaged(`has schema version ${header.schemaVersion}, which is kept as JSON`)
    if (header.littleEndian !== LITTLE_ENDIAN) return damaged('was written on a machine that orders bytes otherwise')
    const layout = layoutOf(header)
    if (layout === null) return damaged('has a header that does not describe its body')
    let body: Uint8Array = bytes.subarray(headerEnd + 1)
    if (body.length !== bodyBytesOf(layout)) return damaged(`is cut short or has bytes added (its body is ${body.length} bytes, its header says ${bodyBytesOf(layout)})`)
    // Each step is followed by a turn of the event loop: the browser edition's server reads the
    // index while the window asks for its scripts, which waited ~0.7 s behind one long read.
    let checksum = 0
    for (let start = 0; start < body.length; start += CHECKSUM_BYTES_PER_TURN) {
      await setImmediate()
      checksum = crc32(body.subarray(start, start + CHECKSUM_BYTES_PER_TURN), checksum)
    }
    if (checksum !== header.crc32) return damaged('is damaged (its body does not match its checksum)')
    // Typed arrays are laid over the bytes where they lie, which needs them 8-byte aligned.
    if (body.byteOffset % 8 !== 0) body = new Uint8Array(body)
    const nextTurn = (): Promise<void> => setImmediate()
    await nextTurn()
    const hexOf = (hashes: Uint8Array): string => Buffer.from(hashes.buffer, hashes.byteOffset, hashes.length).toString('hex')
    const columns = await runInSlices(columnsOfBinaryInSlices(layout, body, hexOf, ENTRIES_PER_TURN), nextTurn)
    if (typeof columns === 'string') return damaged(`is damaged: ${columns}`)
    const listed = await runInSlices(entriesOfIndexColumnsInSlices(columns, ENTRIES_PER_TURN), nextTurn)
    if (typeof listed === 'string') return damaged(`is damaged: ${listed}`)
    const entries = new Map<string, DocumentIndexEntry>()
    for (let position = 0; position < listed.length; position++) {
      if (position % ENTRIES_PER_TURN === 0) await nextTurn()
      const entry = listed[position] as DocumentIndexEntry
      entries.set(entry.id, entry)
    }
    return { entries, closed: header.closed === true, documentsFolder: typeof header.documentsFolder === 'string' ? header.documentsFolder : undefined }
  }

  async #readLegacy(): Promise<IndexFileEntries | { refused: DocumentIndexRefusal; detail: string }> {
    const file = await readJsonCacheFile(this.legacyPath)
    if ('refused' in file) return file
    const { data } = file
    if (!isObject(data) || data.format !== DOCUMENT_INDEX_FORMAT || typeof data.schemaVersion !== 'number') {
      return { refused: 'damaged', detail: `${this.legacyPath} is not a Quire document index` }
    }
    if (data.schemaVersion > DOCUMENT_INDEX_SCHEMA_VERSION) {
      return { refused: 'newer-version', detail: `${this.legacyPath} was written by a newer Quire (schema version ${data.schemaVersion})` }
    }
    const entries = new Map<string, DocumentIndexEntry>()
    if (data.schemaVersion === JSON_COLUMNS_SCHEMA_VERSION && isObject(data.documents)) {
      const listed = entriesOfColumns(data.documents)
      if (typeof listed === 'string') return { refused: 'damaged', detail: `${this.legacyPath}: ${listed}` }
      for (const entry of listed) entries.set(entry.id, entry)
    } else if (data.schemaVersion === ENTRIES_SCHEMA_VERSION && Array.isArray(data.documents)) {
      for (const [position, candidate] of data.documents.entries()) {
        const entry = checkedEntry(candidate)
        if (entry === null) return { refused: 'damaged', detail: `${this.legacyPath}: entry ${position + 1} is not a document summary` }
        entries.set(entry.id, entry)
      }
    } else {
      return { refused: 'damaged', detail: `${this.legacyPath} has no documents of schema version ${data.schemaVersion}` }
    }
    return { entries, closed: data.closed === true, documentsFolder: undefined }
  }
}

/** The header of a version 3 index file and where it ends (its newline), or why there is none. */
export function indexFileHeader(bytes: Uint8Array): { header: unknown; headerEnd: number } | string {
  const headerEnd = bytes.subarray(0, MAX_HEADER_BYTES).indexOf(NEWLINE)
  if (headerEnd < 0) return 'is not a Quire document index (it has no header)'
  try {
    return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(0, headerEnd))), headerEnd }
  } catch {
    return 'is not a Quire document index (its header is not JSON)'
  }
}

/** The entries of the index file (before its journal) and whether the session that wrote it closed the project. */
interface IndexFileEntries {
  entries: Map<string, DocumentIndexEntry>
  closed: boolean
  documentsFolder: string | undefined
}

/** The header's account of the body, when it is a whole one. */
function layoutOf(header: Record<string, unknown>): BinaryIndexLayout | null {
  const { count, sections, textEncoding, strings, problems, layerProblems, crc32: checksum } = header
  if (!isCount(count) || !isCount(checksum) || !Array.isArray(sections) || sections.length !== BINARY_SECTIONS.length || !sections.every(isCount)) return null
  if ((textEncoding !== 'utf8' && textEncoding !== 'utf16') || !Array.isArray(strings) || !strings.every((value) => typeof value === 'string')) return null
  if (!isObject(problems) || !isObject(layerProblems)) return null
  return {
    count,
    sections: sections as number[],
    textEncoding,
    strings: strings as string[],
    problems: problems as BinaryIndexLayout['problems'],
    layerProblems: layerProblems as BinaryIndexLayout['layerProblems']
  }
}

/**
 * The file: its header line (padded with spaces so the body starts at a multiple of 8 bytes, where
 * typed arrays can be laid over it as read), then the body's sections; and the body's checksum.
 */
function indexFile(documents: readonly DocumentIndexEntry[], closed: boolean, documentsFolder: string | undefined): { pieces: Uint8Array[]; checksum: number } {
  const { layout, pieces } = encodeBinaryColumns(documents)
  let checksum = 0
  for (const piece of pieces) checksum = crc32(piece, checksum)
  const header = new TextEncoder().encode(
    JSON.stringify({ format: DOCUMENT_INDEX_FORMAT, schemaVersion: DOCUMENT_INDEX_SCHEMA_VERSION, closed, littleEndian: LITTLE_ENDIAN, crc32: checksum, ...layout, ...(documentsFolder === undefined ? {} : { documentsFolder }) })
  )
  const padded = new Uint8Array(Math.ceil((header.length + 1) / 8) * 8).fill(0x20)
  padded.set(header)
  padded[padded.length - 1] = NEWLINE
  return { pieces: [padded, ...pieces], checksum }
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
