// Bench corpora: long texts made by repeating the sample project's paragraphs, and about one
// word-aligned annotation per 60 characters over them (all four tags, some nested, some
// overlapping). Pure and deterministic (seeded), so every run measures the same document.
import type { Annotation, Utf16Offset } from '../src/shared/model'

export const DEFAULT_CHARS_PER_ANNOTATION = 60
const TAG_IDS = ['PERSON', 'ORG', 'EVENT', 'PROGRAM'] as const
/** Every Nth multi-word span gets a one-word span nested inside it. */
const NESTED_EVERY = 7
/** Every Nth multi-word span gets a span overlapping its end. */
const OVERLAPPING_EVERY = 11
const FIXED_TIMESTAMP = '2026-01-01T00:00:00.000Z'

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

function seededRandom(seed: number): () => number {
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
  let serial = 0
  let multiWordSerial = 0
  let nestedCount = 0
  let overlappingCount = 0
  const add = (start: number, end: number): void => {
    const tag = TAG_IDS[serial % TAG_IDS.length] as string
    annotations.push({
      id: `bench-${(serial++).toString(36)}`,
      start: start as Utf16Offset,
      end: end as Utf16Offset,
      tag,
      text: text.slice(start, end),
      annotator: options.annotator,
      createdAt: FIXED_TIMESTAMP,
      updatedAt: FIXED_TIMESTAMP,
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
