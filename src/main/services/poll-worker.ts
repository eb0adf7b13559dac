// Entry of the polling's worker thread (poll-looker.ts): it keeps what the looks at a project's
// files found (PolledFiles) and makes each look the main thread asks for, at the lowest priority.
// At 100,000 documents a look is seconds of stat calls; made on the main thread, even in slices
// between the window's calls, it held a core at full use, and on two cores the window's
// scrolling of the document list stuttered (tasks of 60-130 ms) while it ran.
import { parentPort, workerData } from 'node:worker_threads'
import { documentFolderNamesIn } from '../store/project-store'
import { AT_ONCE, PolledFiles } from './polled-files'
import { lowerThisThreadsPriority } from './thread-priority'
import { WORKER_READY_MESSAGE } from './worker-thread'
import type { PollWorkerAnswer, PollWorkerSettings } from './poll-looker'

const port = parentPort
if (port === null) throw new Error('the poll worker runs as a worker thread only')
const { projectDir } = workerData as PollWorkerSettings
lowerThisThreadsPriority()
const polled = new PolledFiles(AT_ONCE)
const project = { dir: projectDir, documentFolderNames: () => documentFolderNamesIn(projectDir) }
// Looks come one at a time: the main thread asks for the next once this one is answered.
port.on('message', (look: number) => {
  const changed: string[] = []
  polled.look(project, (path) => changed.push(path), () => true).then(
    () => port.postMessage({ look, changed } satisfies PollWorkerAnswer),
    (error: unknown) => port.postMessage({ look, failed: String(error) } satisfies PollWorkerAnswer)
  )
})
port.postMessage(WORKER_READY_MESSAGE)
