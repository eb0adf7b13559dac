// Asks for the window's start (getStartup: settings, project, documents, the first document)
// while the app's own scripts are still arriving and compiling, so main reads the document
// meanwhile. Plain JavaScript outside the bundle, so it runs first; src/renderer/src/lib/api.ts
// takes the answer as that call's, through the same transport and unpacking as every call.
// In the browser edition it also starts the worker that makes every API request
// (fetch-worker.js: a document's megabytes are taken in off the window's thread) and hands the
// app its `fetch`, which answers with the worker's status, type and body.
'use strict'
;(() => {
  if (window.quire) {
    const asked = window.quire.getStartup()
    // A failure is the app's to report when it takes the answer, not an unhandled rejection now.
    asked.catch(() => undefined)
    window.quireEarlyStartup = { bridge: asked }
    return
  }
  const fetchApi = fetchOffTheWindowThread()
  const asked = fetchApi('/api/getStartup', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: '{"args":[]}'
  })
  asked.catch(() => undefined)
  window.quireEarlyStartup = { http: asked, fetch: fetchApi }

  /** fetch(url, init) through the worker; the window's own fetch where no worker can start. */
  function fetchOffTheWindowThread() {
    const windowFetch = (url, init) => fetch(url, init)
    let worker
    try {
      // Beside this file: the build renames both after their content (electron.vite.config.ts).
      worker = new Worker(new URL('./fetch-worker.js', document.currentScript.src))
    } catch {
      return windowFetch
    }
    const waiting = new Map()
    let lastId = 0
    let failed = false
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
    return (url, init) => {
      if (failed) return windowFetch(url, init)
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
