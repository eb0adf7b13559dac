// Reads one document of a project at a time for exports and statistics: its text (checked
// against the SHA-256 recorded at import) and every annotator's layer.
//
// Exporters are synchronous generators that pull the next document when they need it
// (src/core/formats), so the document must be at hand the moment it is pulled. The files of
// the next few documents are therefore fetched ahead, asynchronously and in parallel
// (CorpusPrefetcher), which hides disk latency; a document pulled before its files arrived
// is read synchronously. Parsing and checking happen when the document is pulled, so only
// a few documents are ever in memory, whatever the size of the project.
import { readdirSync, readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { QuireError } from '../../shared/api'
import type { AnnotationLayer, DocumentRecord } from '../../shared/model'
import { isErrnoCode, readFileBytes } from '../store/durable-file'
import { parseLayerWithJournal, readJournalIfExists, readJournalSyncIfExists } from '../store/layer-on-disk'
import { ANNOTATIONS_FOLDER, sha256Hex, TEXT_FILE_NAME, type DocumentListing, type ProjectStore } from '../store/project-store'

export interface CorpusDocument {
  record: DocumentRecord
  /** Null when only the layers were asked for. */
  text: string | null
  layers: AnnotationLayer[]
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
  const readLayerSync = (path: string): LayerFileRead => {
    try {
      // The journal first: a compaction between the two reads then only repeats entries the
      // new file records as included, which replay skips; the other order could miss saves.
      const journal = readJournalSyncIfExists(path)
      return { path, bytes: readFileSync(path), journal }
    } catch (error) {
      return { path, error }
    }
  }
  const annotationsFolder = join(folder, ANNOTATIONS_FOLDER)
  let layers: RawCorpusDocument['layers']
  try {
    layers = layerFileNames(readdirSync(annotationsFolder)).map((name) => readLayerSync(join(annotationsFolder, name)))
  } catch (error) {
    layers = isErrnoCode(error, 'ENOENT') ? [] : { path: annotationsFolder, error }
  }
  return { record, text: withText ? readSync(join(folder, TEXT_FILE_NAME)) : null, layers }
}

export async function readRawDocument(store: DocumentFolders, record: DocumentRecord, withText: boolean): Promise<RawCorpusDocument> {
  const folder = store.documentFolder(record.id)
  const read = (path: string): Promise<FileRead> =>
    readFileBytes(path).then(
      (bytes) => ({ path, bytes }),
      (error: unknown) => ({ path, error })
    )
  // The journal first, as in readRawDocumentSync.
  const readLayer = (path: string): Promise<LayerFileRead> =>
    readJournalIfExists(path)
      .then(async (journal): Promise<LayerFileRead> => ({ path, bytes: await readFileBytes(path), journal }))
      .catch((error: unknown) => ({ path, error }))
  const annotationsFolder = join(folder, ANNOTATIONS_FOLDER)
  const layers = readdir(annotationsFolder).then(
    (entries) => Promise.all(layerFileNames(entries).map((name) => readLayer(join(annotationsFolder, name)))),
    (error: unknown): RawCorpusDocument['layers'] => (isErrnoCode(error, 'ENOENT') ? [] : { path: annotationsFolder, error })
  )
  const text = withText ? read(join(folder, TEXT_FILE_NAME)) : Promise.resolve(null)
  return { record, text: await text, layers: await layers }
}

/**
 * The document's text and layers. A text that cannot be read or no longer matches its
 * SHA-256 makes the whole document unusable (offsets would point at the wrong words): the
 * problem is reported and null returned. A layer that cannot be read is reported and left out.
 */
export function parseCorpusDocument(raw: RawCorpusDocument, onProblem: (problem: CorpusReadProblem) => void): CorpusDocument | null {
  const { record } = raw
  const report = (path: string, message: string): void => onProblem({ documentId: record.id, documentName: record.name, path, message })
  let text: string | null = null
  if (raw.text !== null) {
    const { path } = raw.text
    if ('error' in raw.text) {
      report(path, `the text of "${record.name}" could not be read (${describeError(raw.text.error)}); document left out`)
      return null
    }
    if (sha256Hex(raw.text.bytes) !== record.sha256) {
      report(path, `the text of "${record.name}" (${path}) was changed after it was imported, so its offsets cannot be trusted; document left out`)
      return null
    }
    try {
      // Decoded exactly as ProjectStore.readText decodes it, so offsets agree with the app's.
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw.text.bytes)
    } catch (error) {
      report(path, `the text of "${record.name}" is not UTF-8 (${describeError(error)}); document left out`)
      return null
    }
  }
  if (!Array.isArray(raw.layers)) {
    report(raw.layers.path, `the annotations of "${record.name}" could not be listed (${describeError(raw.layers.error)})`)
    return { record, text, layers: [] }
  }
  const layers: AnnotationLayer[] = []
  for (const file of raw.layers) {
    try {
      if ('error' in file) throw file.error
      const { layer, warning } = parseLayerWithJournal(file.bytes, file.journal, file.path)
      // Reported, not refused: the layer is whole but for a save that was never confirmed.
      if (warning !== null) report(file.path, warning)
      if (layer.documentId !== record.id || layer.textSha256 !== record.sha256) {
        report(file.path, `the annotation file ${file.path} belongs to another document or another version of the text of "${record.name}"; its spans are left out`)
        continue
      }
      layers.push(layer)
    } catch (error) {
      report(file.path, `${describeError(error)} Its spans are left out.`)
    }
  }
  return { record, text, layers }
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
  const ids = await store.documentFolderNames()
  const listings: Array<DocumentListing | null> = new Array<DocumentListing | null>(ids.length).fill(null)
  let next = 0
  const readNext = async (): Promise<void> => {
    while (next < ids.length) {
      const index = next++
      const id = ids[index] as string
      try {
        listings[index] = { id, record: await store.readRecord(id) }
      } catch (error) {
        const problem = QuireError.from(error)
        // A folder without document.json is a half-finished import, which listing skips.
        if (problem.code !== 'not-found') listings[index] = { id, problem }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(LISTING_READS_IN_FLIGHT, ids.length) }, readNext))
  const sortName = (listing: DocumentListing): string => ('record' in listing ? listing.record.name : listing.id)
  return listings
    .filter((listing): listing is DocumentListing => listing !== null)
    .sort((a, b) => sortName(a).localeCompare(sortName(b)) || a.id.localeCompare(b.id))
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

function describeError(error: unknown): string {
  return error instanceof QuireError || error instanceof Error ? error.message : String(error)
}
