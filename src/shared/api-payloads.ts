// The calls whose answers carry a document's content send its annotations packed
// (packed-annotations.ts), and the calls answering with document summaries send them as
// columns (packed-documents.ts): main packs them as a call's answer leaves the dispatcher
// (src/main/api-dispatch.ts, for IPC and HTTP alike) and the window unpacks them as it arrives
// (src/renderer/src/lib/api.ts). Everything either side of the transport sees the API's own
// types (QuireApi); only the wire carries the packed form. An answer holding content travels
// as bytes (content-frame.ts): its text and its annotations' numbers are not JSON at all.
import type { ApiMethod } from './api'
import type { Annotation, DocumentContent, DocumentSummary } from './model'
import { decodeFrameInSteps, encodeContentFrame, isContentFrame, type DecodedFrame } from './content-frame'
import { packAnnotations, unpackAnnotations, unpackAnnotationsInSteps, type PackedAnnotations } from './packed-annotations'
import { packDocumentSummaries, unpackDocumentSummaries, type PackedDocumentSummaries } from './packed-documents'
import { keepRecentLayer, recentLayer, type HeldLayer } from './recent-layers'
import { LayerColumns, LAYER_IN_COLUMNS_FROM } from './layer-columns'
import { allButAnnotations, withLayerInColumns } from './content-layer'
import { runInSlices, runToEnd, type Step } from '../core/stepwise'

export type PackedDocumentContent = Omit<DocumentContent, 'annotations'> & { annotations: PackedAnnotations }

/** Where each such call's answer holds the content: the answer itself, or the field named (which may be null). */
const CONTENT_IN_ANSWER: Partial<Record<ApiMethod, 'answer' | 'content' | 'firstDocument'>> = {
  getStartup: 'firstDocument',
  getDocument: 'answer',
  saveTextEdit: 'content',
  applyCleanup: 'content',
  undoTextRevision: 'content',
  settleTextFork: 'content'
}

/** How main packs the annotations of content it answered with, when it kept them packed (see packWith). */
const packingOf = new WeakMap<DocumentContent, () => PackedAnnotations>()

/**
 * Lets main send `content`'s annotations as `pack` gives them (already packed for the same layer
 * and text) instead of packing them again as the answer leaves. Returns `content`.
 */
export function packWith(content: DocumentContent, pack: () => PackedAnnotations): DocumentContent {
  packingOf.set(content, pack)
  return content
}

export function packDocumentContent(content: DocumentContent): PackedDocumentContent {
  const pack = packingOf.get(content)
  if (!pack) return { ...content, annotations: packAnnotations(content.annotations, content.text) }
  return { ...allButAnnotations(content), annotations: pack() }
}

/** The calls answering with a list of document summaries. */
const SUMMARIES_IN_ANSWER: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['listDocuments', 'getDocumentSummaries'])

/** The calls whose answer holds (part of) the document list in a field: the app's start, a page of the list. */
const SUMMARIES_IN_FIELD: Partial<Record<ApiMethod, 'documents'>> = { getStartup: 'documents', listDocumentPage: 'documents' }

/** True for the calls whose answers may travel as a content frame (bytes; the HTTP server sends those as they are). */
export function answersWithContent(method: ApiMethod): boolean {
  return CONTENT_IN_ANSWER[method] !== undefined
}

/** Main's part in the texts frames carry (src/main/text-digests.ts, src/shared/held-texts.ts). */
export interface TextsOnWire {
  /** The window said it holds this content's very text: the frame goes without it. */
  windowHolds(content: DocumentContent): boolean
  /** SHA-256 of the text's UTF-8 as lowercase hex, sent with the text so the window can hold it without hashing it. */
  digestOf(text: string): string
}

/** A call's answer as it goes on the wire: a content frame when it holds a document's content. */
export function packApiAnswer(method: ApiMethod, answer: unknown, texts?: TextsOnWire): unknown {
  if (SUMMARIES_IN_ANSWER.has(method) && Array.isArray(answer)) return packDocumentSummaries(answer as DocumentSummary[])
  const framed = { text: '', numbers: null as Int32Array | null, columnLength: 0, leaveOutText: false, textSha256: undefined as string | undefined }
  const packed = mapContent(method, answer, (content) => {
    const { text, annotations, ...rest } = packDocumentContent(content as DocumentContent)
    // A text with a lone surrogate (which UTF-8 cannot hold) stays in the JSON, where it survives.
    const textAsBytes = isWellFormed(text)
    if (textAsBytes) framed.text = text
    // The window holds this very text (held-texts.ts): the frame goes without it.
    framed.leaveOutText = textAsBytes && texts?.windowHolds(content as DocumentContent) === true
    if (textAsBytes && !framed.leaveOutText && text !== '') framed.textSha256 = texts?.digestOf(text)
    framed.numbers = annotations.columns
    framed.columnLength = annotations.count
    return { ...rest, text: textAsBytes ? null : text, annotations: { ...annotations, columns: null } }
  })
  const answerOnWire = mapSummariesField(method, packed, (list) => (Array.isArray(list) ? packDocumentSummaries(list as DocumentSummary[]) : list))
  return framed.numbers === null
    ? answerOnWire
    : encodeContentFrame(
        { answer: answerOnWire, text: framed.text, numbers: framed.numbers, columnLength: framed.columnLength },
        { leaveOutText: framed.leaveOutText, textSha256: framed.textSha256 }
      )
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function isWellFormed(text: string): boolean {
  // String.prototype.isWellFormed (Node 20, Chromium) is native; the library types here predate it.
  const native = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed
  return native ? native.call(text) : !LONE_SURROGATE.test(text)
}

/** A call's answer as it came off the wire, back in the API's own types. */
export function unpackApiAnswer(method: ApiMethod, answer: unknown): unknown {
  if (SUMMARIES_IN_ANSWER.has(method) && isPackedSummaries(answer)) return unpackDocumentSummaries(answer)
  const wire = readOffWire(method, answer)
  return withUnpackedContent(method, wire, wire.content && unpackAnnotations(wire.content.annotations, wire.content.text))
}

/**
 * unpackApiAnswer in tasks of about `taskMs` each, calling `pause` between them: the window
 * takes a 5 MB document's frame (its text decoded, then its 88,000 spans made objects) without
 * one long task that would freeze it.
 */
export async function unpackApiAnswerInSlices(method: ApiMethod, answer: unknown, pause: () => Promise<void>, taskMs: number, texts?: FrameTexts): Promise<unknown> {
  if (SUMMARIES_IN_ANSWER.has(method) && isPackedSummaries(answer)) return unpackDocumentSummaries(answer)
  return runInSlices(unpackContentInSteps(method, answer, texts), pause, taskMs)
}

/** A window's part in frames that leave their text out (held-texts.ts). */
export interface FrameTexts {
  /** The text the call said the window holds, or null when it named none. */
  held: string | null
  /** A document's text that came in a frame, with the digest main sent with it (null: none sent, so it cannot be named later). */
  received(documentId: string, text: string, sha256: string | null): void
  /** The held text was taken instead of one sent. */
  used(documentId: string): void
}

/**
 * The frame's text decoded, then its spans made objects, a slice at a time; a layer the window
 * unpacked lately and that arrives again unchanged is not unpacked again (recent-layers.ts).
 */
function* unpackContentInSteps(method: ApiMethod, answer: unknown, texts?: FrameTexts): Generator<Step, unknown> {
  const wire = yield* readOffWireInSteps(method, answer, texts)
  if (wire.content === null) return withUnpackedContent(method, wire, null)
  const { annotations: packed, text } = wire.content
  const recent = recentLayer(packed, text)
  if (recent) return withUnpackedContent(method, { ...wire, content: { ...wire.content, text: recent.text } }, recent.layer)
  // A long layer stays in columns (layer-columns.ts): its spans become objects only when drawn or listed.
  const layer = packed.count >= LAYER_IN_COLUMNS_FROM ? yield* LayerColumns.readInSteps(packed, text) : yield* unpackAnnotationsInSteps(packed, text)
  keepRecentLayer(packed, text, layer)
  return withUnpackedContent(method, wire, layer)
}

/** An answer as read off the wire: a frame decoded, and the content in it, its annotations still packed. */
interface AnswerOffWire {
  answer: unknown
  content: PackedDocumentContent | null
}

function readOffWire(method: ApiMethod, answer: unknown): AnswerOffWire {
  return runToEnd(readOffWireInSteps(method, answer))
}

function* readOffWireInSteps(method: ApiMethod, answer: unknown, texts?: FrameTexts): Generator<Step, AnswerOffWire> {
  let fromWire = answer
  let framedText = ''
  let framedNumbers: Int32Array | null = null
  let decoded: DecodedFrame | null = null
  if (answersWithContent(method) && isContentFrame(answer)) {
    decoded = yield* decodeFrameInSteps(answer, texts?.held ?? null)
    fromWire = decoded.parts.answer
    framedText = decoded.parts.text
    framedNumbers = decoded.parts.numbers
  }
  let content: PackedDocumentContent | null = null
  mapContent(method, fromWire, (found) => {
    const packed = found as Omit<PackedDocumentContent, 'text'> & { text: string | null }
    content =
      framedNumbers === null
        ? (packed as PackedDocumentContent)
        : { ...packed, text: packed.text ?? framedText, annotations: { ...packed.annotations, columns: framedNumbers } }
    return found
  })
  const documentId = (content as PackedDocumentContent | null)?.document?.id
  if (decoded && texts && typeof documentId === 'string') {
    if (decoded.textHeld) texts.used(documentId)
    else texts.received(documentId, decoded.parts.text, decoded.textSha256)
  }
  return { answer: fromWire, content }
}

function withUnpackedContent(method: ApiMethod, wire: AnswerOffWire, layer: HeldLayer | null): unknown {
  const { content } = wire
  const withLayer = (): DocumentContent => {
    const { annotations: _packed, ...rest } = content as PackedDocumentContent
    return layer instanceof LayerColumns ? withLayerInColumns<DocumentContent>(rest, layer) : { ...rest, annotations: layer as Annotation[] }
  }
  const unpacked = content === null || layer === null ? wire.answer : mapContent(method, wire.answer, withLayer)
  return mapSummariesField(method, unpacked, (list) => (isPackedSummaries(list) ? unpackDocumentSummaries(list) : list))
}

function mapSummariesField(method: ApiMethod, answer: unknown, map: (list: unknown) => unknown): unknown {
  const field = SUMMARIES_IN_FIELD[method]
  if (field === undefined || answer === null || typeof answer !== 'object') return answer
  return { ...answer, [field]: map((answer as Record<string, unknown>)[field]) }
}

function isPackedSummaries(answer: unknown): answer is PackedDocumentSummaries {
  return typeof answer === 'object' && answer !== null && (answer as { packed?: unknown }).packed === 'document-summaries'
}

function mapContent(method: ApiMethod, answer: unknown, map: (content: unknown) => unknown): unknown {
  const where = CONTENT_IN_ANSWER[method]
  if (where === undefined || answer === null || typeof answer !== 'object') return answer
  if (where === 'answer') return map(answer)
  const content = (answer as Record<string, unknown>)[where]
  return content === null || content === undefined ? answer : { ...answer, [where]: map(content) }
}
