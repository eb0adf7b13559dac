// Entry of an export worker thread: converts the batches the main thread sends, one at a time,
// and posts each one's output back (see corpus-export-batch.ts and worker-pool.ts).
import { convertExportBatch, readExportBatch, type ExportBatchJob, type ExportBatchOutput, type ExportBatchSettings } from './corpus-export-batch'
import { serveBatches } from './worker-thread'

// Batches convert one after another, but each one's files start loading as soon as it
// arrives, so the next batch is read while this one converts.
serveBatches<ExportBatchSettings, ExportBatchJob, ExportBatchOutput>((settings, job) => {
  const files = readExportBatch(settings, job)
  return async () => convertExportBatch(settings, job, await files)
})
