// Bench corpora: long texts made by repeating the sample project's paragraphs, and about one
// word-aligned annotation per 60 characters over them (all four tags, some nested, some
// overlapping). Pure and deterministic (seeded), so every run measures the same document.
import { segmentInWindows } from '../src/core/segmentation'
import type { Annotation, Utf16Offset } from '../src/shared/model'

export const DEFAULT_CHARS_PER_ANNOTATION = 60
const TAG_IDS = ['PERSON', 'ORG', 'EVENT', 'PROGRAM'] as const
/** Every Nth multi-word span gets a one-word span nested inside it. */
const NESTED_EVERY = 7
/** Every Nth multi-word span gets a span overlapping its end. */
const OVERLAPPING_EVERY = 11
/** When the generated annotator starts tagging; each span is made a few seconds after the one before. */
const EDITING_STARTED = Date.parse('2026-01-05T09:00:00.000Z')
const DAY_MS = 86_400_000

/**
 * Dates as an editor leaves them: each span made 2–12 s after the last (in the order they are
 * generated, roughly the text's), and one in five changed again within the next 30 days. A layer
 * whose spans all share one date hid what distinct dates cost on the wire (packed-dates.ts).
 */
function editorsClock(seed: number): () => { createdAt: string; updatedAt: string } {
  const random = seededRandom(seed ^ 0xda7e)
  let clock = EDITING_STARTED
  return () => {
    clock += 2_000 + Math.floor(random() * 10_000)
    const createdAt = new Date(clock).toISOString()
    const changedLater = random() < 0.2
    return { createdAt, updatedAt: changedLater ? new Date(clock + Math.floor(random() * 30 * DAY_MS)).toISOString() : createdAt }
  }
}

export interface WordRange {
  start: number
  end: number
}

/** Paragraphs of the sample texts: blank-line separated, inner line breaks kept, trimmed. */
export function paragraphsOf(sources: readonly string[]): string[] {
  const paragraphs: string[] = []
  for (const source of sources) {
    for (const paragraph of source.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
      const lines = paragraph
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
      if (lines.length > 0) paragraphs.push(lines.join('\n'))
    }
  }
  return paragraphs
}

/**
 * Paragraphs repeated in order, separated by blank lines, until the UTF-8 size reaches
 * `targetBytes`; the last paragraph is cut after a whole word so the size lands just under it.
 * Returns the text and where each paragraph copy starts (with its source paragraph).
 */
export function buildCorpusText(
  paragraphs: readonly string[],
  targetBytes: number
): { text: string; placements: { start: number; paragraph: number }[] } {
  if (paragraphs.length === 0) throw new Error('buildCorpusText: no paragraphs to repeat')
  const encoder = new TextEncoder()
  const byteSizes = paragraphs.map((paragraph) => encoder.encode(paragraph).length)
  const separator = '\n\n'
  const parts: string[] = []
  const placements: { start: number; paragraph: number }[] = []
  let bytes = 0
  let length = 0
  for (let copy = 0; ; copy++) {
    const paragraph = copy % paragraphs.length
    const text = paragraphs[paragraph] as string
    const joinBytes = parts.length === 0 ? 0 : separator.length
    const room = targetBytes - bytes - joinBytes
    if (room <= 0) break
    if (joinBytes > 0) {
      parts.push(separator)
      length += separator.length
    }
    const fits = (byteSizes[paragraph] as number) <= room
    const piece = fits ? text : cutToBytes(text, room)
    if (piece === '') {
      // Nothing of the next paragraph fits: drop the dangling separator and stop.
      parts.pop()
      length -= separator.length
      break
    }
    placements.push({ start: length, paragraph })
    parts.push(piece)
    length += piece.length
    bytes += joinBytes + encoder.encode(piece).length
    if (!fits) break
  }
  return { text: parts.join(''), placements }
}

/** The longest prefix of whole words of `text` that fits in `maxBytes` of UTF-8. */
function cutToBytes(text: string, maxBytes: number): string {
  const encoder = new TextEncoder()
  let cut = ''
  for (const match of text.matchAll(/\S+/g)) {
    const candidate = text.slice(0, match.index + match[0].length)
    if (encoder.encode(candidate).length > maxBytes) break
    cut = candidate
  }
  return cut
}

/** Word-like segments (Intl.Segmenter) of one paragraph, as offsets inside it. */
export function wordsOf(paragraph: string): WordRange[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'word' })
  const words: WordRange[] = []
  for (const segment of segmenter.segment(paragraph)) {
    if (segment.isWordLike) words.push({ start: segment.index, end: segment.index + segment.segment.length })
  }
  return words
}

/**
 * Word-like segments of a whole long text. Intl.Segmenter slows down super-linearly on one
 * long string, so it runs in windows (src/core/segmentation.ts), which give the same segments.
 */
export function wordsOfText(text: string): WordRange[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'word' })
  const words: WordRange[] = []
  for (const segment of segmentInWindows(segmenter, text)) {
    if (segment.isWordLike) words.push({ start: segment.index, end: segment.index + segment.segment.length })
  }
  return words
}

/**
 * An id shaped as the app makes them ("a-" and a version-4 UUID, newAnnotationId in src/core/ids.ts),
 * drawn from `random` so a corpus is the same on every run: ids as short as "bench-1a2b" made a
 * long layer's answer 2.5 MB smaller than a real one at 5 MB, and its opening ~140 ms sooner.
 */
export function annotationIdFrom(random: () => number): string {
  const hex = Array.from({ length: 4 }, () => Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0')).join('')
  // The version and variant digits where a v4 UUID has them.
  return `a-${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16] as string, 16) & 3]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x1_0000_0000
  }
}

function averageWordStride(paragraphs: readonly string[], wordsByParagraph: readonly WordRange[][]): number {
  let characters = 0
  let words = 0
  paragraphs.forEach((paragraph, index) => {
    characters += paragraph.length
    words += wordsByParagraph[index]?.length ?? 0
  })
  return words === 0 ? 0 : characters / words
}

export interface GeneratedCorpus {
  text: string
  annotations: Annotation[]
  /** How many annotations were placed inside a longer one, and how many overlap one's end. */
  nestedCount: number
  overlappingCount: number
}

export interface CorpusOptions {
  targetBytes: number
  annotator: string
  charsPerAnnotation?: number
  seed?: number
}

/**
 * A text of about `targetBytes` (UTF-8) with annotations in text order. Spans start at the start
 * of a word and end at the end of a word (Intl.Segmenter word segments), never cross a
 * paragraph, and cycle through the four tags; some are nested in a longer span, some overlap
 * the end of one.
 */
export function generateCorpus(sources: readonly string[], options: CorpusOptions): GeneratedCorpus {
  const paragraphs = paragraphsOf(sources)
  const { text, placements } = buildCorpusText(paragraphs, options.targetBytes)
  const wordsByParagraph = paragraphs.map(wordsOf)
  const random = seededRandom(options.seed ?? 20260101)
  const charsPerAnnotation = options.charsPerAnnotation ?? DEFAULT_CHARS_PER_ANNOTATION
  // Nested and overlapping extras add to the primary spans; space the primaries out to match.
  const extrasPerPrimary = 0.6 * (1 / NESTED_EVERY + 1 / OVERLAPPING_EVERY)
  // A span can only start at a word, on average half a word stride after the point aimed at.
  const wordStride = averageWordStride(paragraphs, wordsByParagraph)
  const meanGap = Math.max(1, charsPerAnnotation * (1 + extrasPerPrimary) - wordStride / 2)

  const annotations: Annotation[] = []
  const idRandom = seededRandom((options.seed ?? 20260101) ^ 0x1d5eed)
  const nextDates = editorsClock(options.seed ?? 20260101)
  let serial = 0
  let multiWordSerial = 0
  let nestedCount = 0
  let overlappingCount = 0
  const add = (start: number, end: number): void => {
    const tag = TAG_IDS[serial++ % TAG_IDS.length] as string
    annotations.push({
      id: annotationIdFrom(idRandom),
      start: start as Utf16Offset,
      end: end as Utf16Offset,
      tag,
      text: text.slice(start, end),
      annotator: options.annotator,
      ...nextDates(),
      provenance: { source: 'import', detail: 'bench corpus' }
    })
  }

  let nextAt = Math.floor(random() * meanGap)
  for (const placement of placements) {
    const words = wordsByParagraph[placement.paragraph] as WordRange[]
    const paragraphEnd = placement.start + ((paragraphs[placement.paragraph] as string).length)
    const limit = Math.min(paragraphEnd, text.length)
    for (let index = 0; index < words.length; index++) {
      const first = words[index] as WordRange
      const start = placement.start + first.start
      if (start < nextAt) continue
      const wordCount = 1 + Math.floor(random() * 3)
      const lastIndex = Math.min(words.length - 1, index + wordCount - 1)
      const end = placement.start + (words[lastIndex] as WordRange).end
      if (end > limit) break
      add(start, end)
      if (lastIndex > index) {
        multiWordSerial++
        if (multiWordSerial % NESTED_EVERY === 0) {
          const inner = words[index + 1 + Math.floor(random() * (lastIndex - index))] as WordRange
          add(placement.start + inner.start, placement.start + inner.end)
          nestedCount++
        }
        const after = words[lastIndex + 1]
        if (multiWordSerial % OVERLAPPING_EVERY === 0 && after && placement.start + after.end <= limit) {
          add(placement.start + (words[lastIndex] as WordRange).start, placement.start + after.end)
          overlappingCount++
        }
      }
      nextAt = start + Math.round(meanGap * (0.5 + random()))
    }
  }
  annotations.sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1))
  return { text, annotations, nestedCount, overlappingCount }
}

/** Characters of [from, to) covered by at least one annotation (annotations sorted by start). */
export function coveredCharacters(annotations: readonly Annotation[], from: number, to: number): number {
  let covered = 0
  let reach = from
  for (const annotation of annotations) {
    if (annotation.start >= to) break
    if (annotation.end <= reach) continue
    const start = Math.max(annotation.start, reach)
    const end = Math.min(annotation.end, to)
    if (end > start) {
      covered += end - start
      reach = end
    }
  }
  return covered
}

/** How one annotator's layer departs from a shared base layer (shares of the base's spans). */
export interface LayerVariation {
  annotator: string
  seed: number
  /** Given another of the four tags. */
  retagged: number
  /** One end moved by a word (outwards, or inwards on a span of two or more words). */
  reshaped: number
  /** Left out. */
  dropped: number
  /** Extra one- or two-word spans this annotator alone made, as a share of the base's count. */
  added: number
}

/**
 * Another annotator's layer over the same text: the base spans with some retagged, some with
 * one boundary moved by a word, some left out, and a few spans added that the base lacks —
 * the everyday ways two people's layers differ. Word boundaries are Intl.Segmenter word
 * segments of the whole text; a span never grows across a blank line. Sorted like
 * generateCorpus's annotations; ids are the annotator's own.
 */
export function varyAnnotations(text: string, base: readonly Annotation[], variation: LayerVariation, words: readonly WordRange[] = wordsOfText(text)): Annotation[] {
  const random = seededRandom(variation.seed)
  const wordStarts = Int32Array.from(words, (word) => word.start)
  const prefix = variation.annotator.replace(/[^A-Za-z0-9]+/g, '').slice(0, 8).toLowerCase() || 'v'
  const out: Annotation[] = []
  let serial = 0
  const nextDates = editorsClock(variation.seed)
  const make = (start: number, end: number, tag: string): Annotation => ({
    id: `${prefix}-${(serial++).toString(36)}`,
    start: start as Utf16Offset,
    end: end as Utf16Offset,
    tag,
    text: text.slice(start, end),
    annotator: variation.annotator,
    ...nextDates(),
    provenance: { source: 'import', detail: 'bench corpus' }
  })
  /** Index of the word starting at `offset`, or of the first one after it. */
  const wordAt = (offset: number): number => {
    let low = 0
    let high = wordStarts.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((wordStarts[middle] as number) < offset) low = middle + 1
      else high = middle
    }
    return low
  }
  const joinable = (start: number, end: number): boolean => !text.slice(start, end).includes('\n\n')
  const otherTag = (tag: string): string => {
    const others = TAG_IDS.filter((candidate) => candidate !== tag)
    return others[Math.floor(random() * others.length)] as string
  }

  for (const span of base) {
    let roll = random()
    if (roll < variation.dropped) continue
    roll -= variation.dropped
    if (roll < variation.retagged) {
      out.push(make(span.start, span.end, otherTag(span.tag)))
      continue
    }
    roll -= variation.retagged
    if (roll < variation.reshaped) {
      const first = wordAt(span.start)
      let last = first
      while (last + 1 < words.length && (words[last + 1] as WordRange).end <= span.end) last++
      let start = span.start as number
      let end = span.end as number
      const choice = Math.floor(random() * 4)
      if (choice === 0 && first > 0) start = (words[first - 1] as WordRange).start
      else if (choice === 1 && last + 1 < words.length) end = (words[last + 1] as WordRange).end
      else if (choice === 2 && last > first) start = (words[first + 1] as WordRange).start
      else if (last > first) end = (words[last - 1] as WordRange).end
      else if (last + 1 < words.length) end = (words[last + 1] as WordRange).end
      if (end > start && joinable(start, end)) {
        out.push(make(start, end, span.tag))
        continue
      }
    }
    out.push(make(span.start, span.end, span.tag))
  }

  const added = Math.round(base.length * variation.added)
  for (let count = 0; count < added && words.length > 2; count++) {
    const first = Math.floor(random() * (words.length - 2))
    const last = first + Math.floor(random() * 2)
    const start = (words[first] as WordRange).start
    const end = (words[last] as WordRange).end
    if (!joinable(start, end)) continue
    out.push(make(start, end, TAG_IDS[Math.floor(random() * TAG_IDS.length)] as string))
  }
  out.sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1))
  return out
}
