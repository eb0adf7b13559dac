// Exports a project (or chosen documents and annotators) as a tagged corpus, streaming: one
// document is read, converted and written at a time, so memory stays flat as the corpus grows.
// A large export converts batches of documents on worker threads (worker-pool.ts) and
// writes their output here in document order, giving the same bytes as this thread alone.
//
// Output appears only when complete. Everything is written under a hidden temporary name
// beside the destination and renamed into place at the end; a cancelled or failed export
// removes its temporary output, so nothing half-written ever sits under the chosen name.
// A folder destination (brat, TEI) must be new, empty, or an earlier Quire export (recognised
// by its manifest.json), which is then replaced as a whole: Quire never mixes its files into,
// or deletes, a folder of someone else's files.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { uniqueBaseName } from '../../core/formats/brat'
import {
  bratAnnotationConf,
  exportBrat,
  exportConll,
  exportCsv,
  exportDoccano,
  exportJsonl,
  exportLabelStudio,
  exportTeiDocument,
  ExportManifestBuilder,
  type ConllScheme,
  type CorpusFormat,
  type ExportDocument,
  type ExportSummary,
  type ExportWarning
} from '../../core/formats'
import { QuireError } from '../../shared/api'
import type { DocumentRecord, ExportProgress, ExportRequest, ExportResult, ExportWarningItem, TagDefinition } from '../../shared/model'
import { isErrnoCode } from '../store/durable-file'
import { compareListings, DOCUMENTS_FOLDER, LOCAL_STATE_FOLDER, type DocumentListing, type ProjectStore } from '../store/project-store'
import type { EntityRecord } from '../../shared/finding-model'
import { entityResolver, type EntityResolver } from '../../core/entities/entity-resolver'
import { readSavedEntities } from './entity-service'
import {
  addSummary,
  toExportDocument,
  type ExportBatchJob,
  type ExportBatchOutput,
  type ExportBatchSettings,
  type ExportDocumentTally,
  type ExportListingJob,
  type ExportWorkerJob,
  type ExportWorkerOutput
} from './corpus-export-batch'
import { CorpusPrefetcher, fromPortableListing, listDocumentsInParallel, parseCorpusDocument } from './corpus-reader'
import { documentBatches, workerEntry, WorkerPool, workerThreadCount } from './worker-pool'
import { expandUserPath } from './project-service'

export type { ConllScheme, CorpusFormat }

// The request and its answers are the API's own types (src/shared/model.ts), so what the
// export dialog sends and shows is exactly what this service takes and gives.
export type CorpusExportRequest = ExportRequest
export type CorpusExportProgress = ExportProgress
export type CorpusExportWarning = ExportWarningItem
export type CorpusExportResult = ExportResult

export interface CorpusExportOptions {
  onProgress?: (progress: CorpusExportProgress) => void
  signal?: AbortSignal
  /**
   * Worker threads converting documents; 0 converts on this thread. By default one per core
   * (at most 4) for an export of 200 documents or more, none for smaller ones. The output is
   * the same either way.
   */
  workerThreads?: number
}

/** The open project; ProjectService provides it in the app, the CLI its own store. */
export interface ProjectSource {
  requireProject(): ProjectStore
}

export const MANIFEST_FILE_NAME = 'manifest.json'
const MAX_WARNINGS_LISTED = 1000
const PROGRESS_INTERVAL_MS = 100
/** How long the export may run before letting other events (cancel, IPC) through. */
const YIELD_INTERVAL_MS = 20
const WRITE_BUFFER_CHARS = 1 << 20
const CANCELLED = Symbol('cancelled')

type ExportWorkerPool = WorkerPool<ExportBatchSettings, ExportWorkerJob, ExportWorkerOutput>
/** Document folders per listing job: a thousand document.json files are a few milliseconds of work. */
const LISTING_BATCH_FOLDERS = 1000

export class CorpusExportService {
  constructor(private readonly projects: ProjectSource) {}

  async export(request: CorpusExportRequest, options: CorpusExportOptions = {}): Promise<CorpusExportResult> {
    const store = this.projects.requireProject()
    const outPath = expandUserPath(request.outPath)
    checkOptions(request)
    // Read once for the whole export: every span of one text links to the same entity.
    const saved = await readSavedEntities(store)
    // Listed once: the workers read the folders' document.json files, or this thread does.
    const folderNames = await store.documentFolderNames()
    const expectedDocuments = request.documentIds === 'all' ? folderNames.length : request.documentIds.length
    // A Label Studio export is one JSON array, which batches converted apart cannot frame.
    const workerThreads = request.format === 'label-studio' ? 0 : (options.workerThreads ?? workerThreadCount(expectedDocuments))
    const pool: ExportWorkerPool | null = workerThreads > 0 ? new WorkerPool(workerEntry('export-worker'), exportBatchSettings(store, request, saved.entities), workerThreads) : null
    try {
      return await this.exportWith(store, outPath, request, options, pool, saved, folderNames)
    } finally {
      await pool?.close()
    }
  }

  private async exportWith(
    store: ProjectStore,
    outPath: string,
    request: CorpusExportRequest,
    options: CorpusExportOptions,
    startedPool: ExportWorkerPool | null,
    saved: { entities: EntityRecord[]; problem: string | null },
    folderNames: readonly string[]
  ): Promise<CorpusExportResult> {
    const { records, pool } = await chooseDocumentsWith(startedPool, (listingPool) => chooseDocuments(store, folderNames, request.documentIds, listingPool))
    const isFolder = request.format === 'brat' || request.format === 'tei'
    const replacing = isFolder ? await checkFolderDestination(store, outPath) : await checkFileDestination(store, outPath)
    await mkdir(dirname(outPath), { recursive: true })

    const run = new ExportRun(store, request, records, options, entityResolver(saved.entities))
    if (saved.problem !== null) run.warnExport(`entity links are left out: ${saved.problem}`)
    const tempPath = join(dirname(outPath), `.${basename(outPath)}.quire-partial-${randomBytes(6).toString('hex')}`)
    try {
      const outcome = isFolder ? await run.writeFolder(tempPath, pool) : await run.writeFile(tempPath, outPath, pool)
      if (outcome === 'cancelled') {
        await removeTemporaryOutput(tempPath, isFolder)
        return run.result(outPath, [], true)
      }
      const files = isFolder
        ? await moveFolderIntoPlace(tempPath, outPath, replacing)
        : await moveFilesIntoPlace(tempPath, outPath, request.format === 'conll')
      run.reportProgress(true)
      return run.result(outPath, files, false)
    } catch (error) {
      await removeTemporaryOutput(tempPath, isFolder)
      if (error instanceof QuireError) throw error
      throw new QuireError({ code: 'io', path: outPath, message: `The export to ${outPath} failed and was removed: ${(error as Error).message}` })
    }
  }
}

/** Tag id → brat type, for the tags an import made from brat types. */
function bratTypesOf(tags: readonly TagDefinition[]): Record<string, string> {
  const types: Record<string, string> = {}
  for (const tag of tags) if (tag.bratType !== undefined) types[tag.id] = tag.bratType
  return types
}

/** What every worker of the export needs to convert its batches exactly as this thread would. */
function exportBatchSettings(store: ProjectStore, request: CorpusExportRequest, entities: EntityRecord[]): ExportBatchSettings {
  return {
    projectDir: store.dir,
    format: request.format,
    offsets: request.offsets ?? 'codepoint',
    scheme: request.scheme ?? 'IOB2',
    labelOrder: store.manifest.tags.map((tag) => tag.id),
    bratTypes: bratTypesOf(store.manifest.tags),
    annotators: request.annotators === 'all' ? null : [...new Set(request.annotators)],
    maxWarningsListed: MAX_WARNINGS_LISTED,
    entities
  }
}

/** State of one export: the documents it walks, counts, warnings and progress. */
class ExportRun {
  private readonly annotators: ReadonlySet<string> | null
  private readonly namesById = new Map<string, string>()
  private readonly warnings: CorpusExportWarning[] = []
  private warningsOmitted = 0
  private readonly manifest = new ExportManifestBuilder()
  private readonly labelsSeen = new Set<string>()
  private readonly annotatorsSeen = new Set<string>()
  private readonly seen: ExportDocumentTally = { labelsSeen: this.labelsSeen, annotatorsSeen: this.annotatorsSeen }
  private readonly prefetcher: CorpusPrefetcher
  /** Index in `records` of the document the exporter will pull next. */
  private nextIndex = 0
  private documentsDone = 0
  private spansDone = 0
  private lastProgressAt = 0
  private lastYieldAt = Date.now()
  private summary: ExportSummary = { documents: 0, spans: 0, dropped: 0, adjusted: 0, warnings: 0 }
  /** The document the exporter pulled last, which the chunk it yields next belongs to. */
  private current: ExportDocument | null = null

  constructor(
    private readonly store: ProjectStore,
    private readonly request: CorpusExportRequest,
    private readonly records: readonly DocumentRecord[],
    private readonly options: CorpusExportOptions,
    private readonly resolveEntity: EntityResolver
  ) {
    this.annotators = request.annotators === 'all' ? null : new Set(request.annotators)
    this.prefetcher = new CorpusPrefetcher(store, records, true)
    for (const record of records) this.namesById.set(record.id, record.name)
  }

  /** jsonl, csv, conll: one file, written through a buffer. Returns 'cancelled' when aborted. */
  async writeFile(tempPath: string, outPath: string, pool: ExportWorkerPool | null): Promise<'done' | 'cancelled'> {
    const writer = await BufferedFileWriter.create(tempPath)
    try {
      if (pool !== null) {
        const total: ExportSummary = { documents: 0, spans: 0, dropped: 0, adjusted: 0, warnings: 0 }
        for await (const batch of convertedBatches(pool, this.records)) {
          if (this.cancelled) return 'cancelled'
          this.absorbBatch(batch, total)
          for (const entry of batch.manifestEntries) this.manifest.addEntry(entry)
          await writer.write(batch.text)
        }
        this.finish(total)
      } else if ((await this.writeFileChunks(writer)) === 'cancelled') {
        return 'cancelled'
      }
    } finally {
      await writer.close()
    }
    if (this.request.format === 'conll') {
      // CoNLL has no place for checksums: the manifest beside it names the exact texts.
      const manifest = this.manifest.build('conll', 'none', this.summary, new Date().toISOString())
      await writeFile(manifestPathFor(tempPath), `${JSON.stringify({ ...manifest, file: basename(outPath) }, null, 2)}\n`)
    }
    return 'done'
  }

  /** Takes in a batch converted by a worker: its warnings, counts and progress, in document order. */
  private absorbBatch(batch: ExportBatchOutput, total: ExportSummary): void {
    for (const warning of batch.warnings) this.warn(warning.documentId, warning.message)
    this.warningsOmitted += batch.warningsOmitted
    for (const label of batch.labelsSeen) this.labelsSeen.add(label)
    for (const annotator of batch.annotatorsSeen) this.annotatorsSeen.add(annotator)
    addSummary(total, batch.summary)
    this.documentsDone += batch.documentCount
    this.spansDone += batch.spansRead
    this.reportProgress(false)
  }

  private async writeFileChunks(writer: BufferedFileWriter): Promise<'done' | 'cancelled'> {
    const summary = await this.pullUntilStopped(this.fileChunks(), (chunk) => writer.write(chunk))
    if (summary === CANCELLED) return 'cancelled'
    this.finish(summary)
    return 'done'
  }

  /** Takes `items` one at a time, checking for a cancel between two; the generator's result, or CANCELLED. */
  private async pullUntilStopped<Item, Result>(items: Generator<Item, Result, undefined>, use: (item: Item) => Promise<void>): Promise<Result | typeof CANCELLED> {
    for (;;) {
      if (await this.shouldStop()) {
        items.return(undefined as never)
        return CANCELLED
      }
      const step = items.next()
      if (step.done) return step.value
      await use(step.value)
    }
  }

  private fileChunks(): Generator<string, ExportSummary, undefined> {
    const documents = this.documents()
    const onWarning = (warning: ExportWarning): void => this.warn(warning.documentId, warning.message)
    const offsets = this.request.offsets ?? 'codepoint'
    switch (this.request.format) {
      case 'jsonl':
        return exportJsonl(documents, { offsets, onWarning })
      case 'csv':
        return exportCsv(documents, { offsets, onWarning })
      case 'doccano':
        return exportDoccano(documents, { onWarning })
      case 'label-studio':
        return exportLabelStudio(documents, { onWarning })
      case 'conll':
        return exportConll(documents, {
          scheme: this.request.scheme ?? 'IOB2',
          labelOrder: this.store.manifest.tags.map((tag) => tag.id),
          onWarning
        })
      default:
        throw new QuireError({ code: 'internal', message: `${this.request.format} is not a single-file format` })
    }
  }

  /** brat and tei: a folder with the document files, manifest.json (and brat's annotation.conf). */
  async writeFolder(tempPath: string, pool: ExportWorkerPool | null): Promise<'done' | 'cancelled'> {
    await mkdir(tempPath)
    const writes = new OverlappingWrites()
    try {
      const outcome = pool !== null ? await this.writeFolderFromWorkers(tempPath, writes, pool) : await this.writeFolderFiles(tempPath, writes)
      if (outcome === 'cancelled') return 'cancelled'
      await this.writeFolderTail(tempPath, writes)
      return 'done'
    } finally {
      // Settled before the caller renames or removes the folder, even on failure.
      await writes.drain().catch(() => undefined)
    }
  }

  private async writeFolderFiles(tempPath: string, writes: OverlappingWrites): Promise<'done' | 'cancelled'> {
    const onWarning = (warning: ExportWarning): void => this.warn(warning.documentId, warning.message)
    if (this.request.format === 'brat') {
      const summary = await this.pullUntilStopped(exportBrat(this.documents(), { bratTypes: bratTypesOf(this.store.manifest.tags), onWarning }), async ({ baseName, txt, ann }) => {
        await writes.add(writeFile(join(tempPath, `${baseName}.txt`), txt))
        await writes.add(writeFile(join(tempPath, `${baseName}.ann`), ann))
        if (this.current !== null) this.manifest.add(this.current, [`${baseName}.txt`, `${baseName}.ann`])
      })
      if (summary === CANCELLED) return 'cancelled'
      this.finish(summary)
    } else {
      const usedNames = new Set<string>([MANIFEST_FILE_NAME.replace(/\.json$/, '')])
      const total: ExportSummary = { documents: 0, spans: 0, dropped: 0, adjusted: 0, warnings: 0 }
      const outcome = await this.pullUntilStopped(this.documents(), async (document) => {
        const { xml, summary } = exportTeiDocument(document, { onWarning })
        const fileName = `${uniqueBaseName(document.name || document.id, usedNames)}.xml`
        await writes.add(writeFile(join(tempPath, fileName), xml))
        this.manifest.add(document, [fileName])
        for (const key of Object.keys(total) as (keyof ExportSummary)[]) total[key] += summary[key]
      })
      if (outcome === CANCELLED) return 'cancelled'
      this.finish(total)
    }
    return 'done'
  }

  private async writeFolderFromWorkers(tempPath: string, writes: OverlappingWrites, pool: ExportWorkerPool): Promise<'done' | 'cancelled'> {
    // Names are given here, in document order, so they are unique across the whole corpus
    // exactly as the single-threaded export makes them.
    const usedNames = new Set<string>(this.request.format === 'tei' ? [MANIFEST_FILE_NAME.replace(/\.json$/, '')] : [])
    const total: ExportSummary = { documents: 0, spans: 0, dropped: 0, adjusted: 0, warnings: 0 }
    for await (const batch of convertedBatches(pool, this.records)) {
      if (this.cancelled) return 'cancelled'
      this.absorbBatch(batch, total)
      for (const { entry, contents } of batch.files) {
        const baseName = uniqueBaseName(entry.name || entry.id, usedNames)
        const fileNames = this.request.format === 'brat' ? [`${baseName}.txt`, `${baseName}.ann`] : [`${baseName}.xml`]
        for (const [index, fileName] of fileNames.entries()) await writes.add(writeFile(join(tempPath, fileName), contents[index] as string))
        this.manifest.addEntry({ ...entry, files: fileNames })
      }
    }
    this.finish(total)
    return 'done'
  }

  /** brat's annotation.conf and every folder export's manifest.json, once the documents are written. */
  private async writeFolderTail(tempPath: string, writes: OverlappingWrites): Promise<void> {
    if (this.request.format === 'brat') {
      const labels = this.store.manifest.tags.map((tag) => tag.id)
      for (const label of [...this.labelsSeen].sort()) if (!labels.includes(label)) labels.push(label)
      const bratTypes = bratTypesOf(this.store.manifest.tags)
      await writeFile(join(tempPath, 'annotation.conf'), bratAnnotationConf(labels.map((label) => bratTypes[label] ?? label)))
    }
    await writes.drain()
    const unit = this.request.format === 'brat' ? 'codepoint' : 'none'
    const manifest = this.manifest.build(this.request.format, unit, this.summary, new Date().toISOString())
    await writeFile(join(tempPath, MANIFEST_FILE_NAME), `${JSON.stringify(manifest, null, 2)}\n`)
  }

  /** The chosen documents, read one at a time as the exporter pulls them. */
  private *documents(): Generator<ExportDocument> {
    while (this.nextIndex < this.records.length) {
      const index = this.nextIndex++
      const record = this.records[index] as DocumentRecord
      if (this.current !== null) this.documentDone(this.current)
      this.current = null
      const read = parseCorpusDocument(this.prefetcher.take(index), (problem) => this.warn(problem.documentId, problem.message))
      if (read === null || read.text === null) {
        this.documentsDone++
        continue
      }
      const document = toExportDocument(record, read.head, read.text, read.layers, this.annotators, this.seen, this.resolveEntity)
      if (this.request.format === 'conll') this.manifest.add(document)
      this.current = document
      yield document
    }
    if (this.current !== null) this.documentDone(this.current)
    this.current = null
  }

  private documentDone(document: ExportDocument): void {
    this.documentsDone++
    this.spansDone += document.spans.length
    this.reportProgress(false)
  }

  reportProgress(final: boolean): void {
    const now = Date.now()
    if (!final && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return
    this.lastProgressAt = now
    this.options.onProgress?.({
      documentsDone: final ? this.records.length : this.documentsDone,
      documentsTotal: this.records.length,
      spansWritten: final ? this.summary.spans : this.spansDone
    })
  }

  /**
   * Called before each step of the exporter: has the next document's files fetched, lets
   * other events run now and then (so a cancel can arrive at all), and says whether to stop.
   */
  private async shouldStop(): Promise<boolean> {
    if (Date.now() - this.lastYieldAt >= YIELD_INTERVAL_MS) {
      await nextTurn()
      this.lastYieldAt = Date.now()
    }
    if (this.cancelled) return true
    await this.prefetcher.prepare(this.nextIndex)
    return this.cancelled
  }

  private get cancelled(): boolean {
    return this.options.signal?.aborted === true
  }

  /** A warning about the whole export, not one document. */
  warnExport(message: string): void {
    this.warn('', message)
  }

  private warn(documentId: string, message: string): void {
    if (this.warnings.length >= MAX_WARNINGS_LISTED) {
      this.warningsOmitted++
      return
    }
    this.warnings.push({ documentId, documentName: this.namesById.get(documentId) ?? documentId, message })
  }

  private finish(summary: ExportSummary): void {
    this.summary = summary
    for (const annotator of this.annotators ?? []) {
      if (!this.annotatorsSeen.has(annotator)) this.warn('', `no annotations by "${annotator}" in the exported documents`)
    }
  }

  result(outPath: string, files: string[], cancelled: boolean): CorpusExportResult {
    const warnings = [...this.warnings]
    if (this.warningsOmitted > 0) {
      warnings.push({ documentId: '', documentName: '', message: `${this.warningsOmitted} more warnings not listed` })
    }
    return {
      outPath,
      files,
      documents: this.summary.documents,
      spans: this.summary.spans,
      dropped: this.summary.dropped,
      adjusted: this.summary.adjusted,
      warnings,
      cancelled
    }
  }
}

function checkOptions(request: CorpusExportRequest): void {
  if (request.offsets !== undefined && request.format !== 'jsonl' && request.format !== 'csv' && request.offsets !== 'codepoint') {
    throw new QuireError({
      code: 'invalid-argument',
      message: `${request.format} offsets are always Unicode code points; the offsets option applies to jsonl and csv only`
    })
  }
  if (request.scheme !== undefined && request.format !== 'conll') {
    throw new QuireError({ code: 'invalid-argument', message: 'the tagging scheme applies to CoNLL exports only' })
  }
  if (request.annotators !== 'all' && request.annotators.length === 0) {
    throw new QuireError({ code: 'invalid-argument', message: 'Choose at least one annotator to export' })
  }
}

/**
 * The requested documents in the project's order (by name); an unknown or unreadable one is an
 * error. Their document.json files are read by the workers when there are any, else here.
 */
async function chooseDocuments(store: ProjectStore, folderNames: readonly string[], documentIds: string[] | 'all', pool: ExportWorkerPool | null): Promise<DocumentRecord[]> {
  if (documentIds !== 'all' && documentIds.length === 0) {
    throw new QuireError({ code: 'invalid-argument', message: 'Choose at least one document to export' })
  }
  const wanted = documentIds === 'all' ? null : new Set(documentIds)
  // Only the chosen folders need reading: the others' listings (or problems) are passed over anyway.
  const listings = pool === null ? await listDocumentsInParallel(store) : await listOnWorkers(pool, wanted === null ? folderNames : folderNames.filter((name) => wanted.has(name)))
  const records: DocumentRecord[] = []
  for (const listing of listings) {
    if (wanted !== null && !wanted.has(listing.id)) continue
    wanted?.delete(listing.id)
    if ('problem' in listing) {
      throw new QuireError({
        code: listing.problem.code,
        ...(listing.problem.path !== undefined ? { path: listing.problem.path } : {}),
        message: `Nothing was exported: ${listing.problem.message}`
      })
    }
    records.push(listing.record)
  }
  if (wanted !== null && wanted.size > 0) {
    throw new QuireError({ code: 'not-found', message: `There is no document ${[...wanted].map((id) => `"${id}"`).join(', ')} in the project` })
  }
  return records
}

/**
 * The chosen documents, listed on the workers as soon as they are started (a job waits in a
 * worker's queue while it loads), and the pool to convert them with. Workers that could not
 * start leave the listing and the export to this thread, which gives the same result.
 */
async function chooseDocumentsWith(
  startedPool: ExportWorkerPool | null,
  choose: (pool: ExportWorkerPool | null) => Promise<DocumentRecord[]>
): Promise<{ records: DocumentRecord[]; pool: ExportWorkerPool | null }> {
  if (startedPool === null) return { records: await choose(null), pool: null }
  let records: DocumentRecord[]
  try {
    records = await choose(startedPool)
  } catch (error) {
    if (await startedPool.ready()) throw error
    return { records: await choose(null), pool: null }
  }
  return { records, pool: (await startedPool.ready()) ? startedPool : null }
}

/** The folders' listings as listDocumentsInParallel gives them (same order, same problems), read by the workers. */
async function listOnWorkers(pool: ExportWorkerPool, folderNames: readonly string[]): Promise<DocumentListing[]> {
  const jobs: ExportListingJob[] = []
  for (let start = 0; start < folderNames.length; start += LISTING_BATCH_FOLDERS) {
    jobs.push({ kind: 'listing', batchIndex: jobs.length, documentIds: folderNames.slice(start, start + LISTING_BATCH_FOLDERS) })
  }
  const listings: DocumentListing[] = []
  for await (const output of pool.convert(jobs)) {
    if (output.kind !== 'listing') throw new Error('an export worker answered a listing with converted documents')
    for (const listing of output.listings) listings.push(fromPortableListing(listing))
  }
  return listings.sort(compareListings)
}

/** The workers' conversions of the records, batch by batch in document order. */
async function* convertedBatches(pool: ExportWorkerPool, records: readonly DocumentRecord[]): AsyncGenerator<ExportBatchOutput> {
  const jobs = documentBatches(records).map((batch): ExportBatchJob => ({ kind: 'convert', ...batch }))
  for await (const output of pool.convert(jobs)) {
    if (output.kind !== 'convert') throw new Error('an export worker answered a batch of documents with a listing')
    yield output
  }
}

function checkInsideProject(store: ProjectStore, outPath: string): void {
  for (const folder of [DOCUMENTS_FOLDER, LOCAL_STATE_FOLDER]) {
    const inside = relative(join(store.dir, folder), outPath)
    if (inside === '' || (!inside.startsWith('..') && !inside.startsWith(sep) && !/^[A-Za-z]:/.test(inside))) {
      throw new QuireError({ code: 'invalid-argument', path: outPath, message: `Export somewhere outside the project's ${folder} folder (${outPath})` })
    }
  }
  if (resolve(outPath) === resolve(store.dir)) {
    throw new QuireError({ code: 'invalid-argument', path: outPath, message: 'Export to a folder of its own, not over the project folder' })
  }
}

async function checkFileDestination(store: ProjectStore, outPath: string): Promise<false> {
  checkInsideProject(store, outPath)
  const info = await stat(outPath).catch((error: unknown) => (isErrnoCode(error, 'ENOENT') ? null : Promise.reject(error)))
  if (info?.isDirectory()) {
    throw new QuireError({ code: 'invalid-argument', path: outPath, message: `${outPath} is a folder; give the path of the file to write` })
  }
  return false
}

/** Whether an earlier export at `outPath` will be replaced; throws when the folder holds other files. */
async function checkFolderDestination(store: ProjectStore, outPath: string): Promise<boolean> {
  checkInsideProject(store, outPath)
  let entries: string[]
  try {
    entries = await readdir(outPath)
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return false
    if (isErrnoCode(error, 'ENOTDIR')) {
      throw new QuireError({ code: 'invalid-argument', path: outPath, message: `${outPath} is a file; brat and TEI exports need a folder` })
    }
    throw error
  }
  if (entries.length === 0) return false
  if (await isQuireExport(outPath)) return true
  throw new QuireError({
    code: 'invalid-argument',
    path: outPath,
    message: `${outPath} already holds files that are not a Quire export; choose an empty or new folder`
  })
}

async function isQuireExport(folder: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE_NAME), 'utf8')) as { format?: unknown }
    return manifest.format === 'quire-export'
  } catch {
    return false
  }
}

export function manifestPathFor(dataFile: string): string {
  return `${dataFile}.manifest.json`
}

async function moveFilesIntoPlace(tempPath: string, outPath: string, withManifest: boolean): Promise<string[]> {
  await rename(tempPath, outPath)
  if (!withManifest) return [outPath]
  await rename(manifestPathFor(tempPath), manifestPathFor(outPath))
  return [outPath, manifestPathFor(outPath)]
}

async function moveFolderIntoPlace(tempPath: string, outPath: string, replacing: boolean): Promise<string[]> {
  const files = (await readdir(tempPath)).sort().map((name) => join(outPath, name))
  if (replacing) {
    // The old export moves aside first so the destination is never half old, half new.
    const oldPath = join(dirname(outPath), `.${basename(outPath)}.quire-old-${randomBytes(6).toString('hex')}`)
    await rename(outPath, oldPath)
    await rename(tempPath, outPath)
    await rm(oldPath, { recursive: true, force: true })
  } else {
    await removeEmptyFolder(outPath)
    await rename(tempPath, outPath)
  }
  return files
}

/** rename() cannot replace a folder, not even an empty one. */
async function removeEmptyFolder(path: string): Promise<void> {
  try {
    await rmdir(path)
  } catch (error) {
    if (!isErrnoCode(error, 'ENOENT')) throw error
  }
}

async function removeTemporaryOutput(tempPath: string, isFolder: boolean): Promise<void> {
  await rm(tempPath, { recursive: isFolder, force: true }).catch(() => undefined)
  if (!isFolder) await rm(manifestPathFor(tempPath), { force: true }).catch(() => undefined)
}

const WRITES_IN_FLIGHT = 16

/** Lets a few file writes run at once (thousands of small files otherwise wait on each other's disk round trips). */
class OverlappingWrites {
  private readonly inFlight = new Set<Promise<void>>()
  private failure: { error: unknown } | null = null

  /** Starts tracking `write`; waits only while too many are in flight. Throws the first failure. */
  async add(write: Promise<void>): Promise<void> {
    const tracked = write.then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error }
      }
    )
    this.inFlight.add(tracked)
    void tracked.finally(() => this.inFlight.delete(tracked))
    if (this.inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(this.inFlight)
    if (this.failure) throw this.failure.error
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight)
    if (this.failure) throw this.failure.error
  }
}

/** Collects small chunks into large writes; close() makes the file durable. */
class BufferedFileWriter {
  private pending: string[] = []
  private pendingChars = 0

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<BufferedFileWriter> {
    return new BufferedFileWriter(await open(path, 'wx'))
  }

  async write(chunk: string): Promise<void> {
    this.pending.push(chunk)
    this.pendingChars += chunk.length
    if (this.pendingChars >= WRITE_BUFFER_CHARS) await this.flush()
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return
    const data = this.pending.join('')
    this.pending = []
    this.pendingChars = 0
    await this.handle.write(data)
  }

  async close(): Promise<void> {
    try {
      await this.flush()
      await this.handle.sync()
    } finally {
      await this.handle.close()
    }
  }
}
