// Work the window splits into short tasks (work-in-slices.ts, a document's frame unpacked in
// http-api.ts and api.ts, the document list's index in app-state) gives the thread back between
// them, so input and frames go first.

/** How long one task may work before giving the thread back (a frame is 16 ms; a task over 50 ms is a freeze). */
export const SLICE_TASK_MS = 8

/**
 * Resolves in a task of its own, after what is already queued (input, frames). A message rather
 * than a timer: timers set from timers wait at least 4 ms after the fifth.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel !== 'function') {
      setTimeout(resolve, 0)
      return
    }
    const { port1, port2 } = new MessageChannel()
    port1.addEventListener(
      'message',
      () => {
        port1.close()
        resolve()
      },
      { once: true }
    )
    port1.start()
    port2.postMessage(null)
  })
}
