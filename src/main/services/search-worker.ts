// Entry of a search worker thread: searches the batches of documents the main thread sends, one
// at a time, and posts each one's matches back (see project-search-batch.ts and worker-pool.ts).
import { searchBatch, type SearchBatchJob, type SearchBatchOutput, type SearchBatchSettings } from './project-search-batch'
import { serveBatches } from './worker-thread'

serveBatches<SearchBatchSettings, SearchBatchJob, SearchBatchOutput>((settings, job) => () => searchBatch(settings, job))
