// Measures one batch of consecutive documents of a project's agreement: reads and checks each
// document's files and adds them to an accumulator of the batch's own, whose sums the main
// thread merges in batch order (agreement-service.ts). Agreement workers (agreement-worker.ts)
// run this so that several batches are measured at once (worker-pool.ts); merged, the sums
// are those of one accumulator over every document (AgreementAccumulator.merge).
import { join } from 'node:path'
import { AgreementAccumulator, type AgreementSums } from '../../core/review/agreement'
import { isCurationLayer, type AgreementOutcome, type AnnotationLayer, type DocumentRecord } from '../../shared/model'
import { DOCUMENTS_FOLDER } from '../store/project-store'
import { parseCorpusDocument, readRawDocumentSync, type CorpusReadProblem, type RawCorpusDocument } from './corpus-reader'
import type { DocumentBatch } from './worker-pool'

export type AgreementProblem = AgreementOutcome['problems'][number]

/** What every batch of one agreement shares; sent to each worker once. */
export interface AgreementBatchSettings {
  projectDir: string
  /** The project's tag ids in order. */
  tags: string[]
}

export interface AgreementBatchJob extends DocumentBatch {
  /**
   * 'annotators': who has a layer (documents read without their texts, problems not kept),
   * the first pass when every annotator is asked for; 'sums': the agreement of `annotators`.
   */
  pass: 'annotators' | 'sums'
  annotators: string[]
}

export interface AgreementBatchOutput {
  batchIndex: number
  /** 'annotators' pass: everyone with a layer on the batch's documents, but the gold layer. */
  annotators: string[]
  /** 'sums' pass: the batch's sums, and what could not be read, in document order. */
  sums: AgreementSums | null
  problems: AgreementProblem[]
}

/** Adds one document's layers to the agreement of `annotators` (missing layers as missing). */
export function addDocumentLayers(accumulator: AgreementAccumulator, annotators: readonly string[], text: string, layers: readonly AnnotationLayer[]): void {
  const byAnnotator = new Map(layers.map((layer) => [layer.annotator, layer.annotations]))
  accumulator.addDocument({ text, layers: new Map(annotators.map((annotator) => [annotator, byAnnotator.get(annotator) ?? null])) })
}

/** Adds the people who made these layers (the gold layer is no one's). */
export function addLayerAnnotators(names: Set<string>, layers: readonly AnnotationLayer[]): void {
  for (const layer of layers) if (!isCurationLayer(layer.annotator)) names.add(layer.annotator)
}

/**
 * The batch's output. Each document's files are read when its turn comes, synchronously: a
 * worker has nothing else to do meanwhile, and reading through libuv's thread pool (as the
 * main thread and the export do) costs twice the CPU on the same two cores — four round trips
 * a file (open, stat, read, close) and their callbacks: 0.49 ms of CPU a document against
 * 0.29 ms. Over 10,000 documents on two cores that made agreement 30% faster when the files
 * are in the page cache, and 7% slower when none is (reads ahead would hide the disk).
 */
export function measureAgreementBatch(settings: AgreementBatchSettings, job: AgreementBatchJob): AgreementBatchOutput {
  const folders = { documentFolder: (documentId: string): string => join(settings.projectDir, DOCUMENTS_FOLDER, documentId) }
  const read = (record: DocumentRecord, withText: boolean): RawCorpusDocument => readRawDocumentSync(folders, record, withText)
  if (job.pass === 'annotators') {
    const names = new Set<string>()
    for (const record of job.records) {
      const document = parseCorpusDocument(read(record, false), () => undefined)
      if (document) addLayerAnnotators(names, document.layers)
    }
    return { batchIndex: job.batchIndex, annotators: [...names], sums: null, problems: [] }
  }
  const problems: AgreementProblem[] = []
  const onProblem = (problem: CorpusReadProblem): void => void problems.push({ path: problem.path, message: problem.message })
  const accumulator = new AgreementAccumulator({ annotators: job.annotators, tags: settings.tags })
  for (const record of job.records) {
    const document = parseCorpusDocument(read(record, true), onProblem)
    if (document) addDocumentLayers(accumulator, job.annotators, document.text ?? '', document.layers)
  }
  return { batchIndex: job.batchIndex, annotators: [], sums: accumulator.toSums(), problems }
}
