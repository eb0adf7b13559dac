// Reading one JSON line of a line-based format (Quire's JSONL, doccano, Prodigy) and its offset
// fields, with the same messages in every format.
import { asUtf16, type Utf16Offset } from '../../shared/model'
import type { OffsetConverter, OffsetUnit } from '../offsets'
import { isPlainRecord } from './lines'
import { clip } from './prepared-spans'

/** The line's JSON object; null after saying what is wrong in `problems` (`what`: "one task per line"). */
export function parseJsonObjectLine(lineText: string, what: string, problems: string[]): object | null {
  let record: unknown
  try {
    record = JSON.parse(lineText)
  } catch (error) {
    problems.push(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`)
    return null
  }
  if (!isPlainRecord(record)) {
    problems.push(`expected a JSON object (${what})`)
    return null
  }
  return record
}

/** Reads a whole-number offset in `unit`; null after saying what is wrong in `problems`. */
export function readOffsetField(
  value: unknown,
  field: string,
  where: string,
  unit: OffsetUnit,
  converter: OffsetConverter,
  problems: string[]
): Utf16Offset | null {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    problems.push(`${where}: "${field}" must be a whole number >= 0, not ${clip(JSON.stringify(value) ?? String(value))}`)
    return null
  }
  try {
    return asUtf16(converter.fromUnit(value, unit))
  } catch (error) {
    problems.push(`${where}: "${field}" ${value}: ${error instanceof Error ? error.message : String(error)}`)
    return null
  }
}

/** "in.jsonl" → "in"; the base of names given to the documents a file creates. */
