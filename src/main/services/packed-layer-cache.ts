// A layer's annotations in their packed form (src/shared/packed-annotations.ts), kept for the
// layer as it was when packed: opening the same document again, or switching back to it, sends
// what was packed then instead of packing a 5 MB document's 88,000 spans again, which was most
// of main's part of an opening. The spans are packed in the span index's order (a stored layer
// is not always: same-start pairs may be stored shorter first), so the window, which needs them
// in that order, never sorts a long layer before its first paint; main sorts once per revision.
import type { Annotation } from '../../shared/model'
import { packAnnotations, type PackedAnnotations } from '../../shared/packed-annotations'
import { inIndexOrder } from '../../core/span-index'

interface PackedLayer {
  annotations: readonly Annotation[]
  revision: number
  text: string
  packed: PackedAnnotations
}

/** The layers opened last; one 5 MB document's packing holds a few MB. */
const LAYERS_KEPT = 4

export class PackedLayerCache {
  readonly #layers = new Map<string, PackedLayer>()

  /**
   * `annotations` packed against `text`, in index order. A layer changes its annotations in place and counts
   * each change in its revision, so the array and the revision together say the layer is as it was.
   */
  packed(key: string, annotations: readonly Annotation[], revision: number, text: string): PackedAnnotations {
    const kept = this.#layers.get(key)
    this.#layers.delete(key)
    const fresh = kept !== undefined && kept.annotations === annotations && kept.revision === revision && kept.text === text
    const layer = fresh ? kept : { annotations, revision, text, packed: packAnnotations(inIndexOrder(annotations), text) }
    this.#layers.set(key, layer)
    const oldest = this.#layers.keys().next().value
    if (this.#layers.size > LAYERS_KEPT && oldest !== undefined) this.#layers.delete(oldest)
    return layer.packed
  }
}
