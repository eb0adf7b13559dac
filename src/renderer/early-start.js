// Asks for the window's start (getStartup: settings, project, documents, the first document)
// while the app's own scripts are still arriving and compiling, so main reads the document
// meanwhile. Plain JavaScript outside the bundle, so it runs first; src/renderer/src/lib/api.ts
// takes the answer as that call's, through the same transport and unpacking as every call.
//
// In the browser edition a document's megabytes are taken in off the window's thread, by a
// worker (fetch-worker.js) that makes the API requests once it has started. Starting one costs
// ~50 ms of a core on a slow machine, so the start itself goes by the window's own fetch, and the
// server sends it whole only while its first document is short (src/server/http-server.ts
// START_DOCUMENT_MAX_CHARACTERS). A start that left a long first document out names it
// (X-Quire-Open-Next) and carries its first screen: the worker is started at once, and the app
// asks it for the document once that first screen is painted (asked here, at once, its megabytes
// came while the window drew, on the same two cores: the opening's longest freeze, issue 12).
// Otherwise the worker starts once the opening has settled; until it has, requests go by the
// window's fetch. When the last start in this browser left its first document out (the editor
// reopens the long document they were on), the worker is started at once, beside the start's
// request, so its ~50 ms start is over long before the document is asked for.
'use strict'
;(() => {
  if (window.quire) {
    const asked = window.quire.getStartup()
    // A failure is the app's to report when it takes the answer, not an unhandled rejection now.
    asked.catch(() => undefined)
    window.quireEarlyStartup = { bridge: asked }
    return
  }
  /** As src/shared/when-settled.ts waits: a second, then the window's idle time. */
  const SETTLE_MS = 1000
  /** Set while the last start left its first document out (a hint only: a wrong one starts the worker early). */
  const LAST_START_LEFT_OUT = 'quire.lastStartLeftOutItsDocument'
  const requests = requestsOffTheWindowThread()
  if (remembered(LAST_START_LEFT_OUT)) requests.start()
  const init = (args) => ({
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ args })
  })
  const asked = fetch('/api/getStartup', init([]))
  const early = { http: asked, fetch: requests.fetch }
  window.quireEarlyStartup = early
  asked.then(
    (response) => {
      const leftOut = response.headers.get('X-Quire-Open-Next') !== null
      remember(LAST_START_LEFT_OUT, leftOut)
      if (leftOut) requests.start()
      else setTimeout(() => (window.requestIdleCallback ? requestIdleCallback(requests.start, { timeout: SETTLE_MS }) : requests.start()), SETTLE_MS)
    },
    // A failure is the app's to report when it takes the answer, not an unhandled rejection now.
    () => undefined
  )

  // Storage may be refused (a browser's privacy settings): then nothing is remembered.
  function remembered(key) {
    try {
      return localStorage.getItem(key) === 'yes'
    } catch {
      return false
    }
  }

  function remember(key, yes) {
    try {
      if (yes) localStorage.setItem(key, 'yes')
      else localStorage.removeItem(key)
    } catch {
      // Not remembered: the next start waits for its answer, as without the hint.
    }
  }

  /** fetch(url, init) through the worker once it is started; the window's own fetch before, or where no worker can start. */
  function requestsOffTheWindowThread() {
    const windowFetch = (url, init) => fetch(url, init)
    // Beside this file: the build renames both after their content (electron.vite.config.ts).
    const workerUrl = new URL('./fetch-worker.js', document.currentScript.src)
    const waiting = new Map()
    let worker = null
    let lastId = 0
    let failed = false
    const start = () => {
      if (worker !== null || failed || typeof Worker !== 'function') return
      try {
        worker = new Worker(workerUrl)
      } catch {
        failed = true
        return
      }
      worker.onmessage = (event) => {
        const answer = event.data
        const request = waiting.get(answer.id)
        if (!request) return
        waiting.delete(answer.id)
        if (answer.failure !== undefined) request.reject(new TypeError(answer.failure))
        else request.resolve(answerAsResponse(answer))
      }
      // The worker catches every failure of a request and answers it, so an error here means its
      // script never ran (not found, refused): none of the waiting requests was sent. They go,
      // and all later ones, by the window's own fetch.
      worker.onerror = () => {
        failed = true
        worker.terminate()
        for (const request of waiting.values()) windowFetch(request.url, request.init).then(request.resolve, request.reject)
        waiting.clear()
      }
    }
    const fetchThroughWorker = (url, init) => {
      if (worker === null || failed) return windowFetch(url, init)
      return new Promise((resolve, reject) => {
        const id = ++lastId
        waiting.set(id, { url, init, resolve, reject })
        try {
          worker.postMessage({ id, url: new URL(url, location.href).href, init })
        } catch (error) {
          waiting.delete(id)
          reject(error)
        }
      })
    }
    return { start, fetch: fetchThroughWorker }
  }

  /** What the app reads of a response (src/renderer/src/lib/http-api.ts ApiResponse). */
  function answerAsResponse(answer) {
    const body = answer.body
    return {
      ok: answer.status >= 200 && answer.status < 300,
      status: answer.status,
      statusText: answer.statusText,
      headers: new Headers(answer.contentType === null ? {} : { 'Content-Type': answer.contentType }),
      arrayBuffer: () => Promise.resolve(body),
      text: () => Promise.resolve(new TextDecoder().decode(body))
    }
  }
})()
