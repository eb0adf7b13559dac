// Work a window does not need while it opens a document (a text's digest, asking git how the
// project stands) waits until the opening has settled: on a 2-core machine it took CPU from the
// opening's own work (a 5 MB text's digest: 15-30 ms of a core; git's processes in main: ~70 ms
// of main's CPU while the window built its span index).

/** How long after it is asked for such work waits at least; then until the window is idle, this long at most. */
export const SETTLE_MS = 1000

export function whenSettled(work: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (callback: () => void, options: { timeout: number }) => void }).requestIdleCallback
  setTimeout(() => (idle ? idle(work, { timeout: SETTLE_MS }) : work()), SETTLE_MS)
}
