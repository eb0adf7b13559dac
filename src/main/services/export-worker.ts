// Entry of an export worker thread: lists or converts the batches the main thread sends, one
// at a time, and posts each one's output back (see corpus-export-batch.ts and worker-pool.ts).
import { convertExportBatch, listExportBatch, type ExportBatchSettings, type ExportWorkerJob, type ExportWorkerOutput } from './corpus-export-batch'
import { serveBatches } from './worker-thread'

serveBatches<ExportBatchSettings, ExportWorkerJob, ExportWorkerOutput>(
  (settings, job) => () => (job.kind === 'listing' ? listExportBatch(settings, job) : convertExportBatch(settings, job))
)
