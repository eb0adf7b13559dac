// Long texts kept across reloads (src/renderer/src/lib/kept-texts.ts): given back only while their
// bytes still have the digest asked for, a few at most, listed where early-start.js reads them.
import { beforeEach, describe, expect, it } from 'vitest'
import { KEEP_TEXTS_FROM_BYTES, KEPT_TEXT_DIGESTS_KEY, KeptTexts } from '../../src/renderer/src/lib/kept-texts'
import { sha256Hex } from '../../src/shared/held-texts'

/** Cache Storage's part, in memory: what was put, by key. */
class MemoryCache {
  readonly entries = new Map<string, Response>()
  async match(key: RequestInfo | URL): Promise<Response | undefined> {
    return this.entries.get(String(key))?.clone()
  }
  async put(key: RequestInfo | URL, response: Response): Promise<void> {
    this.entries.set(String(key), response)
  }
  async delete(key: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(typeof key === 'object' && 'url' in key ? new URL(key.url).pathname : String(key))
  }
  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((key) => new Request(new URL(key, 'http://127.0.0.1:4321')))
  }
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
/** A text long enough to be kept, different for each seed, starting with a byte order mark (the text's own). */
const longText = (seed: string): string => `\uFEFF${seed} – Şəki, “co-operation” 🙂\n`.repeat(Math.ceil(KEEP_TEXTS_FROM_BYTES / 30))

let cache: MemoryCache
let kept: KeptTexts
beforeEach(() => {
  localStorage.clear()
  cache = new MemoryCache()
  kept = new KeptTexts({ digests: localStorage, cache: async () => cache })
})

const listed = (): unknown => JSON.parse(localStorage.getItem(KEPT_TEXT_DIGESTS_KEY) ?? 'null')

describe('texts kept across reloads', () => {
  it('gives a kept text back, byte order mark and all, only for the digest it has', async () => {
    const text = longText('report')
    const bytes = utf8(text)
    await kept.keep('report-2026', await sha256Hex(bytes), bytes)
    expect(listed()).toEqual([['report-2026', await sha256Hex(bytes), bytes.byteLength]])
    expect(await kept.read('report-2026', await sha256Hex(bytes))).toBe(text)
    expect(await kept.read('report-2026', await sha256Hex(utf8('an edited text')))).toBeNull()
    expect(await kept.read('another', await sha256Hex(bytes))).toBeNull()
  })

  it('gives nothing back for a kept text whose bytes no longer have their digest', async () => {
    const bytes = utf8(longText('report'))
    await kept.keep('report-2026', await sha256Hex(bytes), bytes)
    const [key, response] = [...cache.entries][0] as [string, Response]
    const damaged = new Uint8Array(await response.clone().arrayBuffer())
    damaged[100] = 0x21
    cache.entries.set(key, new Response(damaged, { headers: response.headers }))
    expect(await kept.read('report-2026', await sha256Hex(bytes))).toBeNull()
  })

  it('keeps only long texts, the last four documents, and one text per document', async () => {
    await kept.keep('short', await sha256Hex(utf8('short')), utf8('short'))
    expect(listed()).toBeNull()
    const digests = new Map<string, string>()
    for (const id of ['a', 'b', 'c', 'd', 'b', 'e']) {
      const bytes = utf8(longText(`${id} ${digests.size}`))
      digests.set(id, await sha256Hex(bytes))
      await kept.keep(id, await sha256Hex(bytes), bytes)
    }
    expect((listed() as unknown[][]).map((entry) => entry.slice(0, 2))).toEqual(['c', 'd', 'b', 'e'].map((id) => [id, digests.get(id)]))
    expect([...cache.entries.keys()].sort()).toEqual(['b', 'c', 'd', 'e'].map((id) => `/quire-kept-texts/${id}`))
    expect(await kept.read('a', digests.get('a') as string)).toBeNull()
    expect(await kept.read('b', digests.get('b') as string)).toBe(longText('b 4'))
  })

  it('keeps no more than 64 MB in all, the newest text whatever its size', async () => {
    const bytesOf = (megabytes: number, fill: number): Uint8Array => new Uint8Array(megabytes * 1024 * 1024).fill(fill)
    for (const [id, megabytes] of [['a', 30], ['b', 30], ['c', 30]] as const) await kept.keep(id, 'f'.repeat(64), bytesOf(megabytes, 0x61))
    expect((listed() as unknown[][]).map((entry) => entry[0])).toEqual(['b', 'c'])
    await kept.keep('huge', 'f'.repeat(64), bytesOf(70, 0x62))
    expect((listed() as unknown[][]).map((entry) => entry[0])).toEqual(['huge'])
    expect([...cache.entries.keys()]).toEqual(['/quire-kept-texts/huge'])
  })

  it('drops a kept text no list names (localStorage cleared on its own)', async () => {
    const first = utf8(longText('first'))
    await kept.keep('first', await sha256Hex(first), first)
    localStorage.clear()
    const second = utf8(longText('second'))
    await kept.keep('second', await sha256Hex(second), second)
    expect([...cache.entries.keys()]).toEqual(['/quire-kept-texts/second'])
  })

  it('keeps nothing, and reads nothing, where storage fails', async () => {
    const failing = new KeptTexts({ digests: localStorage, cache: () => Promise.reject(new Error('no Cache Storage')) })
    const bytes = utf8(longText('report'))
    await failing.keep('report-2026', await sha256Hex(bytes), bytes)
    expect(listed()).toBeNull()
    expect(await failing.read('report-2026', await sha256Hex(bytes))).toBeNull()
  })
})
