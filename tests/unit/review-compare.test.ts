import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  compareLayers,
  filterPositions,
  isDisagreement,
  matchesFilter,
  nextPosition,
  POSITION_KINDS,
  type PositionKind,
  type ReviewLayer,
  type ReviewPosition,
  type ReviewSpan
} from '../../src/core/review/compare'
import { asUtf16, type Annotation } from '../../src/shared/model'

const span = (id: string, start: number, end: number, tag: string): ReviewSpan => ({ id, start, end, tag })

/** A span over the `occurrence`-th appearance of `needle` in `text` (UTF-16 offsets, as the app uses). */
function spanOver(text: string, needle: string, tag: string, id: string, occurrence = 1): ReviewSpan {
  let start = -1
  for (let found = 0; found < occurrence; found++) {
    start = text.indexOf(needle, start + 1)
    if (start === -1) throw new Error(`"${needle}" occurs fewer than ${occurrence} times`)
  }
  return span(id, start, start + needle.length, tag)
}

const layer = (annotator: string, ...spans: ReviewSpan[]): ReviewLayer => ({ annotator, spans })

/** A compact view of a position: kind, extent, tags and each annotator's span ids. */
function summary(position: ReviewPosition): string {
  const byAnnotator = position.spansByAnnotator
    .map(({ annotator, spans }) => `${annotator}[${spans.map((item) => item.id).join(',')}]`)
    .join(' ')
  return `${position.kind} ${position.start}-${position.end} ${position.tags.join('+')} ${byAnnotator}`
}

const summaries = (layers: ReviewLayer[]): string[] => compareLayers(layers).positions.map(summary)

describe('compareLayers: the rules', () => {
  const ministry = 'The Ministry of Education met.'

  it('puts a span every annotator made into one agreed position', () => {
    const text = 'Ali Aliyev visited Baku.'
    const result = compareLayers([
      layer('ann', spanOver(text, 'Ali Aliyev', 'PERSON', 'a1')),
      layer('bob', spanOver(text, 'Ali Aliyev', 'PERSON', 'b1'))
    ])
    expect(result.positions.map(summary)).toEqual(['agreed 0-10 PERSON ann[a1] bob[b1]'])
    expect(result.counts).toEqual({ agreed: 1, 'tag-differs': 0, 'boundaries-differ': 0, 'only-in-some': 0 })
    expect(result.annotators).toEqual(['ann', 'bob'])
  })

  it('groups a span nested in another annotator\'s pieces of it as boundaries-differ', () => {
    const result = summaries([
      layer('ann', spanOver(ministry, 'Ministry of Education', 'ORG', 'a1')),
      layer('bob', spanOver(ministry, 'Ministry', 'ORG', 'b1'), spanOver(ministry, 'Education', 'ORG', 'b2'))
    ])
    expect(result).toEqual(['boundaries-differ 4-25 ORG ann[a1] bob[b1,b2]'])
  })

  it('keeps one annotator\'s nested spans apart unless another annotator links them', () => {
    const nestedAlone = summaries([
      layer('ann', spanOver(ministry, 'Ministry of Education', 'ORG', 'a1'), spanOver(ministry, 'Ministry', 'ORG', 'a2')),
      layer('bob')
    ])
    expect(nestedAlone).toEqual(['only-in-some 4-12 ORG ann[a2] bob[]', 'only-in-some 4-25 ORG ann[a1] bob[]'])

    // bob agrees on the inner span, so only ann's outer span is left, on its own.
    const innerAgreed = summaries([
      layer('ann', spanOver(ministry, 'Ministry of Education', 'ORG', 'a1'), spanOver(ministry, 'Ministry', 'ORG', 'a2')),
      layer('bob', spanOver(ministry, 'Ministry', 'ORG', 'b1'))
    ])
    expect(innerAgreed).toEqual(['agreed 4-12 ORG ann[a2] bob[b1]', 'only-in-some 4-25 ORG ann[a1] bob[]'])

    // bob's span overlaps both of ann's with the same tag: one position.
    const linked = summaries([
      layer('ann', spanOver(ministry, 'Ministry of Education', 'ORG', 'a1'), spanOver(ministry, 'Ministry', 'ORG', 'a2')),
      layer('bob', spanOver(ministry, 'Ministry of', 'ORG', 'b1'))
    ])
    expect(linked).toEqual(['boundaries-differ 4-25 ORG ann[a2,a1] bob[b1]'])
  })

  it('chains crossing overlaps of the same tag into one position', () => {
    expect(
      summaries([layer('ann', span('a1', 0, 10, 'ORG'), span('a2', 12, 20, 'ORG')), layer('bob', span('b1', 5, 15, 'ORG'))])
    ).toEqual(['boundaries-differ 0-20 ORG ann[a1,a2] bob[b1]'])
  })

  it('does not link crossing spans of different tags', () => {
    expect(summaries([layer('ann', span('a1', 0, 10, 'ORG')), layer('bob', span('b1', 5, 15, 'PERSON'))])).toEqual([
      'only-in-some 0-10 ORG ann[a1] bob[]',
      'only-in-some 5-15 PERSON ann[] bob[b1]'
    ])
  })

  it('calls the same characters with different tags tag-differs', () => {
    expect(summaries([layer('ann', span('a1', 4, 25, 'ORG')), layer('bob', span('b1', 4, 25, 'PROGRAM'))])).toEqual([
      'tag-differs 4-25 ORG+PROGRAM ann[a1] bob[b1]'
    ])
  })

  it('links the same characters even when a different tag also differs in boundaries elsewhere', () => {
    // b1 has ann's range with another tag; b2 overlaps a1 with its tag: all one position.
    expect(
      summaries([
        layer('ann', span('a1', 0, 10, 'ORG')),
        layer('bob', span('b1', 0, 10, 'EVENT'), span('b2', 2, 12, 'ORG'))
      ])
    ).toEqual(['tag-differs 0-12 EVENT+ORG ann[a1] bob[b1,b2]'])
  })

  describe('three annotators', () => {
    it('two agree and one has nothing: only-in-some', () => {
      expect(
        summaries([layer('ann', span('a1', 0, 5, 'ORG')), layer('bob', span('b1', 0, 5, 'ORG')), layer('cem')])
      ).toEqual(['only-in-some 0-5 ORG ann[a1] bob[b1] cem[]'])
    })

    it('two agree and one chose another tag: tag-differs', () => {
      expect(
        summaries([
          layer('ann', span('a1', 0, 5, 'ORG')),
          layer('bob', span('b1', 0, 5, 'ORG')),
          layer('cem', span('c1', 0, 5, 'PERSON'))
        ])
      ).toEqual(['tag-differs 0-5 ORG+PERSON ann[a1] bob[b1] cem[c1]'])
    })

    it('tags differ and one annotator has nothing: tag-differs', () => {
      expect(
        summaries([layer('ann', span('a1', 0, 5, 'ORG')), layer('bob'), layer('cem', span('c1', 0, 5, 'EVENT'))])
      ).toEqual(['tag-differs 0-5 EVENT+ORG ann[a1] bob[] cem[c1]'])
    })

    it('two agree and one cut the span shorter: boundaries-differ', () => {
      expect(
        summaries([
          layer('ann', span('a1', 0, 21, 'ORG')),
          layer('bob', span('b1', 0, 21, 'ORG')),
          layer('cem', span('c1', 0, 8, 'ORG'))
        ])
      ).toEqual(['boundaries-differ 0-21 ORG ann[a1] bob[b1] cem[c1]'])
    })

    it('a span agreed by all three takes no part in the others\' disagreement', () => {
      expect(
        summaries([
          layer('ann', span('a1', 0, 21, 'ORG'), span('a2', 0, 8, 'ORG')),
          layer('bob', span('b1', 0, 21, 'ORG')),
          layer('cem', span('c1', 0, 21, 'ORG'))
        ])
      ).toEqual(['only-in-some 0-8 ORG ann[a2] bob[] cem[]', 'agreed 0-21 ORG ann[a1] bob[b1] cem[c1]'])
    })
  })

  describe('one annotator giving the same characters two tags', () => {
    it('agrees on the tag both chose; the extra tag stands alone', () => {
      expect(
        summaries([layer('ann', span('a1', 0, 5, 'ORG'), span('a2', 0, 5, 'PERSON')), layer('bob', span('b1', 0, 5, 'ORG'))])
      ).toEqual(['agreed 0-5 ORG ann[a1] bob[b1]', 'only-in-some 0-5 PERSON ann[a2] bob[]'])
    })

    it('is tag-differs against an annotator with another tag', () => {
      expect(
        summaries([layer('ann', span('a1', 0, 5, 'ORG'), span('a2', 0, 5, 'PERSON')), layer('bob', span('b1', 0, 5, 'EVENT'))])
      ).toEqual(['tag-differs 0-5 EVENT+ORG+PERSON ann[a1,a2] bob[b1]'])
    })

    it('compares the sets of tags: two annotators with the same two tags and a third with nothing is only-in-some', () => {
      expect(
        summaries([
          layer('ann', span('a1', 0, 5, 'ORG'), span('a2', 0, 5, 'PERSON')),
          layer('bob', span('b1', 0, 5, 'ORG'), span('b2', 0, 5, 'PERSON')),
          layer('cem')
        ])
      ).toEqual(['only-in-some 0-5 ORG+PERSON ann[a1,a2] bob[b1,b2] cem[]'])
    })

    it('is two positions when no one else marked those characters', () => {
      const result = compareLayers([layer('ann', span('a1', 0, 5, 'ORG'), span('a2', 0, 5, 'PERSON')), layer('bob')])
      expect(result.positions.map(summary)).toEqual([
        'only-in-some 0-5 ORG ann[a1] bob[]',
        'only-in-some 0-5 PERSON ann[a2] bob[]'
      ])
      expect(new Set(result.positions.map((position) => position.id)).size).toBe(2)
    })
  })

  it('does not link spans that only touch', () => {
    expect(summaries([layer('ann', span('a1', 0, 5, 'ORG')), layer('bob', span('b1', 5, 10, 'ORG'))])).toEqual([
      'only-in-some 0-5 ORG ann[a1] bob[]',
      'only-in-some 5-10 ORG ann[] bob[b1]'
    ])
  })

  it('calls identical layers all agreed', () => {
    const spans = [span('x1', 0, 3, 'PERSON'), span('x2', 2, 9, 'ORG'), span('x3', 2, 9, 'EVENT'), span('x4', 20, 30, 'ORG')]
    const result = compareLayers([layer('ann', ...spans), layer('bob', ...spans), layer('cem', ...spans)])
    expect(result.positions.every((position) => position.kind === 'agreed')).toBe(true)
    expect(result.counts.agreed).toBe(4)
  })

  it('returns nothing for empty layers, and only-in-some against an empty one', () => {
    expect(compareLayers([layer('ann'), layer('bob')]).positions).toEqual([])
    expect(summaries([layer('ann'), layer('bob', span('b1', 3, 4, 'ORG'))])).toEqual(['only-in-some 3-4 ORG ann[] bob[b1]'])
  })

  it('counts one annotator\'s duplicate of an agreed span in the agreed position', () => {
    expect(
      summaries([layer('ann', span('a1', 0, 5, 'ORG'), span('a2', 0, 5, 'ORG')), layer('bob', span('b1', 0, 5, 'ORG'))])
    ).toEqual(['agreed 0-5 ORG ann[a1,a2] bob[b1]'])
  })

  it('works on UTF-16 offsets in texts with surrogate pairs and CRLF line ends', () => {
    const text = '🇦🇿 Prezident 👩‍💻 İlham Əliyev\r\nBakı Dövlət Universiteti 😀 ADA\r\n'
    const ilham = spanOver(text, 'İlham Əliyev', 'PERSON', 'a1')
    const university = spanOver(text, 'Bakı Dövlət Universiteti', 'ORG', 'a2')
    const result = compareLayers([
      layer('ann', ilham, university, spanOver(text, 'ADA', 'ORG', 'a3')),
      layer('bob', { ...ilham, id: 'b1' }, spanOver(text, 'Dövlət Universiteti', 'ORG', 'b2'), spanOver(text, '😀 ADA', 'ORG', 'b3'))
    ])
    const slices = result.positions.map((position) => `${position.kind}: ${text.slice(position.start, position.end)}`)
    expect(slices).toEqual(['agreed: İlham Əliyev', 'boundaries-differ: Bakı Dövlət Universiteti', 'boundaries-differ: 😀 ADA'])
    // The emoji before it count two code units each (and the ZWJ sequence five), the CRLF two.
    expect(ilham.start).toBe(text.indexOf('İ'))
    expect(result.positions[1]?.start).toBe(ilham.end + 2)
  })

  it('treats an emoji-only span as any other range', () => {
    const text = 'a👩‍💻b'
    const emoji = spanOver(text, '👩‍💻', 'PROGRAM', 'a1')
    expect(emoji.end - emoji.start).toBe(5)
    expect(summaries([layer('ann', emoji), layer('bob', { ...emoji, id: 'b1', end: emoji.start + 2 })])).toEqual([
      'boundaries-differ 1-6 PROGRAM ann[a1] bob[b1]'
    ])
  })

  it('lists each annotator in the order of the input layers, and gives back the callers\' own objects', () => {
    const own: Annotation = {
      id: 'n1',
      start: asUtf16(0),
      end: asUtf16(5),
      tag: 'ORG',
      text: 'Quire',
      annotator: 'cem',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      provenance: { source: 'manual' }
    }
    const result = compareLayers<Annotation>([
      { annotator: 'cem', spans: [own] },
      { annotator: 'ann', spans: [] }
    ])
    const position = result.positions[0]
    expect(position?.spansByAnnotator.map(({ annotator }) => annotator)).toEqual(['cem', 'ann'])
    expect(position?.spansByAnnotator[0]?.spans[0]).toBe(own)
    // Typed as the caller's own spans.
    expect(position?.spansByAnnotator[0]?.spans[0]?.text).toBe('Quire')
  })

  it('refuses fewer than two layers and an annotator chosen twice', () => {
    expect(() => compareLayers([layer('ann')])).toThrow(RangeError)
    expect(() => compareLayers([layer('ann'), layer('bob'), layer('ann')])).toThrow(/"ann" was chosen twice/)
  })
})

describe('compareLayers: position ids', () => {
  const layers = [
    layer('ann', span('a1', 0, 5, 'ORG'), span('a2', 10, 20, 'PERSON'), span('a3', 30, 40, 'EVENT')),
    layer('bob', span('b1', 0, 5, 'ORG'), span('b2', 12, 20, 'PERSON'), span('b3', 30, 40, 'ORG'))
  ]

  it('are unique and the same when recomputed, whatever the order of the spans', () => {
    const first = compareLayers(layers).positions.map((position) => position.id)
    const shuffled = layers.map(({ annotator, spans }) => layer(annotator, ...[...spans].reverse()))
    expect(compareLayers(shuffled).positions.map((position) => position.id)).toEqual(first)
    expect(new Set(first).size).toBe(first.length)
    expect(first).toEqual(['agreed@0-5:ORG', 'boundaries-differ@10-20:PERSON', 'tag-differs@30-40:EVENT+ORG'])
  })

  it('tell apart identical positions from one annotator\'s duplicate spans', () => {
    const ids = compareLayers([layer('ann', span('a1', 0, 5, 'ORG'), span('a2', 0, 5, 'ORG')), layer('bob')]).positions.map(
      (position) => position.id
    )
    expect(ids).toEqual(['only-in-some@0-5:ORG', 'only-in-some@0-5:ORG#2'])
  })
})

describe('navigation and the disagreement list', () => {
  // Positions: agreed 0-5, tag-differs 10-15, only-in-some 20-25 (PERSON), boundaries-differ 30-40 (EVENT).
  const { positions } = compareLayers([
    layer('ann', span('a1', 0, 5, 'ORG'), span('a2', 10, 15, 'ORG'), span('a3', 20, 25, 'PERSON'), span('a4', 30, 40, 'EVENT')),
    layer('bob', span('b1', 0, 5, 'ORG'), span('b2', 10, 15, 'PROGRAM'), span('b4', 32, 40, 'EVENT'))
  ])
  const kindAt = (position: ReviewPosition | null): string | null => (position ? `${position.kind}@${position.start}` : null)

  it('leaves agreed positions out unless asked for', () => {
    expect(positions.map(isDisagreement)).toEqual([false, true, true, true])
    expect(filterPositions(positions).map(kindAt)).toEqual(['tag-differs@10', 'only-in-some@20', 'boundaries-differ@30'])
    expect(filterPositions(positions, { kinds: new Set<PositionKind>(['agreed']) }).map(kindAt)).toEqual(['agreed@0'])
  })

  it('filters by kind and by tag (any of a position\'s tags)', () => {
    expect(filterPositions(positions, { tags: new Set(['PROGRAM']) }).map(kindAt)).toEqual(['tag-differs@10'])
    expect(filterPositions(positions, { tags: new Set(['ORG', 'EVENT']) }).map(kindAt)).toEqual([
      'tag-differs@10',
      'boundaries-differ@30'
    ])
    expect(
      filterPositions(positions, { kinds: new Set<PositionKind>(['only-in-some', 'boundaries-differ']), tags: new Set(['EVENT']) }).map(kindAt)
    ).toEqual(['boundaries-differ@30'])
    expect(filterPositions(positions, { kinds: new Set() })).toEqual([])
    expect(matchesFilter(positions[0] as ReviewPosition, { kinds: new Set(POSITION_KINDS) })).toBe(true)
  })

  it('moves from an offset: next starts at or after it, previous before it', () => {
    expect(kindAt(nextPosition(positions, 0, 'next'))).toBe('tag-differs@10')
    expect(kindAt(nextPosition(positions, 10, 'next'))).toBe('tag-differs@10')
    expect(kindAt(nextPosition(positions, 11, 'next'))).toBe('only-in-some@20')
    expect(kindAt(nextPosition(positions, 20, 'previous'))).toBe('tag-differs@10')
    expect(kindAt(nextPosition(positions, 10, 'previous'))).toBeNull()
    expect(kindAt(nextPosition(positions, 41, 'next'))).toBeNull()
    expect(kindAt(nextPosition(positions, 1000, 'previous'))).toBe('boundaries-differ@30')
  })

  it('moves from the current position by id, with a filter', () => {
    const current = positions[1] as ReviewPosition
    expect(kindAt(nextPosition(positions, current.id, 'next'))).toBe('only-in-some@20')
    expect(kindAt(nextPosition(positions, current.id, 'next', { tags: new Set(['EVENT']) }))).toBe('boundaries-differ@30')
    expect(kindAt(nextPosition(positions, current.id, 'previous'))).toBeNull()
    expect(kindAt(nextPosition(positions, current.id, 'previous', { kinds: new Set<PositionKind>(['agreed']) }))).toBe('agreed@0')
  })

  it('starts from either end when the current id is gone', () => {
    expect(kindAt(nextPosition(positions, 'gone', 'next'))).toBe('tag-differs@10')
    expect(kindAt(nextPosition(positions, 'gone', 'previous'))).toBe('boundaries-differ@30')
  })
})

// ---- Properties ----

const TAGS = ['PERSON', 'ORG', 'EVENT']

const spansArbitrary = (prefix: string, lastStart = 30, maxLength = 12): fc.Arbitrary<ReviewSpan[]> =>
  fc
    .array(
      fc.record({ start: fc.integer({ min: 0, max: lastStart }), length: fc.integer({ min: 0, max: 8 }), tag: fc.constantFrom(...TAGS) }),
      { maxLength }
    )
    .map((items) => items.map(({ start, length, tag }, index) => span(`${prefix}${index}`, start, start + length, tag)))

const layersArbitrary = (lastStart = 30, maxLength = 12): fc.Arbitrary<ReviewLayer[]> =>
  fc
    .integer({ min: 2, max: 4 })
    .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => spansArbitrary(`L${index}:`, lastStart, maxLength))))
    .map((layers) => layers.map((spans, index) => layer(`annotator-${index}`, ...spans)))

/** The rules written out the slow, obvious way: all pairs, then flood fill. */
function referencePartition(layers: ReviewLayer[]): Map<ReviewSpan, { group: number; kind: PositionKind }> {
  const all = layers.flatMap(({ spans }, layerIndex) => spans.map((item) => ({ item, layerIndex })))
  const tripleLayers = new Map<string, Set<number>>()
  for (const { item, layerIndex } of all) {
    const key = `${item.start}:${item.end}:${item.tag}`
    tripleLayers.set(key, (tripleLayers.get(key) ?? new Set()).add(layerIndex))
  }
  const result = new Map<ReviewSpan, { group: number; kind: PositionKind }>()
  let nextGroup = 0
  const agreedGroups = new Map<string, number>()
  const rest: typeof all = []
  for (const entry of all) {
    const key = `${entry.item.start}:${entry.item.end}:${entry.item.tag}`
    if (tripleLayers.get(key)?.size === layers.length) {
      if (!agreedGroups.has(key)) agreedGroups.set(key, nextGroup++)
      result.set(entry.item, { group: agreedGroups.get(key) as number, kind: 'agreed' })
    } else rest.push(entry)
  }
  const linked = (a: (typeof all)[number], b: (typeof all)[number]): boolean =>
    a.layerIndex !== b.layerIndex &&
    ((a.item.start === b.item.start && a.item.end === b.item.end) ||
      // Sharing a character: an empty span has none to share.
      (a.item.tag === b.item.tag && Math.max(a.item.start, b.item.start) < Math.min(a.item.end, b.item.end)))
  const seen = new Set<number>()
  rest.forEach((_, seed) => {
    if (seen.has(seed)) return
    const members = [seed]
    seen.add(seed)
    for (let cursor = 0; cursor < members.length; cursor++) {
      rest.forEach((other, index) => {
        if (!seen.has(index) && linked(rest[members[cursor] as number] as (typeof all)[number], other)) {
          seen.add(index)
          members.push(index)
        }
      })
    }
    const entries = members.map((index) => rest[index] as (typeof all)[number])
    const differentTags = entries.some((a) =>
      entries.some((b) => {
        if (a.layerIndex === b.layerIndex || a.item.start !== b.item.start || a.item.end !== b.item.end) return false
        const tagsOf = (layerIndex: number): string =>
          [...new Set(entries.filter((e) => e.layerIndex === layerIndex && e.item.start === a.item.start && e.item.end === a.item.end).map((e) => e.item.tag))]
            .sort()
            .join()
        return tagsOf(a.layerIndex) !== tagsOf(b.layerIndex)
      })
    )
    const ranges = new Set(entries.map((e) => `${e.item.start}:${e.item.end}`))
    const kind: PositionKind = differentTags ? 'tag-differs' : ranges.size > 1 ? 'boundaries-differ' : 'only-in-some'
    const group = nextGroup++
    for (const entry of entries) result.set(entry.item, { group, kind })
  })
  return result
}

describe('compareLayers: properties', () => {
  it.each([
    ['spread out', 30, 12],
    ['crowded at a few starts', 2, 30]
  ])('puts every input span in exactly one position, as the rules written out pairwise do (%s)', (_, lastStart, maxLength) => {
    fc.assert(
      fc.property(layersArbitrary(lastStart, maxLength), (layers) => {
        const { positions } = compareLayers(layers)
        const positionOf = new Map<ReviewSpan, ReviewPosition>()
        for (const position of positions) {
          for (const { spans } of position.spansByAnnotator) {
            for (const item of spans) {
              expect(positionOf.has(item)).toBe(false)
              positionOf.set(item, position)
            }
          }
        }
        const inputSpans = layers.flatMap(({ spans }) => spans)
        expect(positionOf.size).toBe(inputSpans.length)

        const reference = referencePartition(layers)
        for (const a of inputSpans) {
          expect(positionOf.get(a)?.kind).toBe(reference.get(a)?.kind)
          for (const b of inputSpans) {
            expect(positionOf.get(a) === positionOf.get(b)).toBe(reference.get(a)?.group === reference.get(b)?.group)
          }
        }
      }),
      { numRuns: 300 }
    )
  })

  it('keeps each annotator\'s spans under that annotator and the extent, tags and order right', () => {
    fc.assert(
      fc.property(layersArbitrary(), (layers) => {
        const { positions, counts, annotators } = compareLayers(layers)
        expect(annotators).toEqual(layers.map(({ annotator }) => annotator))
        for (const position of positions) {
          expect(position.spansByAnnotator.map(({ annotator }) => annotator)).toEqual(annotators)
          position.spansByAnnotator.forEach(({ spans }, index) => {
            for (const item of spans) expect(layers[index]?.spans).toContain(item)
          })
          const spans = position.spansByAnnotator.flatMap(({ spans: own }) => own)
          expect(position.start).toBe(Math.min(...spans.map((item) => item.start)))
          expect(position.end).toBe(Math.max(...spans.map((item) => item.end)))
          expect([...position.tags].sort()).toEqual([...new Set(spans.map((item) => item.tag))].sort())
        }
        for (let index = 1; index < positions.length; index++) {
          const before = positions[index - 1] as ReviewPosition
          const after = positions[index] as ReviewPosition
          expect(before.start < after.start || (before.start === after.start && before.end <= after.end)).toBe(true)
        }
        for (const kind of POSITION_KINDS) {
          expect(counts[kind]).toBe(positions.filter((position) => position.kind === kind).length)
        }
        expect(new Set(positions.map((position) => position.id)).size).toBe(positions.length)
      }),
      { numRuns: 300 }
    )
  })

  it('gives the same positions for offsets that are not whole numbers (the comparator path)', () => {
    fc.assert(
      fc.property(layersArbitrary(), (layers) => {
        const shifted = layers.map(({ annotator, spans }) =>
          layer(annotator, ...spans.map((item) => ({ ...item, start: item.start - 0.5, end: item.end - 0.5 })))
        )
        const describe = (positions: ReviewPosition[]): string[] =>
          positions.map((position) => `${position.kind} ${position.spansByAnnotator.map(({ spans }) => spans.map((item) => item.id).join()).join(' | ')}`)
        expect(describe(compareLayers(shifted).positions)).toEqual(describe(compareLayers(layers).positions))
      }),
      { numRuns: 100 }
    )
  })

  it('finds a layer compared with its own copy all agreed', () => {
    fc.assert(
      fc.property(spansArbitrary('x'), fc.integer({ min: 2, max: 4 }), (spans, copies) => {
        const layers = Array.from({ length: copies }, (_, index) => layer(`copy-${index}`, ...spans))
        const { positions, counts } = compareLayers(layers)
        expect(positions.every((position) => position.kind === 'agreed')).toBe(true)
        expect(counts.agreed).toBe(new Set(spans.map((item) => `${item.start}:${item.end}:${item.tag}`)).size)
      })
    )
  })
})

describe('compareLayers: a 5 MB document', () => {
  it('compares three layers of 88,000 spans each', () => {
    // Deterministic: each annotator mostly agrees with a shared base, with some tags,
    // boundaries and spans changed or missing.
    let state = 12_345
    const random = (): number => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31
      return state / 2 ** 31
    }
    const base: ReviewSpan[] = []
    for (let index = 0; index < 88_000; index++) {
      const start = index * 59 + Math.floor(random() * 20)
      base.push(span(`s${index}`, start, start + 3 + Math.floor(random() * 30), TAGS[Math.floor(random() * 3)] as string))
    }
    const layers = ['ann', 'bob', 'cem'].map((annotator) =>
      layer(
        annotator,
        ...base.map((item) => {
          const roll = random()
          const id = `${annotator}-${item.id}`
          if (roll < 0.04) return { ...item, id, tag: TAGS[(TAGS.indexOf(item.tag) + 1) % 3] as string }
          if (roll < 0.08) return { ...item, id, end: item.end + 2 }
          if (roll < 0.1) return { ...item, id, start: item.start + 40, end: item.end + 40 }
          return { ...item, id }
        })
      )
    )
    const started = performance.now()
    const result = compareLayers(layers)
    const elapsed = performance.now() - started
    console.info(`compareLayers, 3 × 88,000 spans: ${elapsed.toFixed(0)} ms`)
    expect(result.positions.reduce((sum, position) => sum + position.spansByAnnotator.flatMap(({ spans }) => spans).length, 0)).toBe(
      3 * 88_000
    )
    expect(result.counts.agreed).toBeGreaterThan(0)
  })
})
