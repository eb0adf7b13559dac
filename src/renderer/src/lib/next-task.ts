// Work the window splits into short tasks (work-in-slices.ts, a document's frame unpacked in
// http-api.ts and api.ts, the document list's index in app-state) gives the thread back between
// them, so input, frames and the page's timers go first.

/** How long one task may work before giving the thread back (a frame is 16 ms; a task over 50 ms is a freeze). */
export const SLICE_TASK_MS = 8

/**
 * Resolves in a task of its own, after what is already queued: a message, then a timer set from
 * the message's task. The message goes behind queued input and frames. The timer goes behind the
 * timers that fell due meanwhile: Chromium runs a message posted at the end of a task before them,
 * so a chain of 8 ms slices joined by messages alone kept every timer of the page waiting for two
 * to four slices (the reader bench's 10 ms ticks saw gaps of 25–45 ms with no task over 20 ms).
 * Set from a message's task, the timer is not nested in timers, so it is not clamped to 4 ms.
 * In a hidden window the message alone: no one sees a timer run late there, and the browser lets
 * a hidden page's timers run about once a second, which would stretch the work to a second a slice.
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
        if (isHidden()) resolve()
        else setTimeout(resolve, 0)
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
