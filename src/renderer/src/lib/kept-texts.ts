// The browser edition keeps the long texts it was sent across reloads, so reopening the long
// document an editor was on does not bring its text over the wire again. Sent again, a 5 MB text
// is most of a 7 MB answer: 100 ms and more of taking it in, more with DevTools open (issue 12).
//
// Each text is kept in Cache Storage under its document, with the SHA-256 of its UTF-8; the
// digests are also listed in localStorage (KEPT_TEXT_DIGESTS_KEY), where early-start.js reads the
// one of the document its start names, to say in its first getDocument that the window holds
// that text. Main leaves the text out only when its own text has that digest (held-texts.ts), and
// a kept text is used only when its bytes still have it, so an edited text, a damaged entry or
// one the browser dropped always comes again. Only a few long texts are kept.
import { sha256Hex } from '../../../shared/held-texts'

/** localStorage: [documentId, sha256, bytes][] of the texts kept, the newest last. Read by name in src/renderer/early-start.js. */
export const KEPT_TEXT_DIGESTS_KEY = 'quire.keptTextDigests'
/** Shorter texts cost little to send again. */
export const KEEP_TEXTS_FROM_BYTES = 256 * 1024
const TEXTS_KEPT = 4
/** ...and no more bytes than this in all (the newest is kept whatever its size). */
const BYTES_KEPT = 64 * 1024 * 1024
const CACHE_NAME = 'quire-kept-texts'
const DIGEST_HEADER = 'X-Quire-Text-Sha256'

/** Where texts are kept: the page's Cache Storage and localStorage, or stand-ins in tests. */
export interface KeptTextStores {
  digests: Pick<Storage, 'getItem' | 'setItem'>
  cache: () => Promise<Pick<Cache, 'match' | 'put' | 'delete' | 'keys'>>
  digest?: (bytes: Uint8Array) => Promise<string>
}

type DigestList = Array<[documentId: string, sha256: string, bytes: number]>

export class KeptTexts {
  readonly #stores: KeptTextStores
  readonly #digest: (bytes: Uint8Array) => Promise<string>
  /** Keeps run one after another, so two never rewrite the list from the same old copy. */
  #keeping: Promise<void> = Promise.resolve()

  constructor(stores: KeptTextStores) {
    this.#stores = stores
    this.#digest = stores.digest ?? sha256Hex
  }

  /** The page's own stores, or null where it has none (a page not in a secure context has no Cache Storage). */
  static inThisPage(): KeptTexts | null {
    const storage = globalThis.localStorage
    const caches = globalThis.caches
    if (!storage || !caches) return null
    return new KeptTexts({ digests: storage, cache: () => caches.open(CACHE_NAME) })
  }

  /**
   * Keeps a text that came in a frame (its digest taken, held-texts.ts), when it is long enough
   * to be worth it. Failing to keep it (storage full or refused) only means it comes again.
   */
  keep(documentId: string, sha256: string, bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength < KEEP_TEXTS_FROM_BYTES) return Promise.resolve()
    this.#keeping = this.#keeping.then(() => this.#keepNow(documentId, sha256, bytes)).catch(() => undefined)
    return this.#keeping
  }

  /** The text kept for the document when its bytes still have this digest; null otherwise (never kept, dropped, damaged). */
  async read(documentId: string, sha256: string): Promise<string | null> {
    try {
      const cache = await this.#stores.cache()
      const kept = await cache.match(keyOf(documentId))
      if (!kept || kept.headers.get(DIGEST_HEADER) !== sha256) return null
      const bytes = new Uint8Array(await kept.arrayBuffer())
      if ((await this.#digest(bytes)) !== sha256) return null
      // As a frame's text is decoded (content-frame.ts): a leading U+FEFF is the text's own character.
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    } catch {
      return null
    }
  }

  async #keepNow(documentId: string, sha256: string, bytes: Uint8Array): Promise<void> {
    const cache = await this.#stores.cache()
    await cache.put(keyOf(documentId), new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { [DIGEST_HEADER]: sha256, 'Content-Type': 'text/plain; charset=utf-8' } }))
    const list = readDigestList(this.#stores.digests).filter(([kept]) => kept !== documentId)
    list.push([documentId, sha256, bytes.byteLength])
    // The newest, then older ones while within both limits.
    let kept = 1
    let keptBytes = bytes.byteLength
    while (kept < Math.min(list.length, TEXTS_KEPT)) {
      const older = (list[list.length - 1 - kept] as DigestList[number])[2]
      if (keptBytes + older > BYTES_KEPT) break
      keptBytes += older
      kept++
    }
    const dropped = list.splice(0, list.length - kept)
    // The list first: a digest listed must never name a text that is gone.
    this.#stores.digests.setItem(KEPT_TEXT_DIGESTS_KEY, JSON.stringify(list))
    for (const [gone] of dropped) await cache.delete(keyOf(gone))
    // Texts no list names (localStorage cleared without Cache Storage) would never be dropped otherwise.
    const listed = new Set(list.map(([kept]) => new URL(keyOf(kept), KEY_BASE).pathname))
    for (const request of await cache.keys()) if (!listed.has(new URL(request.url, KEY_BASE).pathname)) await cache.delete(request)
  }
}

/** Keys are paths of the page's origin; this base only lets them be compared as URLs where there is no page (tests). */
const KEY_BASE = 'http://quire.invalid'

function keyOf(documentId: string): string {
  return `/quire-kept-texts/${encodeURIComponent(documentId)}`
}

function readDigestList(digests: Pick<Storage, 'getItem'>): DigestList {
  try {
    const parsed: unknown = JSON.parse(digests.getItem(KEPT_TEXT_DIGESTS_KEY) ?? '[]')
    if (!Array.isArray(parsed)) return []
    return parsed
      .filter((entry): entry is [string, string, unknown] => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string')
      .map(([documentId, sha256, bytes]) => [documentId, sha256, typeof bytes === 'number' && bytes >= 0 ? bytes : 0])
  } catch {
    return []
  }
}
