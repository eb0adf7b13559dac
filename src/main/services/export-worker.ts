// Entry of an export worker thread: converts the batches the main thread sends, one at a time,
// and posts each one's output back (see corpus-export-batch.ts and export-workers.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { convertExportBatch, readExportBatch, WORKER_READY_MESSAGE, type ExportBatchJob, type ExportBatchSettings } from './corpus-export-batch'

const settings = workerData as ExportBatchSettings
const port = parentPort
if (port === null) throw new Error('export-worker.ts runs as a worker thread only')
// Batches convert one after another, but each one's files start loading as soon as it
// arrives, so the next batch is read while this one converts.
let previous: Promise<void> = Promise.resolve()
port.on('message', (job: ExportBatchJob) => {
  const files = readExportBatch(settings, job)
  previous = previous
    .then(async () => {
      port.postMessage(convertExportBatch(settings, job, await files))
    })
    .catch((error: unknown) => {
      // Thrown outside the promise chain it ends this worker and reaches the pool's 'error' handler.
      setImmediate(() => {
        throw error
      })
    })
})
port.postMessage(WORKER_READY_MESSAGE)
