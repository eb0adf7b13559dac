// Annotation import across text revisions: a file is matched to a document by the SHA-256 of
// its current text or of any earlier revision's (a JSONL exported before an edit), and spans
// matched at an earlier revision are mapped onto the current text, as every layer is.
import { ANNOTATION_LAYER_SCHEMA_VERSION, ORIGINAL_REVISION, type Annotation, type AnnotationLayer, type DocumentRecord } from '../../shared/model'
import { anchorLayer } from '../../core/text-revisions/anchor-layer'
import type { ProjectStore } from '../store/project-store'
import type { EarlierText, ImportPlan, PlannedSpan } from './annotation-import-plan'

/** The project's documents by the SHA-256 of their current text, and of every earlier revision's text. */
export async function documentsByTextSha(store: ProjectStore, records: readonly DocumentRecord[]): Promise<{ current: Map<string, DocumentRecord>; earlier: Map<string, EarlierText> }> {
  const current = new Map<string, DocumentRecord>()
  const earlier = new Map<string, EarlierText>()
  for (const record of records) {
    const graph = await store.texts.graph(record.id, record).catch(() => null)
    current.set(graph?.head.sha256 ?? record.sha256, record)
    if (!graph) continue
    const earlierShas: [string, string][] = [[record.sha256, ORIGINAL_REVISION], ...graph.chain.map((revision): [string, string] => [revision.shaAfter, revision.id])]
    for (const [sha256, revision] of earlierShas) {
      // A text an undo brought back is the current one: matched as current, with nothing to map.
      if (revision === graph.head.id || sha256 === graph.head.sha256 || earlier.has(sha256)) continue
      earlier.set(sha256, { record, revision })
    }
  }
  for (const sha256 of current.keys()) earlier.delete(sha256)
  return { current, earlier }
}

/**
 * Maps the spans of documents matched at an earlier revision onto the current text. A span
 * whose whole text a later edit deleted is not imported (a warning says so); one whose text an
 * edit changed is imported flagged "text changed — check".
 */
export async function mapEarlierRevisionSpans(store: ProjectStore, plan: ImportPlan): Promise<void> {
  for (const planned of plan.wholeDocuments()) {
    if (planned.existing === null || planned.earlierRevision === undefined || planned.spans.length === 0) continue
    const state = await store.textState(planned.existing.id)
    const asLayer: AnnotationLayer = {
      format: 'quire-annotations',
      schemaVersion: ANNOTATION_LAYER_SCHEMA_VERSION,
      documentId: planned.existing.id,
      annotator: '',
      status: 'in-progress',
      textSha256: planned.sha256,
      textRevision: planned.earlierRevision,
      annotations: planned.spans.map((span, index) => spanAsAnnotation(span, index)),
      comments: [],
      resolvedComments: [],
      lostInEditing: [],
      rejectedSuggestions: []
    }
    const anchored = anchorLayer(asLayer, state.graph, state.text)
    if (!anchored.ok) {
      plan.error(planned.file, 0, `its text is that of "${planned.existing.name}" at an earlier revision, but the spans cannot be placed on the current text: the file ${anchored.why}`)
      continue
    }
    const byIndex = (annotation: Annotation): PlannedSpan => planned.spans[Number(annotation.id.slice(1))] as PlannedSpan
    for (const lost of anchored.lost) {
      const span = byIndex(lost.annotation)
      plan.warn(span.file, span.line, `the span "${span.text}" (${span.tag}) was not imported: a later edit of the text (revision ${lost.revision}) deleted its words`)
    }
    planned.spans = anchored.layer.annotations.map((annotation) => {
      const span: PlannedSpan = { ...byIndex(annotation), start: annotation.start, end: annotation.end, text: annotation.text }
      if (annotation.textCheck) span.textCheck = annotation.textCheck
      return span
    })
    planned.text = state.text
    planned.sha256 = state.graph.head.sha256
  }
}

function spanAsAnnotation(span: PlannedSpan, index: number): Annotation {
  const at = span.createdAt ?? new Date(0).toISOString()
  return { id: `s${index}`, start: span.start, end: span.end, tag: span.tag, text: span.text, annotator: span.annotator, createdAt: at, updatedAt: at, provenance: { source: 'import' } }
}
