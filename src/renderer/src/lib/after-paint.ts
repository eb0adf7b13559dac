// Work the editor does not need to see in the same frame as the change that caused it (the
// side panel's lists and counts after a key press) is done after that frame is painted: the
// frame's callback posts a task, which runs once the frame's rendering is done.
//
// Everything waiting for the same frame runs one callback per task, in the order asked, each
// after the page's timers that fell due meanwhile (nextTask). Each callback posting a timer of
// its own from the frame's callback, as before, made them run back to back: after a 5 MB
// document's first paint, the document list's render, the panel's step, the first slice of its
// ids and the list's refresh ran as four to six tasks with no timer between them, a 51–81 ms
// stretch (long animation frames in the reader bench) where each task was 6–26 ms.
import { GIVE_WAY_MS, nextTask } from './next-task'

interface Waiting {
  callback: () => void
  cancelled: boolean
}

/** Callbacks waiting for the next frame. */
const forNextFrame: Waiting[] = []
/** Callbacks whose frame was painted, run one per task. */
const painted: Waiting[] = []
let frameAsked = false
let running = false

/** Calls `callback` in a task after the next frame is painted; where no frames run (tests without layout), after a timer. Returns a cancel function. */
export function afterNextPaint(callback: () => void): () => void {
  if (typeof requestAnimationFrame !== 'function') {
    let cancelled = false
    const timer = setTimeout(() => {
      if (!cancelled) callback()
    }, 0)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }
  const waiting: Waiting = { callback, cancelled: false }
  forNextFrame.push(waiting)
  if (!frameAsked) {
    frameAsked = true
    requestAnimationFrame(() => {
      frameAsked = false
      painted.push(...forNextFrame.splice(0))
      if (!running) {
        running = true
        // The first after the frame in a timer, as a frame's rendering ends before it runs.
        setTimeout(runNext, 0)
      }
    })
  }
  return () => {
    waiting.cancelled = true
  }
}

function runNext(): void {
  let next = painted.shift()
  while (next?.cancelled) next = painted.shift()
  try {
    next?.callback()
  } finally {
    if (painted.some((waiting) => !waiting.cancelled)) void nextTask().then(runNext)
    else {
      painted.length = 0
      running = false
    }
  }
}

/**
 * afterNextPaint for work that may wait (the side panel's rows after a tag): once the frame is
 * painted, the thread is left idle GIVE_WAY_MS before `callback` runs.
 */
export function afterNextPaintGivingWay(callback: () => void): () => void {
  let cancelled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const cancelPaintWait = afterNextPaint(() => {
    if (!cancelled) timer = setTimeout(() => cancelled || callback(), GIVE_WAY_MS)
  })
  return () => {
    cancelled = true
    cancelPaintWait()
    clearTimeout(timer)
  }
}
