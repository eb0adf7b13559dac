// Converts one batch of consecutive documents of an export: reads and checks each document's
// files, then runs the format's own exporter over them. Export workers (export-worker.ts) run
// this so that several batches convert at once (worker-pool.ts); the main thread writes the batches' output in
// document order, so the result is byte for byte what the single-threaded export writes.
//
// Nothing here depends on the other batches: what does (brat and TEI file names, the CSV
// header, totals, the warning limit, the manifest) is settled by the main thread as it merges.
import { join } from 'node:path'
import {
  exportBrat,
  exportConll,
  exportCsv,
  exportDoccano,
  exportJsonl,
  exportTeiDocument,
  manifestEntry,
  type ConllScheme,
  type CorpusFormat,
  type ExportDocument,
  type ExportManifestEntry,
  type ExportSpan,
  type ExportSummary,
  type ExportWarning
} from '../../core/formats'
import type { OffsetUnit } from '../../core/offsets'
import type { AnnotationLayer, DocumentRecord, TextRevisionHead } from '../../shared/model'
import type { EntityRecord } from '../../shared/finding-model'
import { entityResolver, type EntityResolver } from '../../core/entities/entity-resolver'
import { DOCUMENTS_FOLDER } from '../store/project-store'
import { parseCorpusDocument, readListingSync, readRawDocumentSync, type PortableListing } from './corpus-reader'
import type { DocumentBatch } from './worker-pool'

/** What every batch of one export shares; sent to each worker once. */
export interface ExportBatchSettings {
  projectDir: string
  format: CorpusFormat
  offsets: OffsetUnit
  scheme: ConllScheme
  /** The project's tag ids in order (CoNLL resolves overlaps by it). */
  labelOrder: string[]
  /** brat: the type written for each tag made from a brat type (src/core/formats/brat.ts). */
  bratTypes: Record<string, string>
  /** Annotators to include; null for all. */
  annotators: string[] | null
  /** Most warnings a batch lists (the export lists no more than this in all). */
  maxWarningsListed: number
  /** The project's saved entities (entities.json): each worker resolves its spans' links by them. */
  entities: EntityRecord[]
}

/** Documents to convert, in the export's order. */
export type ExportBatchJob = DocumentBatch & { kind: 'convert' }

/**
 * Document folders whose document.json to read, for the export's list of documents: read on
 * the workers, 100,000 of them take both cores half the time the main thread alone would.
 */
export interface ExportListingJob {
  kind: 'listing'
  batchIndex: number
  documentIds: string[]
}

export interface ExportListingOutput {
  kind: 'listing'
  batchIndex: number
  /** One per folder that has a document.json, in the job's order. */
  listings: PortableListing[]
}

export type ExportWorkerJob = ExportBatchJob | ExportListingJob
export type ExportWorkerOutput = ExportBatchOutput | ExportListingOutput

/** One exported document of a brat or TEI batch: its manifest entry and file contents. */
export interface ExportedDocumentFiles {
  entry: ExportManifestEntry
  /** brat: [txt, ann]; tei: [xml]. The main thread names the files. */
  contents: string[]
}

export interface ExportBatchOutput {
  kind: 'convert'
  batchIndex: number
  /** Documents of the batch, exported or left out. */
  documentCount: number
  /** jsonl, csv, conll: the batch's part of the file. */
  text: string
  /** brat, tei: one item per exported document, in order. */
  files: ExportedDocumentFiles[]
  /** conll: one manifest entry per exported document, in order. */
  manifestEntries: ExportManifestEntry[]
  /** Read problems and format warnings, in the order the single-threaded export meets them. */
  warnings: ExportWarning[]
  /** Warnings beyond maxWarningsListed, counted but not listed. */
  warningsOmitted: number
  labelsSeen: string[]
  annotatorsSeen: string[]
  summary: ExportSummary
  /** Spans of the documents read (what progress counts), before the format drops any. */
  spansRead: number
}

export interface ExportDocumentTally {
  labelsSeen: Set<string>
  annotatorsSeen: Set<string>
}

/** The document as exporters take it: spans of the chosen annotators' layers, in layer order. */
export function toExportDocument(
  record: DocumentRecord,
  /** The revision `text` is: its SHA-256 and id are what the export names. */
  head: TextRevisionHead,
  text: string,
  layers: readonly AnnotationLayer[],
  annotators: ReadonlySet<string> | null,
  tally: ExportDocumentTally,
  /** Which entity each span mentions (entity-resolver.ts). */
  resolveEntity: EntityResolver
): ExportDocument {
  const spans: ExportSpan[] = []
  for (const layer of layers) {
    if (annotators !== null && !annotators.has(layer.annotator)) continue
    tally.annotatorsSeen.add(layer.annotator)
    for (const annotation of layer.annotations) {
      const span: ExportSpan = {
        start: annotation.start,
        end: annotation.end,
        label: annotation.tag,
        text: annotation.text,
        annotator: annotation.annotator,
        createdAt: annotation.createdAt
      }
      if (annotation.note !== undefined) span.note = annotation.note
      const entity = resolveEntity(annotation.text)
      if (entity !== undefined) span.entity = entity
      spans.push(span)
      tally.labelsSeen.add(annotation.tag)
    }
  }
  return { id: record.id, name: record.name, text, sha256: head.sha256, revision: head.id, spans }
}

/** The listings of the job's folders (readListingSync), in order. */
export function listExportBatch(settings: ExportBatchSettings, job: ExportListingJob): ExportListingOutput {
  const documentsFolder = join(settings.projectDir, DOCUMENTS_FOLDER)
  const listings: PortableListing[] = []
  for (const documentId of job.documentIds) {
    const listing = readListingSync(documentsFolder, documentId)
    if (listing !== null) listings.push(listing)
  }
  return { kind: 'listing', batchIndex: job.batchIndex, listings }
}

/**
 * Reads and converts the batch's documents in order. Files are read synchronously, one
 * document as the exporter pulls it: through libuv's thread pool every open, stat, read and
 * close is a round trip between threads, which cost the workers more than the reading itself.
 */
export function convertExportBatch(settings: ExportBatchSettings, job: ExportBatchJob): ExportBatchOutput {
  const folders = { documentFolder: (documentId: string): string => join(settings.projectDir, DOCUMENTS_FOLDER, documentId) }
  const annotators = settings.annotators === null ? null : new Set(settings.annotators)
  const resolveEntity = entityResolver(settings.entities)
  const seen: ExportDocumentTally = { labelsSeen: new Set(), annotatorsSeen: new Set() }
  const output: ExportBatchOutput = {
    kind: 'convert',
    batchIndex: job.batchIndex,
    documentCount: job.records.length,
    text: '',
    files: [],
    manifestEntries: [],
    warnings: [],
    warningsOmitted: 0,
    labelsSeen: [],
    annotatorsSeen: [],
    summary: { documents: 0, spans: 0, dropped: 0, adjusted: 0, warnings: 0 },
    spansRead: 0
  }
  const onWarning = (warning: ExportWarning): void => {
    if (output.warnings.length < settings.maxWarningsListed) output.warnings.push(warning)
    else output.warningsOmitted++
  }
  // Pulled lazily by the exporter, like the single-threaded export's documents, so a
  // document's read problems come right after the previous document's format warnings.
  function* documents(): Generator<ExportDocument> {
    for (const record of job.records) {
      const read = parseCorpusDocument(readRawDocumentSync(folders, record, true), (problem) => onWarning({ documentId: problem.documentId, message: problem.message }))
      if (read === null || read.text === null) continue
      const document = toExportDocument(record, read.head, read.text, read.layers, annotators, seen, resolveEntity)
      output.spansRead += document.spans.length
      if (settings.format === 'conll') output.manifestEntries.push(manifestEntry(document))
      yield document
    }
  }

  switch (settings.format) {
    case 'jsonl':
      output.summary = collectText(exportJsonl(documents(), { offsets: settings.offsets, onWarning }), output)
      break
    case 'csv':
      output.summary = collectText(exportCsv(documents(), { offsets: settings.offsets, header: job.batchIndex === 0, onWarning }), output)
      break
    case 'conll':
      output.summary = collectText(exportConll(documents(), { scheme: settings.scheme, labelOrder: settings.labelOrder, onWarning }), output)
      break
    case 'doccano':
      output.summary = collectText(exportDoccano(documents(), { onWarning }), output)
      break
    case 'label-studio':
      throw new Error('a Label Studio export is one JSON array, written by the main thread alone')
    case 'brat': {
      // exportBrat yields a document's files before it pulls the next document, so the
      // document pulled last is the one the files belong to.
      let current: ExportDocument | null = null
      const source = documents()
      const tracked = (function* (): Generator<ExportDocument> {
        for (const document of source) {
          current = document
          yield document
        }
      })()
      const files = exportBrat(tracked, { bratTypes: settings.bratTypes, onWarning })
      for (;;) {
        const step = files.next()
        if (step.done) {
          output.summary = step.value
          break
        }
        output.files.push({ entry: manifestEntry(current as unknown as ExportDocument), contents: [step.value.txt, step.value.ann] })
      }
      break
    }
    case 'tei':
      for (const document of documents()) {
        const { xml, summary } = exportTeiDocument(document, { onWarning })
        output.files.push({ entry: manifestEntry(document), contents: [xml] })
        addSummary(output.summary, summary)
      }
      break
  }
  output.labelsSeen = [...seen.labelsSeen]
  output.annotatorsSeen = [...seen.annotatorsSeen]
  return output
}

function collectText(generator: Generator<string, ExportSummary, undefined>, output: ExportBatchOutput): ExportSummary {
  const chunks: string[] = []
  for (;;) {
    const step = generator.next()
    if (step.done) {
      output.text = chunks.join('')
      return step.value
    }
    chunks.push(step.value)
  }
}

export function addSummary(total: ExportSummary, part: ExportSummary): void {
  total.documents += part.documents
  total.spans += part.spans
  total.dropped += part.dropped
  total.adjusted += part.adjusted
  total.warnings += part.warnings
}
