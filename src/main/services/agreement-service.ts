// Agreement figures and disagreement lists over chosen documents and annotators. Documents are
// read one at a time (CorpusPrefetcher fetches the next few ahead), so a project of 10,000
// documents runs in flat memory; the app, `quire agreement` and the agreement screen's
// "open the disagreements of this cell" all go through here.
//
// The agreement of 200 documents or more is measured on worker threads, one per core (at most
// 4): batches of 50 documents each go to a worker, which reads, checks and measures them into
// sums of its own (agreement-batch.ts); this thread merges the sums in batch order, and with
// them the problems, so the outcome is the single thread's. Documents with a layer this store
// has loaded (its state in memory may be newer than the file) are measured here, batch and all.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { AgreementAccumulator } from '../../core/review/agreement'
import { compareLayers, DISAGREEMENT_KINDS, filterPositions, type PositionKind } from '../../core/review/compare'
import type {
  AgreementOutcome,
  AgreementScope,
  Annotation,
  AnnotationLayer,
  DisagreementItem,
  DisagreementList,
  DisagreementQuery,
  DocumentRecord
} from '../../shared/model'
import { layerStamp, type LayerStamp } from '../store/layer-on-disk'
import { documentIdOfPath, type ProjectStore } from '../store/project-store'
import {
  addDocumentLayers,
  addLayerAnnotators,
  type AgreementBatchJob,
  type AgreementBatchOutput,
  type AgreementBatchSettings,
  type AgreementProblem
} from './agreement-batch'
import { addCorpusLayerFile, CorpusPrefetcher, listDocumentsInParallel, parseCorpusDocument, placeCorpusLayer, type CorpusReadProblem, type RawCorpusDocument } from './corpus-reader'
import { disagreementExcerpt } from '../../core/review/disagreement-excerpt'
import { parsedLayers } from './parsed-layer-cache'
import { documentBatches, workerEntry, WorkerPool, workerThreadCount, type BatchesRunHere, type WorkerEntry } from './worker-pool'

/** Documents read between turns of the event loop, so a long run never stalls other calls. */
const DOCUMENTS_PER_TURN = 20

export interface AgreementRunOptions {
  /**
   * Worker threads measuring documents; 0 measures on this thread. By default one per core
   * (at most 4) for 200 documents or more, none for fewer. The outcome is the same either way.
   */
  workerThreads?: number
  /** Where the workers' code is; tests point it elsewhere to see workers fail to start. */
  workerEntry?: WorkerEntry | URL
}

type AgreementWorkerPool = WorkerPool<AgreementBatchSettings, AgreementBatchJob, AgreementBatchOutput>

export async function computeAgreement(store: ProjectStore, scope: AgreementScope, options: AgreementRunOptions = {}): Promise<AgreementOutcome> {
  const tags = store.manifest.tags.map((tag) => tag.id)
  // Workers start while the documents are listed: both take a moment, and listing mostly
  // waits on the disk while a starting worker mostly loads code.
  const expectedDocuments = scope.documentIds === 'all' ? (await store.documentFolderNames()).length : new Set(scope.documentIds).size
  const workerThreads = options.workerThreads ?? workerThreadCount(expectedDocuments)
  const startedPool: AgreementWorkerPool | null = workerThreads > 0 ? new WorkerPool(options.workerEntry ?? workerEntry('agreement-worker'), { projectDir: store.dir, tags }, workerThreads) : null
  try {
    const problems: AgreementProblem[] = []
    const records = await chosenRecords(store, scope, problems)
    // Workers that could not start leave the work to this thread, which gives the same.
    const pool = startedPool !== null && (await startedPool.ready()) ? startedPool : null
    const here = batchesWithLoadedLayers(store, tags)
    const annotators = scope.annotators === 'all' ? await annotatorsIn(store, records, pool && { pool, here }) : [...scope.annotators]
    const accumulator = new AgreementAccumulator({ annotators, tags })
    if (pool === null) {
      await eachDocument(store, records, true, problems, (_record, text, layers) => addDocumentLayers(accumulator, annotators, text, layers))
    } else {
      for await (const output of pool.convert(agreementJobs(records, 'sums', annotators), here)) {
        accumulator.addSums(output.sums as NonNullable<AgreementBatchOutput['sums']>)
        problems.push(...output.problems)
      }
    }
    return { report: accumulator.report(), problems }
  } finally {
    await startedPool?.close()
  }
}

function agreementJobs(records: readonly DocumentRecord[], pass: AgreementBatchJob['pass'], annotators: readonly string[]): AgreementBatchJob[] {
  return documentBatches(records).map((batch) => ({ ...batch, pass, annotators: [...annotators] }))
}

/**
 * The batches holding a document with a layer this store has loaded, measured on this thread
 * as the single-threaded run measures them: a loaded layer's state in memory is the newest
 * (a save may still be on its way to the file the worker would read).
 */
function batchesWithLoadedLayers(store: ProjectStore, tags: readonly string[]): BatchesRunHere<AgreementBatchJob, AgreementBatchOutput> {
  const documentIds = new Set(store.loadedLayerPaths().map((path) => documentIdOfPath(store.dir, path)))
  return {
    takes: (job) => job.records.some((record) => documentIds.has(record.id)),
    run: async (job) => {
      if (job.pass === 'annotators') {
        const names = new Set<string>()
        await eachDocument(store, job.records, false, [], (_record, _text, layers) => addLayerAnnotators(names, layers))
        return { batchIndex: job.batchIndex, annotators: [...names], sums: null, problems: [] }
      }
      const problems: AgreementProblem[] = []
      const accumulator = new AgreementAccumulator({ annotators: job.annotators, tags })
      await eachDocument(store, job.records, true, problems, (_record, text, layers) => addDocumentLayers(accumulator, job.annotators, text, layers))
      return { batchIndex: job.batchIndex, annotators: [], sums: accumulator.toSums(), problems }
    }
  }
}

/**
 * The disagreements behind one cell of the agreement screen, in document order: positions where
 * the chosen annotators (or the cell's pair) disagree, filtered by tag, kind and labels.
 */
export async function listDisagreements(store: ProjectStore, query: DisagreementQuery): Promise<DisagreementList> {
  const problems: AgreementProblem[] = []
  const records = await chosenRecords(store, query, problems)
  const annotators = query.pair ? [...query.pair] : query.annotators === 'all' ? await annotatorsIn(store, records) : [...query.annotators]
  if (annotators.length < 2) return { annotators, items: [], total: 0, problems }
  const limit = query.limit ?? 500
  const items: DisagreementItem[] = []
  let total = 0
  await eachDocument(store, records, true, problems, (record, text, layers) => {
    const byAnnotator = new Map(layers.map((layer) => [layer.annotator, layer.annotations]))
    // A pair's cell counts only documents both have a layer on, as its figures do.
    if (query.pair && annotators.some((annotator) => !byAnnotator.has(annotator))) return
    const comparison = compareLayers(annotators.map((annotator) => ({ annotator, spans: byAnnotator.get(annotator) ?? [] })))
    const filter = { kinds: new Set<PositionKind>(query.kinds ?? DISAGREEMENT_KINDS), ...(query.tag ? { tags: new Set([query.tag]) } : {}) }
    for (const position of filterPositions(comparison.positions, filter)) {
      if (query.labels && !matchesLabels(position.spansByAnnotator, query.labels)) continue
      total++
      if (items.length >= limit) continue
      const spans = position.spansByAnnotator.flatMap((entry) =>
        entry.spans.map((span) => ({ annotator: entry.annotator, start: span.start, end: span.end, tag: span.tag, text: span.text }))
      )
      items.push({
        documentId: record.id,
        documentName: record.name,
        positionId: position.id,
        kind: position.kind,
        start: position.start,
        end: position.end,
        ...disagreementExcerpt(text, position.start, position.end),
        spans
      })
    }
  })
  return { annotators, items, total, problems }
}

/** A confusion cell: the first annotator's spans here carry label[0] (none for O), the second's label[1]. */
function matchesLabels(entries: readonly { annotator: string; spans: readonly Annotation[] }[], labels: readonly [string, string]): boolean {
  return entries.slice(0, 2).every((entry, index) => {
    const label = labels[index]
    return label === 'O' ? entry.spans.length === 0 : entry.spans.some((span) => span.tag === label)
  })
}

async function chosenRecords(store: ProjectStore, scope: AgreementScope, problems: AgreementProblem[]): Promise<DocumentRecord[]> {
  if (scope.documentIds !== 'all') {
    const records: DocumentRecord[] = []
    for (const id of new Set(scope.documentIds)) records.push(await store.readRecord(id))
    return records
  }
  const records: DocumentRecord[] = []
  for (const listing of await listDocumentsInParallel(store)) {
    if ('record' in listing) records.push(listing.record)
    else problems.push({ path: listing.problem.path ?? listing.id, message: listing.problem.message })
  }
  return records
}

/** Every person with a layer in these documents, by name. */
async function annotatorsIn(
  store: ProjectStore,
  records: readonly DocumentRecord[],
  workers: { pool: AgreementWorkerPool; here: BatchesRunHere<AgreementBatchJob, AgreementBatchOutput> } | null = null
): Promise<string[]> {
  const names = new Set<string>()
  // Layers are read without their texts: a cheap first pass (its problems are reported by the second).
  if (workers === null) {
    await eachDocument(store, records, false, [], (_record, _text, layers) => addLayerAnnotators(names, layers))
  } else {
    for await (const output of workers.pool.convert(agreementJobs(records, 'annotators', []), workers.here)) {
      for (const name of output.annotators) names.add(name)
    }
  }
  return [...names].sort((a, b) => a.localeCompare(b))
}

async function eachDocument(
  store: ProjectStore,
  records: readonly DocumentRecord[],
  withText: boolean,
  problems: AgreementProblem[],
  visit: (record: DocumentRecord, text: string, layers: AnnotationLayer[]) => void
): Promise<void> {
  // Stamped before the prefetcher reads them: a layer kept under a stamp is then never older than the stamp says.
  const stamps = records.length <= KEEPS_PARSED_UP_TO ? await layerStampsOf(store, records) : null
  const prefetcher = new CorpusPrefetcher(store, records, withText)
  const onProblem = (problem: CorpusReadProblem): void => void problems.push({ path: problem.path, message: problem.message })
  const keep = stamps && ((path: string, layer: AnnotationLayer): void => {
    const stamp = stamps.get(path)
    if (stamp) parsedLayers.set(path, stamp, layer)
  })
  for (let index = 0; index < records.length; index++) {
    await prefetcher.prepare(index)
    const raw = prefetcher.take(index)
    const remembered = await rememberedLayers(store, raw, stamps, onProblem)
    const document = withRememberedLayers(raw, remembered, onProblem, keep ?? undefined)
    if (document) visit(document.record, document.text ?? '', document.layers)
    if ((index + 1) % DOCUMENTS_PER_TURN === 0) await nextTurn()
  }
}

/**
 * Runs of this many documents or fewer (a document's agreement, asked for from its page) keep the
 * layers they parse, as the layer list and getLayer do, and wait for a parse of the same file
 * already under way: asked for as the document opens, the agreement would otherwise parse its
 * colleagues' files (a 5 MB document's are 30 MB each) beside the layer list, and again on each
 * call until the list's parse landed. Longer runs (a project's agreement) keep nothing, so they do
 * not push the open document's layers out of the cache.
 */
const KEEPS_PARSED_UP_TO = 4

async function layerStampsOf(store: ProjectStore, records: readonly DocumentRecord[]): Promise<Map<string, LayerStamp>> {
  const stamps = new Map<string, LayerStamp>()
  for (const record of records) {
    for (const path of await store.layerFilePaths(record.id)) {
      const stamp = await layerStamp(path).catch(() => null)
      if (stamp) stamps.set(path, stamp)
    }
  }
  return stamps
}

/**
 * Layers of the document that need not be parsed again, by path: loaded by the store (their
 * state in memory is the newest), parsed by the layer list and unchanged on disk since, or (with
 * `stamps`) being read by it now at the same stamp. A 5 MB document's layer is a 30 MB file,
 * about a second of parsing and checking.
 */
async function rememberedLayers(
  store: ProjectStore,
  raw: RawCorpusDocument,
  stamps: ReadonlyMap<string, LayerStamp> | null,
  onProblem: (problem: CorpusReadProblem) => void
): Promise<Map<string, AnnotationLayer>> {
  const remembered = new Map<string, AnnotationLayer>()
  if (!Array.isArray(raw.layers)) return remembered
  for (const file of raw.layers) {
    if ('error' in file) continue
    const layer = store.loadedLayer(file.path)?.current ?? (await parsedLayer(file.path, stamps?.get(file.path)))
    if (layer) remembered.set(file.path, layer)
  }
  return remembered

  async function parsedLayer(path: string, stamp: LayerStamp | undefined): Promise<AnnotationLayer | undefined> {
    if (!stamp) return parsedLayers.has(path) ? await parsedLayers.getIfUnchanged(path) : undefined
    const cached = parsedLayers.get(path, stamp)
    if (cached) return cached
    // A read that fails is left to the parse of the bytes at hand, which reports it.
    const read = await parsedLayers.readUnderWay(path, stamp)?.catch(() => null)
    if (!read) return undefined
    if (read.warning !== null) onProblem({ documentId: raw.record.id, documentName: raw.record.name, path, message: read.warning })
    return read.layer
  }
}

/**
 * parseCorpusDocument, with the remembered layers taken as they are (checked as it checks them)
 * in their files' order; each layer parsed here is handed to `onParsed`, placed on the text.
 */
function withRememberedLayers(
  raw: RawCorpusDocument,
  remembered: ReadonlyMap<string, AnnotationLayer>,
  onProblem: (problem: CorpusReadProblem) => void,
  onParsed?: (path: string, layer: AnnotationLayer) => void
): { record: DocumentRecord; text: string | null; layers: AnnotationLayer[] } | null {
  if (!Array.isArray(raw.layers)) return parseCorpusDocument(raw, onProblem)
  const document = parseCorpusDocument({ ...raw, layers: [] }, onProblem)
  if (!document) return null
  for (const file of raw.layers) {
    const layer = remembered.get(file.path)
    if (!layer) {
      const before = document.layers.length
      addCorpusLayerFile(document, file, onProblem)
      const parsed = document.layers[before]
      if (parsed && onParsed) onParsed(file.path, parsed)
      continue
    }
    const placed = placeCorpusLayer(document, layer, file.path, onProblem)
    if (placed) document.layers.push(placed)
  }
  return document
}
