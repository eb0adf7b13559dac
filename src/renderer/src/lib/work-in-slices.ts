// Long work the window can do bit by bit (a 5 MB layer's span index) runs in tasks short enough
// that a key press or a frame never waits long behind it: each task does slices of the work
// until its time is up, then gives the thread back, and the cores a moment too (nobody waits
// for this work: next-task.ts GIVE_WAY_MS).
import { afterNextPaint } from './after-paint'
import { nextTaskGivingWay, SLICE_TASK_MS } from './next-task'

/**
 * Calls `step` in tasks of about `taskMs` each, starting after the next frame is painted, until
 * it returns true (the work is done). Returns a cancel function.
 */
export function afterPaintInSlices(step: () => boolean, taskMs = SLICE_TASK_MS): () => void {
  let cancelled = false
  const runTask = (): void => {
    if (cancelled) return
    const until = performance.now() + taskMs
    while (performance.now() < until) if (step()) return
    void nextTaskGivingWay().then(runTask)
  }
  const cancelPaintWait = afterNextPaint(runTask)
  return () => {
    cancelled = true
    cancelPaintWait()
  }
}
