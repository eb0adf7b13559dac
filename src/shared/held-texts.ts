// The texts a window was sent lately, so that asking again for a document it showed does not
// bring the same text back over the wire. Switching back to a 5 MB document brought 5 MB of
// text again each time, 6.3 MB in all, though the window still had it: Chromium spent 40-110 ms
// of the window's thread taking in the body (more with DevTools open), and Electron copies it
// twice over IPC. The window names the text it holds by the SHA-256 of its UTF-8, which main
// sends with the text (content-frame.ts); main leaves the text out of the frame only when its own
// text has that digest (src/main/text-digests.ts), so a text edited since, by this window or
// another, always travels again.
import { DOCUMENT_OPENING_CALL } from './api-methods'
import type { FrameTexts } from './api-payloads'
import type { LayerRef } from './model'
import { keepNewestFirst } from '../core/newest-first'

/** What a call for a document's content says the window holds of it. */
export interface HeldTextHint {
  documentId: string
  /** SHA-256 of the text's UTF-8, as lowercase hex. */
  sha256: string
}

/** How a hint's digest is written (checked by heldTextHintSchema in api-schemas.ts). */
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/

/** The only call that says what it holds: the one that opens a document it may have shown before. */
export const CALL_NAMING_HELD_TEXT = DOCUMENT_OPENING_CALL

/** The document a call's arguments ask for, when the call may name a held text (main checks the arguments themselves). */
export function documentAskedFor(method: string, args: readonly unknown[]): string | null {
  if (method !== CALL_NAMING_HELD_TEXT) return null
  const layer = args[0] as Partial<LayerRef> | null | undefined
  return typeof layer?.documentId === 'string' ? layer.documentId : null
}

/**
 * What the desktop app's preload adds to the API's calls: getDocument naming the text the
 * window holds (passed to main beside the arguments, as the browser edition's request body does).
 * Its answer is the outcome's value as it came, for the window to unpack.
 */
export interface HoldingTextBridge {
  getDocumentHoldingText(layer: LayerRef, heldText: HeldTextHint): Promise<unknown>
}

/** Texts kept: back and forth between a few documents. */
const TEXTS_KEPT = 4
/** ...and no more characters than this in all (the newest is kept whatever its size). */
const CHARACTERS_KEPT = 16 * 1024 * 1024

interface Held {
  documentId: string
  sha256: string
  text: string
}

/** One window's held texts, by document. */
export class HeldTexts {
  readonly #held: Held[] = []

  /** The text held for `documentId`, with the hint that names it, or null. */
  heldFor(documentId: string | null): { hint: HeldTextHint; text: string } | null {
    const held = documentId === null ? undefined : this.#held.find((entry) => entry.documentId === documentId)
    return held ? { hint: { documentId: held.documentId, sha256: held.sha256 }, text: held.text } : null
  }

  /**
   * A text that came in a frame, held under the digest main sent with it. The window never hashes
   * a text itself: WebCrypto's digest runs on the window's thread (measured in Chromium 150: 20 ms
   * for 5 MB, 77 ms for 20 MB, in one task). A text that came without a digest is not held; one
   * held before for the document stays, named by its own digest, which main simply will not match
   * if the text has changed since.
   */
  received(documentId: string, text: string, sha256: string | null): void {
    if (text === '' || sha256 === null || !SHA256_HEX_PATTERN.test(sha256)) return
    const at = this.#held.findIndex((held) => held.documentId === documentId)
    if (at >= 0) this.#held.splice(at, 1)
    keepNewestFirst(this.#held, { documentId, sha256, text }, TEXTS_KEPT, { of: (held) => held.text.length, max: CHARACTERS_KEPT })
  }

  /** What unpacking a call's answer needs (api-payloads.ts): the text the call named, if any, and where texts that come go. */
  forCall(held: string | null): FrameTexts {
    return { held, received: (documentId, text, sha256) => this.received(documentId, text, sha256), used: (documentId) => this.used(documentId) }
  }

  /** A held text that was used again: kept longest. */
  used(documentId: string): void {
    const at = this.#held.findIndex((entry) => entry.documentId === documentId)
    if (at > 0) this.#held.unshift(...this.#held.splice(at, 1))
  }
}
