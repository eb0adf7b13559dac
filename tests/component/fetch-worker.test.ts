// src/renderer/fetch-worker.js, the worker that takes a document's megabytes in off the window's
// thread: a body is read into one buffer of its announced length as its chunks come, and
// answered whole, whatever the chunks and whether the announced length was right.
import { describe, expect, it, vi } from 'vitest'
import SOURCE from '../../src/renderer/fetch-worker.js?raw'

interface Answer {
  id: number
  status?: number
  contentType?: string | null
  body?: ArrayBuffer
  failure?: string
}

/** Runs the worker's script with `fetch` answering every request with `response`; resolves with its answer and what it transferred. */
async function ask(response: Response): Promise<{ answer: Answer; transferred: unknown[] }> {
  const worker: { onmessage: ((event: { data: unknown }) => Promise<void>) | null; postMessage: ReturnType<typeof vi.fn> } = { onmessage: null, postMessage: vi.fn() }
  new Function('self', 'fetch', SOURCE)(worker, async () => response)
  await worker.onmessage?.({ data: { id: 7, url: 'http://127.0.0.1/api/getDocument', init: { method: 'POST' } } })
  const [answer, transferred] = worker.postMessage.mock.calls.at(-1) as [Answer, unknown[]]
  return { answer, transferred }
}

function bytes(count: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, index) => (index * 31 + seed) % 256)
}

/** A body coming as these chunks, announcing `announced` bytes (none: no Content-Length). */
function responseOf(chunks: Uint8Array[], announced: number | null): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    }
  })
  const headers: Record<string, string> = { 'Content-Type': 'application/vnd.quire.frame' }
  if (announced !== null) headers['Content-Length'] = String(announced)
  return new Response(stream, { status: 200, headers })
}

const joined = (chunks: Uint8Array[]): number[] => chunks.flatMap((chunk) => [...chunk])

describe('the fetch worker', () => {
  it('answers a body of the announced length whole, in the buffer it transfers', async () => {
    const chunks = [bytes(5000, 1), bytes(1, 2), bytes(70_000, 3)]
    const { answer, transferred } = await ask(responseOf(chunks, 75_001))
    expect(answer).toMatchObject({ id: 7, status: 200, contentType: 'application/vnd.quire.frame' })
    expect([...new Uint8Array(answer.body as ArrayBuffer)]).toEqual(joined(chunks))
    expect(transferred).toEqual([answer.body])
  })

  it('answers every byte of a body longer than announced', async () => {
    const chunks = [bytes(10, 1), bytes(10, 2), bytes(10, 3)]
    const { answer } = await ask(responseOf(chunks, 15))
    expect([...new Uint8Array(answer.body as ArrayBuffer)]).toEqual(joined(chunks))
  })

  it('answers only the bytes that came of a body shorter than announced', async () => {
    const chunks = [bytes(10, 1), bytes(4, 2)]
    const { answer } = await ask(responseOf(chunks, 100))
    expect([...new Uint8Array(answer.body as ArrayBuffer)]).toEqual(joined(chunks))
  })

  it('answers a body that announces no length', async () => {
    const chunks = [bytes(3, 1), bytes(3, 2)]
    const { answer } = await ask(responseOf(chunks, null))
    expect([...new Uint8Array(answer.body as ArrayBuffer)]).toEqual(joined(chunks))
  })

  it('answers a failed request with why', async () => {
    const worker = { onmessage: null as ((event: { data: unknown }) => Promise<void>) | null, postMessage: vi.fn() }
    new Function('self', 'fetch', SOURCE)(worker, async () => {
      throw new TypeError('Failed to fetch')
    })
    await worker.onmessage?.({ data: { id: 3, url: 'http://127.0.0.1/api/getDocument', init: {} } })
    expect(worker.postMessage).toHaveBeenCalledWith({ id: 3, failure: 'Failed to fetch' }, [])
  })
})
