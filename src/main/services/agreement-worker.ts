// Entry of an agreement worker thread: measures the batches of documents the main thread
// sends, one at a time, and posts each one's sums back (see agreement-batch.ts and worker-pool.ts).
import { measureAgreementBatch, type AgreementBatchJob, type AgreementBatchOutput, type AgreementBatchSettings } from './agreement-batch'
import { serveBatches } from './worker-thread'

serveBatches<AgreementBatchSettings, AgreementBatchJob, AgreementBatchOutput>((settings, job) => () => measureAgreementBatch(settings, job))
