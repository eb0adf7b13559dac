// The document index's body in binary columns (schema version 3). Version 2's JSON columns cost
// the first answer of a 100,000-document project most of its time: the 24 MB text decoded (0.45 s
// here) and parsed (0.6 s plus the garbage collections its ~1.5 million values brought). Here
// the numbers are typed arrays read where they lie in the file, and every string of the entries
// (ids, names, stamps, folders, layers' updatedAt) is in one text decoded once and cut by its
// stored ends; the hashes are bytes, turned to one run of hex digits by the caller's native code.
//
// The body is these sections, each starting at a multiple of 8 bytes (so a typed array can be
// laid over the file's bytes as they are read), in this order:
//   sizeBytes, lengths          Float64Array, one per entry
//   layers                      Uint32Array, version 2's flat layer integers (see columns.ts)
//   textEnds                    Uint32Array: per entry the end of its id, name, stamp and folders
//                               in the text, then per layer the end of its updatedAt (UTF-16 units)
//   present                     Uint8Array: per entry FOLDERS | HASH where it has them, then per layer
//                               UPDATED where it has an updatedAt ("" is not absent)
//   text                        the strings, UTF-8 (UTF-16 code units when one has a lone surrogate,
//                               which UTF-8 cannot carry)
//   sha256                      32 bytes per entry (zeros for none); empty when no entry has one
// The header (JSON, beside the body in the file) has the rest: count, the section lengths, the
// table of strings, the problems, the text's encoding.
import type { QuireErrorInfo } from '../../shared/api'
import { StringTable } from '../../shared/string-table'
import type { DocumentIndexEntry } from './entry'
import type { IndexColumns } from './columns'
import { runToEnd } from '../stepwise'

export const BINARY_SECTIONS = ['sizeBytes', 'lengths', 'layers', 'textEnds', 'present', 'text', 'sha256'] as const
export type BinarySection = (typeof BINARY_SECTIONS)[number]
export type TextEncoding = 'utf8' | 'utf16'

/** What the header says about the body (written as JSON; checked by document-index-file.ts as it reads it). */
export interface BinaryIndexLayout {
  count: number
  /** Bytes of each section, in BINARY_SECTIONS' order. */
  sections: number[]
  textEncoding: TextEncoding
  strings: string[]
  problems: Record<number, QuireErrorInfo>
  layerProblems: Record<number, QuireErrorInfo>
}

const FOLDERS = 1
const HASH = 2
const UPDATED = 1
const HASH_BYTES = 32

/** A surrogate without its pair: UTF-8 would write U+FFFD in its place. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Where a section starts: every one at a multiple of 8 bytes from the body's start. */
const aligned = (bytes: number): number => Math.ceil(bytes / 8) * 8

export function bodyBytesOf(layout: Pick<BinaryIndexLayout, 'sections'>): number {
  return layout.sections.reduce((total, bytes) => total + aligned(bytes), 0)
}

/**
 * The body of `entries` and its layout; the body's pieces are each a section (the text in pieces
 * of its own) padded to 8 bytes. Made without a copy of the whole text as one string, nor a
 * JavaScript array of every layer integer: an import of 100,000 documents writes this at its end,
 * and its memory is to stay as flat as a small one's.
 */
export function encodeBinaryColumns(entries: readonly DocumentIndexEntry[]): { layout: BinaryIndexLayout; pieces: Uint8Array[] } {
  const count = entries.length
  const strings = new StringTable()
  const sizeBytes = new Float64Array(count)
  const lengths = new Float64Array(count)
  let layerCount = 0
  let layerIntegers = count
  for (const entry of entries) {
    layerCount += entry.layers.length
    for (const layer of entry.layers) layerIntegers += 5 + 2 * Object.keys(layer.countsByTag).length
  }
  const layers = new Uint32Array(layerIntegers)
  const present = new Uint8Array(count + layerCount)
  const problems: Record<number, QuireErrorInfo> = {}
  const layerProblems: Record<number, QuireErrorInfo> = {}
  let anyHash = false
  let at = 0
  let layerPosition = 0
  for (let position = 0; position < count; position++) {
    const entry = entries[position] as DocumentIndexEntry
    sizeBytes[position] = entry.sizeBytes
    lengths[position] = entry.length
    present[position] = (entry.folders === undefined ? 0 : FOLDERS) | (entry.sha256 === undefined ? 0 : HASH)
    if (entry.sha256 !== undefined) anyHash = true
    if (entry.problem) problems[position] = entry.problem
    layers[at++] = entry.layers.length
    for (const layer of entry.layers) {
      if (layer.problem) layerProblems[layerPosition] = layer.problem
      present[count + layerPosition] = layer.updatedAt === null ? 0 : UPDATED
      layerPosition++
      const tags = Object.entries(layer.countsByTag)
      layers[at++] = strings.index(layer.file)
      layers[at++] = strings.index(layer.annotator)
      layers[at++] = strings.index(layer.status)
      layers[at++] = layer.spans
      layers[at++] = tags.length
      for (const [tag, spans] of tags) {
        layers[at++] = strings.index(tag)
        layers[at++] = spans
      }
    }
  }
  const textEnds = new Uint32Array(4 * count + layerCount)
  let end = 0
  let index = 0
  for (const text of textsOf(entries)) {
    end += text.length
    if (end > 0xffffffff) throw new RangeError('The document index’s strings are too long for its format')
    textEnds[index++] = end
  }
  let textEncoding: TextEncoding = 'utf8'
  let textPieces = utf8Pieces(entries)
  if (textPieces === null) {
    textEncoding = 'utf16'
    textPieces = [utf16Bytes([...textsOf(entries)].join(''))]
  }
  const textBytes = textPieces.reduce((total, piece) => total + piece.length, 0)
  const hashes = anyHash ? hashBytes(entries) : new Uint8Array(0)
  const sections: Record<BinarySection, Uint8Array[]> = {
    sizeBytes: [bytesOf(sizeBytes)],
    lengths: [bytesOf(lengths)],
    layers: [bytesOf(layers)],
    textEnds: [bytesOf(textEnds)],
    present: [present],
    text: textPieces,
    sha256: [hashes]
  }
  const sectionBytes = BINARY_SECTIONS.map((name) => (name === 'text' ? textBytes : (sections[name][0] as Uint8Array).length))
  const pieces: Uint8Array[] = []
  BINARY_SECTIONS.forEach((name, position) => {
    pieces.push(...sections[name])
    const bytes = sectionBytes[position] as number
    if (aligned(bytes) > bytes) pieces.push(new Uint8Array(aligned(bytes) - bytes))
  })
  return { layout: { count, sections: sectionBytes, textEncoding, strings: strings.values, problems, layerProblems }, pieces }
}

/** Every string of the entries in the text's order: each entry's id, name, stamp and folders, then each layer's updatedAt. */
function* textsOf(entries: readonly DocumentIndexEntry[]): Generator<string> {
  for (const entry of entries) {
    yield entry.id
    yield entry.name
    yield entry.stamp
    yield entry.folders ?? ''
  }
  for (const entry of entries) for (const layer of entry.layers) yield layer.updatedAt ?? ''
}

/** Strings encoded per this many: a piece of the text at a time, never the whole text as one string. */
const STRINGS_PER_PIECE = 4096

/** The text as UTF-8 in pieces, or null when a string has a lone surrogate (UTF-8 cannot carry it). */
function utf8Pieces(entries: readonly DocumentIndexEntry[]): Uint8Array[] | null {
  const encoder = new TextEncoder()
  const pieces: Uint8Array[] = []
  let batch: string[] = []
  const flush = (): boolean => {
    const joined = batch.join('')
    batch = []
    if (LONE_SURROGATE.test(joined)) return false
    pieces.push(encoder.encode(joined))
    return true
  }
  for (const text of textsOf(entries)) {
    batch.push(text)
    if (batch.length === STRINGS_PER_PIECE && !flush()) return null
  }
  return flush() ? pieces : null
}

/**
 * The columns of a body whose layout the header gave, or why they cannot be trusted. `body`
 * must start at a multiple of 8 bytes of its buffer (the file reader copies it when it does not).
 * `hexOf` spells bytes in lowercase hex (Node's Buffer does it natively; the hashes are 3.2 MB at
 * 100,000 documents).
 */
export function columnsOfBinary(layout: BinaryIndexLayout, body: Uint8Array, hexOf: (bytes: Uint8Array) => string): IndexColumns | string {
  return runToEnd(columnsOfBinaryInSlices(layout, body, hexOf, Number.POSITIVE_INFINITY))
}

/**
 * The same, pausing (yielding) after every `sliceSize` entries' strings: made in one go at 100,000
 * documents it held a server's thread for 165-260 ms (half of it the collections of the 400,000
 * strings cut), and a page asked for meanwhile waited.
 */
export function* columnsOfBinaryInSlices(layout: BinaryIndexLayout, body: Uint8Array, hexOf: (bytes: Uint8Array) => string, sliceSize: number): Generator<void, IndexColumns | string> {
  const { count } = layout
  if (body.byteOffset % 8 !== 0) throw new RangeError('The body must start at a multiple of 8 bytes')
  if (body.length !== bodyBytesOf(layout)) return `its body is ${body.length} bytes, not the ${bodyBytesOf(layout)} its header says`
  const section = new Map<BinarySection, { at: number; bytes: number }>()
  let at = 0
  BINARY_SECTIONS.forEach((name, index) => {
    const bytes = layout.sections[index] as number
    section.set(name, { at, bytes })
    at += aligned(bytes)
  })
  const float64s = (name: BinarySection): Float64Array | null => {
    const { at: start, bytes } = section.get(name) as { at: number; bytes: number }
    return bytes % 8 === 0 ? new Float64Array(body.buffer, body.byteOffset + start, bytes / 8) : null
  }
  const uint32s = (name: BinarySection): Uint32Array | null => {
    const { at: start, bytes } = section.get(name) as { at: number; bytes: number }
    return bytes % 4 === 0 ? new Uint32Array(body.buffer, body.byteOffset + start, bytes / 4) : null
  }
  const raw = (name: BinarySection): Uint8Array => {
    const { at: start, bytes } = section.get(name) as { at: number; bytes: number }
    return body.subarray(start, start + bytes)
  }
  const sizeBytes = float64s('sizeBytes')
  const lengths = float64s('lengths')
  const layers = uint32s('layers')
  const textEnds = uint32s('textEnds')
  if (sizeBytes === null || lengths === null || layers === null || textEnds === null) return 'its sections do not hold whole numbers'
  const present = raw('present')
  const layerCount = present.length - count
  if (layerCount < 0 || textEnds.length !== 4 * count + layerCount) return 'its strings do not add up to its documents and layers'
  const text = layout.textEncoding === 'utf8' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw('text')) : utf16Text(raw('text'))
  if (text === null) return 'its text is not in its encoding'
  yield
  const ids = new Array<string>(count)
  const names = new Array<string>(count)
  const stamps = new Array<string>(count)
  const folders = new Array<string | null>(count)
  let start = 0
  const next = (index: number): string | null => {
    const end = textEnds[index] as number
    if (end < start || end > text.length) return null
    const value = text.slice(start, end)
    start = end
    return value
  }
  for (let position = 0; position < count; position++) {
    if (position > 0 && position % sliceSize === 0) yield
    const id = next(4 * position)
    const name = next(4 * position + 1)
    const stamp = next(4 * position + 2)
    const folder = next(4 * position + 3)
    if (id === null || name === null || stamp === null || folder === null) return `its strings of entry ${position + 1} are out of place`
    ids[position] = id
    names[position] = name
    stamps[position] = stamp
    folders[position] = ((present[position] as number) & FOLDERS) !== 0 ? folder : null
  }
  const updatedAt = new Array<string | null>(layerCount)
  for (let layer = 0; layer < layerCount; layer++) {
    if (layer % sliceSize === 0) yield
    const value = next(4 * count + layer)
    if (value === null) return `the strings of layer ${layer + 1} are out of place`
    updatedAt[layer] = ((present[count + layer] as number) & UPDATED) !== 0 ? value : null
  }
  if (start !== text.length) return 'its text holds more than its strings'
  const hashes = raw('sha256')
  if (hashes.length !== 0 && hashes.length !== count * HASH_BYTES) return 'its hashes do not add up to its documents'
  yield
  const sha256 = hashes.length === 0 ? undefined : hexOf(hashes)
  const hashAbsent = new Uint8Array(count)
  for (let position = 0; position < count; position++) hashAbsent[position] = ((present[position] as number) & HASH) === 0 ? 1 : 0
  return { count, ids, names, sizeBytes, lengths, stamps, folders, sha256, hashAbsent, strings: layout.strings, layers, updatedAt, problems: layout.problems, layerProblems: layout.layerProblems }
}

/** Every entry's hash as 32 bytes, zeros where it has none (a hash is 64 lowercase hex digits, as checked where it is made). */
function hashBytes(entries: readonly DocumentIndexEntry[]): Uint8Array {
  const bytes = new Uint8Array(entries.length * HASH_BYTES)
  entries.forEach((entry, position) => {
    const hex = entry.sha256
    if (hex === undefined) return
    for (let index = 0; index < HASH_BYTES; index++) bytes[position * HASH_BYTES + index] = (hexDigit(hex.charCodeAt(2 * index)) << 4) | hexDigit(hex.charCodeAt(2 * index + 1))
  })
  return bytes
}

/** 0-9a-f's value (a parseInt per pair of digits made 3.2 million strings at 100,000 documents). */
const hexDigit = (code: number): number => (code <= 57 ? code - 48 : code - 87)

const bytesOf = (array: Float64Array | Uint32Array): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength)

/** UTF-16 code units (little-endian, as every platform Quire runs on stores them), lone surrogates kept. */
function utf16Bytes(text: string): Uint8Array {
  const units = new Uint16Array(text.length)
  for (let index = 0; index < text.length; index++) units[index] = text.charCodeAt(index)
  return bytesOf16(units)
}

const bytesOf16 = (units: Uint16Array): Uint8Array => new Uint8Array(units.buffer, units.byteOffset, units.byteLength)

function utf16Text(bytes: Uint8Array): string | null {
  if (bytes.length % 2 !== 0) return null
  const units = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2)
  const parts: string[] = []
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let start = 0; start < units.length; start += 8192) parts.push(String.fromCharCode(...units.subarray(start, start + 8192)))
  return parts.join('')
}
