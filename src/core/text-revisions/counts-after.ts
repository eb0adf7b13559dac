// What a layer's summary needs after revisions (how many spans, how many of each tag) without
// mapping the layer: a span survives an edit unless the edit deletes its whole text, which mapping
// its two ends says (mapRanges). Revisions with an undo among them can bring lost
// spans back; those take the full mapping (mapLayerForward), and this answers null.
import type { AnnotationLayer, TextRevision } from '../../shared/model'
import { changeDescOf, composeChanges } from '../text-edit/change-set'
import { mapRanges } from '../text-edit/range-mapping'

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
  const mapped = mapRanges(changeDescOf(changes, first.lengthBefore), layer.annotations)
  let spans = 0
  layer.annotations.forEach((annotation, index) => {
    if ((mapped[2 * index] as number) >= (mapped[2 * index + 1] as number)) return
    spans++
    countsByTag[annotation.tag] = (countsByTag[annotation.tag] ?? 0) + 1
  })
  return { spans, countsByTag }
}
