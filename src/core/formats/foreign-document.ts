// What the readers of other tools' exports (doccano, Label Studio, Prodigy, WebAnno TSV)
// return: texts with spans already in UTF-16 offsets, and each one's place in the file.
import { asUtf16, type Utf16Offset } from '../../shared/model'
import type { OffsetConverter, OffsetUnit } from '../offsets'
import { clip } from './prepared-spans'
import type { ParsedSpan } from './types'

export interface ForeignDocument {
  /** A name for a document the import creates (the project's own name wins when the text matches). */
  name: string
  text: string
  spans: ParsedSpan[]
  /** 1-based line of the file where the document starts. */
  line: number
}

/** Reads a whole-number offset in `unit`; null after saying what is wrong in `problems`. */
export function readForeignOffset(
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
export function fileStem(file: string): string {
  return file.replace(/\.[^.]{1,10}$/, '') || file
}
