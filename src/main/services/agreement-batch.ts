// Measures one batch of consecutive documents of a project's agreement: reads and checks each
// document's files and adds them to an accumulator of the batch's own, whose sums the main
// thread merges in batch order (agreement-service.ts). Agreement workers (agreement-worker.ts)
// run this so that several batches are measured at once (worker-pool.ts); merged, the sums
// are those of one accumulator over every document (AgreementAccumulator.merge).
import { join } from 'node:path'
import { AgreementAccumulator, type AgreementSums } from '../../core/review/agreement'
import { isCurationLayer, type AgreementOutcome, type AnnotationLayer } from '../../shared/model'
import { DOCUMENTS_FOLDER } from '../store/project-store'
import { parseCorpusDocument, readRawDocument, type CorpusReadProblem, type RawCorpusDocument } from './corpus-reader'
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
 * The files of every document of the batch, read at once (the texts only in the 'sums' pass):
 * the reads run on libuv's thread pool, so a worker reading the next batch's files this way is
 * still measuring the current one, and a slow disk or network drive is waited on in parallel.
 */
export function readAgreementBatch(settings: AgreementBatchSettings, job: AgreementBatchJob): Promise<RawCorpusDocument[]> {
  const folders = { documentFolder: (documentId: string): string => join(settings.projectDir, DOCUMENTS_FOLDER, documentId) }
  return Promise.all(job.records.map((record) => readRawDocument(folders, record, job.pass === 'sums')))
}

/** The batch's output, from its files as readAgreementBatch read them (in the batch's order). */
export function measureAgreementBatch(settings: AgreementBatchSettings, job: AgreementBatchJob, raws: readonly RawCorpusDocument[]): AgreementBatchOutput {
  if (job.pass === 'annotators') {
    const names = new Set<string>()
    for (const raw of raws) {
      const document = parseCorpusDocument(raw, () => undefined)
      if (document) addLayerAnnotators(names, document.layers)
    }
    return { batchIndex: job.batchIndex, annotators: [...names], sums: null, problems: [] }
  }
  const problems: AgreementProblem[] = []
  const onProblem = (problem: CorpusReadProblem): void => void problems.push({ path: problem.path, message: problem.message })
  const accumulator = new AgreementAccumulator({ annotators: job.annotators, tags: settings.tags })
  for (const raw of raws) {
    const document = parseCorpusDocument(raw, onProblem)
    if (document) addDocumentLayers(accumulator, job.annotators, document.text ?? '', document.layers)
  }
  return { batchIndex: job.batchIndex, annotators: [], sums: accumulator.toSums(), problems }
}
