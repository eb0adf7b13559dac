// An answer carrying a document's content, as bytes: over IPC (a Uint8Array survives Electron's
// structured clone) and over HTTP (an application/vnd.quire.frame body read with arrayBuffer())
// alike, unpacked by the same code in the window. A 5 MB document's answer was 7.7 MB of JSON:
// main wrote it, the window decoded it to a string and parsed it, 88,000 spans' numbers and the
// text included. Here the numbers are an Int32Array's bytes (read in place, no parse), the text
// is UTF-8 decoded natively, and only the small rest is JSON.
//
// Layout: "QCF2", then three little-endian u32 (the numbers' count, the JSON's and the text's
// byte lengths), the numbers (Int32, at offset 16 so they can be viewed in place), the JSON of
// the answer with the content's text left out and its annotations' numbers left out, the text.
// Both ends are the same machine (IPC, or the browser edition on 127.0.0.1), so the Int32s are
// in the platform's order; the frame says which it was written in and the reader checks.
const MAGIC = [0x51, 0x43, 0x46, 0x32] as const // "QCF2"
const PREFIX_BYTES = 16
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

export const CONTENT_FRAME_MEDIA_TYPE = 'application/vnd.quire.frame'

/** What travels in a frame: the answer as JSON (without the text and the numbers), the text, the numbers. */
export interface ContentFrameParts {
  answer: unknown
  text: string
  numbers: Int32Array
}

interface FrameHeader {
  littleEndian: boolean
  answer: unknown
}

export function encodeContentFrame({ answer, text, numbers }: ContentFrameParts): Uint8Array {
  const encoder = new TextEncoder()
  const header: FrameHeader = { littleEndian: LITTLE_ENDIAN, answer }
  const json = encoder.encode(JSON.stringify(header))
  const textBytes = encoder.encode(text)
  const jsonAt = PREFIX_BYTES + numbers.byteLength
  const frame = new Uint8Array(jsonAt + json.byteLength + textBytes.byteLength)
  frame.set(MAGIC, 0)
  const prefix = new DataView(frame.buffer, frame.byteOffset, PREFIX_BYTES)
  prefix.setUint32(4, numbers.length, true)
  prefix.setUint32(8, json.byteLength, true)
  prefix.setUint32(12, textBytes.byteLength, true)
  frame.set(new Uint8Array(numbers.buffer, numbers.byteOffset, numbers.byteLength), PREFIX_BYTES)
  frame.set(json, jsonAt)
  frame.set(textBytes, jsonAt + json.byteLength)
  return frame
}

export function isContentFrame(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.byteLength >= PREFIX_BYTES && MAGIC.every((byte, index) => value[index] === byte)
}

/** The parts of a frame; throws on bytes that are not one (cut short, or from another machine's byte order). */
export function decodeContentFrame(frame: Uint8Array): ContentFrameParts {
  if (!isContentFrame(frame)) throw new Error('The answer is not a Quire content frame')
  const prefix = new DataView(frame.buffer, frame.byteOffset, PREFIX_BYTES)
  const numberCount = prefix.getUint32(4, true)
  const jsonBytes = prefix.getUint32(8, true)
  const textBytes = prefix.getUint32(12, true)
  const jsonAt = PREFIX_BYTES + numberCount * 4
  if (jsonAt + jsonBytes + textBytes !== frame.byteLength) {
    throw new Error(`A content frame of ${frame.byteLength} bytes says it holds ${jsonAt + jsonBytes + textBytes}`)
  }
  // ignoreBOM keeps a text's leading U+FEFF as the text's own character.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  const header = JSON.parse(decoder.decode(frame.subarray(jsonAt, jsonAt + jsonBytes))) as FrameHeader
  if (header.littleEndian !== LITTLE_ENDIAN) throw new Error('A content frame was written in the other byte order')
  // Viewed in place when 4-aligned (an HTTP body's ArrayBuffer is); copied otherwise.
  const numbersAt = frame.byteOffset + PREFIX_BYTES
  const numbers = numbersAt % 4 === 0 ? new Int32Array(frame.buffer, numbersAt, numberCount) : new Int32Array(frame.slice(PREFIX_BYTES, jsonAt).buffer)
  return { answer: header.answer, text: decoder.decode(frame.subarray(jsonAt + jsonBytes)), numbers }
}
