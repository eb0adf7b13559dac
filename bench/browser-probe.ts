// The measuring code that runs inside the page, installed before Quire's own scripts. It is a
// plain-JavaScript string on purpose: tsx rewrites TypeScript functions (adding helpers such
// as __name) that would not exist once serialized into the page.
//
// "Painted" means: the first animation frame in which the condition holds, then the task
// right after that frame's rendering step (a MessageChannel message posted from the frame
// callback), so style, layout and paint of the frame are included.

export interface OpenTiming {
  /** Event time of the click on the document in the list. */
  clickAt: number
  /** After the first frame showing the document's name and at least one highlight in view. */
  paintedAt: number
}

export interface TagTiming {
  keyAt: number
  /** Start of the first frame showing the new highlight (its requestAnimationFrame time). */
  frameAt: number
  paintedAt: number
  /** The new highlight's text and its annotation id. */
  text: string
  annotationId: string
}

export interface ScrollReport {
  steps: number
  stepPx: number
  /** Longest gap between animation frames while scrolling, ms. */
  longestFrameGapMs: number
  /** 95th percentile of the gaps between frames, ms (about 16.7 ms when every frame is on time). */
  p95FrameGapMs: number
  frames: number
  /** Frames that came more than 50 ms after the one before. */
  framesOver50Ms: number
  /** Long tasks (over 50 ms) the browser reported while scrolling. */
  longTasks: { startTime: number; duration: number }[]
  scrollHeight: number
  reachedBottom: boolean
  durationMs: number
}

export interface VisibleBlockCheck {
  start: number
  text: string
  highlightedChars: number
  highlights: number
}

export interface WordTarget {
  x: number
  y: number
  word: string
}

export const PAGE_PROBE_SCRIPT = String.raw`
(() => {
  const longTasks = []
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push({ startTime: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch (error) {
    longTasks.push({ startTime: -1, duration: -1, unsupported: String(error) })
  }

  const afterNextPaint = () => new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve(performance.now())
      channel.port2.postMessage(0)
    })
  })

  // Checks the condition at the start of every frame; resolves after the first frame where it
  // holds with { frameAt: that frame's time, paintedAt: when its rendering step was done }.
  const paintedWhen = (condition, timeoutMs) => new Promise((resolve, reject) => {
    const started = performance.now()
    const check = () => {
      const frameAt = performance.now()
      let holds = false
      try { holds = condition() } catch (error) { reject(error); return }
      if (holds) {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => resolve({ frameAt, paintedAt: performance.now() })
        channel.port2.postMessage(0)
        return
      }
      if (performance.now() - started > timeoutMs) { reject(new Error('timed out after ' + timeoutMs + ' ms')); return }
      requestAnimationFrame(check)
    }
    requestAnimationFrame(check)
  })

  const reader = () => document.querySelector('.reader')

  const inView = (element, frame) => {
    const rect = element.getBoundingClientRect()
    return rect.bottom > frame.top && rect.top < frame.bottom && rect.height > 0
  }

  // The view is filled with rendered text (not a first guess that leaves blank space below)
  // and shows at least one highlight.
  const highlightInView = () => {
    const element = reader()
    if (!element) return false
    const frame = element.getBoundingClientRect()
    const rendered = element.querySelector('.window')
    const page = element.querySelector('.page')
    if (!rendered || !page) return false
    const renderedBox = rendered.getBoundingClientRect()
    const wholeDocumentRendered = renderedBox.height >= page.getBoundingClientRect().height - 1
    if (!wholeDocumentRendered && (renderedBox.top > frame.top + 1 || renderedBox.bottom < frame.bottom - 1)) return false
    for (const highlight of element.querySelectorAll('.segment.highlight')) if (inView(highlight, frame)) return true
    return false
  }

  const probe = {
    longTasks,

    /** Arms the watch for the next click on a document in the list; returns immediately. */
    armOpen(documentName, timeoutMs) {
      probe.openResult = new Promise((resolve, reject) => {
        window.addEventListener('click', (event) => {
          const clickAt = event.timeStamp
          paintedWhen(() => {
            const heading = document.querySelector('.reader-header h1')
            return heading !== null && heading.textContent === documentName && highlightInView()
          }, timeoutMs).then(({ paintedAt }) => resolve({ clickAt, paintedAt }), reject)
        }, { capture: true, once: true })
      })
    },

    /** Arms the watch for the next key press: resolves when a highlight not in view before appears. */
    armTag(timeoutMs) {
      const element = reader()
      const before = new Set([...element.querySelectorAll('[data-annotation-id]')].map((node) => node.dataset.annotationId))
      probe.tagResult = new Promise((resolve, reject) => {
        window.addEventListener('keydown', (event) => {
          const keyAt = event.timeStamp
          let found = null
          paintedWhen(() => {
            for (const node of element.querySelectorAll('.segment.highlight[data-annotation-id]')) {
              if (!before.has(node.dataset.annotationId)) { found = node; return true }
            }
            return false
          }, timeoutMs).then(({ frameAt, paintedAt }) => resolve({ keyAt, frameAt, paintedAt, text: found.textContent, annotationId: found.dataset.annotationId }), reject)
        }, { capture: true, once: true })
      })
    },

    /** An untagged word (4+ letters) in view that was not picked before, with the point at its middle. */
    pickUntaggedWord(usedWords) {
      const element = reader()
      const frame = element.getBoundingClientRect()
      const used = new Set(usedWords)
      for (const segment of element.querySelectorAll('.segment:not(.highlight)')) {
        if (!inView(segment, frame)) continue
        const node = segment.firstChild
        if (!node || node.nodeType !== Node.TEXT_NODE) continue
        for (const match of node.data.matchAll(/(?<![\p{L}\p{N}\p{M}'’-])\p{L}{4,}(?![\p{L}\p{N}\p{M}'’-])/gu)) {
          if (used.has(match[0])) continue
          const range = document.createRange()
          range.setStart(node, match.index)
          range.setEnd(node, match.index + match[0].length)
          const rects = range.getClientRects()
          if (rects.length !== 1) continue
          const rect = rects[0]
          if (rect.top < frame.top + 40 || rect.bottom > frame.bottom - 40) continue
          return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2, word: match[0] }
        }
      }
      return null
    },

    /** Text and highlight coverage of every block in view, for the bench to check against the generated data. */
    visibleBlocks() {
      const element = reader()
      const frame = element.getBoundingClientRect()
      const blocks = []
      for (const block of element.querySelectorAll('.block')) {
        if (!inView(block, frame)) continue
        let highlightedChars = 0
        let highlights = 0
        for (const highlight of block.querySelectorAll('.segment.highlight')) {
          highlightedChars += highlight.textContent.length
          highlights++
        }
        blocks.push({ start: Number(block.dataset.blockStart), text: block.textContent, highlightedChars, highlights })
      }
      return blocks
    },

    /** Scrolls the reader from top to bottom in equal steps, one frame per step, timing frames and long tasks. */
    async scrollThrough(maxSteps) {
      const element = reader()
      element.scrollTop = 0
      await afterNextPaint()
      await afterNextPaint()
      const startedAt = performance.now()
      const gaps = []
      let previousFrame = null
      let recording = true
      const onFrame = (time) => {
        if (!recording) return
        if (previousFrame !== null) gaps.push(time - previousFrame)
        previousFrame = time
        requestAnimationFrame(onFrame)
      }
      requestAnimationFrame(onFrame)
      const viewportHeight = element.clientHeight
      const initialRange = element.scrollHeight - viewportHeight
      const steps = Math.max(1, Math.min(maxSteps, Math.ceil(initialRange / viewportHeight)))
      for (let step = 1; step <= steps; step++) {
        // Heights are re-measured as blocks render, so aim at a fraction of the current range.
        element.scrollTop = ((element.scrollHeight - viewportHeight) * step) / steps
        await afterNextPaint()
      }
      // Measured heights may have grown the page: keep going until the end is really reached.
      for (let extra = 0; extra < 50 && element.scrollTop + viewportHeight < element.scrollHeight - 1; extra++) {
        element.scrollTop = element.scrollHeight
        await afterNextPaint()
      }
      await afterNextPaint()
      recording = false
      const finishedAt = performance.now()
      const sortedGaps = [...gaps].sort((a, b) => a - b)
      return {
        steps,
        stepPx: Math.round(initialRange / steps),
        longestFrameGapMs: sortedGaps.length > 0 ? sortedGaps[sortedGaps.length - 1] : 0,
        p95FrameGapMs: sortedGaps.length > 0 ? sortedGaps[Math.min(sortedGaps.length - 1, Math.floor(sortedGaps.length * 0.95))] : 0,
        frames: gaps.length + 1,
        framesOver50Ms: gaps.filter((gap) => gap > 50).length,
        longTasks: longTasks.filter((task) => task.startTime >= startedAt && task.startTime <= finishedAt),
        scrollHeight: element.scrollHeight,
        reachedBottom: element.scrollTop + viewportHeight >= element.scrollHeight - 1,
        durationMs: finishedAt - startedAt
      }
    },

    /** The last rendered block: where it starts and its text, to prove the end of the document is shown. */
    lastRenderedBlock() {
      const blocks = reader().querySelectorAll('.block')
      const last = blocks[blocks.length - 1]
      return last ? { start: Number(last.dataset.blockStart), length: last.textContent.length } : null
    }
  }
  window.__quireBenchProbe = probe
})()
`

export interface CompareOpenTiming {
  /** Event time of the click on "Compare N layers". */
  clickAt: number
  /** After the first frame showing the counts, "Disagreement 1 of N" and the first disagreement marked current in view. */
  paintedAt: number
}

export interface StepTiming {
  keyAt: number
  /** Start of the first frame showing the next disagreement as current (its requestAnimationFrame time). */
  frameAt: number
  paintedAt: number
}

/** What the review panel and the reader must show once compare mode has opened. */
export interface CompareExpectation {
  counts: { agreed: number; 'tag-differs': number; 'boundaries-differ': number; 'only-in-some': number }
  /** The offset where the disagreement marked current starts, and its 1-based number in the walk. */
  currentStart: number
  currentNumber: number
}

/**
 * Compare mode in the page, installed before Quire's own scripts like PAGE_PROBE_SCRIPT (plain
 * JavaScript for the same reason). "Painted" has the same meaning: the first animation frame
 * in which the condition holds, then the task right after that frame's rendering step.
 */
export const REVIEW_PROBE_SCRIPT = String.raw`
(() => {
  const paintedWhen = (condition, timeoutMs) => new Promise((resolve, reject) => {
    const started = performance.now()
    const check = () => {
      const frameAt = performance.now()
      let holds = false
      try { holds = condition() } catch (error) { reject(error); return }
      if (holds) {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => resolve({ frameAt, paintedAt: performance.now() })
        channel.port2.postMessage(0)
        return
      }
      if (performance.now() - started > timeoutMs) { reject(new Error('timed out after ' + timeoutMs + ' ms: ' + probe.describe())); return }
      requestAnimationFrame(check)
    }
    requestAnimationFrame(check)
  })

  const digits = (text) => Number(String(text).replace(/[^0-9]/g, ''))

  const inView = (element, frame) => {
    const rect = element.getBoundingClientRect()
    return rect.bottom > frame.top && rect.top < frame.bottom && rect.height > 0
  }

  const countsShown = () => {
    const counts = {}
    for (const item of document.querySelectorAll('.kind-counts .kind-count')) {
      const kind = [...item.classList].find((name) => name.startsWith('kind-') && name !== 'kind-count')
      const value = item.querySelector('dd')
      if (kind && value) counts[kind.slice('kind-'.length)] = digits(value.textContent)
    }
    return counts
  }

  const walkNumber = () => {
    const text = document.querySelector('.review-position')?.textContent ?? ''
    const match = /Disagreement\s+([0-9.,\s\u00a0\u202f]+)\s+of/.exec(text)
    return match ? digits(match[1]) : 0
  }

  // The segment that starts the current disagreement is marked current and is in view.
  const currentMarkInView = (start) => {
    const reader = document.querySelector('.reader')
    if (!reader) return false
    const frame = reader.getBoundingClientRect()
    const segment = reader.querySelector('.segment.current-position[data-offset="' + start + '"]')
    return segment !== null && inView(segment, frame)
  }

  const compareMarksInView = () => {
    const reader = document.querySelector('.reader')
    if (!reader) return false
    const frame = reader.getBoundingClientRect()
    for (const segment of reader.querySelectorAll('.segment.box-disagreement')) if (inView(segment, frame)) return true
    return false
  }

  const shows = (expected) => {
    const counts = countsShown()
    for (const kind of Object.keys(expected.counts)) if (counts[kind] !== expected.counts[kind]) return false
    return walkNumber() === expected.currentNumber && currentMarkInView(expected.currentStart) && compareMarksInView()
  }

  const probe = {
    describe() {
      const current = document.querySelector('.reader .segment.current-position')
      return 'counts ' + JSON.stringify(countsShown()) + ', walk at ' + walkNumber() + ', current mark at ' + (current ? current.dataset.offset : 'none')
    },

    /** Arms the watch for the next click (on "Compare N layers"); returns immediately. */
    armCompare(expected, timeoutMs) {
      probe.compareResult = new Promise((resolve, reject) => {
        window.addEventListener('click', (event) => {
          const clickAt = event.timeStamp
          paintedWhen(() => shows(expected), timeoutMs).then(({ paintedAt }) => resolve({ clickAt, paintedAt }), reject)
        }, { capture: true, once: true })
      })
    },

    /** Arms the watch for the next key press (n): resolves when the expected disagreement is shown as current. */
    armStep(expected, timeoutMs) {
      probe.stepResult = new Promise((resolve, reject) => {
        window.addEventListener('keydown', (event) => {
          const keyAt = event.timeStamp
          paintedWhen(() => shows(expected), timeoutMs).then(({ frameAt, paintedAt }) => resolve({ keyAt, frameAt, paintedAt }), reject)
        }, { capture: true, once: true })
      })
    },

    /** Times one API call from the page, as the app makes it (same origin, JSON). */
    async timeApiCall(method, args) {
      const started = performance.now()
      const response = await fetch('/api/' + method, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ args })
      })
      const outcome = JSON.parse(await response.text())
      return { ms: performance.now() - started, outcome }
    }
  }
  window.__quireReviewProbe = probe
})()
`
