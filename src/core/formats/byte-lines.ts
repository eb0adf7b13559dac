// The lines of a file read in chunks, split as numberedLines (lines.ts) splits a whole string:
// LF, CRLF or (in a file with no LF at all) CR endings, a leading UTF-8 BOM skipped, 1-based
// numbers, no empty last line after a final ending. Each line keeps its byte offset and
// length, so a caller can read it again later without holding the file.

export interface ByteLine {
  /** The line's bytes without its ending. */
  bytes: Uint8Array
  /** 1-based. */
  number: number
  /** Where the line starts in the file, in bytes. */
  offset: number
}

const LF = 0x0a
const CR = 0x0d

export async function* byteLines(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<ByteLine> {
  let pending: Uint8Array = new Uint8Array(0)
  /** File offset of pending[0]. */
  let pendingOffset = 0
  let number = 1
  let sawLf = false
  /** The first three bytes are looked at for a BOM before any line is split off. */
  let bomChecked = false
  function* splitPending(): Generator<ByteLine> {
    if (!bomChecked) {
      bomChecked = true
      if (pending[0] === 0xef && pending[1] === 0xbb && pending[2] === 0xbf) {
        pending = pending.subarray(3)
        pendingOffset = 3
      }
    }
    let start = 0
    for (let end = pending.indexOf(LF); end !== -1; end = pending.indexOf(LF, start)) {
      sawLf = true
      const stop = end > start && pending[end - 1] === CR ? end - 1 : end
      yield { bytes: pending.subarray(start, stop), number: number++, offset: pendingOffset + start }
      start = end + 1
    }
    // Copied, so the chunk the rest came from is not kept alive by it.
    pending = pending.slice(start)
    pendingOffset += start
  }
  for await (const chunk of chunks) {
    pending = pending.length === 0 ? chunk : concat(pending, chunk)
    if (!bomChecked && pending.length < 3) continue
    yield* splitPending()
  }
  yield* splitPending()
  if (!sawLf && pending.includes(CR)) {
    // A file with CR but no LF was saved with classic Mac line endings: the whole file is pending.
    let start = 0
    for (let end = pending.indexOf(CR); end !== -1; end = pending.indexOf(CR, start)) {
      yield { bytes: pending.subarray(start, end), number: number++, offset: pendingOffset + start }
      start = end + 1
    }
    if (start < pending.length) yield { bytes: pending.subarray(start), number, offset: pendingOffset + start }
    return
  }
  // A final line ending does not start another, empty, line (but an empty file is one empty line).
  const last = pending.at(-1) === CR ? pending.subarray(0, -1) : pending
  if (last.length > 0 || number === 1) yield { bytes: last, number, offset: pendingOffset }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length)
  joined.set(a, 0)
  joined.set(b, a.length)
  return joined
}
