// A file given to an annotation import: its bytes (what the window sends), or a path on disk
// (the command line's), read in chunks so a 100,000-line JSONL is never held whole. Either way
// it is read as lines with their offsets, and a line is read again by its offset when written.
import { open, readFile } from 'node:fs/promises'
import { byteLines, type ByteLine } from '../../core/formats/byte-lines'

export interface NamedBytes {
  name: string
  bytes: Uint8Array
}

export interface NamedPath {
  name: string
  path: string
}

export type ImportInput = NamedBytes | NamedPath

const CHUNK_BYTES = 1 << 20

export function isNamedPath(input: ImportInput): input is NamedPath {
  return 'path' in input
}

/** The whole file, for the formats that are read whole (brat, CoNLL, other tools'). */
export async function bytesOf(input: ImportInput): Promise<NamedBytes> {
  return isNamedPath(input) ? { name: input.name, bytes: new Uint8Array(await readFile(input.path)) } : input
}

export function linesOf(input: ImportInput): AsyncGenerator<ByteLine> {
  return byteLines(isNamedPath(input) ? chunksOf(input.path) : [input.bytes])
}

/** Reads lines found by linesOf again by their offsets (when their documents are written); close() when done. */
export interface RangeReader {
  read(offset: number, length: number): Promise<Uint8Array>
  close(): Promise<void>
}

export async function openRanges(input: ImportInput): Promise<RangeReader> {
  if (!isNamedPath(input)) return { read: async (offset, length) => input.bytes.subarray(offset, offset + length), close: async () => undefined }
  const handle = await open(input.path, 'r')
  return {
    read: async (offset, length) => {
      const bytes = new Uint8Array(length)
      const { bytesRead } = await handle.read(bytes, 0, length, offset)
      return bytes.subarray(0, bytesRead)
    },
    close: () => handle.close()
  }
}

/** The first line that is not blank, for telling the JSON-lines formats apart; empty when there is none. */
export async function firstLineOf(input: ImportInput): Promise<Uint8Array> {
  for await (const line of linesOf(input)) {
    if (line.bytes.some((byte) => byte !== 0x20 && byte !== 0x09 && byte !== 0x0d)) return line.bytes.slice()
  }
  return new Uint8Array(0)
}

async function* chunksOf(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    for (;;) {
      const chunk = new Uint8Array(CHUNK_BYTES)
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null)
      if (bytesRead === 0) return
      yield chunk.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}
