// The document index file as tests see it: the header of the file Quire writes (schema version
// 3), and an index as Quire's schema version 2 wrote it (JSON columns, read by
// src/core/document-index/columns.ts): the tests of reading an older index need one, and Quire
// itself now writes version 3. Kept as it was written, not to be changed with the format.
import { readFile, writeFile } from 'node:fs/promises'
import type { QuireErrorInfo } from '../../src/shared/api'
import { StringTable } from '../../src/shared/string-table'
import type { DocumentIndexEntry } from '../../src/core/document-index/entry'
import { NO_HASH } from '../../src/core/document-index/columns'
import { DOCUMENT_INDEX_FORMAT, indexFileHeader } from '../../src/main/store/document-index-file'

export async function writeVersion2Index(path: string, entries: readonly DocumentIndexEntry[], closed: boolean): Promise<void> {
  const pieces = [`{"format":"${DOCUMENT_INDEX_FORMAT}","schemaVersion":2,"closed":${closed},"documents":{\n`, ...columnsJsonPieces(entries), '}}\n']
  await writeFile(path, pieces.join(''))
}

/** Entries per piece of a column: the index of 100,000 documents is never one string, nor its columns whole arrays. */
const ENTRIES_PER_PIECE = 1000

/**
 * The columns of `entries` (in their order) as the JSON text of one object, in pieces of a
 * thousand entries. The table of strings comes last, once every layer has been written.
 */
function* columnsJsonPieces(entries: readonly DocumentIndexEntry[]): Generator<string> {
  const strings = new StringTable()
  const interned = (value: string): number => strings.index(value)
  const pieces = function* (name: string, value: (entry: DocumentIndexEntry) => string | number | null): Generator<string> {
    yield `${JSON.stringify(name)}:[`
    for (let start = 0; start < entries.length; start += ENTRIES_PER_PIECE) {
      const values = entries.slice(start, start + ENTRIES_PER_PIECE).map((entry) => JSON.stringify(value(entry)))
      yield `${start === 0 ? '' : ','}${values.join(',')}`
    }
    yield '],\n'
  }
  yield `"count":${entries.length},\n`
  yield* pieces('ids', (entry) => entry.id)
  yield* pieces('names', (entry) => entry.name)
  yield* pieces('sizeBytes', (entry) => entry.sizeBytes)
  yield* pieces('lengths', (entry) => entry.length)
  yield* pieces('stamps', (entry) => entry.stamp)
  yield* pieces('folders', (entry) => entry.folders ?? null)
  yield '"sha256":"'
  for (let start = 0; start < entries.length; start += ENTRIES_PER_PIECE) {
    yield entries
      .slice(start, start + ENTRIES_PER_PIECE)
      .map((entry) => entry.sha256 ?? NO_HASH)
      .join('')
  }
  yield '",\n'
  const problems: Record<number, QuireErrorInfo> = {}
  const layerProblems: Record<number, QuireErrorInfo> = {}
  const updatedAt: (string | null)[] = []
  // The layers' integers, a document at a time (every layer's updatedAt kept for its own column).
  yield '"layers":['
  for (let start = 0; start < entries.length; start += ENTRIES_PER_PIECE) {
    const numbers: number[] = []
    for (let position = start; position < Math.min(entries.length, start + ENTRIES_PER_PIECE); position++) {
      const entry = entries[position] as DocumentIndexEntry
      if (entry.problem) problems[position] = entry.problem
      numbers.push(entry.layers.length)
      for (const layer of entry.layers) {
        if (layer.problem) layerProblems[updatedAt.length] = layer.problem
        updatedAt.push(layer.updatedAt)
        const tags = Object.entries(layer.countsByTag)
        numbers.push(interned(layer.file), interned(layer.annotator), interned(layer.status), layer.spans, tags.length)
        for (const [tag, count] of tags) numbers.push(interned(tag), count)
      }
    }
    yield `${start === 0 ? '' : ','}${numbers.join(',')}`
  }
  yield '],\n'
  yield `"updatedAt":${JSON.stringify(updatedAt)},\n"problems":${JSON.stringify(problems)},\n"layerProblems":${JSON.stringify(layerProblems)},\n"strings":${JSON.stringify(strings.values)}`
}


/** The header of the version 3 index file at `path` (what a test asserts about the file as written). */
export async function readIndexHeader(path: string): Promise<Record<string, unknown>> {
  const read = indexFileHeader(await readFile(path))
  if (typeof read === 'string') throw new Error(`${path} ${read}`)
  return read.header as Record<string, unknown>
}
