// The worker side of worker-pool.ts: a worker thread's entry (export-worker.ts,
// agreement-worker.ts) hands serveBatches what it does with one batch, and this takes the
// batches the main thread sends, one after another, and posts each one's output back.
//
// Nothing here may import worker-pool.ts: the bundler would then put the pool in a chunk
// shared with the workers, away from the main bundle the worker files are found beside.
import { parentPort, workerData } from 'node:worker_threads'

/** What a worker posts once its code has loaded, before any batch. */
export const WORKER_READY_MESSAGE = 'quire-worker-ready'

/**
 * Serves batches: `begin(settings, job)` runs as soon as a batch arrives (an export starts
 * reading the batch's files then, so they load while the previous batch is converted); the
 * function it returns runs once the batches before it are done, and its output is posted.
 * `settings` is the pool's workerData, the same for every batch.
 */
export function serveBatches<Settings, Job, Output>(begin: (settings: Settings, job: Job) => () => Output | Promise<Output>): void {
  const port = parentPort
  if (port === null) throw new Error('a batch worker runs as a worker thread only')
  const settings = workerData as Settings
  let previous: Promise<void> = Promise.resolve()
  port.on('message', (job: Job) => {
    const finish = begin(settings, job)
    previous = previous
      .then(async () => {
        port.postMessage(await finish())
      })
      .catch((error: unknown) => {
        // Thrown outside the promise chain it ends this worker and reaches the pool's 'error' handler.
        setImmediate(() => {
          throw error
        })
      })
  })
  port.postMessage(WORKER_READY_MESSAGE)
}
