// The window's last few layers as unpacked, to give again when the same layer arrives again.
// Switching back to a 5 MB document made its 88,000 spans objects once more (and the garbage of
// the previous copy for the next GCs), though main sent exactly what it sent before. A layer
// arriving packed exactly as a kept one, on the same text, gets the kept objects back: they are
// never changed in place (a session replaces an annotation, it does not edit it), so they can
// serve again. Being the same array also lets a session take over the span index a previous
// session built from it and left untouched (document-session.svelte.ts).
import type { Annotation } from './model'
import type { PackedAnnotations } from './packed-annotations'
import type { LayerColumns } from './layer-columns'
import { keepNewestFirst } from '../core/newest-first'

/** A layer as the window holds it: objects, or (a long one) columns (layer-columns.ts). */
export type HeldLayer = Annotation[] | LayerColumns

interface KeptLayer {
  packed: PackedAnnotations
  text: string
  layer: HeldLayer
}

/** Back and forth between two documents, each kept. */
const LAYERS_KEPT = 2

const kept: KeptLayer[] = []

/**
 * The annotations and text kept for a layer packed exactly as `packed` on a text equal to
 * `text`, or null. The kept text comes back too, so the window keeps one copy of a long text,
 * not the one its kept spans were cut from and the one just decoded.
 */
export function recentLayer(packed: PackedAnnotations, text: string): { layer: HeldLayer; text: string } | null {
  const at = kept.findIndex((layer) => samePacking(layer.packed, packed) && layer.text === text)
  if (at < 0) return null
  const [layer] = kept.splice(at, 1) as [KeptLayer]
  kept.unshift(layer)
  return { layer: layer.layer, text: layer.text }
}

/** Keeps a layer just unpacked (the oldest kept goes). */
export function keepRecentLayer(packed: PackedAnnotations, text: string, layer: HeldLayer): void {
  keepNewestFirst(kept, { packed, text, layer }, LAYERS_KEPT)
}

function samePacking(a: PackedAnnotations, b: PackedAnnotations): boolean {
  if (a === b) return true
  if (a.format !== b.format || a.count !== b.count || a.ids !== b.ids || a.dateBase !== b.dateBase || a.columns.length !== b.columns.length) return false
  if (a.values.length !== b.values.length || a.values.some((value, index) => value !== b.values[index])) return false
  // The same array when the frame's columns were the same bytes (content-frame.ts).
  if (a.columns !== b.columns) for (let index = 0; index < a.columns.length; index++) if (a.columns[index] !== b.columns[index]) return false
  // Few and small but for a text just edited (every moved span flagged): compared as JSON.
  return JSON.stringify([a.texts, a.notes, a.textChecks]) === JSON.stringify([b.texts, b.notes, b.textChecks])
}
