// Shapes shared by every corpus format: what exporters read, what parsers return.
// Formats are pure and streaming: exporters are generators over documents that yield text
// chunks for the caller to write to a stream; parsers take text and never throw on bad data.
import type { EntityLink } from '../../shared/finding-model'
import type { Utf16Offset } from '../../shared/model'

export interface ExportSpan {
  start: Utf16Offset
  end: Utf16Offset
  label: string
  /** The covered text as stored; the exporter writes the document text's slice and warns if they differ. */
  text: string
  annotator: string
  note?: string
  /** ISO 8601 timestamp. */
  createdAt?: string
  /** The entity the span mentions (src/core/entities/entity-resolver.ts), when it is linked to one. */
  entity?: EntityLink
}

export interface ExportDocument {
  id: string
  name: string
  text: string
  /** SHA-256 (hex) of the UTF-8 text, computed by the caller (core has no crypto). */
  sha256: string
  /** The text revision exported ("original" for a text never edited); absent in tests' plain documents. */
  revision?: string
  spans: readonly ExportSpan[]
}

/** Something an export had to change or leave out; the export itself carries on. */
export interface ExportWarning {
  documentId: string
  message: string
}

export interface ExportOptions {
  onWarning?: (warning: ExportWarning) => void
}

/** Returned by every export generator when it finishes. */
export interface ExportSummary {
  documents: number
  /** Spans written. */
  spans: number
  /** Spans left out (invalid, overlapping where the format cannot nest, or unrepresentable). */
  dropped: number
  /** Spans written changed: expanded to token boundaries, split into fragments or parts. */
  adjusted: number
  warnings: number
}

export type ExportGenerator = Generator<string, ExportSummary, undefined>

/** A problem in an imported file, located for the user. */
export interface FormatError {
  file: string
  /** 1-based line number; 0 when the problem concerns the whole file. */
  line: number
  message: string
}

/** A span read back from a file, already converted to UTF-16 offsets in the document text. */
export interface ParsedSpan {
  start: Utf16Offset
  end: Utf16Offset
  label: string
  text: string
  annotator?: string
  note?: string
  createdAt?: string
  /** The entity link the file gives the span; checked against the project's entities by the import. */
  entity?: ParsedEntityLink
  /** 1-based line of the file the span came from. */
  line: number
}

/**
 * An entity link read back: a Quire entity id (JSONL, or brat's "Quire:<id>"), a knowledge-base
 * identifier, or both, with the entity's name as the file gives it.
 */
export interface ParsedEntityLink {
  id?: string
  ref?: string
  name: string
}

export interface ParseResult<T> {
  value: T
  /** Problems that make the data wrong; a caller must not apply a result that has any. */
  errors: FormatError[]
  /** Things left out or changed that the user should know about. */
  warnings: FormatError[]
}
