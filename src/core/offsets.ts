// The one place where offsets change unit. Inside Quire every offset is a UTF-16 code unit
// (what JS strings index by); exports speak Unicode code points (Python slicing, brat, spaCy)
// and, on request, UTF-8 bytes.
import {
  asCodePoint,
  asUtf16,
  asUtf8,
  type CodePointOffset,
  type Utf16Offset,
  type Utf8Offset
} from '../shared/model'
import { isHighSurrogate, isLowSurrogate } from './surrogates'

export type OffsetUnit = 'codepoint' | 'utf16' | 'utf8'
export const OFFSET_UNITS: readonly OffsetUnit[] = ['codepoint', 'utf16', 'utf8']

export function isOffsetUnit(value: unknown): value is OffsetUnit {
  return value === 'codepoint' || value === 'utf16' || value === 'utf8'
}

/** Thrown when an offset cannot be converted: not an integer, out of range, or inside a character. */
export class OffsetError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'OffsetError'
  }
}

export interface OffsetConverter {
  /** Length of the text in UTF-16 code units. */
  readonly utf16Length: Utf16Offset
  readonly codePointLength: CodePointOffset
  readonly utf8Length: Utf8Offset
  toCodePoint(offset: Utf16Offset): CodePointOffset
  fromCodePoint(offset: CodePointOffset): Utf16Offset
  toUtf8(offset: Utf16Offset): Utf8Offset
  fromUtf8(offset: Utf8Offset): Utf16Offset
  /** UTF-16 offset to the given unit, as a plain number ready to be written out. */
  toUnit(offset: Utf16Offset, unit: OffsetUnit): number
  /** A number read in the given unit back to a UTF-16 offset. */
  fromUnit(offset: number, unit: OffsetUnit): Utf16Offset
  /** Whether the offset is a valid boundary in that unit (integer, in range, not inside a character). */
  isBoundary(offset: number, unit: OffsetUnit): boolean
}

// UTF-8 offsets are sampled every CHECKPOINT_INTERVAL code units so a query scans at most
// that many units; 256 keeps the table at ~1.6% of the text's size and a query under a microsecond.
const CHECKPOINT_SHIFT = 8
const CHECKPOINT_INTERVAL = 1 << CHECKPOINT_SHIFT

/**
 * Builds the lookup tables for one text once; each conversion is then O(log n) in the
 * number of astral characters (code-point conversions) or O(1) plus a short scan (UTF-8).
 * Lone surrogates count as one code point and, as TextEncoder writes them (U+FFFD), three bytes.
 */
export function createOffsetConverter(text: string): OffsetConverter {
  const length = text.length
  // UTF-16 index of the high surrogate of every well-formed surrogate pair, ascending.
  const pairStarts: number[] = []
  const utf8Checkpoints = new Float64Array((length >> CHECKPOINT_SHIFT) + 2)
  let bytes = 0
  for (let index = 0; index < length; index++) {
    if ((index & (CHECKPOINT_INTERVAL - 1)) === 0) utf8Checkpoints[index >> CHECKPOINT_SHIFT] = bytes
    const unit = text.charCodeAt(index)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (isHighSurrogate(unit) && index + 1 < length && isLowSurrogate(text.charCodeAt(index + 1))) {
      pairStarts.push(index)
      bytes += 4
      index++
      // A checkpoint landing on the low half of a pair is not a character boundary: mark it
      // unusable so lookups fall back to the previous checkpoint.
      if ((index & (CHECKPOINT_INTERVAL - 1)) === 0) utf8Checkpoints[index >> CHECKPOINT_SHIFT] = -1
    } else bytes += 3
  }
  const utf8Length = bytes
  const codePointLength = length - pairStarts.length

  function insidePair(offset: number): boolean {
    return (
      offset > 0 &&
      offset < length &&
      isLowSurrogate(text.charCodeAt(offset)) &&
      isHighSurrogate(text.charCodeAt(offset - 1)) &&
      pairIndexAt(offset - 1) >= 0
    )
  }

  /** Index in pairStarts of a pair starting exactly at utf16Index, or -1. */
  function pairIndexAt(utf16Index: number): number {
    const found = countPairsBefore(utf16Index)
    return pairStarts[found] === utf16Index ? found : -1
  }

  /** Number of surrogate pairs that start before utf16Index. */
  function countPairsBefore(utf16Index: number): number {
    let low = 0
    let high = pairStarts.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((pairStarts[middle] as number) < utf16Index) low = middle + 1
      else high = middle
    }
    return low
  }

  function checkInteger(offset: number, unit: string, max: number): void {
    if (!Number.isInteger(offset)) throw new OffsetError(`${unit} offset ${String(offset)} is not a whole number`)
    if (offset < 0) throw new OffsetError(`${unit} offset ${offset} is negative`)
    if (offset > max) throw new OffsetError(`${unit} offset ${offset} is past the end of the text (length ${max})`)
  }

  function checkUtf16(offset: number): void {
    checkInteger(offset, 'UTF-16', length)
    if (insidePair(offset)) {
      throw new OffsetError(`UTF-16 offset ${offset} falls inside a surrogate pair (between the two halves of one character)`)
    }
  }

  function toCodePoint(offset: Utf16Offset): CodePointOffset {
    checkUtf16(offset)
    return asCodePoint(offset - countPairsBefore(offset))
  }

  function fromCodePoint(offset: CodePointOffset): Utf16Offset {
    checkInteger(offset, 'Code-point', codePointLength)
    // Pair i starts at code point pairStarts[i] - i; count the pairs starting before `offset`.
    let low = 0
    let high = pairStarts.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((pairStarts[middle] as number) - middle < offset) low = middle + 1
      else high = middle
    }
    return asUtf16(offset + low)
  }

  /** Start of the checkpoint block containing `offset`, adjusted to a character boundary. */
  function checkpointAtOrBefore(offset: number): { utf16: number; utf8: number } {
    let block = offset >> CHECKPOINT_SHIFT
    for (;;) {
      const recorded = utf8Checkpoints[block] as number
      if (recorded >= 0) return { utf16: block << CHECKPOINT_SHIFT, utf8: recorded }
      // Marked unusable (inside a surrogate pair): step back a block. Block 0 is always usable.
      block--
    }
  }

  function scanUtf8(fromUtf16: number, fromUtf8: number, toUtf16: number): number {
    let bytesSoFar = fromUtf8
    for (let index = fromUtf16; index < toUtf16; index++) {
      const unit = text.charCodeAt(index)
      if (unit < 0x80) bytesSoFar += 1
      else if (unit < 0x800) bytesSoFar += 2
      else if (isHighSurrogate(unit) && index + 1 < length && isLowSurrogate(text.charCodeAt(index + 1))) {
        bytesSoFar += 4
        index++
      } else bytesSoFar += 3
    }
    return bytesSoFar
  }

  function toUtf8(offset: Utf16Offset): Utf8Offset {
    checkUtf16(offset)
    if (offset === length) return asUtf8(utf8Length)
    const checkpoint = checkpointAtOrBefore(offset)
    return asUtf8(scanUtf8(checkpoint.utf16, checkpoint.utf8, offset))
  }

  function fromUtf8(offset: Utf8Offset): Utf16Offset {
    checkInteger(offset, 'UTF-8', utf8Length)
    if (offset === utf8Length) return asUtf16(length)
    // Last checkpoint whose byte offset is <= offset.
    let low = 0
    let high = utf8Checkpoints.length - 1
    let best = 0
    while (low <= high) {
      const middle = (low + high) >>> 1
      const start = middle << CHECKPOINT_SHIFT
      if (start > length) {
        high = middle - 1
        continue
      }
      const checkpoint = checkpointAtOrBefore(start)
      if (checkpoint.utf8 <= offset) {
        best = middle
        low = middle + 1
      } else high = middle - 1
    }
    const checkpoint = checkpointAtOrBefore(best << CHECKPOINT_SHIFT)
    let utf16 = checkpoint.utf16
    let bytesSoFar = checkpoint.utf8
    while (bytesSoFar < offset && utf16 < length) {
      const unit = text.charCodeAt(utf16)
      let width: number
      let units = 1
      if (unit < 0x80) width = 1
      else if (unit < 0x800) width = 2
      else if (isHighSurrogate(unit) && utf16 + 1 < length && isLowSurrogate(text.charCodeAt(utf16 + 1))) {
        width = 4
        units = 2
      } else width = 3
      if (bytesSoFar + width > offset) {
        throw new OffsetError(`UTF-8 offset ${offset} falls inside a multi-byte character (at UTF-16 offset ${utf16})`)
      }
      bytesSoFar += width
      utf16 += units
    }
    return asUtf16(utf16)
  }

  function toUnit(offset: Utf16Offset, unit: OffsetUnit): number {
    if (unit === 'utf16') {
      checkUtf16(offset)
      return offset
    }
    return unit === 'codepoint' ? toCodePoint(offset) : toUtf8(offset)
  }

  function fromUnit(offset: number, unit: OffsetUnit): Utf16Offset {
    if (unit === 'utf16') {
      checkUtf16(offset)
      return asUtf16(offset)
    }
    return unit === 'codepoint' ? fromCodePoint(asCodePoint(offset)) : fromUtf8(asUtf8(offset))
  }

  function isBoundary(offset: number, unit: OffsetUnit): boolean {
    try {
      fromUnit(offset, unit)
      return true
    } catch (error) {
      if (error instanceof OffsetError) return false
      throw error
    }
  }

  return {
    utf16Length: asUtf16(length),
    codePointLength: asCodePoint(codePointLength),
    utf8Length: asUtf8(utf8Length),
    toCodePoint,
    fromCodePoint,
    toUtf8,
    fromUtf8,
    toUnit,
    fromUnit,
    isBoundary
  }
}
