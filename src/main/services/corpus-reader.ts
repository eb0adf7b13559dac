// Reads one document of a project at a time for exports and statistics: its current text (the
// original, checked against the SHA-256 recorded at import, with its revisions applied) and
// every annotator's layer placed on that text (mapped forward when anchored to an earlier one).
//
// Exporters are synchronous generators that pull the next document when they need it
// (src/core/formats), so the document must be at hand the moment it is pulled. The files of
// the next few documents are therefore fetched ahead, asynchronously and in parallel
// (CorpusPrefetcher), which hides disk latency; a document pulled before its files arrived
// is read synchronously. Parsing and checking happen when the document is pulled, so only
// a few documents are ever in memory, whatever the size of the project.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { QuireError, type QuireErrorInfo } from '../../shared/api'
import { ORIGINAL_REVISION, type AnnotationLayer, type DocumentRecord, type TextRevisionHead } from '../../shared/model'
import type { RevisionGraph } from '../../core/text-revisions/revision-graph'
import { applyRevisionChain, textAtRevision } from '../../core/text-revisions/apply-chain'
import { isErrnoCode, readFileBytes } from '../store/durable-file'
import { parseLayerWithJournal, readJournalIfExists, readJournalSyncIfExists } from '../store/layer-on-disk'
import { placeLayerOnHead } from '../store/layer-anchoring'
import { decodeOriginal, readRevisionFolder, readRevisionFolderSync, REVISIONS_FOLDER, revisionGraphOf, type RevisionFolderRead } from '../store/revision-files'
import { journalPathOf } from '../store/layer-journal'
import { ANNOTATIONS_FOLDER, compareListings, DOCUMENT_FILE_NAME, parseDocumentFile, sha256Hex, TEXT_FILE_NAME, type DocumentListing, type ProjectStore } from '../store/project-store'
import { mapInParallel } from './map-in-parallel'

export interface CorpusDocument {
  record: DocumentRecord
  /** The revision `text` and every layer's offsets are at. */
  head: TextRevisionHead
  /** Null when only the layers were asked for (and the text was never edited). */
  text: string | null
  layers: AnnotationLayer[]
  /** The text's revisions, for placing a layer read some other way (see placeCorpusLayer). */
  graph: RevisionGraph
  /** The text at a revision off the current history (a layer anchored to a set-aside revision); absent when the text was not read. */
  textAt?: (revisionId: string) => string
}

/** A file of the document that could not be read; the rest of the document is still returned. */
export interface CorpusReadProblem {
  documentId: string
  documentName: string
  path: string
  message: string
}

type FileRead = { path: string; bytes: Buffer } | { path: string; error: unknown }
/** A layer file with its journal's bytes (null: none), read together so the layer is whole. */
type LayerFileRead = { path: string; bytes: Buffer; journal: Buffer | null } | { path: string; error: unknown }

/** A document's files as read from disk, not yet checked. Reading never throws: errors are kept. */
export interface RawCorpusDocument {
  record: DocumentRecord
  /** The revisions folder's files, or the error listing it. */
  revisions: RevisionFolderRead[] | { path: string; error: unknown }
  /** Read when asked for, and whenever the text has revisions (layers may need mapping onto it). */
  text: FileRead | null
  /** The layer files, or the error listing the annotations folder. */
  layers: LayerFileRead[] | { path: string; error: unknown }
}

/** Where a document's files live: a ProjectStore, or in an export worker just the project folder. */
export type DocumentFolders = Pick<ProjectStore, 'documentFolder'>

function layerFileNames(entries: string[]): string[] {
  // Temp files of an interrupted save start with "."; they are never a layer.
  return entries.filter((entry) => entry.endsWith('.json') && !entry.startsWith('.')).sort()
}

export function readRawDocumentSync(store: DocumentFolders, record: DocumentRecord, withText: boolean): RawCorpusDocument {
  const folder = store.documentFolder(record.id)
  const readSync = (path: string): FileRead => {
    try {
      return { path, bytes: readFileSync(path) }
    } catch (error) {
      return { path, error }
    }
  }
  const annotationsFolder = join(folder, ANNOTATIONS_FOLDER)
  let layers: RawCorpusDocument['layers']
  try {
    const entries = readdirSync(annotationsFolder)
    const listed = new Set(entries)
    layers = layerFileNames(entries).map((name) => readLayerFileSync(join(annotationsFolder, name), listed))
  } catch (error) {
    layers = isErrnoCode(error, 'ENOENT') ? [] : { path: annotationsFolder, error }
  }
  let revisions: RawCorpusDocument['revisions']
  try {
    // Most texts were never edited: a stat that does not throw spares an error object per document.
    revisions = statSync(join(folder, REVISIONS_FOLDER), { throwIfNoEntry: false }) === undefined ? [] : readRevisionFolderSync(folder)
  } catch (error) {
    revisions = { path: join(folder, REVISIONS_FOLDER), error }
  }
  const needsText = withText || !Array.isArray(revisions) || revisions.length > 0
  return { record, revisions, text: needsText ? readSync(join(folder, TEXT_FILE_NAME)) : null, layers }
}

/**
 * A layer file and its journal, read synchronously. `listed` is the annotations folder's
 * listing: a journal it does not name is not looked for (most layers have none, and each
 * failed open would cost a system call and a thrown error).
 */
function readLayerFileSync(path: string, listed: ReadonlySet<string>): LayerFileRead {
  try {
    // The journal first: a compaction between the two reads then only repeats entries the
    // new file records as included, which replay skips; the other order could miss saves.
    const journal = listed.has(basename(journalPathOf(path))) ? readJournalSyncIfExists(path) : null
    return { path, bytes: readFileSync(path), journal }
  } catch (error) {
    return { path, error }
  }
}

export async function readRawDocument(store: DocumentFolders, record: DocumentRecord, withText: boolean): Promise<RawCorpusDocument> {
  const folder = store.documentFolder(record.id)
  const read = (path: string): Promise<FileRead> =>
    readFileBytes(path).then(
      (bytes) => ({ path, bytes }),
      (error: unknown) => ({ path, error })
    )
  // The journal first, and only when the listing names one, as in readLayerFileSync.
  const readLayer = (path: string, listed: ReadonlySet<string>): Promise<LayerFileRead> =>
    (listed.has(basename(journalPathOf(path))) ? readJournalIfExists(path) : Promise.resolve(null))
      .then(async (journal): Promise<LayerFileRead> => ({ path, bytes: await readFileBytes(path), journal }))
      .catch((error: unknown) => ({ path, error }))
  const annotationsFolder = join(folder, ANNOTATIONS_FOLDER)
  const layers = readdir(annotationsFolder).then(
    (entries) => {
      const listed = new Set(entries)
      return Promise.all(layerFileNames(entries).map((name) => readLayer(join(annotationsFolder, name), listed)))
    },
    (error: unknown): RawCorpusDocument['layers'] => (isErrnoCode(error, 'ENOENT') ? [] : { path: annotationsFolder, error })
  )
  const revisions = readRevisionFolder(folder).then(
    (files) => files,
    (error: unknown): RawCorpusDocument['revisions'] => ({ path: join(folder, REVISIONS_FOLDER), error })
  )
  const text = withText ? read(join(folder, TEXT_FILE_NAME)) : null
  const knownRevisions = await revisions
  const needsText = withText || !Array.isArray(knownRevisions) || knownRevisions.length > 0
  return { record, revisions: knownRevisions, text: await (text ?? (needsText ? read(join(folder, TEXT_FILE_NAME)) : null)), layers: await layers }
}

/**
 * The document's current text and layers. A text that cannot be read, no longer matches its
 * SHA-256 or whose revisions cannot be listed makes the whole document unusable (offsets would
 * point at the wrong words): the problem is reported and null returned. A damaged revision is
 * reported and the document read as of the last revision that checks out. A layer that cannot be
 * read or placed on the text is reported and left out.
 */
export function parseCorpusDocument(raw: RawCorpusDocument, onProblem: (problem: CorpusReadProblem) => void): CorpusDocument | null {
  const { record } = raw
  const report = (path: string, message: string): void => onProblem({ documentId: record.id, documentName: record.name, path, message })
  if (!Array.isArray(raw.revisions)) {
    report(raw.revisions.path, `the text revisions of "${record.name}" could not be listed (${describeError(raw.revisions.error)}); document left out`)
    return null
  }
  let graph = revisionGraphOf(record, raw.revisions)
  let text: string | null = null
  let originalText: string | null = null
  if (raw.text !== null) {
    const { path } = raw.text
    if ('error' in raw.text) {
      report(path, `the text of "${record.name}" could not be read (${describeError(raw.text.error)}); document left out`)
      return null
    }
    try {
      // Decoded exactly as ProjectStore decodes it, so offsets agree with the app's.
      text = decodeOriginal(record, path, raw.text.bytes, sha256Hex)
    } catch (error) {
      report(path, `${describeError(error).replace(/\.$/, '')}; document left out`)
      return null
    }
    originalText = text
    if (graph.head.id !== ORIGINAL_REVISION) {
      const applied = applyRevisionChain(graph, { sha256: record.sha256, length: record.length, text }, (value) => sha256Hex(value))
      graph = applied.graph
      text = applied.text
    }
  }
  const original = originalText
  const textAt = original === null ? undefined : (revisionId: string): string => textAtRevision(graph, original, revisionId)
  if (graph.problem) report(graph.problem.kind === 'damaged' ? graph.problem.path : record.id, `${graph.problem.message} (read as of revision ${graph.head.id})`)
  const document: CorpusDocument = { record, head: graph.head, text, layers: [], graph, ...(textAt ? { textAt } : {}) }
  if (!Array.isArray(raw.layers)) {
    report(raw.layers.path, `the annotations of "${record.name}" could not be listed (${describeError(raw.layers.error)})`)
    return document
  }
  for (const file of raw.layers) addCorpusLayerFile(document, file, onProblem)
  return document
}

/** Parses one of the document's layer files and adds its layer, placed on the current text; a problem is reported instead. */
export function addCorpusLayerFile(document: CorpusDocument, file: LayerFileRead, onProblem: (problem: CorpusReadProblem) => void): void {
  const { record } = document
  try {
    if ('error' in file) throw file.error
    // The file with its journal's saves replayed, in the file's revision; then placed on the head.
    const { layer: stored, warning } = parseLayerWithJournal(file.bytes, file.journal, file.path)
    // Reported, not refused: the layer is whole but for a save that was never confirmed.
    if (warning !== null) onProblem({ documentId: record.id, documentName: record.name, path: file.path, message: warning })
    const layer = placeCorpusLayer(document, stored, file.path, onProblem)
    if (layer) document.layers.push(layer)
  } catch (error) {
    onProblem({ documentId: document.record.id, documentName: document.record.name, path: file.path, message: `${describeError(error)} Its spans are left out.` })
  }
}

/** A layer of the document placed on its current text, or null (reported) when it cannot be. */
export function placeCorpusLayer(document: CorpusDocument, layer: AnnotationLayer, path: string, onProblem: (problem: CorpusReadProblem) => void): AnnotationLayer | null {
  const { record, graph, text } = document
  try {
    return placeLayerOnHead(layer, record, graph, () => {
      // Only reached for a layer anchored to an earlier revision, which implies revisions, so the text was read.
      if (text === null) throw new Error(`the text of "${record.name}" was not read`)
      return text
    }, path, document.textAt)
  } catch (error) {
    onProblem({ documentId: record.id, documentName: record.name, path, message: `${asSentence(describeError(error))} Its spans are left out.` })
    return null
  }
}

export function readCorpusDocumentSync(
  store: ProjectStore,
  record: DocumentRecord,
  options: { withText: boolean; onProblem: (problem: CorpusReadProblem) => void }
): CorpusDocument | null {
  return parseCorpusDocument(readRawDocumentSync(store, record, options.withText), options.onProblem)
}

const LISTING_READS_IN_FLIGHT = 32

/**
 * The project's documents as ProjectStore.listDocuments gives them (same order, same
 * problems), with the document.json files read in parallel: one after another, 10,000 of
 * them take seconds before an export can even start.
 */
export async function listDocumentsInParallel(store: ProjectStore): Promise<DocumentListing[]> {
  const listings = await mapInParallel(await store.documentFolderNames(), LISTING_READS_IN_FLIGHT, async (id): Promise<DocumentListing | null> => {
    try {
      return { id, record: await store.readRecord(id) }
    } catch (error) {
      const problem = QuireError.from(error)
      // A folder without document.json is a half-finished import, which listing skips.
      return problem.code !== 'not-found' ? { id, problem } : null
    }
  })
  return listings.filter((listing): listing is DocumentListing => listing !== null).sort(compareListings)
}

/** A DocumentListing as it crosses to another thread: the problem as plain data (a class does not survive the copy). */
export type PortableListing = { id: string; record: DocumentRecord } | { id: string; problem: QuireErrorInfo }

/**
 * One folder's listing read synchronously, as ProjectStore.readRecord gives it (for workers,
 * which have no store); null for a folder without document.json, a half-finished import that
 * listing skips.
 */
export function readListingSync(documentsFolder: string, documentId: string): PortableListing | null {
  const path = join(documentsFolder, documentId, DOCUMENT_FILE_NAME)
  try {
    return { id: documentId, record: parseDocumentFile(readFileSync(path), path, documentId) }
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return null
    return { id: documentId, problem: QuireError.from(error).toInfo() }
  }
}

export function fromPortableListing(listing: PortableListing): DocumentListing {
  return 'problem' in listing ? { id: listing.id, problem: new QuireError(listing.problem) } : listing
}

const PREFETCH_DOCUMENTS = 16
/** Bytes of text fetched ahead at most (one huge document is still fetched on its own). */
const PREFETCH_TEXT_BYTES = 32 * 2 ** 20

/** Fetches the files of the next documents while the current one is being converted. */
export class CorpusPrefetcher {
  private readonly fetching = new Map<number, Promise<RawCorpusDocument>>()
  private readonly fetched = new Map<number, RawCorpusDocument>()
  private nextToFetch = 0
  private lastTaken = -1

  constructor(
    private readonly store: ProjectStore,
    private readonly records: readonly DocumentRecord[],
    private readonly withText: boolean
  ) {}

  /** Starts fetching from `index` on and waits until document `index` is at hand. */
  async prepare(index: number): Promise<void> {
    if (index >= this.records.length) return
    this.nextToFetch = Math.max(this.nextToFetch, index)
    let aheadBytes = 0
    for (let ahead = index; ahead < this.nextToFetch; ahead++) aheadBytes += this.records[ahead]?.sizeBytes ?? 0
    while (
      this.nextToFetch < this.records.length &&
      this.nextToFetch < index + PREFETCH_DOCUMENTS &&
      (this.nextToFetch === index || aheadBytes < PREFETCH_TEXT_BYTES)
    ) {
      const fetchIndex = this.nextToFetch++
      const record = this.records[fetchIndex] as DocumentRecord
      aheadBytes += record.sizeBytes
      this.fetching.set(
        fetchIndex,
        readRawDocument(this.store, record, this.withText).then((raw) => {
          this.fetching.delete(fetchIndex)
          // A document already read synchronously must not linger here.
          if (fetchIndex > this.lastTaken) this.fetched.set(fetchIndex, raw)
          return raw
        })
      )
    }
    await this.fetching.get(index)
  }

  /** Document `index`: fetched ahead when it was, else read now. */
  take(index: number): RawCorpusDocument {
    this.lastTaken = Math.max(this.lastTaken, index)
    const raw = this.fetched.get(index)
    this.fetched.delete(index)
    return raw ?? readRawDocumentSync(this.store, this.records[index] as DocumentRecord, this.withText)
  }
}

function asSentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`
}

function describeError(error: unknown): string {
  return error instanceof QuireError || error instanceof Error ? error.message : String(error)
}
