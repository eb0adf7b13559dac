// Work nobody waits for, run on a worker thread, gives way to everything else. On Linux each
// thread has a nice value of its own; elsewhere (and where it is not allowed) this does nothing.
// folder-survey.ts's workers, which run as source text without imports, do the same in place.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/** The lowest priority a thread can ask for. */
const LOWEST = 19

/** Lowers the calling thread's priority to the lowest (Linux only). */
export function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), LOWEST)
  } catch {
    // Not allowed, or no /proc: the thread keeps its priority.
  }
}
