// Entry of an agreement worker thread: measures the batches of documents the main thread
// sends, one at a time, and posts each one's sums back (see agreement-batch.ts and worker-pool.ts).
import { measureAgreementBatch, readAgreementBatch, type AgreementBatchJob, type AgreementBatchOutput, type AgreementBatchSettings } from './agreement-batch'
import { serveBatches } from './worker-thread'

// Batches are measured one after another, but each one's files start loading as soon as it
// arrives, so the next batch is read while this one is measured.
serveBatches<AgreementBatchSettings, AgreementBatchJob, AgreementBatchOutput>((settings, job) => {
  const files = readAgreementBatch(settings, job)
  return async () => measureAgreementBatch(settings, job, await files)
})
