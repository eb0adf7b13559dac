// The reader bench's corpus generator: if it drifted (wrong size, misaligned spans, no nesting),
// the bench would quietly measure something else than a long annotated document.
import { describe, expect, it } from 'vitest'
import { buildCorpusText, coveredCharacters, generateCorpus, paragraphsOf } from '../../bench/generate-corpus'
import { readSampleTexts } from '../../bench/generate-project'
import { snapToWords } from '../../src/core/word-snap'
import type { Annotation } from '../../src/shared/model'

const sources = await readSampleTexts()
const TARGET_BYTES = 100 * 1024

describe('bench corpus generator', () => {
  const corpus = generateCorpus(sources, { targetBytes: TARGET_BYTES, annotator: 'Bench Editor' })
  const utf8Bytes = new TextEncoder().encode(corpus.text).length

  it('fills the requested size with whole words from the sample paragraphs, paragraphs kept', () => {
    expect(utf8Bytes).toBeLessThanOrEqual(TARGET_BYTES)
    expect(utf8Bytes).toBeGreaterThan(TARGET_BYTES * 0.99)
    const paragraphs = paragraphsOf(sources)
    expect(corpus.text.startsWith(paragraphs[0] as string)).toBe(true)
    expect(corpus.text).toContain(`\n\n${paragraphs[1] as string}\n\n`)
    expect(corpus.text).toMatch(/\S$/)
  })

  it('cuts a multi-byte text at a word, never inside a character', () => {
    const { text } = buildCorpusText(['Əli Şuşa İlham 😀 café résumé'], 52)
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(52)
    expect(text).toBe('Əli Şuşa İlham 😀 café résumé\n\nƏli Şuşa')
  })

  it('places about one annotation per 60 characters, all four tags, in text order', () => {
    const perAnnotation = corpus.text.length / corpus.annotations.length
    expect(perAnnotation).toBeGreaterThan(55)
    expect(perAnnotation).toBeLessThan(65)
    const tags = new Set(corpus.annotations.map((annotation) => annotation.tag))
    expect([...tags].sort()).toEqual(['EVENT', 'ORG', 'PERSON', 'PROGRAM'])
    const starts = corpus.annotations.map((annotation) => annotation.start)
    expect(starts).toEqual([...starts].sort((a, b) => a - b))
    expect(new Set(corpus.annotations.map((annotation) => annotation.id)).size).toBe(corpus.annotations.length)
  })

  it('makes every span word-aligned, inside the text, with its covered text recorded', () => {
    for (const annotation of corpus.annotations) {
      expect(annotation.start).toBeGreaterThanOrEqual(0)
      expect(annotation.end).toBeLessThanOrEqual(corpus.text.length)
      expect(annotation.end).toBeGreaterThan(annotation.start)
      expect(annotation.text).toBe(corpus.text.slice(annotation.start, annotation.end))
      // Snapping an aligned span to words must leave it as it is.
      expect(snapToWords(corpus.text, annotation.start, annotation.end)).toEqual({ start: annotation.start, end: annotation.end })
      expect(annotation.text).not.toMatch(/\n\s*\n/)
    }
  })

  it('nests some spans inside longer ones and overlaps others', () => {
    const contains = (outer: Annotation, inner: Annotation): boolean =>
      outer !== inner && outer.start <= inner.start && inner.end <= outer.end && outer.end - outer.start > inner.end - inner.start
    const crosses = (a: Annotation, b: Annotation): boolean => a.start < b.start && b.start < a.end && a.end < b.end
    let nested = 0
    let overlapping = 0
    corpus.annotations.forEach((annotation, index) => {
      const neighbours = corpus.annotations.slice(Math.max(0, index - 3), index + 4)
      if (neighbours.some((other) => contains(other, annotation))) nested++
      if (neighbours.some((other) => crosses(annotation, other))) overlapping++
    })
    expect(corpus.nestedCount).toBeGreaterThan(50)
    expect(corpus.overlappingCount).toBeGreaterThan(30)
    expect(nested).toBeGreaterThanOrEqual(corpus.nestedCount)
    expect(overlapping).toBeGreaterThanOrEqual(corpus.overlappingCount)
  })

  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateCorpus(sources, { targetBytes: TARGET_BYTES, annotator: 'Bench Editor' })
    expect(again.annotations).toEqual(corpus.annotations)
    const other = generateCorpus(sources, { targetBytes: TARGET_BYTES, annotator: 'Bench Editor', seed: 7 })
    expect(other.text).toBe(corpus.text)
    expect(other.annotations).not.toEqual(corpus.annotations)
  })

  it('counts covered characters once where spans nest or overlap', () => {
    const span = (start: number, end: number): Annotation => ({ start, end }) as Annotation
    expect(coveredCharacters([span(0, 10), span(2, 4), span(8, 14), span(20, 22)], 0, 30)).toBe(16)
    expect(coveredCharacters([span(0, 10), span(2, 4), span(8, 14), span(20, 22)], 5, 21)).toBe(10)
    expect(coveredCharacters([], 0, 30)).toBe(0)
  })
})
