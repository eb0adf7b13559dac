// The UTF-8 bytes of a text after a change set, built from the bytes before it. Encoding a
// 5 MB text that is not all ASCII takes V8 some 40 ms, hashing the bytes 4 ms: a text edit
// hashes the new text to name it (shaAfter), so it reuses the bytes it already has.
import type { ChangeSetJson } from '../../shared/model'

/**
 * `before` is `textBefore` as UTF-8. The change set must fit `textBefore` and split no
 * surrogate pair (main checks both before it gets here), so every kept run is whole characters.
 */
export function utf8AfterChanges(textBefore: string, before: Uint8Array, changes: ChangeSetJson): Buffer {
  const pieces: Uint8Array[] = []
  let position = 0
  let byte = 0
  const bytesOf = (length: number): number => Buffer.byteLength(textBefore.slice(position, position + length), 'utf8')
  for (const part of changes) {
    if (typeof part === 'number') {
      const length = bytesOf(part)
      pieces.push(before.subarray(byte, byte + length))
      byte += length
      position += part
      continue
    }
    byte += bytesOf(part[0])
    position += part[0]
    const inserted = part.slice(1).join('\n')
    if (inserted !== '') pieces.push(Buffer.from(inserted, 'utf8'))
  }
  return Buffer.concat(pieces)
}
