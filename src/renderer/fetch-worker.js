// The browser edition's API requests, made on a thread of their own (issue 12). A document's
// content arrives as one body of megabytes (a 5 MB text's frame is 6.3 MB). Fetched by the
// window itself, Chromium takes such a body in on the window's thread, 40–100 ms in one or two
// tasks in which nothing else can run (a click, a scroll, a paint), and longer while DevTools
// watches the network. Fetched here, it is taken in on this worker's thread and handed to the
// window as an ArrayBuffer that is transferred, not copied. Plain JavaScript outside the bundle,
// like early-start.js, which starts this worker and speaks to it.
'use strict'
self.onmessage = async (event) => {
  const { id, url, init } = event.data
  let answer
  try {
    const response = await fetch(url, init)
    const body = await response.arrayBuffer()
    answer = { id, status: response.status, statusText: response.statusText, contentType: response.headers.get('Content-Type'), body }
  } catch (error) {
    answer = { id, failure: error instanceof Error ? error.message : String(error) }
  }
  self.postMessage(answer, answer.body ? [answer.body] : [])
}
