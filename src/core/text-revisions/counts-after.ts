// What a layer's summary needs after revisions (how many spans, how many of each tag) without
// mapping the layer: a span survives an edit unless the edit deletes its whole text, which one
// sweep over its two ends says (mapPositions). Revisions with an undo among them can bring lost
// spans back; those take the full mapping (mapLayerForward), and this answers null.
import type { AnnotationLayer, TextRevision } from '../../shared/model'
import { composeChanges } from '../text-edit/change-set'
import { mapPositions, type Assoc } from '../text-edit/position-mapping'

export interface SpanCounts {
  spans: number
  countsByTag: Record<string, number>
}

export function spanCountsAfter(layer: AnnotationLayer, revisions: readonly TextRevision[]): SpanCounts | null {
  if (revisions.some((revision) => revision.origin.kind === 'undo')) return null
  const first = revisions[0]
  const countsByTag: Record<string, number> = {}
  if (!first) {
    for (const annotation of layer.annotations) countsByTag[annotation.tag] = (countsByTag[annotation.tag] ?? 0) + 1
    return { spans: layer.annotations.length, countsByTag }
  }
  const changes = composeChanges(revisions.map((revision) => revision.changes), first.lengthBefore)
  const count = layer.annotations.length
  const positions = new Float64Array(count * 2)
  const assocs = new Int8Array(count * 2) as unknown as Assoc[]
  layer.annotations.forEach((annotation, index) => {
    positions[2 * index] = annotation.start
    assocs[2 * index] = 1
    positions[2 * index + 1] = annotation.end
    assocs[2 * index + 1] = -1
  })
  const mapped = mapPositions(changes, positions, assocs)
  let spans = 0
  layer.annotations.forEach((annotation, index) => {
    if ((mapped[2 * index] as number) >= (mapped[2 * index + 1] as number)) return
    spans++
    countsByTag[annotation.tag] = (countsByTag[annotation.tag] ?? 0) + 1
  })
  return { spans, countsByTag }
}
