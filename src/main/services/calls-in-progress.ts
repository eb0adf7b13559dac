// Background work on a large project (the document index's check after opening, looking for
// colleagues' changes where file watches do not suffice) runs in slices of synchronous stat
// calls between turns of the event loop. A slice that runs while a window's call is being
// answered delays each of the answer's file reads by a whole slice: opening a document takes
// some twenty reads, so it waited twenty slices (at 100,000 documents a switch took 300–900 ms
// instead of 80). So the slices wait until no call is being answered.
//
// One count per process, not per backend: what is shared is the event loop.
//
// Nor do they run just after an answer: a window asks in bursts (a save, the saved document's
// summary, the change feed; a document's opening, some twenty calls), and a slice run in the
// gap between two calls of a burst delays the next answer by a slice and leaves it its garbage
// to collect, with main's caches cold. At 100,000 documents thirty saves in a row cost ~1.8 ms
// each with slices in their gaps, ~1.0 ms without: the same as with ten documents. So slices wait
// until calls have paused for QUIET_AFTER_CALLS_MS.
//
// The wait is bounded: a call that itself waits for background work (or a window that calls
// without pause) would otherwise stop it for good. And a call answered for more than a second
// is doing long work of its own (the first suggestions read every layer of the project), which
// background slices delay no more than its own reads do: it stops counting then.
//
// eachInSlices is the loop every such piece of work runs: the index's check, the polling look
// for changes, the suggestions' first reading of the lexicon.

// Node's own timers, not the globals: a test's fake clock must not stop background work.
import { clearTimeout, setImmediate, setTimeout } from 'node:timers'

/** The longest background work waits for a window's first answer: a session may have no window. */
export const LONGEST_WAIT_FOR_WINDOW_MS = 2000

/** The longest a slice waits for the calls being answered to finish (and the pause after them). */
export const LONGEST_WAIT_FOR_CALLS_MS = 1000
/**
 * How long calls must have paused before a slice runs: longer than the gaps within a burst of
 * calls, well under the window's change feed period (1 s), so background work still gets most
 * of an idle window's time.
 */
export const QUIET_AFTER_CALLS_MS = 250
/** A call answered for longer than this no longer holds background slices back. */
export const LONG_CALL_MS = 1000

let answering = 0
/** When the last counted call stopped counting (performance.now()). */
let lastAnsweredAt = Number.NEGATIVE_INFINITY
let waiting: (() => void)[] = []

/** Counts `call` as being answered until it settles (or for LONG_CALL_MS, whichever comes first). */
export async function whileAnswering<T>(call: () => Promise<T>): Promise<T> {
  answering++
  let counted = true
  const stopCounting = (): void => {
    if (!counted) return
    counted = false
    answering--
    lastAnsweredAt = performance.now()
    if (answering === 0) wakeWaiting()
  }
  const longCall = setTimeout(stopCounting, LONG_CALL_MS)
  try {
    return await call()
  } finally {
    clearTimeout(longCall)
    stopCounting()
  }
}

/** How many calls are being answered now (tests). */
export function callsBeingAnswered(): number {
  return answering
}

/**
 * Resolves on a later turn of the event loop once no call is being answered and none has been
 * for `quietMs`, or after `longestWaitMs` whatever the calls do. Work a call waits for (the
 * suggestions' first reading) passes a `quietMs` of 0: it yields to other calls, not to the pause after them.
 */
export async function betweenCalls(longestWaitMs = LONGEST_WAIT_FOR_CALLS_MS, quietMs = QUIET_AFTER_CALLS_MS): Promise<void> {
  const giveUpAt = performance.now() + longestWaitMs
  await new Promise<void>((resolve) => setImmediate(resolve))
  // Checked again after each wake: the window often asks its next question the moment an answer
  // lands (a save, then the saved document's summary), and a slice started in that moment held
  // the next answer back by a whole slice (a save at 100,000 documents: ~2 → ~12 ms).
  for (;;) {
    const now = performance.now()
    const left = giveUpAt - now
    if (left <= 0) return
    if (answering > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left)
        function done(): void {
          clearTimeout(timer)
          waiting = waiting.filter((waiter) => waiter !== done)
          resolve()
        }
        waiting.push(done)
      })
      // The answer's own continuations (writing it out, the caller's next call) run before the slice.
      await new Promise<void>((resolve) => setImmediate(resolve))
      continue
    }
    const quietFor = now - lastAnsweredAt
    if (quietFor >= quietMs) return
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(quietMs - quietFor, left)))
  }
}

export interface SliceOptions {
  /** How long one slice may hold the event loop. */
  sliceMs: number
  /** The wait before each slice: betweenCalls unless the work is itself what a call waits for. */
  pause?: () => Promise<void>
  /** Asked after each wait: false ends the work there (the project was closed, the check stopped). */
  goOn?: () => boolean
  /** Told after each slice how many items are done. */
  afterSlice?: (done: number) => void
}

/**
 * Calls `step` on each of `items` in order, in slices of about `sliceMs` each after a wait
 * (`pause`, by default until no call is being answered). A step may be asynchronous; it is then
 * awaited before the next. True once every item is done; false when `goOn` ended the work.
 */
export async function eachInSlices<T>(items: readonly T[], step: (item: T) => void | Promise<void>, options: SliceOptions): Promise<boolean> {
  const { sliceMs, pause = betweenCalls, goOn, afterSlice } = options
  let position = 0
  while (position < items.length) {
    await pause()
    if (goOn && !goOn()) return false
    const sliceEnd = performance.now() + sliceMs
    // At least one item a slice, however short the slice: the work always moves on.
    do {
      // Awaited only when asynchronous: a microtask per item would add up over 100,000 stat calls.
      const pending = step(items[position++] as T)
      if (pending !== undefined) await pending
    } while (position < items.length && performance.now() < sliceEnd)
    afterSlice?.(position)
  }
  return true
}

function wakeWaiting(): void {
  const woken = waiting
  waiting = []
  for (const wake of woken) wake()
}

const windowStart = onceInAProcess()

/**
 * Says that a window has had its first answer (getStartup: the first document shown). Work that
 * is not needed for that answer (the document index's check after opening, the first look for
 * colleagues' changes, the folder survey's worker) waits for it: on two cores it took the CPU
 * the window needed to boot and the server to answer.
 */
export function windowStarted(): void {
  windowStart.happens()
}

/** Resolves once a window has had its first answer in this process, or after `longestWaitMs`. */
export function afterWindowStart(longestWaitMs = LONGEST_WAIT_FOR_WINDOW_MS): Promise<void> {
  return windowStart.after(longestWaitMs)
}

const windowStartTaken = onceInAProcess()

/**
 * Says that a window has taken its start (its getStartup answered, now being drawn): later than
 * windowStarted, which a start made ahead of the window's asking (startup-ahead.ts) says while the
 * window is still loading its scripts.
 */
export function windowTookItsStart(): void {
  windowStartTaken.happens()
}

/** Resolves once a window has taken its start in this process, or after `longestWaitMs`. */
export function afterWindowTookItsStart(longestWaitMs = LONGEST_WAIT_FOR_WINDOW_MS): Promise<void> {
  return windowStartTaken.after(longestWaitMs)
}

/** Something that happens once in a process, and waiting for it for at most a given time. */
function onceInAProcess(): { happens: () => void; after: (longestWaitMs: number) => Promise<void> } {
  let happens = (): void => undefined
  const happened = new Promise<void>((resolve) => (happens = resolve))
  return {
    happens: () => happens(),
    after: (longestWaitMs) =>
      new Promise<void>((resolve) => {
        // Unreferenced: a command with no window does not stay running for it.
        const timer = setTimeout(resolve, longestWaitMs)
        timer.unref()
        void happened.then(() => {
          clearTimeout(timer)
          resolve()
        })
      })
  }
}
