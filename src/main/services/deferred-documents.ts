// The new documents an import plans from JSONL lines, kept as bytes and numbers: each one's
// SHA-256 (32 bytes) and where its line lies (file, offset, length, line number). A plan of
// 100,000 documents then holds about 60 bytes a document in a few typed arrays, where an object
// per document (its hash as a 64-character string, a line object, empty span lists) held
// ~450 bytes and kept V8's heap growing with the file. Texts repeated on several lines and
// spans linking entities are rare and kept beside, by the document's number.
import type { PlannedSpan, SourceLine } from './annotation-import-plan'

const DIGEST_BYTES = 32
const NO_SPANS: readonly PlannedSpan[] = Object.freeze([])

export class DeferredDocuments {
  #count = 0
  #digests = new Uint8Array(DIGEST_BYTES * 1024)
  #inputs = new Uint32Array(1024)
  #offsets = new Float64Array(1024)
  #lengths = new Uint32Array(1024)
  #lineNumbers = new Uint32Array(1024)
  /** Open addressing by the digest's first four bytes (a SHA-256 is uniform): document number + 1, 0 when free. */
  #slots = new Int32Array(2048)
  readonly #moreLines = new Map<number, SourceLine[]>()
  readonly #linkedSpans = new Map<number, PlannedSpan[]>()

  get size(): number {
    return this.#count
  }

  /** The number of the document whose text has this SHA-256, or -1. */
  find(digest: Uint8Array): number {
    const mask = this.#slots.length - 1
    for (let slot = slotOf(digest) & mask; ; slot = (slot + 1) & mask) {
      const held = this.#slots[slot] as number
      if (held === 0) return -1
      if (this.#digestEquals(held - 1, digest)) return held - 1
    }
  }

  /** Adds a document (its digest must not be here yet) read from `source`; returns its number. */
  add(digest: Uint8Array, source: SourceLine): number {
    if (digest.length !== DIGEST_BYTES) throw new Error(`a SHA-256 has ${DIGEST_BYTES} bytes, not ${digest.length}`)
    const number = this.#count
    if (number === this.#inputs.length) this.#grow()
    this.#digests.set(digest, number * DIGEST_BYTES)
    this.#inputs[number] = source.input
    this.#offsets[number] = source.offset
    this.#lengths[number] = source.length
    this.#lineNumbers[number] = source.line
    this.#count++
    if (this.#count * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2)
    else this.#place(number)
    return number
  }

  /** Another line with the same text: its spans go to the same document. */
  addLine(number: number, source: SourceLine): void {
    const lines = this.#moreLines.get(number)
    if (lines) lines.push(source)
    else this.#moreLines.set(number, [source])
  }

  /** Every line holding the document's text, the first first. */
  linesOf(number: number): SourceLine[] {
    const first: SourceLine = {
      input: this.#inputs[number] as number,
      offset: this.#offsets[number] as number,
      length: this.#lengths[number] as number,
      line: this.#lineNumbers[number] as number
    }
    return [first, ...(this.#moreLines.get(number) ?? [])]
  }

  sha256Hex(number: number): string {
    return Buffer.from(this.#digests.buffer, this.#digests.byteOffset + number * DIGEST_BYTES, DIGEST_BYTES).toString('hex')
  }

  addLinkedSpan(number: number, span: PlannedSpan): void {
    const spans = this.#linkedSpans.get(number)
    if (spans) spans.push(span)
    else this.#linkedSpans.set(number, [span])
  }

  linkedSpansOf(number: number): readonly PlannedSpan[] {
    return this.#linkedSpans.get(number) ?? NO_SPANS
  }

  #digestEquals(number: number, digest: Uint8Array): boolean {
    const start = number * DIGEST_BYTES
    for (let index = 0; index < DIGEST_BYTES; index++) if (this.#digests[start + index] !== digest[index]) return false
    return true
  }

  #place(number: number): void {
    const mask = this.#slots.length - 1
    const start = number * DIGEST_BYTES
    let slot = slotOf(this.#digests.subarray(start, start + DIGEST_BYTES)) & mask
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask
    this.#slots[slot] = number + 1
  }

  #rehash(slotCount: number): void {
    this.#slots = new Int32Array(slotCount)
    for (let number = 0; number < this.#count; number++) this.#place(number)
  }

  #grow(): void {
    const capacity = this.#inputs.length * 2
    this.#digests = grown(this.#digests, capacity * DIGEST_BYTES, Uint8Array)
    this.#inputs = grown(this.#inputs, capacity, Uint32Array)
    this.#offsets = grown(this.#offsets, capacity, Float64Array)
    this.#lengths = grown(this.#lengths, capacity, Uint32Array)
    this.#lineNumbers = grown(this.#lineNumbers, capacity, Uint32Array)
  }
}

function slotOf(digest: Uint8Array): number {
  return ((digest[0] as number) | ((digest[1] as number) << 8) | ((digest[2] as number) << 16) | ((digest[3] as number) << 24)) >>> 0
}

function grown<T extends Uint8Array | Uint32Array | Float64Array>(array: T, length: number, Kind: new (length: number) => T): T {
  const larger = new Kind(length)
  larger.set(array as never)
  return larger
}
