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
      this.delete(path)
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
   * document opens would otherwise each parse the same 30 MB file at once. The layer read is kept
   * (as parsed, before placing on the text); `stamp` must be taken before the read starts.
   */
  readShared(path: string, stamp: FileStamp): Promise<LayerRead | null> {
    const underWay = this.readUnderWay(path, stamp)
    if (underWay) return underWay
    const read = readLayerFromDisk(path).then((outcome) => {
      if (outcome) this.set(path, stamp, outcome.layer)
      return outcome
    })
    const entry = { stamp: { ...stamp }, read }
    this.#reading.set(path, entry)
    const done = (): void => {
      if (this.#reading.get(path) === entry) this.#reading.delete(path)
    }
    read.then(done, done)
    return read
  }

  /** The read of `path` under way at this stamp, if there is one (readShared). */
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

  delete(path: string): void {
    const entry = this.#entries.get(path)
    if (!entry) return
    this.#entries.delete(path)
    this.#annotations -= entry.layer.annotations.length
  }

  clear(): void {
    this.#entries.clear()
    this.#annotations = 0
  }
}

/** The one cache the layer list, getLayer and agreement share (entries are keyed by absolute path). */
export const parsedLayers = new ParsedLayerCache()
