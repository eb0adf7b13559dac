// What an annotation import will do, worked out completely before anything is written:
// which documents (existing or new) receive which spans, and every problem found on the way.
import type { ParsedEntityLink } from '../../core/formats/types'
import { decodeImportedText, MAX_IMPORT_BYTES } from '../../core/text-decode'
import type { DocumentRecord, ImportProblem, SourceEncoding, LineEnding, TextCheck, Utf16Offset } from '../../shared/model'
import { detectLineEnding } from '../../core/text-decode'
import { sha256Hex } from '../store/project-store'

/** A problem located in an imported file (the API's ImportProblem). */
export type ImportIssue = ImportProblem

export interface PlannedSpan {
  start: Utf16Offset
  end: Utf16Offset
  tag: string
  text: string
  annotator: string
  note?: string
  createdAt?: string
  /** Set when the span was mapped onto a later revision that changed its text. */
  textCheck?: TextCheck
  /** The entity the file links the span to (brat N line, JSONL "entity"). */
  entity?: ParsedEntityLink
  file: string
  line: number
}

export interface NewDocumentText {
  name: string
  originalFileName: string
  text: string
  encoding: SourceEncoding
  lineEnding: LineEnding
  sizeBytes: number
}

export interface PlannedDocument {
  /** The project's document, or null when the import creates it from `created`. */
  existing: DocumentRecord | null
  created: NewDocumentText | null
  sha256: string
  text: string
  /** The file that first named this document. */
  file: string
  spans: PlannedSpan[]
  /**
   * For an existing document matched by an earlier revision's text (a file exported before the
   * text was edited): that revision. Its spans are mapped onto the current text before writing.
   */
  earlierRevision?: string
}

/** A text the project's document had at an earlier revision. */
export interface EarlierText {
  record: DocumentRecord
  revision: string
}

/** The project's documents by SHA-256 plus the documents this import will create. */
export class ImportPlan {
  readonly errors: ImportIssue[] = []
  readonly warnings: ImportIssue[] = []
  private readonly documentsBySha = new Map<string, PlannedDocument>()
  /** The SHA-256 of each existing document's current text, by id. */
  private readonly currentShaById = new Map<string, string>()

  constructor(
    /** Existing documents by the SHA-256 of their current text. */
    private readonly existingBySha: ReadonlyMap<string, DocumentRecord>,
    private readonly readExistingText: (record: DocumentRecord) => Promise<string>,
    /** Existing documents by the SHA-256 of each earlier revision's text. */
    private readonly earlierBySha: ReadonlyMap<string, EarlierText> = new Map()
  ) {
    for (const [sha256, record] of existingBySha) this.currentShaById.set(record.id, sha256)
  }

  get documents(): PlannedDocument[] {
    return [...this.documentsBySha.values()]
  }

  error(file: string, line: number, message: string, unknownTag?: string): void {
    this.errors.push(unknownTag === undefined ? { file, line, message } : { file, line, message, unknownTag })
  }

  warn(file: string, line: number, message: string): void {
    this.warnings.push({ file, line, message })
  }

  /** The planned document for an existing project document; null (with an error) when its text cannot be read. */
  async existingDocument(record: DocumentRecord, file: string, line = 0): Promise<PlannedDocument | null> {
    const sha256 = this.currentShaById.get(record.id) ?? record.sha256
    const planned = this.documentsBySha.get(sha256)
    if (planned) return planned
    let text: string
    try {
      text = await this.readExistingText(record)
    } catch (error) {
      this.error(file, line, `its document "${record.name}" cannot be used: ${error instanceof Error ? error.message : String(error)}`)
      return null
    }
    const created: PlannedDocument = { existing: record, created: null, sha256, text, file, spans: [] }
    this.documentsBySha.set(sha256, created)
    return created
  }

  /**
   * The document holding exactly `text`: the project's document with the same SHA-256 when
   * there is one (whatever its name), else one this import creates. Null (with an error) when
   * the text could not be stored exactly. `subject` names the text in messages: its file
   * (brat's .txt, the default), or the document inside a file that holds many (JSONL).
   */
  async documentForText(
    text: string,
    description: Omit<NewDocumentText, 'text' | 'lineEnding' | 'sizeBytes'>,
    file: string,
    line: number,
    subject = `"${description.originalFileName}"`
  ): Promise<PlannedDocument | null> {
    const bytes = new TextEncoder().encode(text)
    const sha256 = sha256Hex(bytes)
    const existing = this.existingBySha.get(sha256)
    if (existing) return this.existingDocument(existing, file, line)
    const planned = this.documentsBySha.get(sha256)
    if (planned) return planned
    const earlier = this.earlierBySha.get(sha256)
    if (earlier) {
      // The text is exactly the document's at that revision, so the file's offsets are that revision's.
      const atRevision: PlannedDocument = { existing: earlier.record, created: null, sha256, text, file, spans: [], earlierRevision: earlier.revision }
      this.documentsBySha.set(sha256, atRevision)
      return atRevision
    }
    const problem = textProblem(text, bytes, subject)
    if (problem !== null) {
      this.error(file, line, problem)
      return null
    }
    const created: PlannedDocument = {
      existing: null,
      created: { ...description, text, lineEnding: detectLineEnding(text), sizeBytes: bytes.length },
      sha256,
      text,
      file,
      spans: []
    }
    this.documentsBySha.set(sha256, created)
    return created
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why a text cannot become a document with the same offsets, or null. `subject` is quoted already. */
function textProblem(text: string, bytes: Uint8Array, subject: string): string | null {
  if (text === '') return `${subject} has an empty text`
  if (LONE_SURROGATE.test(text)) return `the text of ${subject} holds a lone surrogate (\\uD800-\\uDFFF), which UTF-8 cannot store; offsets after it would shift`
  // Quire stores texts without a byte-order mark; a text starting with U+FEFF would lose it and every offset would shift.
  if (text.charCodeAt(0) === 0xfeff) return `the text of ${subject} starts with U+FEFF (a byte-order mark), which Quire cannot keep as text; remove it and export again`
  const decoded = decodeImportedText(bytes, subject, MAX_IMPORT_BYTES)
  return decoded.ok ? null : decoded.reason.replace(`"${subject}"`, subject)
}
