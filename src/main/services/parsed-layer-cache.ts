// Annotation files parsed recently, so an unchanged file is parsed and validated once. The
// layer list parses every colleague's file of a document (a 5 MB document's layer is a 30 MB
// file: about a second of JSON and schema checks); comparing those layers (getLayer) or
// measuring their agreement right after would otherwise parse the same files again.
//
// An entry is used only while the file's size and modification time are what they were when it
// was parsed (as for the layer summaries), and the cache holds a bounded number of annotations,
// least recently used dropped first, so it never grows with the project. Cached layers are
// shared: callers read them and copy what they hand out, never change them.
import type { AnnotationLayer } from '../../shared/model'
import { layerStamp, readLayerFromDisk, sameLayerStamp, type LayerRead, type LayerStamp } from '../store/layer-on-disk'

/** A layer on disk is its file and its journal: an entry is used while neither changed. */
export type FileStamp = LayerStamp

interface Entry {
  stamp: FileStamp
  layer: AnnotationLayer
}

/** About three layers of a 5 MB document (88,000 spans each), some 100 MB of memory at most. */
const DEFAULT_MAX_ANNOTATIONS = 300_000

export class ParsedLayerCache {
  /** In use order: the least recently used first (a Map keeps insertion order). */
  readonly #entries = new Map<string, Entry>()
  #annotations = 0
  /** Reads of files under way, so a second reader of the same file waits for the first. */
  readonly #reading = new Map<string, { stamp: FileStamp; read: Promise<LayerRead | null> }>()

  constructor(readonly maxAnnotations = DEFAULT_MAX_ANNOTATIONS) {}

  /** The layer parsed from `path` when the file still has this size and modification time. */
  get(path: string, stamp: FileStamp): AnnotationLayer | undefined {
    const entry = this.#entries.get(path)
    if (!entry) return undefined
    if (!sameLayerStamp(entry.stamp, stamp)) {
      // Only the stale entry: a read of the file as it is now may be under way.
      this.#forget(path)
      return undefined
    }
    this.#entries.delete(path)
    this.#entries.set(path, entry)
    return entry.layer
  }

  /** The layer parsed from `path` if it is cached and the file is unchanged (a stat of the file and of its journal). */
  async getIfUnchanged(path: string): Promise<AnnotationLayer | undefined> {
    if (!this.#entries.has(path)) return undefined
    try {
      return this.get(path, await layerStamp(path))
    } catch {
      this.delete(path)
      return undefined
    }
  }

  /**
   * The file read from disk with its journal replayed, sharing a read of the same file at the same
   * stamp already under way: the layer list, getLayer and a document's agreement asked for as the
   * document opens would otherwise each parse the same 30 MB file at once. Each reader checks what
   * it got and keeps it (set) as it would its own parse: `get` never gives a read unchecked.
   * `stamp` must be taken before the read starts.
   */
  readShared(path: string, stamp: FileStamp): Promise<LayerRead | null> {
    const underWay = this.readUnderWay(path, stamp)
    if (underWay) return underWay
    const read = readLayerFromDisk(path)
    const entry = { stamp: { ...stamp }, read }
    this.#reading.set(path, entry)
    // A read that failed is no one's to wait for. One that succeeded stays until its reader keeps
    // (set) or drops (delete) what it made of it: between the read and that, another reader
    // would otherwise find neither and parse the file again.
    read.catch(() => {
      if (this.#reading.get(path) === entry) this.#reading.delete(path)
    })
    return read
  }

  /** The read of `path` at this stamp under way, or done and not yet kept or dropped by its reader (readShared). */
  readUnderWay(path: string, stamp: FileStamp): Promise<LayerRead | null> | undefined {
    const entry = this.#reading.get(path)
    return entry && sameLayerStamp(entry.stamp, stamp) ? entry.read : undefined
  }

  has(path: string): boolean {
    return this.#entries.has(path)
  }

  /** Remembers a layer parsed and checked from a file with this size and modification time. */
  set(path: string, stamp: FileStamp, layer: AnnotationLayer): void {
    this.delete(path)
    const size = layer.annotations.length
    if (size > this.maxAnnotations) return
    this.#entries.set(path, { stamp: { ...stamp }, layer })
    this.#annotations += size
    for (const [oldest, entry] of this.#entries) {
      if (this.#annotations <= this.maxAnnotations) break
      this.#entries.delete(oldest)
      this.#annotations -= entry.layer.annotations.length
    }
  }

  /** Forgets the file: its layer, and a read of it waiting for its reader. */
  delete(path: string): void {
    this.#reading.delete(path)
    this.#forget(path)
  }

  #forget(path: string): void {
    const entry = this.#entries.get(path)
    if (!entry) return
    this.#entries.delete(path)
    this.#annotations -= entry.layer.annotations.length
  }

  clear(): void {
    this.#reading.clear()
    this.#entries.clear()
    this.#annotations = 0
  }
}

/** The one cache the layer list, getLayer and agreement share (entries are keyed by absolute path). */
export const parsedLayers = new ParsedLayerCache()
