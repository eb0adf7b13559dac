// The project's lexicon: every text tagged somewhere, by anyone (every layer of every document,
// the gold layer too), with its tags and who tagged it how often. Suggestions come from it.
//
// It is kept as the sum of its sources (one per layer file): a source that changes is
// subtracted and added again, so a save costs the size of that one layer, never a re-read of
// the project.
import { CURATION_ANNOTATOR } from '../../shared/model'
import { WORD_CHAR } from '../search/find-matches'

/** Texts longer than this are not names: never suggested. */
export const MAX_LEXICON_TEXT = 200

/** What a layer gives the lexicon: its spans' texts and tags. */
export interface TaggedText {
  text: string
  tag: string
}

export interface LexiconTagging {
  tag: string
  /** Spans of this text with this tag, over the project. */
  count: number
  /** Spans per annotator ('curation' is the gold layer). */
  byAnnotator: ReadonlyMap<string, number>
}

export interface LexiconEntry {
  text: string
  /** Most frequent first (then tagged by more annotators, then by tag id): the first is suggested. */
  taggings: LexiconTagging[]
}

const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/u
const SPACE_AT_EDGE = /^\s|\s$/u

/**
 * The text a span gives the lexicon, or null when it is not worth suggesting: shorter than two
 * characters, without a letter or digit, longer than MAX_LEXICON_TEXT, across a line break
 * (a match then never splits a CRLF), or with half a surrogate pair at an edge. Spaces at the
 * edges are left out (a span "Baku " is the name "Baku").
 */
export function lexiconText(spanText: string): string | null {
  const text = SPACE_AT_EDGE.test(spanText) ? spanText.trim() : spanText
  if (text.length < 2 || text.length > MAX_LEXICON_TEXT || LINE_BREAK.test(text)) return null
  if ([...text].length < 2 || !WORD_CHAR.test(text)) return null
  const first = text.charCodeAt(0)
  const last = text.charCodeAt(text.length - 1)
  if ((first >= 0xdc00 && first <= 0xdfff) || (last >= 0xd800 && last <= 0xdbff)) return null
  return text
}

/** One text with one tag in one source, and how many spans of it. */
export interface SourceTagging {
  tag: string
  text: string
  spans: number
}

interface Source {
  annotator: string
  /** `${tag}\u0000${text}` → spans. */
  counts: Map<string, number>
}

export class Lexicon {
  /** text → tag → annotator → spans. */
  readonly #entries = new Map<string, Map<string, Map<string, number>>>()
  readonly #sources = new Map<string, Source>()
  #version = 0

  /** Changes whenever the lexicon does: what was computed from it is stale once it moves. */
  get version(): number {
    return this.#version
  }

  /** Distinct texts. */
  get size(): number {
    return this.#entries.size
  }

  hasSource(sourceId: string): boolean {
    return this.#sources.has(sourceId)
  }

  sourceIds(): string[] {
    return [...this.#sources.keys()]
  }

  /** Puts what `sourceId` (a layer) tags now in place of what it tagged before. */
  setSource(sourceId: string, annotator: string, spans: Iterable<TaggedText>): void {
    const counts = new Map<string, number>()
    for (const span of spans) {
      const text = lexiconText(span.text)
      if (text === null) continue
      const key = `${span.tag}\u0000${text}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    this.#put(sourceId, annotator, counts)
  }

  /** Like setSource, from what sourceTaggings gave (a lexicon saved to disk): no layer read. */
  setSourceTaggings(sourceId: string, annotator: string, taggings: Iterable<SourceTagging>): void {
    const counts = new Map<string, number>()
    for (const { tag, text, spans } of taggings) {
      if (lexiconText(text) !== text || tag.includes('\u0000') || !Number.isSafeInteger(spans) || spans < 1) continue
      const key = `${tag}\u0000${text}`
      counts.set(key, (counts.get(key) ?? 0) + spans)
    }
    this.#put(sourceId, annotator, counts)
  }

  /** What `sourceId` gives the lexicon, to be saved and taken back by setSourceTaggings. */
  sourceTaggings(sourceId: string): { annotator: string; taggings: SourceTagging[] } | undefined {
    const source = this.#sources.get(sourceId)
    if (!source) return undefined
    const taggings: SourceTagging[] = []
    for (const [key, spans] of source.counts) {
      const cut = key.indexOf('\u0000')
      taggings.push({ tag: key.slice(0, cut), text: key.slice(cut + 1), spans })
    }
    return { annotator: source.annotator, taggings }
  }

  #put(sourceId: string, annotator: string, counts: Map<string, number>): void {
    const previous = this.#sources.get(sourceId)
    if (previous && previous.annotator === annotator && sameCounts(previous.counts, counts)) return
    if (previous) this.#apply(previous, -1)
    const source = { annotator, counts }
    this.#sources.set(sourceId, source)
    this.#apply(source, 1)
    this.#version++
  }

  /** Forgets a source (a layer removed). */
  removeSource(sourceId: string): void {
    const previous = this.#sources.get(sourceId)
    if (!previous) return
    this.#apply(previous, -1)
    this.#sources.delete(sourceId)
    this.#version++
  }

  entry(text: string): LexiconEntry | undefined {
    const byTag = this.#entries.get(text)
    return byTag ? entryOf(text, byTag) : undefined
  }

  /** Every entry, in no particular order. */
  *entries(): IterableIterator<LexiconEntry> {
    for (const [text, byTag] of this.#entries) yield entryOf(text, byTag)
  }

  #apply(source: Source, sign: 1 | -1): void {
    for (const [key, count] of source.counts) {
      const cut = key.indexOf('\u0000')
      const tag = key.slice(0, cut)
      const text = key.slice(cut + 1)
      let byTag = this.#entries.get(text)
      if (!byTag) {
        if (sign < 0) continue
        byTag = new Map()
        this.#entries.set(text, byTag)
      }
      let byAnnotator = byTag.get(tag)
      if (!byAnnotator) {
        if (sign < 0) continue
        byAnnotator = new Map()
        byTag.set(tag, byAnnotator)
      }
      const next = (byAnnotator.get(source.annotator) ?? 0) + sign * count
      if (next > 0) byAnnotator.set(source.annotator, next)
      else byAnnotator.delete(source.annotator)
      if (byAnnotator.size === 0) byTag.delete(tag)
      if (byTag.size === 0) this.#entries.delete(text)
    }
  }
}

function sameCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false
  for (const [key, count] of a) if (b.get(key) !== count) return false
  return true
}

function entryOf(text: string, byTag: ReadonlyMap<string, ReadonlyMap<string, number>>): LexiconEntry {
  const taggings: LexiconTagging[] = []
  for (const [tag, byAnnotator] of byTag) {
    let count = 0
    for (const spans of byAnnotator.values()) count += spans
    taggings.push({ tag, count, byAnnotator: new Map(byAnnotator) })
  }
  taggings.sort((a, b) => b.count - a.count || b.byAnnotator.size - a.byAnnotator.size || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
  return { text, taggings }
}

/** "once", "twice", "5 times". */
function times(count: number): string {
  return count === 1 ? 'once' : count === 2 ? 'twice' : `${count.toLocaleString('en')} times`
}

function whoName(annotator: string): string {
  return annotator === CURATION_ANNOTATOR ? 'the gold layer' : annotator
}

/** "Leyla", "Leyla and Rashad", "Leyla, Rashad and 2 others": most spans first. */
function who(byAnnotator: ReadonlyMap<string, number>): string {
  const names = [...byAnnotator].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => whoName(name))
  if (names.length <= 2) return names.join(' and ')
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`
  return `${names[0]}, ${names[1]} and ${names.length - 2} others`
}

/**
 * Why an entry is suggested with its first tag, e.g. 'tagged "ISESCO" as Organization 12 times
 * (Leyla and Rashad)'; with several tags, each is named and the choice said.
 */
export function suggestionReason(entry: LexiconEntry, tagLabel: (tagId: string) => string): string {
  const parts = entry.taggings.map((tagging) => `as ${tagLabel(tagging.tag)} ${times(tagging.count)} (${who(tagging.byAnnotator)})`)
  const said = `tagged "${entry.text}" ${parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`}`
  const [chosen, next] = entry.taggings
  if (!chosen || !next) return said
  return chosen.count > next.count
    ? `${said}; suggested as ${tagLabel(chosen.tag)}, the most frequent`
    : `${said}; suggested as ${tagLabel(chosen.tag)}, tagged as often but by more people or first in order: check it`
}
