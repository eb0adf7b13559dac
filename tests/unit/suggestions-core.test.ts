import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileSearch, findMatches } from '../../src/core/search/find-matches'
import { Lexicon, lexiconText } from '../../src/core/suggestions/lexicon'
import { buildSuggestionIndex, suggestInText, type SuggestOptions } from '../../src/core/suggestions/suggest'
import { suggestionKey } from '../../src/core/suggestions/suggestion-key'
import { changeSetFromSpecs } from '../../src/core/text-edit/change-set'
import { mapLayerForward } from '../../src/core/text-edit/span-mapping'
import type { RejectedSuggestion } from '../../src/shared/finding-model'
import { asUtf16 } from '../../src/shared/model'
import { layerOn, RevisionChain } from '../helpers/text-edit-fixtures'

const LABELS: Record<string, string> = { PERSON: 'Person', ORG: 'Organization', EVENT: 'Event', PROGRAM: 'Program' }
const label = (tag: string): string => LABELS[tag] ?? tag
const NONE: SuggestOptions = { layerSpans: [], rejected: new Set() }

function lexiconOf(layers: Record<string, [string, string][]>): Lexicon {
  const lexicon = new Lexicon()
  for (const [annotator, spans] of Object.entries(layers)) lexicon.setSource(`doc\u0000${annotator}`, annotator, spans.map(([text, tag]) => ({ text, tag })))
  return lexicon
}

function suggest(text: string, lexicon: Lexicon, options: SuggestOptions = NONE) {
  return suggestInText(text, buildSuggestionIndex(lexicon, label), options)
}

function texts(text: string, lexicon: Lexicon, options: SuggestOptions = NONE): string[] {
  return suggest(text, lexicon, options).suggestions.map((s) => `${text.slice(s.start, s.end)}:${s.tag}`)
}

describe('the lexicon', () => {
  it('counts every tagged text by tag and annotator, and forgets a layer that changes or goes', () => {
    const lexicon = new Lexicon()
    lexicon.setSource('a', 'Leyla', [{ text: 'ISESCO', tag: 'ORG' }, { text: 'ISESCO', tag: 'ORG' }, { text: 'Baku', tag: 'EVENT' }])
    lexicon.setSource('b', 'Rashad', [{ text: 'ISESCO', tag: 'ORG' }, { text: 'Baku', tag: 'PERSON' }, { text: 'Baku', tag: 'PERSON' }])
    lexicon.setSource('gold', 'curation', [{ text: 'Baku', tag: 'PERSON' }])
    const isesco = lexicon.entry('ISESCO')
    expect(isesco?.taggings).toHaveLength(1)
    expect(isesco?.taggings[0]?.count).toBe(3)
    expect(Object.fromEntries(isesco?.taggings[0]?.byAnnotator ?? [])).toEqual({ Leyla: 2, Rashad: 1 })
    expect(lexicon.entry('Baku')?.taggings.map((t) => [t.tag, t.count])).toEqual([['PERSON', 3], ['EVENT', 1]])
    const before = lexicon.version
    lexicon.setSource('b', 'Rashad', [])
    expect(lexicon.version).toBeGreaterThan(before)
    expect(lexicon.entry('ISESCO')?.taggings[0]?.count).toBe(2)
    expect(lexicon.entry('Baku')?.taggings.map((t) => [t.tag, t.count])).toEqual([['EVENT', 1], ['PERSON', 1]])
    lexicon.removeSource('a')
    lexicon.removeSource('gold')
    expect(lexicon.size).toBe(0)
  })

  it('does not move its version for a layer that tags the same texts as before', () => {
    const lexicon = lexiconOf({ Leyla: [['ISESCO', 'ORG']] })
    const version = lexicon.version
    lexicon.setSource('doc\u0000Leyla', 'Leyla', [{ text: 'ISESCO', tag: 'ORG' }])
    expect(lexicon.version).toBe(version)
  })

  it('leaves out what is not worth suggesting, and spaces at the edges', () => {
    expect(lexiconText('Baku ')).toBe('Baku')
    expect(lexiconText('A')).toBeNull()
    expect(lexiconText('😀')).toBeNull()
    expect(lexiconText('--')).toBeNull()
    expect(lexiconText('Baku\r\nProcess')).toBeNull()
    expect(lexiconText('x'.repeat(201))).toBeNull()
    expect(lexiconText('\udc00ab')).toBeNull()
    expect(lexiconText('İlham Əliyev')).toBe('İlham Əliyev')
  })
})

describe('suggestions from the lexicon', () => {
  it('suggests every untagged whole-word occurrence, exactly as tagged, with who tagged it', () => {
    const lexicon = lexiconOf({ Leyla: [['ISESCO', 'ORG'], ['ISESCO', 'ORG']], Rashad: [['ISESCO', 'ORG']] })
    const text = 'ISESCO met. Isesco and ISESCOs did not; (ISESCO) did. _ISESCO no.'
    const found = suggest(text, lexicon)
    expect(found.suggestions.map((s) => s.start)).toEqual([0, text.indexOf('(ISESCO)') + 1])
    const first = found.suggestions[0]
    expect(first).toMatchObject({ key: 'ORG:0-6', tag: 'ORG', text: 'ISESCO', source: 'lexicon' })
    expect(first?.reason).toBe('tagged "ISESCO" as Organization 3 times (Leyla and Rashad)')
  })

  it('does not suggest case or diacritic variants', () => {
    const lexicon = lexiconOf({ Leyla: [['İlham Əliyev', 'PERSON']] })
    expect(texts('Ilham Aliyev, ilham əliyev, İlham Əliyev.', lexicon)).toEqual(['İlham Əliyev:PERSON'])
  })

  it('suggests the most frequent tag of a text tagged several ways, and says so', () => {
    const lexicon = lexiconOf({ Leyla: [['Baku', 'EVENT']], Rashad: [['Baku', 'PERSON'], ['Baku', 'PERSON']] })
    const [only] = suggest('In Baku today', lexicon).suggestions
    expect(only?.tag).toBe('PERSON')
    expect(only?.reason).toBe('tagged "Baku" as Person twice (Rashad) and as Event once (Leyla); suggested as Person, the most frequent')
  })

  it('takes the longest text where lexicon texts start at one place, and never overlaps', () => {
    const lexicon = lexiconOf({ Leyla: [['Baku', 'PERSON'], ['Baku Process', 'EVENT'], ['Process', 'PROGRAM']] })
    expect(texts('The Baku Process, Baku and the Process.', lexicon)).toEqual(['Baku Process:EVENT', 'Baku:PERSON', 'Process:PROGRAM'])
  })

  it('suggests nothing that overlaps a span of the layer', () => {
    const lexicon = lexiconOf({ Leyla: [['Baku Process', 'EVENT'], ['Baku', 'PERSON']] })
    const text = 'Baku Process; the Baku Process; Baku.'
    const second = text.indexOf('the Baku') + 4
    const result = texts(text, lexicon, { layerSpans: [{ start: 0, end: 4 }, { start: second + 5, end: second + 12 }], rejected: new Set() })
    // The first is inside a span; the second's "Process" is tagged, so only its "Baku" is free.
    expect(result).toEqual(['Baku:PERSON', 'Baku:PERSON'])
  })

  it('hides what the layer rejected and counts it; a shorter text there may still be suggested', () => {
    const lexicon = lexiconOf({ Leyla: [['Baku Process', 'EVENT'], ['Baku', 'PERSON']] })
    const found = suggest('Baku Process', lexicon, { layerSpans: [], rejected: new Set([suggestionKey('EVENT', 0, 12)]) })
    expect(found.hiddenByRejection).toBe(1)
    expect(found.suggestions.map((s) => s.key)).toEqual(['PERSON:0-4'])
  })

  it('never splits a surrogate pair or a CRLF, and works in Azerbaijani, Turkish and Arabic text', () => {
    const lexicon = lexiconOf({ Leyla: [['😀x', 'ORG'], ['Şuşa', 'EVENT'], ['İstanbul', 'EVENT'], ['أحمد', 'PERSON'], ['ab', 'ORG']] })
    const text = '\ud83d\ude00x 😀x Şuşa\r\nİstanbul أحمد ab\r\nab'
    const found = suggest(text, lexicon).suggestions
    expect(found.map((s) => text.slice(s.start, s.end))).toEqual(['😀x', '😀x', 'Şuşa', 'İstanbul', 'أحمد', 'ab', 'ab'])
    for (const s of found) {
      for (const offset of [s.start, s.end]) {
        const before = text.charCodeAt(offset - 1)
        const after = text.charCodeAt(offset)
        expect(before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff).toBe(false)
        expect(before === 13 && after === 10).toBe(false)
      }
    }
  })

  it('lists the first suggestions up to the limit and counts the rest', () => {
    const lexicon = lexiconOf({ Leyla: [['Baku', 'EVENT']] })
    const found = suggestInText('Baku, Baku, Baku, Baku.', buildSuggestionIndex(lexicon, label), { layerSpans: [], rejected: new Set(), limit: 3 })
    expect(found.suggestions.map((s) => s.start)).toEqual([0, 6, 12])
    expect(found.omitted).toBe(1)
  })

  it('finds a text that starts with punctuation only at a word boundary', () => {
    const lexicon = lexiconOf({ Leyla: [['«Azərbaycan»', 'ORG']] })
    expect(texts('«Azərbaycan» and x«Azərbaycan» and «Azərbaycan».', lexicon)).toEqual(['«Azərbaycan»:ORG', '«Azərbaycan»:ORG'])
  })
})

describe('rejected suggestions through a text edit', () => {
  it('follow the text like spans, and go when their text is deleted or changed', () => {
    const text = 'Baku and Ganja and Shusha.'
    const chain = new RevisionChain(text)
    const rejected = (words: string): RejectedSuggestion => {
      const start = text.indexOf(words)
      return { tag: 'EVENT', start: asUtf16(start), end: asUtf16(start + words.length), text: words, rejectedAt: '2026-12-01T12:00:00.000Z' }
    }
    const layer = { ...layerOn(text, []), rejectedSuggestions: [rejected('Baku'), rejected('Ganja'), rejected('Shusha')] }
    // "Dr " before everything, "Ganja" deleted, "Shusha" becomes "Susa".
    const ganja = text.indexOf('Ganja')
    const shusha = text.indexOf('Shusha')
    const revision = chain.add(changeSetFromSpecs(text, [{ from: 0, to: 0, insert: 'In ' }, { from: ganja, to: ganja + 5, insert: '' }, { from: shusha, to: shusha + 6, insert: 'Susa' }]))
    const mapped = mapLayerForward(layer, [revision], chain.head).layer
    expect(chain.head).toBe('In Baku and  and Susa.')
    expect(mapped.rejectedSuggestions).toEqual([{ ...rejected('Baku'), start: 3, end: 7 }])
  })
})

describe('the suggester against the plain rule', () => {
  // Pieces that make word edges, surrogate pairs, CRLF and punctuation-led texts meet.
  const PIECES = ['Ba', 'ku', 'Baku', 'Əli', 'yev', 'x', '😀', ' ', ' ', '\r\n', '-', '«', '»', '.', 'İ']
  const textOf = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((pieces) => pieces.join(''))

  /** Every lexicon text found whole-word and exact by the search (findMatches), the leftmost and then longest taken, none over a span. */
  function plainRule(text: string, entries: [string, string][], spans: { start: number; end: number }[]): string[] {
    const found: { start: number; end: number; tag: string }[] = []
    for (const [entryText, tag] of entries) {
      const search = compileSearch({ text: entryText, matchCase: true, matchDiacritics: true, wholeWord: true, regex: false })
      if (!search.ok) continue
      // Every start, not only non-overlapping ones: search again from each match's next character.
      for (let from = 0; ; ) {
        const list = findMatches(text, search, { from, limit: 1 })
        if (list.count === 0) break
        const start = list.offsets[0] as number
        found.push({ start, end: list.offsets[1] as number, tag })
        from = start + 1
      }
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end)
    const taken: string[] = []
    let lastEnd = 0
    for (const match of found) {
      if (match.start < lastEnd || spans.some((span) => span.start < match.end && match.start < span.end)) continue
      taken.push(`${match.tag}:${match.start}-${match.end}`)
      lastEnd = match.end
    }
    return taken
  }

  it('suggests exactly what the plain rule finds', () => {
    fc.assert(
      fc.property(textOf, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 14 }), fc.constantFrom('PERSON', 'ORG')), { maxLength: 6 }), fc.array(fc.nat(60), { maxLength: 4 }), (text, tagged, spanStarts) => {
        // Lexicon texts cut from the text itself (so they occur in it), at any offsets.
        const lexicon = new Lexicon()
        lexicon.setSource('layer', 'Leyla', tagged.map(([at, length, tag]) => ({ text: text.slice(at % (text.length + 1), (at % (text.length + 1)) + length), tag })))
        const entries = [...lexicon.entries()].map((entry): [string, string] => [entry.text, entry.taggings[0]?.tag ?? ''])
        const spans = spanStarts.filter((start) => start + 2 <= text.length).map((start) => ({ start, end: start + 2 }))
        const got = suggest(text, lexicon, { layerSpans: spans, rejected: new Set() }).suggestions.map((s) => s.key)
        expect(got).toEqual(plainRule(text, entries, spans))
      }),
      { seed: 20261201, numRuns: 400 }
    )
  })
})
