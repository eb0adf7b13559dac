// Turns the bytes of a file the user chose into the text Quire stores, or a reason, in words
// the user can act on, why it was refused. Pure: the caller reads the file.
import type { LineEnding, SourceEncoding } from '../shared/model'

/** Largest text Quire imports. Stated to the user in AppInfo.maxImportBytes. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024

export type DecodeResult =
  | { ok: true; text: string; encoding: SourceEncoding; lineEnding: LineEnding }
  | { ok: false; reason: string }

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const

export function decodeImportedText(bytes: Uint8Array, fileName: string, maxBytes: number): DecodeResult {
  const quoted = `"${fileName}"`
  if (bytes.length > maxBytes) return refuse(describeOversizeFile(fileName, bytes.length, maxBytes))
  if (bytes.length === 0) return refuse(`${quoted} is empty`)

  if (startsWith(bytes, UTF8_BOM)) return decodeUtf8(bytes.subarray(UTF8_BOM.length), quoted, 'utf-8-bom')
  if (startsWith(bytes, [0xff, 0xfe])) return decodeUtf16(bytes.subarray(2), quoted, 'utf-16le-bom')
  if (startsWith(bytes, [0xfe, 0xff])) return decodeUtf16(bytes.subarray(2), quoted, 'utf-16be-bom')
  return decodeUtf8(bytes, quoted, 'utf-8')
}

/** The refusal for a file over the limit; exported so callers can refuse before reading it. */
export function describeOversizeFile(fileName: string, sizeBytes: number, maxBytes: number): string {
  let size = formatSize(sizeBytes)
  let limit = formatSize(maxBytes)
  // "is 20 MB; the limit is 20 MB" would make no sense: show the bytes when rounding hides the difference.
  if (size === limit) {
    size += ` (${sizeBytes} bytes)`
    limit += ` (${maxBytes} bytes)`
  }
  return `"${fileName}" is ${size}; the limit is ${limit}`
}

/** 'mixed' when more than one kind of line break occurs; 'none' for a single line. */
export function detectLineEnding(text: string): LineEnding {
  let crlf = 0
  let lf = 0
  let cr = 0
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    if (unit === 0x0d) {
      if (text.charCodeAt(index + 1) === 0x0a) {
        crlf++
        index++
      } else {
        cr++
      }
    } else if (unit === 0x0a) {
      lf++
    }
  }
  const kinds = (crlf > 0 ? 1 : 0) + (lf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0)
  if (kinds === 0) return 'none'
  if (kinds > 1) return 'mixed'
  return crlf > 0 ? 'crlf' : lf > 0 ? 'lf' : 'cr'
}

function decodeUtf8(body: Uint8Array, quoted: string, encoding: SourceEncoding): DecodeResult {
  if (body.length === 0) return refuse(`${quoted} is empty`)
  const nulIndex = body.indexOf(0)
  if (nulIndex !== -1) {
    const byteNumber = nulIndex + (encoding === 'utf-8-bom' ? UTF8_BOM.length : 0)
    if (looksLikeUtf16WithoutBom(body)) {
      return refuse(
        `${quoted} looks like UTF-16 text without a byte-order mark, which cannot be read reliably; ` +
          'save it as UTF-8 and import it again'
      )
    }
    return refuse(`${quoted} contains NUL bytes at byte ${byteNumber}: it looks like a binary file, not text`)
  }
  const invalidAt = firstInvalidUtf8Byte(body)
  if (invalidAt !== -1) {
    const offset = invalidAt + (encoding === 'utf-8-bom' ? UTF8_BOM.length : 0)
    const byteValue = (body[invalidAt] ?? 0).toString(16).toUpperCase().padStart(2, '0')
    const line = lineNumberAtByte(body, invalidAt)
    return refuse(
      `${quoted} is not valid UTF-8: invalid byte 0x${byteValue} at byte ${offset} (line ${line}); ` +
        'save it as UTF-8 and import it again'
    )
  }
  // fatal:true makes a disagreement between our scan and the platform decoder an error
  // rather than a silent U+FFFD in the user's text.
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body)
  } catch {
    return refuse(`${quoted} is not valid UTF-8`)
  }
  return { ok: true, text, encoding, lineEnding: detectLineEnding(text) }
}

function decodeUtf16(body: Uint8Array, quoted: string, encoding: 'utf-16le-bom' | 'utf-16be-bom'): DecodeResult {
  if (body.length === 0) return refuse(`${quoted} is empty`)
  if (body.length % 2 !== 0) {
    return refuse(`${quoted} starts with a UTF-16 byte-order mark but has an odd number of bytes, so it is cut short`)
  }
  const littleEndian = encoding === 'utf-16le-bom'
  const unitCount = body.length / 2
  const units = new Uint16Array(unitCount)
  for (let index = 0; index < unitCount; index++) {
    const first = body[index * 2] ?? 0
    const second = body[index * 2 + 1] ?? 0
    units[index] = littleEndian ? first | (second << 8) : (first << 8) | second
  }
  let line = 1
  for (let index = 0; index < unitCount; index++) {
    const unit = units[index] ?? 0
    if (unit === 0x0a || (unit === 0x0d && units[index + 1] !== 0x0a)) line++
    if (unit === 0) {
      return refuse(
        `${quoted} contains a NUL character at character ${index + 1} (line ${line}): it looks like a binary file, not text`
      )
    }
    const isHigh = unit >= 0xd800 && unit <= 0xdbff
    const isLow = unit >= 0xdc00 && unit <= 0xdfff
    if (isHigh) {
      const next = units[index + 1] ?? 0
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++
        continue
      }
    }
    if (isHigh || isLow) {
      return refuse(
        `${quoted} is not valid UTF-16: unpaired surrogate 0x${unit.toString(16).toUpperCase()} ` +
          `at byte ${index * 2 + 2} (line ${line})`
      )
    }
  }
  const text = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(body)
  return { ok: true, text, encoding, lineEnding: detectLineEnding(text) }
}

/**
 * Index of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or -1. For a truncated sequence it is the lead byte's index.
 */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let index = 0
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0
    if (lead < 0x80) {
      index++
      continue
    }
    let needed: number
    let lowest = 0x80
    let highest = 0xbf
    if (lead >= 0xc2 && lead <= 0xdf) {
      needed = 1
    } else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2
      if (lead === 0xe0) lowest = 0xa0 // overlong
      if (lead === 0xed) highest = 0x9f // UTF-16 surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3
      if (lead === 0xf0) lowest = 0x90 // overlong
      if (lead === 0xf4) highest = 0x8f // above U+10FFFF
    } else {
      return index
    }
    for (let offset = 1; offset <= needed; offset++) {
      const continuation = bytes[index + offset]
      if (continuation === undefined) return index
      const min = offset === 1 ? lowest : 0x80
      const max = offset === 1 ? highest : 0xbf
      // The lead byte is reported: it is the one that is wrong in, say, a Latin-1 "é" (0xE9).
      if (continuation < min || continuation > max) return index
    }
    index += needed + 1
  }
  return -1
}

function lineNumberAtByte(bytes: Uint8Array, byteIndex: number): number {
  let line = 1
  for (let index = 0; index < byteIndex; index++) {
    const byte = bytes[index]
    if (byte === 0x0a || (byte === 0x0d && bytes[index + 1] !== 0x0a)) line++
  }
  return line
}

/** NULs concentrated in every other byte: the signature of ASCII-heavy UTF-16. */
function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096))
  if (sample.length < 4) return false
  let evenNuls = 0
  let oddNuls = 0
  for (let index = 0; index < sample.length; index++) {
    if (sample[index] === 0) {
      if (index % 2 === 0) evenNuls++
      else oddNuls++
    }
  }
  const pairs = Math.floor(sample.length / 2)
  return Math.max(evenNuls, oddNuls) > pairs * 0.3 && Math.min(evenNuls, oddNuls) < pairs * 0.05
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte)
}

function formatSize(byteCount: number): string {
  if (byteCount < 1024) return `${byteCount} bytes`
  const [unitSize, unitName] = byteCount < 1024 * 1024 ? [1024, 'KB'] : [1024 * 1024, 'MB']
  const rounded = Math.round((byteCount / unitSize) * 10) / 10
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${unitName}`
}

function refuse(reason: string): DecodeResult {
  return { ok: false, reason }
}
