// Values that many document index entries have alike, kept once: a layer's file name, annotator
// and status (a project has few), its counts by tag (an imported corpus has few different ones)
// and its time of change (the documents of one import batch share a handful). Nothing changes an
// entry's layer in place (an entry is replaced whole), so counts are frozen and shared, and so
// are whole lists of layers. A string is copied once when kept: `basename` or JSON.parse may
// give a slice of a longer string, which would keep the whole of it.
import type { IndexedLayer } from '../../core/document-index/entry'

const SHARED_LIMIT = 10_000

const strings = new Map<string, string>()
const countsByTagSeen = new Map<string, Readonly<Record<string, number>>>()
let lastTime: string | null = null

/** A layer's file name, annotator or status: one string for every entry that has it. */
export function sharedName(name: string): string {
  let kept = strings.get(name)
  if (kept === undefined) {
    if (strings.size >= SHARED_LIMIT) strings.clear()
    kept = Buffer.from(name, 'utf8').toString('utf8')
    strings.set(kept, kept)
  }
  return kept
}

export function sharedCounts(countsByTag: Readonly<Record<string, number>>): Record<string, number> {
  const key = JSON.stringify(countsByTag)
  let kept = countsByTagSeen.get(key)
  if (kept === undefined) {
    if (countsByTagSeen.size >= SHARED_LIMIT) countsByTagSeen.clear()
    kept = Object.freeze({ ...countsByTag })
    countsByTagSeen.set(key, kept)
  }
  return kept as Record<string, number>
}

/** A layer's time of change: the same string as the last one asked for when equal (entries come in the order they were made). */
export function sharedTime(time: string | null): string | null {
  if (time === null) return null
  if (time !== lastTime) lastTime = time
  return lastTime
}

let lastLayers: IndexedLayer[] = []

/**
 * An entry's layers: the array of the entry before when its layers are the same (the documents
 * of an import batch have equal layers but for their names). Entries' layers are only read, never
 * changed in place (an entry is replaced whole).
 */
export function sharedLayers(layers: IndexedLayer[]): IndexedLayer[] {
  if (layers.length !== lastLayers.length || !layers.every((layer, position) => sameLayer(layer, lastLayers[position] as IndexedLayer))) lastLayers = layers
  return lastLayers
}

/** Equal in every field; counts compared as the shared objects they are (sharedCounts). */
function sameLayer(a: IndexedLayer, b: IndexedLayer): boolean {
  return (
    a.file === b.file &&
    a.annotator === b.annotator &&
    a.status === b.status &&
    a.spans === b.spans &&
    a.countsByTag === b.countsByTag &&
    a.updatedAt === b.updatedAt &&
    a.problem === undefined &&
    b.problem === undefined
  )
}
