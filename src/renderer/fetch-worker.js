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
    const body = await bodyOf(response)
    answer = { id, status: response.status, statusText: response.statusText, contentType: response.headers.get('Content-Type'), body }
  } catch (error) {
    answer = { id, failure: error instanceof Error ? error.message : String(error) }
  }
  self.postMessage(answer, answer.body ? [answer.body] : [])
}

// Read into one buffer of the announced length as the chunks come: arrayBuffer() keeps every
// chunk and copies them all into a new buffer at the end, megabytes of fresh memory touched
// twice while the window waits. A body longer or shorter than announced is read as arrayBuffer() would.
async function bodyOf(response) {
  const announced = Number(response.headers.get('Content-Length'))
  if (!response.body || !Number.isSafeInteger(announced) || announced <= 0) return response.arrayBuffer()
  const whole = new Uint8Array(announced)
  const overflow = []
  let filled = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (overflow.length === 0 && filled + value.byteLength <= announced) {
      whole.set(value, filled)
      filled += value.byteLength
    } else overflow.push(value)
  }
  if (filled === announced && overflow.length === 0) return whole.buffer
  const joined = new Uint8Array(filled + overflow.reduce((sum, chunk) => sum + chunk.byteLength, 0))
  joined.set(whole.subarray(0, filled), 0)
  let at = filled
  for (const chunk of overflow) {
    joined.set(chunk, at)
    at += chunk.byteLength
  }
  return joined.buffer
}
