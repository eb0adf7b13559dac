// Work the window splits into short tasks (work-in-slices.ts, a document's frame unpacked in
// http-api.ts and api.ts, the document list's index in app-state) gives the thread back between
// them, so input, frames and the page's timers go first.

/** How long one task may work before giving the thread back (a frame is 16 ms; a task over 50 ms is a freeze). */
export const SLICE_TASK_MS = 8

/**
 * How long work nobody waits for leaves the thread idle between its tasks (givingWay). A 5 MB
 * document's rest, taken in after its first screen was painted, ran as a chain of 8 ms tasks
 * while the browser's own threads (the request worker, the network, compositing, rasterising,
 * compiling the hot code) wanted the same two cores; the window's thread, always runnable, was
 * the one put aside, up to 80 ms at a time: the reader bench's longest freeze at 5 MB. Opened
 * 8 times a build, builds alternated (stop 56): a gap over 50 ms between the page's 10 ms ticks
 * in 29 of 152 opens with no pause, 3 of 56 with 12 ms; the whole document is editable ~90 ms
 * later (a median of ~545 ms after navigation, against ~455).
 */
export const GIVE_WAY_MS = 12

let givingWayNow = 0

/**
 * Runs `work` (the rest of a document whose first screen is painted) with every nextTask() it
 * awaits leaving the thread idle GIVE_WAY_MS first. The window's other slicing goes on as before,
 * except a call made meanwhile, which gives way too until `work` is done.
 */
export async function givingWay<T>(work: () => Promise<T>): Promise<T> {
  givingWayNow++
  try {
    return await work()
  } finally {
    givingWayNow--
  }
}

/** nextTask for work nobody waits for (a long layer's id index, built after the paint): see GIVE_WAY_MS. */
export function nextTaskGivingWay(): Promise<void> {
  return nextTask(GIVE_WAY_MS)
}

/**
 * Resolves in a task of its own, after what is already queued: a message, then a timer set from
 * the message's task. The message goes behind queued input and frames. The timer goes behind the
 * timers that fell due meanwhile: Chromium runs a message posted at the end of a task before them,
 * so a chain of 8 ms slices joined by messages alone kept every timer of the page waiting for two
 * to four slices (the reader bench's 10 ms ticks saw gaps of 25–45 ms with no task over 20 ms).
 * Set from a message's task, the timer is not nested in timers, so it is not clamped to 4 ms.
 * In a hidden window the message alone: no one sees a timer run late there, and the browser lets
 * a hidden page's timers run about once a second, which would stretch the work to a second a slice.
 * `pauseMs` is the timer's delay: none, unless the work gives way (GIVE_WAY_MS).
 */
export function nextTask(pauseMs = givingWayNow > 0 ? GIVE_WAY_MS : 0): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel !== 'function') {
      setTimeout(resolve, pauseMs)
      return
    }
    const { port1, port2 } = new MessageChannel()
    port1.addEventListener(
      'message',
      () => {
        port1.close()
        if (isHidden()) resolve()
        else setTimeout(resolve, pauseMs)
      },
      { once: true }
    )
    port1.start()
    port2.postMessage(null)
  })
}

/** Whether the window is hidden (this module is also typechecked for Node, which has no DOM). */
function isHidden(): boolean {
  return (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState === 'hidden'
}
