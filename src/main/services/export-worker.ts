// Entry of an export worker thread: converts the batches the main thread sends, one at a time,
// and posts each one's output back (see corpus-export-batch.ts and export-workers.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { convertExportBatch, type ExportBatchJob, type ExportBatchSettings } from './corpus-export-batch'

const settings = workerData as ExportBatchSettings
const port = parentPort
if (port === null) throw new Error('export-worker.ts runs as a worker thread only')
port.on('message', (job: ExportBatchJob) => {
  port.postMessage(convertExportBatch(settings, job))
})
