// What a document's next session can take from the previous one instead of making it again:
// switching back to a 5 MB document made its 25,000 blocks and built its 88,000-span index
// once more, though neither its text nor its layer had changed.
import type { Annotation } from '../../../../shared/model'
import type { SpanIndex } from '../../../../core/span-index'
import type { TagGroups } from '../../../../core/tag-groups'
import { runToEnd } from '../../../../core/stepwise'
import { keepNewestFirst } from '../../../../core/newest-first'
import { splitIntoBlocksInSteps, type TextBlock } from '../../../../core/text-blocks'

/**
 * Indexes of layers whose sessions were closed without a change, by the layer's array as it
 * arrived (kept by recent-layers.ts while recent, so the same array arrives again when the
 * document is opened again unchanged): the next session of that layer takes the index instead
 * of building it again (a 5 MB document's 88,000 spans: about 100 ms in short tasks after its
 * first paint, each competing with the reader's work). Taken, not shared: only one live
 * session may change an index.
 */
const untouchedIndexes = new WeakMap<readonly Annotation[], UntouchedLayer>()

/** A closed session's index and panel groups, neither changed since they were made from the layer. */
export interface UntouchedLayer {
  index: SpanIndex<Annotation>
  /** Changed only with the index (an edit, a saved record), so untouched while it is. */
  tagGroups: TagGroups<Annotation>
}

/** A closing session's index and groups, made from `annotations` and not changed since. */
export function keepUntouchedLayer(annotations: readonly Annotation[], layer: UntouchedLayer): void {
  untouchedIndexes.set(annotations, layer)
}

/** The index and groups kept for `annotations` (the groups a copy: the panel tells groups apart by identity). */
export function takeUntouchedLayer(annotations: readonly Annotation[]): UntouchedLayer | null {
  const layer = untouchedIndexes.get(annotations)
  untouchedIndexes.delete(annotations)
  return layer?.index.unchangedSinceLoad ? { index: layer.index, tagGroups: layer.tagGroups.copy() } : null
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
