// Work the editor does not need to see in the same frame as the change that caused it (the
// side panel's lists and counts after a key press) is done after that frame is painted: the
// frame's callback posts a task, which runs once the frame's rendering is done.

export interface AfterPaintOptions {
  /**
   * Run after this many milliseconds even if no frame came: a hidden window paints no frames,
   * and work such as saving must not wait until it is shown again.
   */
  atMostMs?: number
}

/** Calls `callback` in a task after the next frame is painted; where no frames run (tests without layout), after a timer. Returns a cancel function. */
export function afterNextPaint(callback: () => void, options: AfterPaintOptions = {}): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let deadline: ReturnType<typeof setTimeout> | undefined
  let frame: number | undefined
  let done = false
  const cancel = (): void => {
    done = true
    if (frame !== undefined) cancelAnimationFrame(frame)
    clearTimeout(timer)
    clearTimeout(deadline)
  }
  const finish = (): void => {
    if (done) return
    cancel()
    callback()
  }
  const run = (): void => {
    timer = setTimeout(finish, 0)
  }
  if (typeof requestAnimationFrame !== 'function') {
    run()
    return cancel
  }
  frame = requestAnimationFrame(run)
  if (options.atMostMs !== undefined) deadline = setTimeout(finish, options.atMostMs)
  return cancel
}
