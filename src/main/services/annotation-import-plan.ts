// What an annotation import will do, worked out completely before anything is written:
// which documents (existing or new) receive which spans, and every problem found on the way.
import { z } from 'zod'
import type { ParsedEntityLink } from '../../core/formats/types'
import { annotatorNameSchema } from '../../shared/api-schemas'
import { decodeImportedText, MAX_IMPORT_BYTES } from '../../core/text-decode'
import type { DocumentRecord, ImportProblem, SourceEncoding, LineEnding, TextCheck, Utf16Offset } from '../../shared/model'
import { detectLineEnding } from '../../core/text-decode'
import { createHash } from 'node:crypto'
import { DeferredDocuments } from './deferred-documents'

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
  /** The project's document, or null when the import creates it from `created` (or, deferred, from its line). */
  existing: DocumentRecord | null
  /** The new document's text and description; null for an existing one and for a deferred one until its line is read again. */
  created: NewDocumentText | null
  sha256: string
  text: string
  /** The file that first named this document. */
  file: string
  spans: PlannedSpan[]
  /**
   * Set for a new document from a JSONL line: its text and spans are not kept but read again
   * from the file when the document is written, so the plan of 100,000 documents stays small.
   */
  deferred?: DeferredDocument
  /**
   * For an existing document matched by an earlier revision's text (a file exported before the
   * text was edited): that revision. Its spans are mapped onto the current text before writing.
   */
  earlierRevision?: string
}

/** Where a line of an import's files lies, to be read again. */
export interface SourceLine {
  /** Which of the import's files. */
  input: number
  offset: number
  length: number
  line: number
}

export interface DeferredDocument {
  /** Its number in the plan's deferred documents (deferred-documents.ts). */
  number: number
  /** The lines holding the text (a text repeated in the files gets the spans of every line). */
  lines: readonly SourceLine[]
  /** Its spans that link an entity: entities.json is planned before anything is written. */
  linkedSpans: readonly PlannedSpan[]
}

/** Where a label is first used and how many spans use it. */
export interface LabelUse {
  file: string
  line: number
  count: number
}

const TIMESTAMP = z.iso.datetime({ offset: true })

/**
 * A span checked as the store would take it: the annotator's name (normalised) and the
 * timestamp (dropped when it is not ISO 8601 with a time zone, for the import time).
 * Returns the error that stops the import, the warning to show, or neither.
 */
export function checkSpan(span: PlannedSpan): { error?: string; warning?: string } {
  const annotator = annotatorNameSchema.safeParse(span.annotator)
  if (!annotator.success) return { error: `annotator ${JSON.stringify(span.annotator)}: ${annotator.error.issues[0]?.message ?? 'invalid'}` }
  span.annotator = annotator.data
  if (span.createdAt !== undefined && !TIMESTAMP.safeParse(span.createdAt).success) {
    const warning = `"created" ${JSON.stringify(span.createdAt)} is not an ISO 8601 timestamp with a time zone; the import time is used`
    delete span.createdAt
    return { warning }
  }
  return {}
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
  /** Every label the files use, in the order first met. */
  readonly labelUses = new Map<string, LabelUse>()
  /** The documents planned whole (existing ones, and new ones not from a JSONL line), by SHA-256. */
  private readonly documentsBySha = new Map<string, PlannedDocument>()
  /** New documents from JSONL lines, kept as bytes and numbers, not objects. */
  private readonly deferred = new DeferredDocuments()
  /** Every planned document in the files' order: a whole one, or a deferred one's number. */
  private readonly order: (PlannedDocument | number)[] = []
  /** Each of the import's files' name, by its place among them (a deferred document's `file`). */
  private readonly inputNames: string[] = []
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

  /** How many documents are planned. */
  get size(): number {
    return this.order.length
  }

  /** Every planned document, in the files' order; a deferred one is made as it is reached, never kept. */
  *documents(): Generator<PlannedDocument> {
    for (const planned of this.order) yield typeof planned === 'number' ? this.#deferredDocument(planned) : planned
  }

  /** The documents planned whole: every existing document and every new one not from a JSONL line (deferred ones have no spans yet). */
  wholeDocuments(): IterableIterator<PlannedDocument> {
    return this.documentsBySha.values()
  }

  error(file: string, line: number, message: string, unknownTag?: string): void {
    this.errors.push(unknownTag === undefined ? { file, line, message } : { file, line, message, unknownTag })
  }

  warn(file: string, line: number, message: string): void {
    this.warnings.push({ file, line, message })
  }

  /** Adds a span to a document, once checked; a deferred document keeps only what the plan needs of it. */
  addSpan(planned: PlannedDocument, span: PlannedSpan): void {
    const use = this.labelUses.get(span.tag)
    if (use) use.count++
    else this.labelUses.set(span.tag, { file: span.file, line: span.line, count: 1 })
    const checked = checkSpan(span)
    if (checked.error !== undefined) this.error(span.file, span.line, checked.error)
    if (checked.warning !== undefined) this.warn(span.file, span.line, checked.warning)
    if (!planned.deferred) planned.spans.push(span)
    else if (span.entity !== undefined) this.deferred.addLinkedSpan(planned.deferred.number, span)
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
    this.#addWhole(created)
    return created
  }

  /**
   * The document holding exactly `text`: the project's document with the same SHA-256 when
   * there is one (whatever its name), else one this import creates. Null (with an error) when
   * the text could not be stored exactly. `subject` names the text in messages: its file
   * (brat's .txt, the default), or the document inside a file that holds many (JSONL).
   * With `source`, a new document is deferred: it keeps where its text is, not the text.
   */
  async documentForText(
    text: string,
    description: Omit<NewDocumentText, 'text' | 'lineEnding' | 'sizeBytes'>,
    file: string,
    line: number,
    subject = `"${description.originalFileName}"`,
    source?: SourceLine
  ): Promise<PlannedDocument | null> {
    const bytes = new TextEncoder().encode(text)
    const digest = createHash('sha256').update(bytes).digest()
    const sha256 = digest.toString('hex')
    const existing = this.existingBySha.get(sha256)
    if (existing) return this.existingDocument(existing, file, line)
    const deferredNumber = this.deferred.find(digest)
    if (deferredNumber >= 0) {
      if (source === undefined) throw new Error(`the text of ${subject} is planned from a JSONL line and cannot take spans from another format`)
      this.deferred.addLine(deferredNumber, source)
      return this.#deferredDocument(deferredNumber)
    }
    const planned = this.documentsBySha.get(sha256)
    if (planned) return planned
    const earlier = this.earlierBySha.get(sha256)
    if (earlier) {
      // The text is exactly the document's at that revision, so the file's offsets are that revision's.
      const atRevision: PlannedDocument = { existing: earlier.record, created: null, sha256, text, file, spans: [], earlierRevision: earlier.revision }
      this.#addWhole(atRevision)
      return atRevision
    }
    const problem = textProblem(text, bytes, subject)
    if (problem !== null) {
      this.error(file, line, problem)
      return null
    }
    if (source !== undefined) {
      // Its name, line ending and size are read again with the line (annotation-import-service.ts).
      this.inputNames[source.input] = file
      const number = this.deferred.add(digest, source)
      this.order.push(number)
      return this.#deferredDocument(number)
    }
    // Spelled out, not spread: V8 gives each object made by `{ ...description, … }` a hidden
    // class of its own (~230 bytes).
    const created: PlannedDocument = {
      existing: null,
      created: {
        name: description.name,
        originalFileName: description.originalFileName,
        encoding: description.encoding,
        text,
        lineEnding: detectLineEnding(text),
        sizeBytes: bytes.length
      },
      sha256,
      text,
      file,
      spans: []
    }
    this.#addWhole(created)
    return created
  }

  #addWhole(planned: PlannedDocument): void {
    this.documentsBySha.set(planned.sha256, planned)
    this.order.push(planned)
  }

  /** A deferred document as the plan's readers and writers take it, made afresh from its numbers. */
  #deferredDocument(number: number): PlannedDocument {
    const lines = this.deferred.linesOf(number)
    return {
      existing: null,
      created: null,
      sha256: this.deferred.sha256Hex(number),
      text: '',
      file: this.inputNames[(lines[0] as SourceLine).input] as string,
      spans: [],
      deferred: { number, lines, linkedSpans: this.deferred.linkedSpansOf(number) }
    }
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
