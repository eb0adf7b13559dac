// Entry of a lexicon worker thread (see lexicon-batch.ts): reads the batches of documents the
// main thread sends, at the lowest priority, and posts each one's part of the lexicon back.
import { readLexiconBatch, type LexiconBatchJob, type LexiconBatchOutput, type LexiconBatchSettings } from './lexicon-batch'
import { lowerThisThreadsPriority } from './thread-priority'
import { serveBatches } from './worker-thread'

lowerThisThreadsPriority()
serveBatches<LexiconBatchSettings, LexiconBatchJob, LexiconBatchOutput>((settings, job) => () => readLexiconBatch(settings, job))
