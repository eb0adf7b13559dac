// The find bench's measuring code inside the page (a plain-JavaScript string, as in
// browser-probe.ts: tsx would add helpers to TypeScript functions that do not exist in the
// page). It records every keydown's time, long tasks, and the gaps between 10 ms timer ticks
// (a tick that comes late means the thread was busy), and times a query from its last key to
// the first frame that shows its first match (current highlight, in view) and the one that
// shows the full count.

export interface FindTiming {
  /** Event time of the last keydown (or input without one) before the results were shown. */
  keyAt: number
  /** First frame with the expected current match highlighted and in the reader's view. */
  firstShownAt: number
  /** First frame whose status reads the expected "1 of N" for the whole query (not a prefix of it). */
  countedAt: number
}

export interface BlockingReport {
  longTasks: number[]
  longestTickGapMs: number
  ticks: number
}

export const FIND_PROBE_SCRIPT = String.raw`
(() => {
  let lastKeyAt = 0
  // Characters no key makes (Arabic typed by the driver) come as input events without a keydown.
  addEventListener('keydown', (event) => { lastKeyAt = event.timeStamp }, true)
  addEventListener('beforeinput', (event) => { lastKeyAt = Math.max(lastKeyAt, event.timeStamp) }, true)

  const longTasks = []
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push({ startTime: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch (error) {
    longTasks.push({ startTime: -1, duration: -1 })
  }

  let ticking = null
  const startTicks = () => {
    ticking = { last: performance.now(), longest: 0, ticks: 0, since: performance.now(), timer: 0 }
    const tick = () => {
      const now = performance.now()
      ticking.longest = Math.max(ticking.longest, now - ticking.last)
      ticking.last = now
      ticking.ticks++
      ticking.timer = setTimeout(tick, 10)
    }
    ticking.timer = setTimeout(tick, 10)
  }
  const stopTicks = () => {
    clearTimeout(ticking.timer)
    const since = ticking.since
    const report = {
      longTasks: longTasks.filter((task) => task.startTime >= since || task.startTime < 0).map((task) => task.duration),
      longestTickGapMs: ticking.longest,
      ticks: ticking.ticks
    }
    ticking = null
    return report
  }

  const currentMatch = () => {
    const highlight = CSS.highlights.get('quire-find-current')
    if (!highlight) return null
    for (const range of highlight.values()) return range
    return null
  }

  const inReaderView = (range) => {
    const reader = document.querySelector('[data-testid="reader"]')
    if (!reader) return false
    const frame = reader.getBoundingClientRect()
    const box = range.getBoundingClientRect()
    return box.height > 0 && box.top >= frame.top && box.bottom <= frame.bottom
  }

  let result = null
  const armFind = (expectedQuery, expectedStatus, expectedMatch, timeoutMs) => {
    result = new Promise((resolve, reject) => {
      const started = performance.now()
      let firstShownAt = 0
      let countedAt = 0
      const afterFrame = (done) => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => done(performance.now())
        channel.port2.postMessage(0)
      }
      const check = () => {
        const range = currentMatch()
        if (!firstShownAt && range && range.toString() === expectedMatch && inReaderView(range)) afterFrame((at) => { firstShownAt = at })
        const status = document.querySelector('#find-status')
        if (!countedAt && status && status.textContent === expectedStatus && status.getAttribute('data-query') === expectedQuery) afterFrame((at) => { countedAt = at })
        if (firstShownAt && countedAt) { resolve({ keyAt: lastKeyAt, firstShownAt, countedAt }); return }
        if (performance.now() - started > timeoutMs) {
          reject(new Error('timed out: status "' + (status && status.textContent) + '", current match "' + (range && range.toString()) + '"; expected "' + expectedStatus + '" and "' + expectedMatch + '"'))
          return
        }
        requestAnimationFrame(check)
      }
      requestAnimationFrame(check)
    })
  }

  globalThis.__quireFindProbe = {
    startTicks,
    stopTicks,
    armFind,
    get findResult() { return result }
  }
})()
`
