// The suggestions' lexicon as last known, saved in .quire/ so that opening a large project does
// not read every layer again (at 100,000 documents that took tens of seconds of main's time).
// Like the document index it is a cache, never trusted blindly: each document's part is taken
// only while its annotations/ folder has the same stamp (inode and change time: a layer created,
// removed, renamed or replaced moves it) and each layer the same size and modification time,
// journal included (a file rewritten in place moves those). Anything else is read again from the
// layer; a file that is missing, damaged or from a newer Quire is ignored and written afresh.
//
// Texts, tags and annotators are written once each in tables, and each layer's taggings as
// numbers into them: a corpus repeats the same names across thousands of documents.
import { join } from 'node:path'
import type { SourceTagging } from '../../core/suggestions/lexicon'
import { StringTable } from '../../shared/string-table'
import { isObject, isStringArray } from '../../core/value-checks'
import { writeFileDurably } from './durable-file'
import { readJsonCacheFile } from './json-cache-file'

export const LEXICON_FILE_NAME = 'suggestion-lexicon.json'
export const LEXICON_FORMAT = 'quire-suggestion-lexicon'
export const LEXICON_SCHEMA_VERSION = 1

export interface SavedLayer {
  /** The layer's file name in the document's annotations/ folder. */
  name: string
  /** layerStampText when its taggings were taken. */
  stamp: string
  annotator: string
  taggings: SourceTagging[]
}

export interface SavedDocument {
  /** The annotations/ folder's settled stamp when its layers were listed ('-': there was none). */
  annotationsFolder: string
  layers: SavedLayer[]
}

export type LexiconFileRead = { documents: Map<string, SavedDocument> } | { refused: 'missing' | 'damaged' | 'newer-version'; detail: string }

/** A file name of a layer: no folder, no hidden or temp file. */
const LAYER_FILE_NAME = /^[^./\\][^/\\]*\.json$/

export class LexiconFile {
  readonly path: string

  constructor(localStateDir: string) {
    this.path = join(localStateDir, LEXICON_FILE_NAME)
  }

  async read(): Promise<LexiconFileRead> {
    const file = await readJsonCacheFile(this.path)
    return 'refused' in file ? file : parseLexiconData(file.data, this.path)
  }

  /** Writes `documents` in place of the file (durably: a reader sees the old file or the new one). */
  async write(documents: Iterable<[string, SavedDocument]>): Promise<void> {
    await writeFileDurably(this.path, serialise(documents))
  }
}

export function parseLexiconData(data: unknown, path: string): LexiconFileRead {
  const damaged = (what: string): LexiconFileRead => ({ refused: 'damaged', detail: `${path}: ${what}` })
  if (!isObject(data) || data.format !== LEXICON_FORMAT) return damaged(`not a ${LEXICON_FORMAT} file`)
  if (typeof data.schemaVersion !== 'number' || !Number.isInteger(data.schemaVersion)) return damaged('no schemaVersion')
  if (data.schemaVersion > LEXICON_SCHEMA_VERSION) {
    return { refused: 'newer-version', detail: `${path} is version ${data.schemaVersion}, written by a newer Quire (this one reads ${LEXICON_SCHEMA_VERSION})` }
  }
  const { texts, tags, annotators, documents } = data
  if (!isStringArray(texts) || !isStringArray(tags) || !isStringArray(annotators) || !Array.isArray(documents)) return damaged('tables or documents missing')
  const read = new Map<string, SavedDocument>()
  for (const row of documents as unknown[]) {
    if (!Array.isArray(row) || row.length !== 3) return damaged('a document is not [id, folder stamp, layers]')
    const [id, annotationsFolder, layerRows] = row as unknown[]
    if (typeof id !== 'string' || typeof annotationsFolder !== 'string' || !Array.isArray(layerRows)) return damaged('a document is not [id, folder stamp, layers]')
    const layers: SavedLayer[] = []
    for (const layerRow of layerRows as unknown[]) {
      if (!Array.isArray(layerRow) || layerRow.length !== 4) return damaged(`a layer of ${id} is not [name, stamp, annotator, taggings]`)
      const [name, stamp, annotatorIndex, numbers] = layerRow as unknown[]
      if (typeof name !== 'string' || !LAYER_FILE_NAME.test(name)) return damaged(`a layer of ${id} has no valid file name`)
      if (typeof stamp !== 'string') return damaged(`layer ${name} of ${id} has no stamp`)
      const annotator = typeof annotatorIndex === 'number' ? annotators[annotatorIndex] : undefined
      if (typeof annotator !== 'string') return damaged(`layer ${name} of ${id} names no known annotator`)
      if (!Array.isArray(numbers) || numbers.length % 3 !== 0) return damaged(`layer ${name} of ${id} has no taggings`)
      const taggings: SourceTagging[] = []
      for (let at = 0; at < numbers.length; at += 3) {
        const text = texts[numbers[at] as number]
        const tag = tags[numbers[at + 1] as number]
        const spans = numbers[at + 2] as unknown
        if (typeof text !== 'string' || typeof tag !== 'string' || typeof spans !== 'number') return damaged(`layer ${name} of ${id} has a tagging out of the tables`)
        taggings.push({ text, tag, spans })
      }
      layers.push({ name, stamp, annotator, taggings })
    }
    read.set(id, { annotationsFolder, layers })
  }
  return { documents: read }
}

/** The file's text in pieces (a whole 100,000-document lexicon is never one string). */
function* serialise(documents: Iterable<[string, SavedDocument]>): Generator<string> {
  const texts = new StringTable()
  const tags = new StringTable()
  const annotators = new StringTable()
  const rows: string[] = []
  for (const [id, document] of documents) {
    const layers = document.layers.map((layer) => {
      const numbers: number[] = []
      for (const tagging of layer.taggings) numbers.push(texts.index(tagging.text), tags.index(tagging.tag), tagging.spans)
      return [layer.name, layer.stamp, annotators.index(layer.annotator), numbers]
    })
    rows.push(JSON.stringify([id, document.annotationsFolder, layers]))
  }
  yield `{"format":${JSON.stringify(LEXICON_FORMAT)},"schemaVersion":${LEXICON_SCHEMA_VERSION},`
  yield `"texts":${JSON.stringify(texts.values)},"tags":${JSON.stringify(tags.values)},"annotators":${JSON.stringify(annotators.values)},"documents":[\n`
  for (let at = 0; at < rows.length; at += 1000) yield `${rows.slice(at, at + 1000).join(',\n')}${at + 1000 < rows.length ? ',\n' : ''}`
  yield '\n]}\n'
}
