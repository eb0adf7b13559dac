// The document index's entries made from its columns, however stored: the JSON columns of schema
// version 2 (read here; no longer written) or the binary columns of version 3 (binary-columns.ts,
// which decodes them into the same shape). Columns are one array per field instead of one
// object per document. At 100,000 documents the index of objects (version 1) was a 43 MB
// JSON text whose parse made ~700,000 objects and half of `quire stats`' time; in columns the
// same index is well under half the size, its numbers and repeated strings (annotators, layer
// files, tags, statuses) are small integers into one table of strings, the hashes one string, and
// the entries are made from the columns in one loop, each field checked as it is taken.
//
// The layers of every document are one flat array of integers, document after document:
//   layer count, then per layer: file, annotator, status (indexes into `strings`), spans,
//   tag count, then per tag: tag (index into `strings`), count.
// A layer's updatedAt is in `updatedAt` at the layer's position among all layers (null when
// none); problems are rare and kept by position (`problems` by document, `layerProblems` by layer).
// The other columns: count, ids, names, sizeBytes, lengths, stamps, folders (null: none), sha256
// (every hash in hex, one after another; NO_HASH where an entry has none) and strings.
import type { QuireErrorInfo } from '../../shared/api'
import { DOCUMENT_STATUSES, type DocumentStatus } from '../../shared/model'
import type { DocumentIndexEntry, IndexedLayer } from './entry'
import { isCount, isObject, isProblem, isStringArray } from '../value-checks'
import { runToEnd } from '../stepwise'

export const HASH_LENGTH = 64
export const NO_HASH = '-'.repeat(HASH_LENGTH)
/**
 * The hash column holds hex digits and NO_HASH's dashes only: checked once for the whole column,
 * after which a hash with a dash must be NO_HASH (a regular expression per hash was a fifth of
 * making the entries).
 */
const NOT_HEX_OR_DASH = /[^0-9a-f-]/
const STATUSES = new Set<string>(DOCUMENT_STATUSES)

/** Why the entry at `position` refused the index (made only then: a string per entry cost more than the checks). */
const notASummary = (position: number): string => `entry ${position + 1} is not a document summary`

/**
 * The columns of an index, however they were stored: JSON arrays (version 2) or typed arrays and
 * one decoded text (version 3, binary-columns.ts). Values are checked as the entries are made.
 */
export interface IndexColumns {
  count: number
  ids: ArrayLike<unknown>
  names: ArrayLike<unknown>
  sizeBytes: ArrayLike<unknown>
  lengths: ArrayLike<unknown>
  stamps: ArrayLike<unknown>
  /** null where an entry has none. */
  folders: ArrayLike<unknown>
  /**
   * Every hash in hex, one after another, already checked to be hex digits and NO_HASH's dashes
   * only; undefined: no entry has one.
   */
  sha256: string | undefined
  /** Non-zero where an entry has no hash, for hashes that have no NO_HASH (binary columns). */
  hashAbsent?: ArrayLike<number>
  strings: readonly string[]
  layers: ArrayLike<unknown>
  /** By the layer's position among all layers; null where a layer has none. */
  updatedAt: ArrayLike<unknown>
  problems: Record<string, QuireErrorInfo>
  layerProblems: Record<string, QuireErrorInfo>
}

/**
 * The entries the JSON columns of version 2 hold, or why they cannot be trusted (the first thing
 * wrong). A hash column that is absent means the entries carry none (as in version 1 indexes
 * written before the hash was kept).
 */
export function entriesOfColumns(value: Record<string, unknown>): DocumentIndexEntry[] | string {
  const { count, ids, names, sizeBytes, lengths, sha256, stamps, folders, strings, layers, updatedAt, problems, layerProblems } = value
  if (!isCount(count)) return 'it has no count of documents'
  for (const [name, column] of Object.entries({ ids, names, sizeBytes, lengths, stamps, folders })) {
    if (!Array.isArray(column) || column.length !== count) return `its column "${name}" does not hold ${count} values`
  }
  if (sha256 !== undefined && (typeof sha256 !== 'string' || NOT_HEX_OR_DASH.test(sha256))) return 'its column "sha256" does not hold a hash per document'
  if (!isStringArray(strings)) return 'its table of strings is not a list of strings'
  if (!Array.isArray(layers) || !Array.isArray(updatedAt)) return 'it has no layers'
  if (!isObject(problems) || !isObject(layerProblems)) return 'its problems are not listed by position'
  return entriesOfIndexColumns({
    count,
    ids: ids as unknown[],
    names: names as unknown[],
    sizeBytes: sizeBytes as unknown[],
    lengths: lengths as unknown[],
    stamps: stamps as unknown[],
    folders: folders as unknown[],
    sha256,
    strings,
    layers,
    updatedAt,
    problems: problems as Record<string, QuireErrorInfo>,
    layerProblems: layerProblems as Record<string, QuireErrorInfo>
  })
}

/** The entries `columns` hold, or why they cannot be trusted (the first thing wrong), made in one pass. */
export function entriesOfIndexColumns(columns: IndexColumns): DocumentIndexEntry[] | string {
  return runToEnd(entriesOfIndexColumnsInSlices(columns, Number.POSITIVE_INFINITY))
}

/**
 * The same, pausing (yielding) after every `sliceSize` entries: a server making 100,000 entries
 * in one go kept every other request waiting, the window's own scripts among them.
 */
export function* entriesOfIndexColumnsInSlices(columns: IndexColumns, sliceSize: number): Generator<void, DocumentIndexEntry[] | string> {
  const { count, sha256, problems, layerProblems } = columns
  for (const [name, column] of Object.entries({ ids: columns.ids, names: columns.names, sizeBytes: columns.sizeBytes, lengths: columns.lengths, stamps: columns.stamps, folders: columns.folders })) {
    if (column.length !== count) return `its column "${name}" does not hold ${count} values`
  }
  if (sha256 !== undefined && sha256.length !== count * HASH_LENGTH) return 'its column "sha256" does not hold a hash per document'
  const { hashAbsent } = columns
  if (!Object.values(problems).every(isProblem)) return 'its documents’ problems are not problems'
  if (!Object.values(layerProblems).every(isProblem)) return 'its layers’ problems are not problems'
  const idColumn = columns.ids
  const nameColumn = columns.names
  const sizeColumn = columns.sizeBytes
  const lengthColumn = columns.lengths
  const stampColumn = columns.stamps
  const folderColumn = columns.folders
  const table = columns.strings
  const layerColumn = columns.layers
  const updatedColumn = columns.updatedAt
  const entries: DocumentIndexEntry[] = new Array(count)
  let at = 0
  let layerPosition = 0
  // A layer with the same counts by tag as the layer before shares its (frozen) object.
  let previousCounts: Record<string, number> | null = null
  let previousCountsAt = 0
  let previousTagCount = 0
  // An entry whose layers equal the entry before's shares its list (the documents of an import
  // batch mostly have equal layers): 100,000 lists and layer objects made and held were a third
  // of making the entries, and most of the garbage the first saves after opening collected.
  let previousLayers: IndexedLayer[] = []
  const stringAt = (): string | undefined => {
    const index = layerColumn[at++]
    return typeof index === 'number' ? table[index] : undefined
  }
  let sliceEnd = sliceSize
  for (let position = 0; position < count; position++) {
    if (position === sliceEnd) {
      yield
      sliceEnd += sliceSize
    }
    const id = idColumn[position]
    const name = nameColumn[position]
    const size = sizeColumn[position]
    const length = lengthColumn[position]
    const stamp = stampColumn[position]
    const folderStamp = folderColumn[position]
    if (typeof id !== 'string' || typeof name !== 'string' || typeof stamp !== 'string' || !isCount(size) || !isCount(length)) return notASummary(position)
    if (folderStamp !== null && typeof folderStamp !== 'string') return notASummary(position)
    const layerCount = layerColumn[at++]
    if (!isCount(layerCount)) return notASummary(position)
    // Made only when a layer differs from the entry before's, and filled in place (an array
    // grown by push from empty has room for 17 layers).
    let entryLayers: IndexedLayer[] | null = layerCount === previousLayers.length ? null : new Array<IndexedLayer>(layerCount)
    for (let layerIndex = 0; layerIndex < layerCount; layerIndex++) {
      const file = stringAt()
      const annotator = stringAt()
      const status = stringAt()
      const spans = layerColumn[at++]
      const tagCount = layerColumn[at++]
      const updated = updatedColumn[layerPosition]
      if (file === undefined || annotator === undefined || status === undefined || !STATUSES.has(status) || !isCount(spans) || !isCount(tagCount)) return notASummary(position)
      if (updated === undefined || (updated !== null && typeof updated !== 'string')) return notASummary(position)
      let countsByTag: Record<string, number>
      if (previousCounts !== null && sameTagCounts(layerColumn, previousCountsAt, at, tagCount, previousTagCount)) {
        countsByTag = previousCounts
        at += 2 * tagCount
      } else {
        const countsAt = at
        const made: Record<string, number> = {}
        for (let tagIndex = 0; tagIndex < tagCount; tagIndex++) {
          const tag = stringAt()
          const tagSpans = layerColumn[at++]
          if (tag === undefined || !isCount(tagSpans)) return notASummary(position)
          made[tag] = tagSpans
        }
        countsByTag = Object.freeze(made) as Record<string, number>
        previousCounts = countsByTag
        previousCountsAt = countsAt
        previousTagCount = tagCount
      }
      const problem = layerProblems[layerPosition]
      if (entryLayers === null) {
        const previous = previousLayers[layerIndex] as IndexedLayer
        const same = problem === undefined && previous.problem === undefined && previous.file === file && previous.annotator === annotator && previous.status === status && previous.spans === spans && previous.countsByTag === countsByTag && previous.updatedAt === updated
        if (!same) {
          entryLayers = new Array<IndexedLayer>(layerCount)
          for (let earlier = 0; earlier < layerIndex; earlier++) entryLayers[earlier] = previousLayers[earlier] as IndexedLayer
        }
      }
      if (entryLayers !== null) {
        const layer: IndexedLayer = { file, annotator, status: status as DocumentStatus, spans, countsByTag, updatedAt: updated }
        if (problem !== undefined) layer.problem = problem
        entryLayers[layerIndex] = layer
      }
      layerPosition++
    }
    if (entryLayers !== null) previousLayers = entryLayers
    let hash: string | undefined
    if (typeof sha256 === 'string') {
      hash = sha256.slice(position * HASH_LENGTH, (position + 1) * HASH_LENGTH)
      if (hash === NO_HASH || (hashAbsent !== undefined && hashAbsent[position] !== 0)) hash = undefined
      else if (hash.includes('-')) return notASummary(position)
    }
    const entry = entryOf(id, name, size, length, previousLayers, stamp, folderStamp, hash)
    const problem = problems[position]
    if (problem !== undefined) entry.problem = problem
    entries[position] = entry
  }
  if (at !== layerColumn.length || layerPosition !== updatedColumn.length) return 'its layers do not add up to its documents'
  return entries
}

/**
 * An entry with its optional fields in its literal: fields added after it went to a property
 * array of the entry's own (an allocation per entry); absent ones stay absent, not undefined.
 */
function entryOf(id: string, name: string, sizeBytes: number, length: number, layers: IndexedLayer[], stamp: string, folders: string | null, sha256: string | undefined): DocumentIndexEntry {
  if (folders === null) return sha256 === undefined ? { id, name, sizeBytes, length, layers, stamp } : { id, name, sizeBytes, length, layers, sha256, stamp }
  return sha256 === undefined ? { id, name, sizeBytes, length, layers, stamp, folders } : { id, name, sizeBytes, length, layers, sha256, stamp, folders }
}

/** Whether the `tagCount` tag-and-count pairs at `at` are those at `previousAt` (already checked). */
function sameTagCounts(column: ArrayLike<unknown>, previousAt: number, at: number, tagCount: number, previousTagCount: number): boolean {
  if (tagCount !== previousTagCount) return false
  for (let offset = 0; offset < 2 * tagCount; offset++) if (column[at + offset] !== column[previousAt + offset]) return false
  return true
}
