// What a document's next session can take from the previous one instead of making it again:
// switching back to a 5 MB document made its 25,000 blocks and built its 88,000-span index
// once more, though neither its text nor its layer had changed.
import type { LayerSpans } from '../../../../shared/layer-spans'
import { runToEnd } from '../../../../core/stepwise'
import { keepNewestFirst } from '../../../../core/newest-first'
import { splitIntoBlocksInSteps, type TextBlock } from '../../../../core/text-blocks'

/**
 * Layers whose sessions were closed without a change, by what they were opened from (the
 * layer's array, or its columns, as it arrived: kept by recent-layers.ts while recent, so the
 * same one arrives again when the document is opened again unchanged): the next session of
 * that layer takes it over instead of making it again (a long layer's ids learnt, a short
 * layer's index built). Taken, not shared: only one live session may change a layer.
 */
const untouchedLayers = new WeakMap<object, LayerSpans>()

/** A closing session's layer, opened from `openedFrom` and not changed since. */
export function keepUntouchedLayer(openedFrom: object, layer: LayerSpans): void {
  untouchedLayers.set(openedFrom, layer)
}

/** The layer kept for `openedFrom`, taken (a later call gets nothing). */
export function takeUntouchedLayer(openedFrom: object): LayerSpans | null {
  const layer = untouchedLayers.get(openedFrom)
  untouchedLayers.delete(openedFrom)
  return layer?.unchangedSinceLoad ? layer : null
}

/** Back and forth between two documents, each kept. */
const TEXTS_KEPT = 2
const recentBlocks: { text: string; blocks: readonly TextBlock[] }[] = []

/**
 * The text's blocks, from a recent session of the same text when there was one (cutting a 5 MB
 * text: 12-19 ms of CPU in Node, 25,000 objects). Blocks are only read, never changed, so
 * sessions can share them. The window keeps one string for a text opened again
 * (recent-layers.ts), so the comparison is mostly of one string with itself.
 */
export function blocksOfText(text: string): readonly TextBlock[] {
  return runToEnd(blocksOfTextInSteps(text))
}

/**
 * blocksOfText a slice at a time. A long document's blocks are cut this way before its session
 * is made (app-state.svelte.ts), so making the session takes them from here instead of cutting
 * 25,000 blocks in the task that makes it, where a scavenge landing made the opening's one
 * long task.
 */
export function* blocksOfTextInSteps(text: string): Generator<void, readonly TextBlock[]> {
  const at = recentBlocks.findIndex((recent) => recent.text === text)
  const entry = at >= 0 ? (recentBlocks.splice(at, 1)[0] as { text: string; blocks: readonly TextBlock[] }) : { text, blocks: yield* splitIntoBlocksInSteps(text) }
  keepNewestFirst(recentBlocks, entry, TEXTS_KEPT)
  return entry.blocks
}
