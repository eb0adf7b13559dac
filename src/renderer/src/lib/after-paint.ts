// Work that must not delay what is being drawn (asking git for the sync status while a document
// opens): run once the next frame is painted. Without frames (tests in jsdom), soon after.

export function afterNextPaint(run: () => void): void {
  if (typeof requestAnimationFrame !== 'function') {
    setTimeout(run, 0)
    return
  }
  // The frame callback runs before that frame's paint; a task queued from it runs after.
  requestAnimationFrame(() => setTimeout(run, 0))
}
