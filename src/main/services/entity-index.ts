// Each document's mentions tallied by grouping key (src/core/entities/entity-grouping.ts), kept
// while the document's files are unchanged: listing the entities of a 10,000-document project
// then costs a look at each document's files (a directory listing and a stat per layer), and
// only the documents that changed since are read and tallied again.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { tallyMentions, type TalliedDocument } from '../../core/entities/entity-grouping'
import type { AnnotationLayer, DocumentRecord } from '../../shared/model'
import { layerStamp } from '../store/layer-on-disk'
import type { ProjectStore } from '../store/project-store'
import { REVISIONS_FOLDER } from '../store/revision-files'
import { listDocumentsInParallel, parseCorpusDocument, readRawDocument, type CorpusReadProblem } from './corpus-reader'
import { mapInParallel } from './map-in-parallel'

const DOCUMENTS_IN_FLIGHT = 32

interface CachedTally {
  signature: string
  document: TalliedDocument
}

export class EntityMentionIndex {
  #store: ProjectStore | null = null
  #byDocument = new Map<string, CachedTally>()

  /** Every readable document's tally, in the document list's order; unreadable files are reported and left out. */
  async tallies(store: ProjectStore, onProblem: (problem: CorpusReadProblem) => void = () => undefined): Promise<TalliedDocument[]> {
    if (store !== this.#store) {
      this.#store = store
      this.#byDocument = new Map()
    }
    const records = (await listDocumentsInParallel(store)).flatMap((listing) => ('record' in listing ? [listing.record] : []))
    const tallies = await mapInParallel(records, DOCUMENTS_IN_FLIGHT, (record) => this.#tally(store, record, onProblem))
    const seen = new Set(records.map((record) => record.id))
    for (const id of this.#byDocument.keys()) if (!seen.has(id)) this.#byDocument.delete(id)
    return tallies.filter((tally): tally is TalliedDocument => tally !== null)
  }

  async #tally(store: ProjectStore, record: DocumentRecord, onProblem: (problem: CorpusReadProblem) => void): Promise<TalliedDocument | null> {
    const signature = await documentSignature(store, record)
    const cached = this.#byDocument.get(record.id)
    if (cached && cached.signature === signature) return cached.document
    const layers = await readPlacedLayers(store, record, onProblem)
    if (layers === null) return null
    const document: TalliedDocument = { documentId: record.id, documentName: record.name, tally: tallyMentions(layers.flatMap((layer) => layer.annotations)) }
    this.#byDocument.set(record.id, { signature, document })
    return document
  }
}

/** Every layer of the document placed on its current text; null (reported) when the document cannot be read. */
export async function readPlacedLayers(store: ProjectStore, record: DocumentRecord, onProblem: (problem: CorpusReadProblem) => void): Promise<AnnotationLayer[] | null> {
  const document = parseCorpusDocument(await readRawDocument(store, record, false), onProblem)
  return document?.layers ?? null
}

/** The document's current text with its layers placed on it; null (reported) when it cannot be read. */
export async function readPlacedDocument(store: ProjectStore, record: DocumentRecord, onProblem: (problem: CorpusReadProblem) => void): Promise<{ text: string | null; layers: AnnotationLayer[] } | null> {
  const document = parseCorpusDocument(await readRawDocument(store, record, true), onProblem)
  return document === null ? null : { text: document.text, layers: document.layers }
}

/** What changes when any of the document's layers, or its text's revisions, change. */
async function documentSignature(store: ProjectStore, record: DocumentRecord): Promise<string> {
  const folder = store.documentFolder(record.id)
  const revisions = await stat(join(folder, REVISIONS_FOLDER)).then(
    (info) => `${info.mtimeMs}`,
    () => 'none'
  )
  const parts = [record.sha256, revisions]
  for (const path of await store.layerFilePaths(record.id)) {
    const stamp = await layerStamp(path).catch(() => null)
    parts.push(stamp === null ? `${path}:gone` : `${path}:${stamp.size}:${stamp.mtimeMs}:${stamp.journal}`)
  }
  return parts.join('|')
}
