// Importing annotations (brat, CoNLL, JSONL, and other tools' exports) into the open project.
// Everything is read and checked first; on any error nothing at all is written: no document,
// no layer, no tag. A JSONL file is read twice, a line at a time: the first pass checks every
// line and keeps of each new document only where its line is (annotation-import-plan.ts), the
// second reads those lines again as their batch is written, so memory holds one batch, not
// the file.
//
// Write order, so a crash never leaves something visible that is half done:
// 1. new tags into project.json (a tag nobody uses yet is harmless), then the entities the
//    files link spans to into entities.json (an entity nobody mentions yet is harmless too);
// 2. each new document: its text, then its annotation layers, then document.json, which is
//    what makes the document appear (a folder without it is ignored);
// 3. layers of existing documents, each replaced atomically.
// Spans already in a layer (same start, end and tag) are not added again, so an interrupted
// import is finished by running it again.
import { existsSync } from 'node:fs'
import type { ConllScheme } from '../../core/formats/conll'
import { documentIdFromName, newAnnotationId } from '../../core/ids'
import { plural } from '../../core/quantities'
import { resolveImportedLabels, type ImportedLabels, type NewImportedTag } from '../../core/formats/imported-tags'
import { annotatorNameSchema } from '../../shared/api-schemas'
import { QuireError } from '../../shared/api'
import {
  annotationImportFormatOfFile,
  STORE_SCHEMA_VERSION,
  type Annotation,
  type AnnotationLayer,
  type AnnotationImportFormat,
  type AnnotationImportOptions,
  type AnnotationImportReport,
  type DocumentRecord,
  type TagDefinition,
  type UnknownTag
} from '../../shared/model'
import type { ProjectStore } from '../store/project-store'
import type { NewDocument } from '../store/document-batch'
import { emptyAnnotationLayer } from '../store/annotation-layer-file'
import { IMPORT_BATCH_SIZE, type ImportControl } from './import-service'
import { documentsByTextSha, mapEarlierRevisionSpans } from './annotation-import-revisions'
import { checkSpan, ImportPlan, type ImportIssue, type LabelUse, type NewDocumentText, type PlannedDocument, type PlannedSpan } from './annotation-import-plan'
import { detectLineEnding } from '../../core/text-decode'
import { jsonlOptions, plannedSpans, readBrat, readConll, readJsonl, skeletonOf } from './annotation-import-readers'
import { bytesOf, firstLineOf, isNamedPath, openRanges, type ImportInput, type RangeReader } from './import-input'
import { parseJsonlLine } from '../../core/formats/jsonl'
import { sha256Hex } from '../store/project-store'
import { isForeignImportFormat, readForeignFile } from './annotation-import-foreign'
import type { ProjectSource } from './corpus-export-service'
import { applyImportedLinks, type ImportedLinks } from '../../core/entities/entity-import'
import { readEntityFile, updateEntityFile } from '../store/entities-file'
import { statusAfterSpansAdded } from '../../core/layer-status'

export type { ImportIssue }
// The options and the report are the API's own types (src/shared/model.ts).
export type { AnnotationImportFormat, AnnotationImportOptions, AnnotationImportReport, UnknownTag }

// Okabe–Ito colours the default tags do not use, then greys: still told apart under colour-vision deficiencies.
const EXTRA_TAG_COLORS = ['#0072B2', '#D55E00', '#F0E442', '#999999', '#000000']

export class AnnotationImportService {
  constructor(
    private readonly projects: ProjectSource,
    /** Name for spans that carry none and no annotator option (the settings' name, else the OS user). */
    private readonly defaultAnnotator: () => string
  ) {}

  async importAnnotations(files: readonly ImportInput[], options: AnnotationImportOptions = {}, control: ImportControl = {}): Promise<AnnotationImportReport> {
    const store = this.projects.requireProject()
    store.assertWritable()
    const annotator = checkAnnotatorName(options.annotator ?? this.defaultAnnotator())
    const namedFiles = files.map((file) => ({ ...file, name: baseName(file.name) }))

    const listings = await store.listDocuments()
    const records = listings.flatMap((listing) => ('record' in listing ? [listing.record] : []))
    const texts = await documentsByTextSha(store, records)
    const plan = new ImportPlan(texts.current, (record) => store.readText(record.id), texts.earlier)
    const format = options.format ?? (await inferFormat(namedFiles, plan))
    const report = emptyReport(format)
    if (namedFiles.length === 0) plan.error('', 0, 'no files were given')
    if (format !== null) await readFiles(plan, format, namedFiles, { store, records, annotator, scheme: options.scheme ?? 'auto' })

    const labels = resolveImportedLabels(new Set(plan.labelUses.keys()), store.manifest.tags)
    report.unknownTags = findUnknownTags(plan.labelUses, labels)
    for (const document of plan.wholeDocuments()) for (const span of document.spans) span.tag = labels.tagIdByLabel.get(span.tag) ?? span.tag
    if (!options.addUnknownTags) {
      const projectTags = store.manifest.tags.map((tag) => tag.id).join(', ')
      for (const unknown of report.unknownTags) {
        plan.error(
          unknown.file,
          unknown.line,
          `unknown tag ${JSON.stringify(unknown.tag)} (${plural(unknown.count, 'span')}); this project's tags are ${projectTags}. Import again with "add unknown tags" to add it as ${unknown.newTagId}`,
          unknown.tag
        )
      }
    }
    await mapEarlierRevisionSpans(store, plan)
    const links = await planEntityLinks(store, plan)
    report.errors = plan.errors
    report.warnings = plan.warnings
    if (plan.errors.length > 0) return report

    const layers = await loadExistingLayers(store, plan)
    if (plan.errors.length > 0) return report

    const newTags = options.addUnknownTags ? tagDefinitions(labels.newTags, store.manifest.tags, format === 'brat') : []
    await store.addTags(newTags)
    report.addedTags = newTags.map((tag) => tag.id)
    if (links?.changed) {
      // Planned on the file as read above; written from the file as it is now, in case a merge happened meanwhile.
      await updateEntityFile(store, (current) => {
        const replanned = applyImportedLinks(current, linkedMentions(plan), new Date().toISOString())
        return { file: replanned.file, result: null }
      })
    }
    const importedBy = annotator
    // Deferred documents are made one at a time as they are reached: the plan never holds them as objects.
    const isWritten = (planned: PlannedDocument): boolean => planned.spans.length > 0 || planned.existing === null
    let toWriteCount = plan.size
    for (const planned of plan.wholeDocuments()) if (!isWritten(planned)) toWriteCount--
    // An id is taken by a folder on disk or by a document of the batch being made; not a Set of
    // every id, which an import of 100,000 documents would hold (~6 MB) to its end.
    const batchIds = new Set<string>()
    const takenIds: TakenIds = { has: (id) => batchIds.has(id) || existsSync(store.documentFolder(id)), add: (id) => batchIds.add(id) }
    const ranges = await Promise.all(namedFiles.map((file) => openRanges(file)))
    const readAgain = (planned: PlannedDocument): Promise<PlannedDocument> => readDeferredDocument(planned, namedFiles, ranges, annotator, labels.tagIdByLabel)
    let batch: NewDocument[] = []
    let batchWritten: { planned: PlannedDocument; written: WrittenDocument }[] = []
    let done = 0
    const stopped = (problem: QuireError): QuireError =>
      new QuireError({
        code: problem.code === 'internal' ? 'io' : problem.code,
        ...(problem.path !== undefined ? { path: problem.path } : {}),
        message:
          `The import stopped after ${done} of ${plural(toWriteCount, 'document')}: ${problem.message} ` +
          'Run the same import again once this is fixed: spans already imported are recognised and not added twice.'
      })
    const note = (planned: PlannedDocument, written: WrittenDocument): void => {
      report.spans += written.added
      report.spansAlreadyPresent += written.alreadyPresent
      const document = { documentId: written.record.id, name: written.record.name, file: planned.file, created: planned.existing === null, spans: written.added }
      if (control.listDocuments !== false) report.documents.push(document)
      control.onDocumentWritten?.(document)
      done++
    }
    const writeBatch = async (): Promise<void> => {
      if (batch.length === 0) return
      try {
        await store.addDocuments(batch)
      } catch (error) {
        throw stopped(QuireError.from(error))
      }
      for (const { planned, written } of batchWritten) note(planned, written)
      batch = []
      batchWritten = []
      batchIds.clear()
      control.onProgress?.(done, toWriteCount)
    }
    const writeAll = async (): Promise<void> => {
      for (const planned of plan.documents()) {
        if (!isWritten(planned)) continue
        if (control.signal?.aborted) {
          await writeBatch()
          report.cancelled = { notImported: toWriteCount - done }
          break
        }
        if (planned.existing === null) {
          let whole: PlannedDocument
          try {
            whole = planned.deferred ? await readAgain(planned) : planned
          } catch (error) {
            throw stopped(QuireError.from(error))
          }
          const document = newDocument(whole, importedBy, takenIds)
          batch.push(document.document)
          batchWritten.push({ planned, written: document.written })
          if (batch.length >= (control.batchSize ?? IMPORT_BATCH_SIZE)) await writeBatch()
          continue
        }
        // Earlier new documents first: the report keeps the files' order.
        await writeBatch()
        let written: WrittenDocument
        try {
          written = await mergeIntoExisting(planned, planned.existing, layers)
        } catch (error) {
          throw stopped(QuireError.from(error))
        }
        note(planned, written)
      }
      await writeBatch()
    }
    try {
      await writeAll()
    } finally {
      await Promise.all(ranges.map((range) => range.close()))
    }
    report.imported = report.cancelled === undefined
    return report
  }
}

/**
 * A deferred document made whole for writing: its lines read again and checked as in the first
 * pass. A line that no longer reads the same (the file changed on disk meanwhile) stops the import.
 */
async function readDeferredDocument(
  planned: PlannedDocument,
  files: readonly ImportInput[],
  ranges: readonly RangeReader[],
  annotator: string,
  tagIdByLabel: ReadonlyMap<string, string>
): Promise<PlannedDocument> {
  if (!planned.deferred || planned.existing !== null) throw new QuireError({ code: 'internal', message: 'only a new document from a JSONL line is read again' })
  let created: NewDocumentText | null = null
  const spans: PlannedSpan[] = []
  for (const source of planned.deferred.lines) {
    const file = files[source.input] as ImportInput
    const changed = (): QuireError =>
      new QuireError({ code: 'io', ...(isNamedPath(file) ? { path: file.path } : {}), message: `${file.name} line ${source.line} changed on disk during the import.` })
    const bytes = await (ranges[source.input] as RangeReader).read(source.offset, source.length)
    const problems: string[] = []
    let document
    try {
      document = parseJsonlLine(new TextDecoder('utf-8', { fatal: true }).decode(bytes), source.line, jsonlOptions(file.name), problems)
    } catch {
      throw changed()
    }
    const bytesOfText = document === null ? null : new TextEncoder().encode(document.text)
    if (document === null || bytesOfText === null || problems.length > 0 || sha256Hex(bytesOfText) !== planned.sha256) throw changed()
    // Described by its first line, as the first pass named it.
    created ??= {
      name: document.name,
      originalFileName: file.name,
      encoding: 'utf-8',
      text: document.text,
      lineEnding: detectLineEnding(document.text),
      sizeBytes: bytesOfText.length
    }
    for (const span of plannedSpans(document.spans, file.name, annotator)) {
      if (checkSpan(span).error !== undefined) throw changed()
      span.tag = tagIdByLabel.get(span.tag) ?? span.tag
      spans.push(span)
    }
  }
  if (created === null) throw new QuireError({ code: 'internal', message: 'a deferred document without a line' })
  return { ...planned, text: created.text, created, spans }
}

function linkedMentions(plan: ImportPlan): { text: string; link: NonNullable<PlannedSpan['entity']>; file: string; line: number }[] {
  const mentions: { text: string; link: NonNullable<PlannedSpan['entity']>; file: string; line: number }[] = []
  for (const document of plan.documents()) {
    for (const span of document.deferred?.linkedSpans ?? document.spans) {
      if (span.entity !== undefined) mentions.push({ text: span.text, link: span.entity, file: span.file, line: span.line })
    }
  }
  return mentions
}

/**
 * What the files' entity links change in entities.json, checked before anything is written.
 * A link that cannot be taken is a warning (its span is imported without it); an entities.json
 * that cannot be read is an error when the files carry links, since they could not be saved.
 */
async function planEntityLinks(store: ProjectStore, plan: ImportPlan): Promise<ImportedLinks | null> {
  const mentions = linkedMentions(plan)
  if (mentions.length === 0) return null
  let file
  try {
    file = await readEntityFile(store)
  } catch (error) {
    const problem = QuireError.from(error)
    plan.error(problem.path ?? '', problem.line ?? 0, `the files link spans to entities, but ${problem.message}`)
    return null
  }
  const planned = applyImportedLinks(file, mentions, new Date().toISOString())
  for (const warning of planned.warnings) plan.warn(warning.file, warning.line, warning.message)
  return planned
}

function emptyReport(format: AnnotationImportFormat | null): AnnotationImportReport {
  return { imported: false, format, errors: [], warnings: [], unknownTags: [], addedTags: [], documents: [], spans: 0, spansAlreadyPresent: 0 }
}

function checkAnnotatorName(name: string): string {
  const parsed = annotatorNameSchema.safeParse(name)
  if (!parsed.success) {
    throw new QuireError({ code: 'invalid-argument', message: `annotator name ${JSON.stringify(name)}: ${parsed.error.issues[0]?.message ?? 'invalid'}` })
  }
  return parsed.data
}

/** Browsers and dialogs may hand over a path; only its last part names the file. */
function baseName(name: string): string {
  return name.split(/[\\/]/).filter(Boolean).pop() ?? name
}

async function inferFormat(files: readonly ImportInput[], plan: ImportPlan): Promise<AnnotationImportFormat | null> {
  const formats = new Set<AnnotationImportFormat>()
  for (const file of files) {
    // A .jsonl file is told apart by its first line (Quire's JSONL, doccano, Prodigy).
    const format = annotationImportFormatOfFile(isNamedPath(file) ? { name: file.name, bytes: file.name.toLowerCase().endsWith('.jsonl') ? await firstLineOf(file) : new Uint8Array(0) } : file)
    if (format !== null) formats.add(format)
  }
  // A brat import also holds .txt files and maybe annotation.conf; they follow the .ann files.
  if (formats.size === 1) return [...formats][0] as AnnotationImportFormat
  plan.error(
    files[0]?.name ?? '',
    0,
    formats.size === 0
      ? 'cannot tell the format from the file names (.ann for brat, .conll/.iob/.bio for CoNLL, .jsonl for JSONL, doccano or Prodigy, .json for Label Studio, .tsv for WebAnno TSV); choose the format'
      : `the files are in several formats (${[...formats].join(', ')}); import one format at a time`
  )
  return null
}

async function readFiles(
  plan: ImportPlan,
  format: AnnotationImportFormat,
  inputs: readonly ImportInput[],
  context: { store: ProjectStore; records: readonly DocumentRecord[]; annotator: string; scheme: ConllScheme | 'auto' }
): Promise<void> {
  if (format === 'jsonl') {
    for (const [index, input] of inputs.entries()) await readJsonl(plan, input, index, context.annotator)
    return
  }
  const files = await Promise.all(inputs.map(bytesOf))
  if (format === 'brat') {
    const documentsByName = new Map<string, DocumentRecord[]>()
    for (const record of context.records) documentsByName.set(record.name, [...(documentsByName.get(record.name) ?? []), record])
    await readBrat(plan, files, { defaultAnnotator: context.annotator, documentsByName })
    return
  }
  if (isForeignImportFormat(format)) {
    let texts: Promise<{ record: DocumentRecord; text: string }[]> | null = null
    const projectTexts = (): Promise<{ record: DocumentRecord; text: string }[]> => {
      texts ??= (async () => {
        const read: { record: DocumentRecord; text: string }[] = []
        for (const record of context.records) {
          // A text that cannot be read (changed on disk) matches nothing.
          const text = await context.store.readText(record.id).catch(() => null)
          if (text !== null) read.push({ record, text })
        }
        return read
      })()
      return texts
    }
    for (const file of files) await readForeignFile(plan, format, file, { defaultAnnotator: context.annotator, projectTexts })
    return
  }
  let skeletons: Promise<Map<string, DocumentRecord[]>> | null = null
  const documentsBySkeleton = (): Promise<Map<string, DocumentRecord[]>> => {
    skeletons ??= (async () => {
      const map = new Map<string, DocumentRecord[]>()
      for (const record of context.records) {
        // A text that cannot be read (changed on disk) matches nothing; using it would report it anyway.
        const text = await context.store.readText(record.id).catch(() => null)
        if (text === null) continue
        const key = skeletonOf(text)
        map.set(key, [...(map.get(key) ?? []), record])
      }
      return map
    })()
    return skeletons
  }
  for (const file of files) {
    await readConll(plan, file, { defaultAnnotator: context.annotator, scheme: context.scheme, documentsBySkeleton })
  }
}

/** The labels that match no project tag, each with where it is first used and the id it would get. */
function findUnknownTags(labelUses: ReadonlyMap<string, LabelUse>, labels: ImportedLabels): UnknownTag[] {
  const newIds = new Set(labels.newTags.map((tag) => tag.id))
  const unknown = new Map<string, UnknownTag>()
  for (const [label, use] of labelUses) {
    const id = labels.tagIdByLabel.get(label) as string
    if (!newIds.has(id)) continue
    const entry = unknown.get(id)
    if (entry) entry.count += use.count
    else unknown.set(id, { tag: label, newTagId: id, file: use.file, line: use.line, count: use.count })
  }
  return [...unknown.values()]
}

type LayerKey = `${string}\u0000${string}`
type LoadedLayers = Map<LayerKey, Awaited<ReturnType<ProjectStore['annotationLayer']>>>

/** Every existing layer the import will add to, read (and checked) before anything is written. */
async function loadExistingLayers(store: ProjectStore, plan: ImportPlan): Promise<LoadedLayers> {
  const layers: LoadedLayers = new Map()
  for (const document of plan.wholeDocuments()) {
    if (document.existing === null) continue
    for (const annotator of new Set(document.spans.map((span) => span.annotator))) {
      try {
        layers.set(`${document.existing.id}\u0000${annotator}`, await store.annotationLayer(document.existing, annotator))
      } catch (error) {
        const problem = QuireError.from(error)
        plan.error(problem.path ?? document.file, problem.line ?? 0, problem.message)
      }
    }
  }
  return layers
}

function spanKey(span: { start: number; end: number; tag: string }): string {
  return `${span.start}:${span.end}:${span.tag}`
}

/**
 * Adds the spans not already present; returns how many were added and skipped. A layer "not
 * started" that gains spans is then in progress, as the document list's review state already
 * counts it: left "not started", the toolbar's status contradicted the list beside it.
 */
function addToLayer(layer: AnnotationLayer, spans: readonly PlannedSpan[]): { added: number; alreadyPresent: number } {
  const { annotations } = layer
  const present = new Set(annotations.map(spanKey))
  const now = new Date().toISOString()
  let added = 0
  let alreadyPresent = 0
  for (const span of spans) {
    const key = spanKey(span)
    if (present.has(key)) {
      alreadyPresent++
      continue
    }
    present.add(key)
    const annotation: Annotation = {
      id: newAnnotationId(),
      start: span.start,
      end: span.end,
      tag: span.tag,
      text: span.text,
      annotator: span.annotator,
      createdAt: span.createdAt ?? now,
      updatedAt: now,
      provenance: { source: 'import', detail: `${span.file} line ${span.line}` }
    }
    if (span.note !== undefined && span.note !== '') annotation.note = span.note
    if (span.textCheck) annotation.textCheck = { ...span.textCheck }
    annotations.push(annotation)
    added++
  }
  annotations.sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id))
  layer.status = statusAfterSpansAdded(layer.status, added)
  return { added, alreadyPresent }
}

function spansByAnnotator(spans: readonly PlannedSpan[]): Map<string, PlannedSpan[]> {
  const grouped = new Map<string, PlannedSpan[]>()
  for (const span of spans) grouped.set(span.annotator, [...(grouped.get(span.annotator) ?? []), span])
  return grouped
}

interface WrittenDocument {
  record: DocumentRecord
  added: number
  alreadyPresent: number
}

async function mergeIntoExisting(planned: PlannedDocument, record: DocumentRecord, layers: LoadedLayers): Promise<WrittenDocument> {
  const written: WrittenDocument = { record, added: 0, alreadyPresent: 0 }
  for (const [annotator, spans] of spansByAnnotator(planned.spans)) {
    const layer = layers.get(`${record.id}\u0000${annotator}`)
    if (!layer) throw new QuireError({ code: 'internal', message: `the layer of ${annotator} on ${record.name} was not loaded` })
    const counts = await layer.update((draft) => addToLayer(draft, spans))
    written.added += counts.added
    written.alreadyPresent += counts.alreadyPresent
  }
  return written
}

/** A new document with its layers, built in memory for a batch (store.addDocuments writes it). */
/** The ids new documents cannot have. */
interface TakenIds {
  has(id: string): boolean
  add(id: string): void
}

function newDocument(planned: PlannedDocument, importedBy: string, takenIds: TakenIds): { document: NewDocument; written: WrittenDocument } {
  const created = planned.created
  if (created === null) throw new QuireError({ code: 'internal', message: 'a new document without its text' })
  const id = documentIdFromName(created.name, takenIds)
  takenIds.add(id)
  const record: DocumentRecord = {
    format: 'quire-document',
    schemaVersion: STORE_SCHEMA_VERSION,
    id,
    name: created.name,
    originalFileName: created.originalFileName,
    encoding: created.encoding,
    lineEnding: created.lineEnding,
    sizeBytes: created.sizeBytes,
    length: created.text.length,
    sha256: planned.sha256,
    importedAt: new Date().toISOString(),
    importedBy
  }
  const written: WrittenDocument = { record, added: 0, alreadyPresent: 0 }
  const layers: AnnotationLayer[] = []
  for (const [annotator, spans] of spansByAnnotator(planned.spans)) {
    const layer = emptyAnnotationLayer(record, annotator)
    const counts = addToLayer(layer, spans)
    layer.updatedAt = new Date().toISOString()
    written.added += counts.added
    written.alreadyPresent += counts.alreadyPresent
    layers.push(layer)
  }
  return { document: { record, text: created.text, layers }, written }
}

/** The new tags: named as the files spell them; a brat type is kept to be written back on brat export. */
function tagDefinitions(tags: readonly NewImportedTag[], existing: readonly TagDefinition[], fromBrat: boolean): TagDefinition[] {
  const usedKeys = new Set(existing.map((tag) => tag.key))
  const usedColors = new Set(existing.map((tag) => tag.color.toUpperCase()))
  const freeKeys = ['5', '6', '7', '8', '9', '0'].filter((key) => !usedKeys.has(key))
  const freeColors = EXTRA_TAG_COLORS.filter((color) => !usedColors.has(color))
  return tags.map(({ id, label }, index) => ({
    id,
    label,
    shortLabel: id.slice(0, 3),
    key: freeKeys[index] ?? '',
    color: freeColors[index] ?? EXTRA_TAG_COLORS[index % EXTRA_TAG_COLORS.length] ?? '#999999',
    ...(fromBrat && label !== id ? { bratType: label } : {})
  }))
}
