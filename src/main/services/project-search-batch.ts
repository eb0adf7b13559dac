// Searches one batch of consecutive documents of a project (project-search-runner.ts sends them
// to search workers, search-worker.ts): reads each document's current text and layers, finds
// the query's matches in the text (src/core/search/find-matches.ts, the one matcher) and says
// which spans of which layers overlap each match. A regular expression that runs away blocks
// the worker, not the window: the runner stops the worker after its time limit.
import { basename, join } from 'node:path'
import { annotatorFileName } from '../../core/ids'
import { compileSearch, findMatches, type SearchQuery } from '../../core/search/find-matches'
import { concordanceContext, taggingOfMatches } from '../../core/search/concordance'
import type { ConcordanceLine, MatchTagging } from '../../shared/finding-model'
import type { DocumentRecord } from '../../shared/model'
import { DOCUMENTS_FOLDER, sha256Hex } from '../store/project-store'
import { parseCorpusDocument, readRawDocumentSync, type CorpusReadProblem } from './corpus-reader'
import type { DocumentBatch } from './worker-pool'

export interface SearchBatchSettings {
  projectDir: string
  query: SearchQuery
  /** Context for every match (tag-all's preview lists them all); a search builds only its page's. */
  withContext: boolean
  /** Only this annotator's layer is read (tag-all's preview needs no one else's spans). */
  onlyAnnotator?: string
}

export type SearchBatchJob = DocumentBatch

/** One document's matches. */
export interface DocumentMatches {
  documentId: string
  documentName: string
  /** The text revision the offsets are in. */
  revision: string
  /** start0, end0, start1, end1… */
  offsets: Int32Array
  /** Per match, the spans overlapping it (null: none), over every layer read from disk. */
  tagging: (MatchTagging[] | null)[]
  /** Per match, when asked for (withContext). */
  context: Pick<ConcordanceLine, 'left' | 'match' | 'right'>[] | null
}

export interface SearchBatchOutput {
  batchIndex: number
  /** Documents with at least one match, in batch order. */
  documents: DocumentMatches[]
  problems: CorpusReadProblem[]
}

/** The matches of a query in one document's text, with the spans of its layers over them. */
export function searchDocumentText(
  record: Pick<DocumentRecord, 'id' | 'name'>,
  revision: string,
  text: string,
  layers: readonly { annotator: string; annotations: readonly { start: number; end: number; tag: string }[] }[],
  query: SearchQuery,
  withContext: boolean
): DocumentMatches | null {
  const search = compileSearch(query)
  if (!search.ok) throw new Error(search.problem)
  const { offsets, count } = findMatches(text, search)
  if (count === 0) return null
  const context = withContext ? Array.from({ length: count }, (_, index) => concordanceContext(text, offsets[index * 2] as number, offsets[index * 2 + 1] as number)) : null
  return { documentId: record.id, documentName: record.name, revision, offsets: offsets.slice(), tagging: taggingOfMatches(offsets, layers), context }
}

/** Reads the batch's documents one after another, synchronously (see agreement-batch.ts for why). */
export function searchBatch(settings: SearchBatchSettings, job: SearchBatchJob): SearchBatchOutput {
  const folders = { documentFolder: (documentId: string): string => join(settings.projectDir, DOCUMENTS_FOLDER, documentId) }
  const problems: CorpusReadProblem[] = []
  const documents: DocumentMatches[] = []
  const onlyFile = settings.onlyAnnotator === undefined ? null : annotatorFileName(settings.onlyAnnotator, sha256Hex)
  for (const record of job.records) {
    const raw = readRawDocumentSync(folders, record, true)
    if (onlyFile !== null && Array.isArray(raw.layers)) raw.layers = raw.layers.filter((file) => basename(file.path) === onlyFile)
    const document = parseCorpusDocument(raw, (problem) => problems.push(problem))
    if (!document) continue
    const found = searchDocumentText(record, document.head.id, document.text ?? '', document.layers, settings.query, settings.withContext)
    if (found) documents.push(found)
  }
  return { batchIndex: job.batchIndex, documents, problems }
}
