// Agreement figures and disagreement lists over chosen documents and annotators. Documents are
// read one at a time (CorpusPrefetcher fetches the next few ahead), so a project of 10,000
// documents runs in flat memory; the app, `quire agreement` and the agreement screen's
// "open the disagreements of this cell" all go through here.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { AgreementAccumulator } from '../../core/review/agreement'
import { compareLayers, DISAGREEMENT_KINDS, filterPositions, type PositionKind } from '../../core/review/compare'
import {
  isCurationLayer,
  type AgreementOutcome,
  type AgreementScope,
  type Annotation,
  type AnnotationLayer,
  type DisagreementItem,
  type DisagreementList,
  type DisagreementQuery,
  type DocumentRecord
} from '../../shared/model'
import type { ProjectStore } from '../store/project-store'
import { CorpusPrefetcher, listDocumentsInParallel, parseCorpusDocument, type CorpusReadProblem, type RawCorpusDocument } from './corpus-reader'
import { parsedLayers } from './parsed-layer-cache'

/** Documents read between turns of the event loop, so a long run never stalls other calls. */
const DOCUMENTS_PER_TURN = 20
const CONTEXT_CHARS = 40
const EXCERPT_CHARS = 120

export async function computeAgreement(store: ProjectStore, scope: AgreementScope): Promise<AgreementOutcome> {
  const problems: { path: string; message: string }[] = []
  const records = await chosenRecords(store, scope, problems)
  const annotators = scope.annotators === 'all' ? await annotatorsIn(store, records) : [...scope.annotators]
  const accumulator = new AgreementAccumulator({ annotators, tags: store.manifest.tags.map((tag) => tag.id) })
  await eachDocument(store, records, true, problems, (record, text, layers) => {
    const byAnnotator = new Map(layers.map((layer) => [layer.annotator, layer.annotations]))
    accumulator.addDocument({ text, layers: new Map(annotators.map((annotator) => [annotator, byAnnotator.get(annotator) ?? null])) })
  })
  return { report: accumulator.report(), problems }
}

/**
 * The disagreements behind one cell of the agreement screen, in document order: positions where
 * the chosen annotators (or the cell's pair) disagree, filtered by tag, kind and labels.
 */
export async function listDisagreements(store: ProjectStore, query: DisagreementQuery): Promise<DisagreementList> {
  const problems: { path: string; message: string }[] = []
  const records = await chosenRecords(store, query, problems)
  const annotators = query.pair ? [...query.pair] : query.annotators === 'all' ? await annotatorsIn(store, records) : [...query.annotators]
  if (annotators.length < 2) return { annotators, items: [], total: 0, problems }
  const limit = query.limit ?? 500
  const items: DisagreementItem[] = []
  let total = 0
  await eachDocument(store, records, true, problems, (record, text, layers) => {
    const byAnnotator = new Map(layers.map((layer) => [layer.annotator, layer.annotations]))
    // A pair's cell counts only documents both have a layer on, as its figures do.
    if (query.pair && annotators.some((annotator) => !byAnnotator.has(annotator))) return
    const comparison = compareLayers(annotators.map((annotator) => ({ annotator, spans: byAnnotator.get(annotator) ?? [] })))
    const filter = { kinds: new Set<PositionKind>(query.kinds ?? DISAGREEMENT_KINDS), ...(query.tag ? { tags: new Set([query.tag]) } : {}) }
    for (const position of filterPositions(comparison.positions, filter)) {
      if (query.labels && !matchesLabels(position.spansByAnnotator, query.labels)) continue
      total++
      if (items.length >= limit) continue
      const spans = position.spansByAnnotator.flatMap((entry) =>
        entry.spans.map((span) => ({ annotator: entry.annotator, start: span.start, end: span.end, tag: span.tag, text: span.text }))
      )
      items.push({
        documentId: record.id,
        documentName: record.name,
        positionId: position.id,
        kind: position.kind,
        start: position.start,
        end: position.end,
        ...excerpt(text, position.start, position.end),
        spans
      })
    }
  })
  return { annotators, items, total, problems }
}

/** A confusion cell: the first annotator's spans here carry label[0] (none for O), the second's label[1]. */
function matchesLabels(entries: readonly { annotator: string; spans: readonly Annotation[] }[], labels: readonly [string, string]): boolean {
  return entries.slice(0, 2).every((entry, index) => {
    const label = labels[index]
    return label === 'O' ? entry.spans.length === 0 : entry.spans.some((span) => span.tag === label)
  })
}

function excerpt(text: string, start: number, end: number): { before: string; text: string; after: string } {
  const oneLine = (part: string): string => part.replace(/\s+/g, ' ')
  const middle = end - start > EXCERPT_CHARS ? `${text.slice(start, start + EXCERPT_CHARS - 1)}…` : text.slice(start, end)
  return {
    before: oneLine(text.slice(Math.max(0, start - CONTEXT_CHARS), start)),
    text: oneLine(middle),
    after: oneLine(text.slice(end, end + CONTEXT_CHARS))
  }
}

async function chosenRecords(store: ProjectStore, scope: AgreementScope, problems: { path: string; message: string }[]): Promise<DocumentRecord[]> {
  if (scope.documentIds !== 'all') {
    const records: DocumentRecord[] = []
    for (const id of new Set(scope.documentIds)) records.push(await store.readRecord(id))
    return records
  }
  const records: DocumentRecord[] = []
  for (const listing of await listDocumentsInParallel(store)) {
    if ('record' in listing) records.push(listing.record)
    else problems.push({ path: listing.problem.path ?? listing.id, message: listing.problem.message })
  }
  return records
}

/** Every person with a layer in these documents, by name. */
async function annotatorsIn(store: ProjectStore, records: readonly DocumentRecord[]): Promise<string[]> {
  const names = new Set<string>()
  // Layers are read without their texts: a cheap first pass (its problems are reported by the second).
  await eachDocument(store, records, false, [], (_record, _text, layers) => {
    for (const layer of layers) if (!isCurationLayer(layer.annotator)) names.add(layer.annotator)
  })
  return [...names].sort((a, b) => a.localeCompare(b))
}

async function eachDocument(
  store: ProjectStore,
  records: readonly DocumentRecord[],
  withText: boolean,
  problems: { path: string; message: string }[],
  visit: (record: DocumentRecord, text: string, layers: AnnotationLayer[]) => void
): Promise<void> {
  const prefetcher = new CorpusPrefetcher(store, records, withText)
  const onProblem = (problem: CorpusReadProblem): void => void problems.push({ path: problem.path, message: problem.message })
  for (let index = 0; index < records.length; index++) {
    await prefetcher.prepare(index)
    const raw = prefetcher.take(index)
    const remembered = await rememberedLayers(store, raw)
    if (remembered.size === 0) {
      const document = parseCorpusDocument(raw, onProblem)
      if (document) visit(document.record, document.text ?? '', document.layers)
    } else {
      const layers = withRememberedLayers(raw, remembered, onProblem)
      if (layers) visit(layers.record, layers.text ?? '', layers.layers)
    }
    if ((index + 1) % DOCUMENTS_PER_TURN === 0) await nextTurn()
  }
}

/**
 * Layers of the document that need not be parsed again, by path: loaded by the store (their
 * state in memory is the newest) or parsed by the layer list and unchanged on disk since. A
 * 5 MB document's layer is a 30 MB file, about a second of parsing and checking.
 */
async function rememberedLayers(store: ProjectStore, raw: RawCorpusDocument): Promise<Map<string, AnnotationLayer>> {
  const remembered = new Map<string, AnnotationLayer>()
  if (!Array.isArray(raw.layers)) return remembered
  for (const file of raw.layers) {
    if ('error' in file) continue
    const layer = store.loadedLayer(file.path)?.current ?? (parsedLayers.has(file.path) ? await parsedLayers.getIfUnchanged(file.path) : undefined)
    if (layer) remembered.set(file.path, layer)
  }
  return remembered
}

/** parseCorpusDocument, with the remembered layers taken as they are (checked as it checks them) in their files' order. */
function withRememberedLayers(
  raw: RawCorpusDocument,
  remembered: ReadonlyMap<string, AnnotationLayer>,
  onProblem: (problem: CorpusReadProblem) => void
): { record: DocumentRecord; text: string | null; layers: AnnotationLayer[] } | null {
  const { record } = raw
  const document = parseCorpusDocument({ ...raw, layers: [] }, onProblem)
  if (!document || !Array.isArray(raw.layers)) return document
  for (const file of raw.layers) {
    const layer = remembered.get(file.path)
    if (!layer) {
      document.layers.push(...(parseCorpusDocument({ record, text: null, layers: [file] }, onProblem)?.layers ?? []))
    } else if (layer.documentId !== record.id || layer.textSha256 !== record.sha256) {
      const message = `the annotation file ${file.path} belongs to another document or another version of the text of "${record.name}"; its spans are left out`
      onProblem({ documentId: record.id, documentName: record.name, path: file.path, message })
    } else {
      document.layers.push(layer)
    }
  }
  return document
}
