// Work nobody waits for on a thread of its own (the polling's looks at a large project, the
// check of its folders after opening) runs in short bursts with pauses between them, so it
// takes a quarter of one core at most. At the lowest priority alone it still took a whole core
// for seconds, and on two cores (a small laptop, a virtual machine) the window stuttered while it
// ran: scrolling the 100,000-document list right after the opening met tasks of 68-133 ms in half
// the corpus bench's runs, in none once the opening's check and first look had finished; a busy
// loop at the lowest priority beside the reader bench missed 4 of its 9 targets at 100 KB, the
// same loop paced like this none (docs/ARCHITECTURE.md).
import { setTimeout as delay } from 'node:timers/promises'

/** A burst of work lasts this long before a pause. */
export const BURST_MS = 4
/** Each pause lasts this many times the burst before it: a quarter of one core. */
export const PAUSE_PER_BURST = 3

/** The share of one core work in bursts keeps busy while it runs. */
export const SHARE_OF_A_CORE = 1 / (1 + PAUSE_PER_BURST)

/**
 * Calls `work` with each item, pausing after every burst (`pause` resolves after the given
 * milliseconds). False when `goOn` said to stop first.
 */
export async function eachInBursts<T>(items: readonly T[], work: (item: T) => void, goOn: () => boolean, pause: (ms: number) => Promise<void> = delay): Promise<boolean> {
  let burstStarted = performance.now()
  for (const item of items) {
    if (!goOn()) return false
    work(item)
    const spent = performance.now() - burstStarted
    if (spent >= BURST_MS) {
      await pause(spent * PAUSE_PER_BURST)
      burstStarted = performance.now()
    }
  }
  return true
}

/**
 * The same pacing for a worker whose loop is synchronous (folder-survey.ts's evaluated source):
 * `pauseAfterBurst()`, called after each item, blocks the worker's thread through the pause
 * (Atomics.wait is allowed on a worker's thread).
 */
export const PAUSE_AFTER_BURST_SOURCE = `
const pauseCell = new Int32Array(new SharedArrayBuffer(4))
let burstStarted = performance.now()
const pauseAfterBurst = () => {
  const spent = performance.now() - burstStarted
  if (spent < ${BURST_MS}) return
  Atomics.wait(pauseCell, 0, 0, spent * ${PAUSE_PER_BURST})
  burstStarted = performance.now()
}
`
