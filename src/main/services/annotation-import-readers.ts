// Reading each import format into an ImportPlan. How documents are matched:
// - JSONL and brat carry the text: it is matched to the project's document with the same
//   SHA-256 (the name does not matter), else a new document is created from it.
// - A brat .ann without its .txt is matched to the project's only document of that name.
// - CoNLL has lost the whitespace: each -DOCSTART- block goes to the project's document whose
//   non-whitespace characters are exactly the block's tokens (what a CoNLL export of it
//   holds), else a new document is made from the tokens (one space between tokens, one line
//   per sentence), named after the file.
import { TOKEN_SEPARATOR_GLOBAL } from '../../core/formats/breaking-characters'
import { describeNotImported, parseBratAnn, type BratNotImported } from '../../core/formats/brat'
import { plural } from '../../core/quantities'
import { parseConll, splitConllBlocks, type ConllScheme, type ConllTargetDocument } from '../../core/formats/conll'
import { numberedLines } from '../../core/formats/lines'
import { JsonlDocumentReader, type JsonlParseOptions } from '../../core/formats/jsonl'
import type { ParsedSpan } from '../../core/formats/types'
import { decodeImportedText, MAX_IMPORT_BYTES } from '../../core/text-decode'
import { asUtf16, type DocumentRecord } from '../../shared/model'
import { sha256Hex } from '../store/project-store'
import type { ImportPlan, PlannedDocument, PlannedSpan, SourceLine } from './annotation-import-plan'
import { linesOf, type ImportInput, type NamedBytes } from './import-input'

export type { NamedBytes }

/** UTF-8 text of an annotation file, or null after reporting why it is not. */
export function decodeAnnotationFile(plan: ImportPlan, file: NamedBytes): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.bytes)
  } catch {
    plan.error(file.name, 0, 'the file is not UTF-8 text')
    return null
  }
}

/** A file's spans as the plan takes them: the file's own annotator, else `annotator`. */
export function plannedSpans(spans: readonly ParsedSpan[], file: string, annotator: string): PlannedSpan[] {
  return spans.map((span) => ({
    start: span.start,
    end: span.end,
    tag: span.label,
    text: span.text,
    annotator: span.annotator ?? annotator,
    ...(span.note !== undefined ? { note: span.note } : {}),
    ...(span.createdAt !== undefined ? { createdAt: span.createdAt } : {}),
    ...(span.entity !== undefined ? { entity: span.entity } : {}),
    file,
    line: span.line
  }))
}

export function addSpans(plan: ImportPlan, planned: PlannedDocument, spans: readonly ParsedSpan[], file: string, annotator: string): void {
  for (const span of plannedSpans(spans, file, annotator)) plan.addSpan(planned, span)
}

/** The options a JSONL line is read with, in both passes of an import. */
export function jsonlOptions(file: string): JsonlParseOptions {
  return { file, computeSha256: (text) => sha256Hex(new TextEncoder().encode(text)) }
}

/**
 * A JSONL file, read a line at a time: each new document is planned from its line (deferred,
 * its text and spans read again when it is written), so the plan stays small for any file.
 */
export async function readJsonl(plan: ImportPlan, input: ImportInput, inputIndex: number, defaultAnnotator: string): Promise<void> {
  const reader = new JsonlDocumentReader(jsonlOptions(input.name))
  const decoder = new TextDecoder('utf-8', { fatal: true })
  for await (const line of linesOf(input)) {
    let text: string
    try {
      text = decoder.decode(line.bytes)
    } catch {
      plan.error(input.name, 0, 'the file is not UTF-8 text')
      return
    }
    const document = reader.read(text, line.number)
    if (document === null) continue
    const source: SourceLine = { input: inputIndex, offset: line.offset, length: line.bytes.length, line: line.number }
    const planned = await plan.documentForText(
      document.text,
      { name: document.name, originalFileName: input.name, encoding: 'utf-8' },
      input.name,
      document.line,
      `document ${JSON.stringify(document.name)}`,
      source
    )
    if (planned !== null) addSpans(plan, planned, document.spans, input.name, defaultAnnotator)
  }
  for (const error of reader.finish()) plan.error(error.file, error.line, error.message)
}

/**
 * brat: NAME.ann files with their NAME.txt. Anything else in a collection folder (README,
 * LICENSE, *.conf, a .txt without its .ann) is skipped and listed in one warning; what the
 * .ann files hold that Quire does not keep (events, relations, attributes…) is counted in one
 * warning for the whole import.
 */
export async function readBrat(
  plan: ImportPlan,
  files: readonly NamedBytes[],
  context: { defaultAnnotator: string; documentsByName: ReadonlyMap<string, DocumentRecord[]> }
): Promise<void> {
  const texts = new Map<string, NamedBytes>()
  const anns: NamedBytes[] = []
  const skipped: string[] = []
  for (const file of files) {
    if (file.name.endsWith('.ann')) anns.push(file)
    else if (file.name.endsWith('.txt')) texts.set(file.name.slice(0, -'.txt'.length), file)
    else skipped.push(file.name)
  }
  const annBases = new Set(anns.map((file) => file.name.slice(0, -'.ann'.length)))
  for (const [base, text] of texts) if (!annBases.has(base)) skipped.push(text.name)
  if (skipped.length > 0) {
    const listed = skipped.sort().slice(0, 20).join(', ')
    plan.warn('', 0, `skipped ${plural(skipped.length, 'file')} that ${skipped.length === 1 ? 'is' : 'are'} not brat annotations (NAME.ann with its NAME.txt): ${listed}${skipped.length > 20 ? ', …' : ''}`)
  }
  const notImported: BratNotImported = new Map()
  let splitSpans = 0
  for (const ann of anns) {
    const base = ann.name.slice(0, -'.ann'.length)
    const content = decodeAnnotationFile(plan, ann)
    if (content === null) continue
    const target = await bratTarget(plan, base, ann.name, texts.get(base), context.documentsByName)
    if (target === null) continue
    // brat (Python) reads the .txt without dropping a byte-order mark, so its offsets count it.
    const parsed = parseBratAnn(content, { file: ann.name, text: target.bom ? `\ufeff${target.document.text}` : target.document.text })
    for (const error of parsed.errors) plan.error(error.file, error.line, error.message)
    for (const warning of parsed.warnings) plan.warn(warning.file, warning.line, warning.message)
    for (const [kind, count] of parsed.notImported) notImported.set(kind, (notImported.get(kind) ?? 0) + count)
    splitSpans += parsed.splitSpans
    let spans = parsed.value
    if (target.bom) {
      for (const span of spans.filter((candidate) => candidate.start === 0)) {
        plan.error(ann.name, span.line, 'the span covers the byte-order mark at the start of the .txt, which is not part of the text')
      }
      spans = spans.map((span) => ({ ...span, start: asUtf16(span.start - 1), end: asUtf16(span.end - 1) }))
    }
    addSpans(plan, target.document, spans, ann.name, context.defaultAnnotator)
  }
  const skippedAnnotations = describeNotImported(notImported)
  if (skippedAnnotations !== '') {
    plan.warn('', 0, `not imported (Quire keeps entity spans, event triggers included, with their notes and entity links): ${skippedAnnotations}`)
  }
  if (splitSpans > 0) {
    plan.warn('', 0, `${plural(splitSpans, 'discontinuous annotation')} with text between ${splitSpans === 1 ? 'its' : 'their'} fragments ${splitSpans === 1 ? 'was' : 'were'} imported as one span per fragment (Quire spans are continuous)`)
  }
}

async function bratTarget(
  plan: ImportPlan,
  base: string,
  annName: string,
  text: NamedBytes | undefined,
  documentsByName: ReadonlyMap<string, DocumentRecord[]>
): Promise<{ document: PlannedDocument; bom: boolean } | null> {
  if (text === undefined) {
    const candidates = documentsByName.get(base) ?? []
    if (candidates.length === 1) {
      const document = await plan.existingDocument(candidates[0] as DocumentRecord, annName)
      return document === null ? null : { document, bom: false }
    }
    plan.error(
      annName,
      0,
      candidates.length === 0
        ? `${base}.txt was not given with it and no document in the project is named "${base}"; choose the .txt together with the .ann`
        : `${base}.txt was not given with it and ${candidates.length} documents in the project are named "${base}"; choose the .txt together with the .ann`
    )
    return null
  }
  const decoded = decodeImportedText(text.bytes, text.name, MAX_IMPORT_BYTES)
  if (!decoded.ok) {
    plan.error(text.name, 0, decoded.reason)
    return null
  }
  const document = await plan.documentForText(decoded.text, { name: base, originalFileName: text.name, encoding: decoded.encoding }, text.name, 0)
  return document === null ? null : { document, bom: decoded.encoding === 'utf-8-bom' }
}

interface ConllBlock {
  line: number
  sentences: string[][]
}

/** The -DOCSTART- blocks exactly as parseConll splits them, with each sentence's tokens. */
function conllBlocks(content: string): ConllBlock[] {
  return splitConllBlocks(
    content,
    (line): ConllBlock => ({ line, sentences: [] }),
    (block, columns, _line, sentenceStart) => {
      if (columns.length < 2) return false
      if (sentenceStart || block.sentences.length === 0) block.sentences.push([])
      ;(block.sentences[block.sentences.length - 1] as string[]).push(columns[0] as string)
      return true
    }
  )
}


/** Texts of the project by their characters other than whitespace and controls (what CoNLL tokens hold), read once per import. */
export type DocumentsBySkeleton = () => Promise<Map<string, DocumentRecord[]>>

export function skeletonOf(text: string): string {
  return text.replace(TOKEN_SEPARATOR_GLOBAL, '')
}

export async function readConll(
  plan: ImportPlan,
  file: NamedBytes,
  context: { defaultAnnotator: string; scheme: ConllScheme | 'auto'; documentsBySkeleton: DocumentsBySkeleton }
): Promise<void> {
  const content = decodeAnnotationFile(plan, file)
  if (content === null) return
  const blocks = conllBlocks(content)
  if (blocks.length === 0) {
    plan.error(file.name, 0, 'the file holds no tokens')
    return
  }
  const baseName = file.name.replace(/\.[^.]{1,10}$/, '') || file.name
  const bySkeleton = await context.documentsBySkeleton()
  const used = new Set<string>()
  const targets: ConllTargetDocument[] = []
  const plannedByTarget = new Map<string, PlannedDocument>()
  for (const [index, block] of blocks.entries()) {
    const targetId = `block-${index}`
    const tokens = block.sentences.flat()
    if (tokens.length === 0) {
      plan.warn(file.name, block.line, 'this document has no tokens; skipped')
      targets.push({ id: targetId, text: '' })
      continue
    }
    const candidates = bySkeleton.get(tokens.join('')) ?? []
    const match = candidates.find((record) => !used.has(record.id)) ?? candidates[0]
    let planned: PlannedDocument | null
    if (match !== undefined) {
      used.add(match.id)
      planned = await plan.existingDocument(match, file.name)
    } else {
      const text = block.sentences.map((sentence) => sentence.join(' ')).join('\n')
      const name = blocks.length === 1 ? baseName : `${baseName} ${index + 1}`
      planned = await plan.documentForText(text, { name, originalFileName: file.name, encoding: 'utf-8' }, file.name, block.line)
    }
    if (planned === null) return
    targets.push({ id: targetId, text: planned.text })
    plannedByTarget.set(targetId, planned)
  }
  const parsed = parseConll(content, { file: file.name, documents: targets, scheme: context.scheme })
  for (const error of parsed.errors) plan.error(error.file, error.line, error.message)
  for (const document of parsed.value) {
    const planned = plannedByTarget.get(document.documentId)
    if (planned) addSpans(plan, planned, document.spans, file.name, context.defaultAnnotator)
  }
}
