// The measuring code that runs inside the page, installed before Quire's own scripts. It is a
// plain-JavaScript string on purpose: tsx rewrites TypeScript functions (adding helpers such
// as __name) that would not exist once serialized into the page.
//
// "Painted" means: the first animation frame in which the condition holds, then the task
// right after that frame's rendering step (a MessageChannel message posted from the frame
// callback), so style, layout and paint of the frame are included.

export interface OpenTiming {
  /** When the open started: 0 for a navigation (performance.now() counts from it), else the click's event time. */
  startedAt: number
  /** After the first frame showing the document's name and at least one highlight in view. */
  paintedAt: number
  /** The heading shown then. */
  heading: string
}

export interface TagTiming {
  /** Event time of the mouse-up that ended the selection of the word. */
  mouseUpAt: number
  keyAt: number
  /** Start of the first frame showing the new highlight (its requestAnimationFrame time). */
  frameAt: number
  /** That frame's rendering done (style, layout, paint). */
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
  scrollHeight: number
  reachedBottom: boolean
  startedAt: number
  finishedAt: number
}

/** How the window's thread fared over a stretch of time: 10 ms timer ticks and long tasks. */
export interface FreezeReport {
  /** Largest gap between two 10 ms timer ticks (a late tick: the thread was busy), ms. */
  longestTickGapMs: number
  /** Page time (ms) at which that gap began: the last tick before it. */
  longestGapFrom: number
  /** Long tasks (over 50 ms) the browser reported, ms each. */
  longTasksMs: number[]
}

export interface VisibleBlockCheck {
  start: number
  text: string
  highlightedChars: number
  highlights: number
}

export interface WordTarget {
  /** Points just inside the word's left and right edges, and its middle. */
  left: number
  right: number
  y: number
  word: string
}

/** Where a block cut inside a line (a long line's chunk boundary) is drawn. */
export interface LineCutCheck {
  /** Document offset of the cut. */
  offset: number
  /** The word after the cut starts on the same line as the text before it. */
  sameLine: boolean
  /** Room left on the line after the text before the cut, px. */
  roomPx: number
  /** Width of the word after the cut, px. */
  nextWordPx: number
  /** The cut ended the line although the next word had room on it. */
  falseLineEnd: boolean
}

/**
 * The longest freeze as the side-by-side harness measures it (issue 12): the largest gap between
 * 10 ms ticks, the ticks started before Quire's scripts (a late tick is time the window's thread
 * could not run). Plain JavaScript put into both page probes below, so they measure alike.
 */
const TICK_GAPS_SCRIPT = String.raw`
  const ticks = []
  setInterval(() => ticks.push(performance.now()), 10)

  // The largest gap between ticks in [from, until]; the ticks just outside count too: a freeze
  // across the stretch's edge is in it.
  const longestTickGap = (from, until) => {
    let previous = null
    let longest = 0
    let longestFrom = from
    const widen = (start, end) => { if (end - start > longest) { longest = end - start; longestFrom = start } }
    for (const tick of ticks) {
      if (tick < from) { previous = tick; continue }
      if (previous !== null) widen(previous, tick)
      previous = tick
      if (tick > until) break
    }
    if (previous !== null && previous < until) widen(previous, until)
    return { longest, longestFrom }
  }
`

export const PAGE_PROBE_SCRIPT = String.raw`
(() => {
${TICK_GAPS_SCRIPT}
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
  const heading = () => document.querySelector('.reader-header h1')?.textContent ?? null

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

  const textNodesOf = (element) => {
    const nodes = []
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node)
    return nodes
  }

  const rectOf = (node, start, end) => {
    const range = document.createRange()
    range.setStart(node, start)
    range.setEnd(node, end)
    return range.getClientRects()
  }

  const isSpace = (character) => /\s/.test(character)

  const probe = {
    longTasks,

    /** Resolves after the first frame, since navigation, that shows a document with highlights in view. */
    openedFromNavigation: paintedWhen(() => heading() !== null && highlightInView(), 120000).then(({ paintedAt }) => ({ startedAt: 0, paintedAt, heading: heading() })),

    /** Arms the watch for the next click on a document in the list; returns immediately. */
    armOpen(documentName, timeoutMs) {
      probe.openResult = new Promise((resolve, reject) => {
        window.addEventListener('click', (event) => {
          const startedAt = event.timeStamp
          paintedWhen(() => heading() === documentName && highlightInView(), timeoutMs).then(({ paintedAt }) => resolve({ startedAt, paintedAt, heading: heading() }), reject)
        }, { capture: true, once: true })
      })
    },

    /**
     * Arms the watch for the next key press: resolves after the first frame whose element at
     * selector reads text starting with expectedStart (the list's summary once filtered).
     */
    armKeyShows(selector, expectedStart, timeoutMs) {
      probe.keyResult = new Promise((resolve, reject) => {
        window.addEventListener('keydown', (event) => {
          const keyAt = event.timeStamp
          const shown = () => (document.querySelector(selector)?.textContent ?? '').trim().startsWith(expectedStart)
          paintedWhen(shown, timeoutMs).then(({ frameAt, paintedAt }) => resolve({ keyAt, frameAt, paintedAt }), reject)
        }, { capture: true, once: true })
      })
    },

    /** The largest gap between 10 ms ticks and the long tasks in [from, to] (page times; to defaults to now). */
    freezeBetween(from, to) {
      const until = to ?? performance.now()
      const { longest, longestFrom } = longestTickGap(from, until)
      const tasks = longTasks.filter((task) => task.startTime + task.duration >= from && task.startTime <= until).map((task) => task.duration)
      return { longestTickGapMs: longest, longestGapFrom: longestFrom, longTasksMs: tasks }
    },

    now() {
      return performance.now()
    },

    /** The page's requests since navigation (its document, scripts, API calls), to show where an open's time went. */
    requestTimeline() {
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      return entries.map((entry) => ({ name: entry.entryType === 'navigation' ? 'page' : new URL(entry.name).pathname.split('/').pop(), start: entry.startTime, end: entry.responseEnd }))
    },

    /** Arms the watch for the next mouse-up and key press: resolves when a highlight not in view before appears. */
    armTag(timeoutMs) {
      const element = reader()
      const before = new Set([...element.querySelectorAll('[data-annotation-id]')].map((node) => node.dataset.annotationId))
      probe.tagResult = new Promise((resolve, reject) => {
        let mouseUpAt = null
        window.addEventListener('mouseup', (event) => { mouseUpAt = event.timeStamp }, { capture: true, once: true })
        window.addEventListener('keydown', (event) => {
          const keyAt = event.timeStamp
          let found = null
          paintedWhen(() => {
            for (const node of element.querySelectorAll('.segment.highlight[data-annotation-id]')) {
              if (!before.has(node.dataset.annotationId)) { found = node; return true }
            }
            return false
          }, timeoutMs).then(({ frameAt, paintedAt }) => resolve({ mouseUpAt: mouseUpAt ?? Number.NaN, keyAt, frameAt, paintedAt, text: found.textContent, annotationId: found.dataset.annotationId }), reject)
        }, { capture: true, once: true })
      })
    },

    /** An untagged word (4+ letters) in view that was not picked before, with points just inside its edges. */
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
          const rects = rectOf(node, match.index, match.index + match[0].length)
          if (rects.length !== 1) continue
          const rect = rects[0]
          if (rect.top < frame.top + 40 || rect.bottom > frame.bottom - 40) continue
          return { left: rect.left + 1, right: rect.right - 1, y: rect.top + rect.height / 2, word: match[0] }
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

    /**
     * Every rendered place where one block ends inside a line (no line terminator) and the next
     * continues it: is the next word drawn on the same line, and if not, did it have room there?
     */
    lineCuts() {
      const blocks = [...reader().querySelectorAll('.block')]
      const cuts = []
      for (let index = 1; index < blocks.length; index++) {
        const before = blocks[index - 1]
        const after = blocks[index]
        const beforeText = before.textContent
        if (beforeText === '' || /[\n\r]$/.test(beforeText)) continue
        if (Number(after.dataset.blockStart) !== Number(before.dataset.blockStart) + beforeText.length) continue
        // The last visible character before the cut (the cut comes after whitespace).
        let lastRect = null
        const beforeNodes = textNodesOf(before)
        for (let n = beforeNodes.length - 1; n >= 0 && !lastRect; n--) {
          const node = beforeNodes[n]
          for (let at = node.data.length - 1; at >= 0; at--) {
            if (isSpace(node.data[at])) continue
            const rects = rectOf(node, at, at + 1)
            lastRect = rects[rects.length - 1] ?? null
            break
          }
        }
        // The first word after the cut.
        let wordRect = null
        const afterNodes = textNodesOf(after)
        const first = afterNodes.find((node) => node.data.length > 0)
        if (first) {
          let end = 0
          while (end < first.data.length && !isSpace(first.data[end])) end++
          const rects = rectOf(first, 0, Math.max(1, end))
          wordRect = rects[0] ?? null
        }
        if (!lastRect || !wordRect) continue
        const lineRight = before.getBoundingClientRect().right
        const sameLine = Math.abs(wordRect.top - lastRect.top) < 2
        const roomPx = lineRight - lastRect.right
        // A space between the words takes about a third of the font size.
        const spacePx = parseFloat(getComputedStyle(before).fontSize) / 3
        const falseLineEnd = !sameLine && roomPx >= wordRect.width + spacePx
        cuts.push({ offset: Number(after.dataset.blockStart), sameLine, roomPx, nextWordPx: wordRect.width, falseLineEnd })
      }
      return cuts
    },

    /**
     * Jumps to a fraction of the document, then goes down block by block until a cut inside a
     * line is rendered, and puts it in the middle of the view; false when none comes.
     */
    async showLineCut(fraction) {
      const element = reader()
      element.scrollTop = (element.scrollHeight - element.clientHeight) * fraction
      await afterNextPaint()
      await afterNextPaint()
      for (let attempt = 0; attempt < 8; attempt++) {
        const frame = element.getBoundingClientRect()
        const cut = probe.lineCuts()[0]
        if (cut) {
          const block = element.querySelector('.block[data-block-start="' + cut.offset + '"]')
          element.scrollTop += block.getBoundingClientRect().top - frame.top - element.clientHeight / 2
          await afterNextPaint()
          await afterNextPaint()
          return true
        }
        const blocks = element.querySelectorAll('.block')
        const last = blocks[blocks.length - 1]
        if (!last) return false
        element.scrollTop += last.getBoundingClientRect().bottom - frame.top - element.clientHeight / 2
        await afterNextPaint()
        await afterNextPaint()
      }
      return false
    },

    /** The top left of a nested highlight well inside the view; null after scrolling one to the middle. */
    nestedHighlightInView() {
      const element = reader()
      const frame = element.getBoundingClientRect()
      const nested = [...element.querySelectorAll('.segment.highlight[style*="--bands"]')]
      for (const highlight of nested) {
        const rect = highlight.getBoundingClientRect()
        if (rect.top > frame.top + 120 && rect.bottom < frame.bottom - 120) return { x: rect.left, y: rect.top }
      }
      nested[0]?.scrollIntoView({ block: 'center' })
      return null
    },

    /** Jumps to a fraction of the document's height and waits two frames. */
    async scrollToFraction(fraction) {
      const element = reader()
      element.scrollTop = (element.scrollHeight - element.clientHeight) * fraction
      await afterNextPaint()
      await afterNextPaint()
      await afterNextPaint()
    },

    /** Scrolls the reader from top to bottom in equal steps, one frame per step, timing frames. */
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
        scrollHeight: element.scrollHeight,
        reachedBottom: element.scrollTop + viewportHeight >= element.scrollHeight - 1,
        startedAt,
        finishedAt
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

export interface SettleTiming extends StepTiming {
  /** Longest gap between the page's 10 ms ticks from the key to the end of that frame. */
  longestGapMs: number
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
${TICK_GAPS_SCRIPT}
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

    /**
     * Arms the watch for the next key press in curation: resolves when the review panel reads
     * "<expectedLeft> disagreements left", with the longest gap between 10 ms ticks from the key
     * to that frame's end (as the reader bench's freezes).
     */
    armSettle(expectedLeft, timeoutMs) {
      const left = () => {
        const match = /([0-9.,\s\u00a0\u202f]+)\s+disagreements?\s+left/.exec(document.querySelector('.review-progress')?.textContent ?? '')
        return match ? digits(match[1]) : -1
      }
      probe.settleResult = new Promise((resolve, reject) => {
        window.addEventListener('keydown', (event) => {
          const keyAt = event.timeStamp
          paintedWhen(() => left() === expectedLeft, timeoutMs).then(({ frameAt, paintedAt }) => {
            resolve({ keyAt, frameAt, paintedAt, longestGapMs: longestTickGap(keyAt, paintedAt).longest })
          }, reject)
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
