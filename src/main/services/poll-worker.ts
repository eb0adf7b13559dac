// Entry of the polling's worker thread (poll-looker.ts): it keeps what the looks at a project's
// files found (PolledFiles) and makes each look the main thread asks for, at the lowest priority
// and in bursts (work-in-bursts.ts).
// At 100,000 documents a look is seconds of stat calls; made on the main thread, even in slices
// between the window's calls, it held a core at full use, and on two cores the window's
// scrolling of the document list stuttered (tasks of 60-130 ms) while it ran.
import { documentFolderNamesIn } from '../store/project-store'
import { IN_BURSTS, PolledFiles } from './polled-files'
import { lowerThisThreadsPriority } from './thread-priority'
import { serveBatches } from './worker-thread'
import type { PollWorkerJob, PollWorkerOutput, PollWorkerSettings } from './poll-looker'

lowerThisThreadsPriority()
const polled = new PolledFiles(IN_BURSTS)
// Looks come one at a time: the main thread asks for the next once this one is answered. A look
// that fails ends the worker, and the main thread looks on its own thread from then on.
serveBatches<PollWorkerSettings, PollWorkerJob, PollWorkerOutput>(({ projectDir }, { batchIndex }) => async () => {
  const changed: string[] = []
  await polled.look({ dir: projectDir, documentFolderNames: () => documentFolderNamesIn(projectDir) }, (path) => changed.push(path), () => true)
  return { batchIndex, changed }
})
