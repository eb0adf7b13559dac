// What the readers of other tools' exports (doccano, Label Studio, Prodigy, WebAnno TSV)
// return: texts with spans already in UTF-16 offsets, and each one's place in the file.
import type { ParsedSpan } from './types'

export interface ForeignDocument {
  /** A name for a document the import creates (the project's own name wins when the text matches). */
  name: string
  text: string
  spans: ParsedSpan[]
  /** 1-based line of the file where the document starts. */
  line: number
}

export function fileStem(file: string): string {
  return file.replace(/\.[^.]{1,10}$/, '') || file
}
