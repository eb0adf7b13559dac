// Work the editor does not need to see in the same frame as the change that caused it (the
// side panel's lists and counts after a key press) is done after that frame is painted: the
// frame's callback posts a task, which runs once the frame's rendering is done.

/** Calls `callback` in a task after the next frame is painted; where no frames run (tests without layout), after a timer. Returns a cancel function. */
export function afterNextPaint(callback: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let cancelled = false
  const run = (): void => {
    timer = setTimeout(() => {
      if (!cancelled) callback()
    }, 0)
  }
  if (typeof requestAnimationFrame !== 'function') {
    run()
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }
  const frame = requestAnimationFrame(run)
  return () => {
    cancelled = true
    cancelAnimationFrame(frame)
    clearTimeout(timer)
  }
}
