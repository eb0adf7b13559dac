// The digest by which a window names a text it holds (src/shared/held-texts.ts): SHA-256 of the
// text's UTF-8, the bytes a frame carries. Sent with each text a frame carries, so the window
// never hashes on its own thread, and checked against the window's hint when it asks again.
// Taken from the bytes main keeps for its recent texts anyway (content-frame.ts), and kept with
// them: a 5 MB text is hashed once (4–12 ms here), then looked up.
import { utf8Of } from '../shared/content-frame'
import { sha256Hex } from './store/project-store'
import type { DocumentContent } from '../shared/model'
import type { HeldTextHint } from '../shared/held-texts'

const digests = new WeakMap<Uint8Array, string>()

export function textDigest(text: string): string {
  const bytes = utf8Of(text)
  let digest = digests.get(bytes)
  if (digest === undefined) digests.set(bytes, (digest = sha256Hex(bytes)))
  return digest
}

/** The content's text is the very one the window says it holds: the frame can go without it. */
export function windowHoldsText(hint: HeldTextHint | null, content: DocumentContent): boolean {
  return hint !== null && hint.documentId === content.document.id && hint.sha256 === textDigest(content.text)
}
