// An answer carrying a document's content, as bytes: over IPC (a Uint8Array survives Electron's
// structured clone) and over HTTP (an application/vnd.quire.frame body read with arrayBuffer())
// alike, unpacked by the same code in the window. A 5 MB document's answer was 7.7 MB of JSON:
// main wrote it, the window decoded it to a string and parsed it, 88,000 spans' numbers and the
// text included. Here the numbers are an Int32Array's bytes (read in place, no parse), the text
// is UTF-8 decoded natively, and only the small rest is JSON.
//
// Layout: "QCF3", then little-endian u32s (each column's length, the number of columns, the
// JSON's and the text's byte lengths), one byte per column giving its width (1, 2 or 4 bytes: a
// column of small numbers, tag indexes or start deltas, goes as bytes or 16-bit numbers), the
// columns (each at a multiple of 4), the JSON of the answer without the text and the numbers,
// and the text. Both ends are the same machine (IPC, or the browser edition on 127.0.0.1), so the
// numbers are in the platform's order; the frame says which it was written in and the reader checks.
import { OWN_TASK_NEXT, runToEnd, type Step } from '../core/stepwise'
import { keepNewestFirst } from '../core/newest-first'
import { SHA256_HEX_PATTERN } from './held-texts'

const MAGIC = [0x51, 0x43, 0x46, 0x33] as const // "QCF3"
const FIXED_PREFIX_BYTES = 20
/**
 * A text of this many UTF-8 bytes or more is decoded in a task of its own: about a slice's work
 * (next-task.ts) by itself. In Chromium here a 5 MB text took 20–34 ms to decode, most of it
 * making the string's memory, so it cannot be cut: pieces joined cost as much again.
 */
const TEXT_DECODED_ALONE_FROM_BYTES = 2 * 1024 * 1024
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

export const CONTENT_FRAME_MEDIA_TYPE = 'application/vnd.quire.frame'

/** What travels in a frame: the answer as JSON (without the text and the numbers), the text, the numbers in columns of `columnLength`. */
export interface ContentFrameParts {
  answer: unknown
  text: string
  numbers: Int32Array
  columnLength: number
}

interface FrameHeader {
  littleEndian: boolean
  answer: unknown
  /** The text was left out: the window said it holds it (held-texts.ts), so the frame carries none. */
  textHeld?: true
  /** SHA-256 of the text's UTF-8 (lowercase hex), taken by main: the name under which the window may hold the text (held-texts.ts). */
  textSha256?: string
}

/** How a frame carries its text: left out (the window holds it), or with the digest main took of it. */
export interface FrameTextOptions {
  leaveOutText?: boolean
  textSha256?: string
}

type Width = 1 | 2 | 4

function roundUpTo4(bytes: number): number {
  return (bytes + 3) & ~3
}

function widthOf(column: Int32Array): Width {
  let min = 0
  let max = 0
  for (let index = 0; index < column.length; index++) {
    const value = column[index] as number
    if (value < min) min = value
    else if (value > max) max = value
  }
  if (min < 0) return 4
  return max < 0x100 ? 1 : max < 0x10000 ? 2 : 4
}

function viewOf(width: Width, buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array | Uint16Array | Int32Array {
  return width === 1 ? new Uint8Array(buffer, byteOffset, length) : width === 2 ? new Uint16Array(buffer, byteOffset, length) : new Int32Array(buffer, byteOffset, length)
}

/** The texts framed last, with their UTF-8: a few documents opened again and again (switching back and forth). */
const TEXTS_KEPT = 4
/** ...and no more bytes than this in all (the newest is kept whatever its size). */
const TEXT_BYTES_KEPT = 32 * 1024 * 1024
const recentTexts: { text: string; bytes: Uint8Array }[] = []

/**
 * `text` as UTF-8, encoded once while it is among the last few framed: every opening or switch
 * to a 5 MB document encoded its text again (about 95 ms of main's CPU per opening on a loaded
 * machine), though main keeps the same text in memory. Strings compare by length first, so a
 * lookup costs nothing for texts of other lengths.
 */
export function utf8Of(text: string): Uint8Array {
  const kept = recentTexts.findIndex((recent) => recent.text === text)
  const entry = kept >= 0 ? (recentTexts.splice(kept, 1)[0] as { text: string; bytes: Uint8Array }) : { text, bytes: new TextEncoder().encode(text) }
  keepNewestFirst(recentTexts, entry, TEXTS_KEPT, { of: (recent) => recent.bytes.byteLength, max: TEXT_BYTES_KEPT })
  return entry.bytes
}

/**
 * The frame of `parts`; with `leaveOutText` the text stays behind (the window holds it already,
 * held-texts.ts) and the frame says so, which makes a 5 MB document's frame a sixth of its size.
 * A text that travels goes with `textSha256` when main gives it, so the window can hold the text
 * without hashing it on its own thread.
 */
export function encodeContentFrame({ answer, text, numbers, columnLength }: ContentFrameParts, { leaveOutText = false, textSha256 }: FrameTextOptions = {}): Uint8Array {
  const columnCount = columnLength === 0 ? 0 : numbers.length / columnLength
  if (!Number.isInteger(columnCount)) throw new Error(`${numbers.length} numbers do not make columns of ${columnLength}`)
  const columns = Array.from({ length: columnCount }, (_, index) => numbers.subarray(index * columnLength, (index + 1) * columnLength))
  const widths = columns.map(widthOf)
  const encoder = new TextEncoder()
  const header: FrameHeader = leaveOutText
    ? { littleEndian: LITTLE_ENDIAN, answer, textHeld: true }
    : textSha256 === undefined
      ? { littleEndian: LITTLE_ENDIAN, answer }
      : { littleEndian: LITTLE_ENDIAN, answer, textSha256 }
  const json = encoder.encode(JSON.stringify(header))
  const textBytes = leaveOutText ? new Uint8Array(0) : utf8Of(text)
  const columnsAt = roundUpTo4(FIXED_PREFIX_BYTES + columnCount)
  let jsonAt = columnsAt
  for (const width of widths) jsonAt += roundUpTo4(width * columnLength)
  const frame = new Uint8Array(jsonAt + json.byteLength + textBytes.byteLength)
  frame.set(MAGIC, 0)
  const prefix = new DataView(frame.buffer, frame.byteOffset, FIXED_PREFIX_BYTES)
  prefix.setUint32(4, columnLength, true)
  prefix.setUint32(8, columnCount, true)
  prefix.setUint32(12, json.byteLength, true)
  prefix.setUint32(16, textBytes.byteLength, true)
  frame.set(widths, FIXED_PREFIX_BYTES)
  let at = columnsAt
  columns.forEach((column, index) => {
    const width = widths[index] as Width
    // set() converts natively; the values fit the width chosen.
    viewOf(width, frame.buffer, frame.byteOffset + at, columnLength).set(column)
    at += roundUpTo4(width * columnLength)
  })
  frame.set(json, jsonAt)
  frame.set(textBytes, jsonAt + json.byteLength)
  return frame
}

export function isContentFrame(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.byteLength >= FIXED_PREFIX_BYTES && MAGIC.every((byte, index) => value[index] === byte)
}

/** The parts of a frame; throws on bytes that are not one (cut short, or in another machine's byte order). */
export function decodeContentFrame(received: Uint8Array): ContentFrameParts {
  return runToEnd(decodeContentFrameInSteps(received))
}

/**
 * decodeContentFrame a slice at a time: yields between two columns of numbers, so widening
 * them does not add to the task that decodes the text. The text is decoded in one piece on
 * purpose: decoded in pieces, joining them copies the whole text again, which took as long as
 * decoding it whole (a 5 MB text: 300–450 ms for the join alone on a loaded machine).
 */
export function* decodeContentFrameInSteps(received: Uint8Array): Generator<Step, ContentFrameParts> {
  return (yield* decodeFrameInSteps(received, null)).parts
}

/** A frame decoded, with what the window needs to hold its text for next time. */
export interface DecodedFrame {
  parts: ContentFrameParts
  /** The frame left its text out and `parts.text` is the one the window said it held. */
  textHeld: boolean
  /** The digest main sent with the text it carries; null when it sent none or carries no text. */
  textSha256: string | null
}

/**
 * decodeContentFrameInSteps for a call that said it holds `heldText` (held-texts.ts): a frame
 * that left its text out takes that one. A frame without its text for a call that held none
 * cannot be read.
 */
export function* decodeFrameInSteps(received: Uint8Array, heldText: string | null): Generator<Step, DecodedFrame> {
  // The columns are viewed where they lie, which needs the frame 4-aligned (an HTTP body's ArrayBuffer is; an IPC copy may not be).
  const frame = received.byteOffset % 4 === 0 ? received : received.slice()
  const { columnLength, widths, columnsAt, jsonAt, jsonBytes, textBytes, header } = readLayout(frame)
  // ignoreBOM keeps a text's leading U+FEFF as the text's own character.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  const textHeld = header.textHeld === true
  if (textHeld && heldText === null) throw new Error('A content frame left out a text this window did not say it holds')
  if (textHeld && textBytes !== 0) throw new Error('A content frame says it left its text out but carries one')
  const columnBytes = frame.subarray(columnsAt, jsonAt)
  const textPart = frame.subarray(jsonAt + jsonBytes)
  const recent = recentlyDecoded(columnBytes, columnLength, textHeld ? null : textPart)
  let numbers = recent.numbers
  if (numbers === null) {
    numbers = new Int32Array(columnLength * widths.length)
    let at = columnsAt
    for (const [index, width] of widths.entries()) {
      // Widening a column is an element-by-element copy: one column per step (88,000 numbers at 5 MB).
      if (index > 0) yield
      numbers.set(viewOf(width as Width, frame.buffer, frame.byteOffset + at, columnLength), index * columnLength)
      at += roundUpTo4(width * columnLength)
    }
  }
  if (textHeld) {
    // Kept for its numbers only: its empty text bytes must never stand for the held text.
    keepDecoded({ columnBytes, columnLength, numbers, textBytes: null, text: heldText as string })
    return { parts: { answer: header.answer, text: heldText as string, numbers, columnLength }, textHeld, textSha256: null }
  }
  if (recent.text === null && textPart.byteLength >= TEXT_DECODED_ALONE_FROM_BYTES) yield OWN_TASK_NEXT
  const text = recent.text ?? decoder.decode(textPart)
  keepDecoded({ columnBytes, columnLength, numbers, textBytes: textPart, text })
  const textSha256 = typeof header.textSha256 === 'string' && SHA256_HEX_PATTERN.test(header.textSha256) ? header.textSha256 : null
  return { parts: { answer: header.answer, text, numbers, columnLength }, textHeld, textSha256 }
}

interface FrameLayout {
  columnLength: number
  widths: number[]
  columnsAt: number
  jsonAt: number
  jsonBytes: number
  textBytes: number
  header: FrameHeader
}

/** Where a frame's parts lie, and its header; throws on bytes that are not a frame (cut short, or in another machine's byte order). */
function readLayout(frame: Uint8Array): FrameLayout {
  if (!isContentFrame(frame)) throw new Error('The answer is not a Quire content frame')
  const prefix = new DataView(frame.buffer, frame.byteOffset, FIXED_PREFIX_BYTES)
  const columnLength = prefix.getUint32(4, true)
  const columnCount = prefix.getUint32(8, true)
  const jsonBytes = prefix.getUint32(12, true)
  const textBytes = prefix.getUint32(16, true)
  const widths = [...frame.subarray(FIXED_PREFIX_BYTES, FIXED_PREFIX_BYTES + columnCount)]
  if (widths.length !== columnCount || widths.some((width) => width !== 1 && width !== 2 && width !== 4)) throw new Error('A content frame has columns of unknown widths')
  const columnsAt = roundUpTo4(FIXED_PREFIX_BYTES + columnCount)
  let jsonAt = columnsAt
  for (const width of widths) jsonAt += roundUpTo4(width * columnLength)
  if (jsonAt + jsonBytes + textBytes !== frame.byteLength) {
    throw new Error(`A content frame of ${frame.byteLength} bytes says it holds ${jsonAt + jsonBytes + textBytes}`)
  }
  const header = JSON.parse(new TextDecoder().decode(frame.subarray(jsonAt, jsonAt + jsonBytes))) as FrameHeader
  if (header.littleEndian !== LITTLE_ENDIAN) throw new Error('A content frame was written in the other byte order')
  return { columnLength, widths, columnsAt, jsonAt, jsonBytes, textBytes, header }
}

/** A frame's columns and text as received, with what they decoded to. */
interface DecodedParts {
  columnBytes: Uint8Array
  columnLength: number
  numbers: Int32Array
  /** Null for a frame that left its text out: the text is known, its bytes are not. */
  textBytes: Uint8Array | null
  text: string
}

/** The window's last frames' parts: a document opened again (switching back) arrives with the same text and, unless its layer changed, the same columns. */
const PARTS_KEPT = 2
const recentParts: DecodedParts[] = []

/**
 * The text and numbers of a recent frame whose bytes are the same as these, each null when
 * none is. Comparing a 5 MB text's bytes took 7-14 ms on a slow machine; decoding it took 30-130
 * ms and made a new 5 MB string (10 MB for a text not all Latin-1) for the GC, besides the
 * 88,000 numbers per column widened again into a new array. The numbers are shared, so no one
 * may change a frame's numbers in place (the window only reads them, to unpack the layer).
 */
function recentlyDecoded(columnBytes: Uint8Array, columnLength: number, textBytes: Uint8Array | null): { numbers: Int32Array | null; text: string | null } {
  const sameText = textBytes === null ? undefined : recentParts.find((parts) => parts.textBytes !== null && sameBytes(parts.textBytes, textBytes))
  const sameColumns = recentParts.find((parts) => parts.columnLength === columnLength && sameBytes(parts.columnBytes, columnBytes))
  return { numbers: sameColumns?.numbers ?? null, text: sameText?.text ?? null }
}

function keepDecoded(parts: DecodedParts): void {
  const kept = recentParts.findIndex((recent) => recent.text === parts.text && recent.numbers === parts.numbers)
  if (kept >= 0) recentParts.splice(kept, 1)
  keepNewestFirst(recentParts, parts, PARTS_KEPT)
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  if (a === b) return true
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false
  return true
}
