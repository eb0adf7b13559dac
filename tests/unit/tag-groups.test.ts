import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareSpans } from '../../src/core/span-index'
import { TagGroups, type TaggedSpan } from '../../src/core/tag-groups'

function groupedFromScratch(spans: Iterable<TaggedSpan>): Map<string, TaggedSpan[]> {
  const groups = new Map<string, TaggedSpan[]>()
  for (const span of [...spans].sort(compareSpans)) {
    const group = groups.get(span.tag) ?? []
    group.push(span)
    groups.set(span.tag, group)
  }
  return groups
}

function expectSameGroups(groups: TagGroups<TaggedSpan>, spans: Iterable<TaggedSpan>): void {
  const expected = groupedFromScratch(spans)
  for (const tag of new Set([...groups.tags(), ...expected.keys()])) expect(groups.group(tag)).toEqual(expected.get(tag) ?? [])
}

describe('TagGroups', () => {
  it('groups by tag in text order, longer spans first where two start together', () => {
    const groups = new TagGroups<TaggedSpan>([
      { id: 'c', start: 9, end: 12, tag: 'ORG' },
      { id: 'a', start: 0, end: 4, tag: 'PERSON' },
      { id: 'b', start: 0, end: 9, tag: 'PERSON' }
    ])
    expect(groups.group('PERSON').map((span) => span.id)).toEqual(['b', 'a'])
    expect(groups.group('ORG').map((span) => span.id)).toEqual(['c'])
    expect(groups.group('EVENT')).toEqual([])
  })

  it('moves a retagged span to its new group and drops a deleted one', () => {
    const a = { id: 'a', start: 0, end: 4, tag: 'PERSON' }
    const b = { id: 'b', start: 5, end: 9, tag: 'PERSON' }
    const groups = new TagGroups<TaggedSpan>([a, b])
    groups.update([a, b], [{ id: 'a', start: 0, end: 4, tag: 'ORG' }])
    expect(groups.group('PERSON')).toEqual([])
    expect(groups.group('ORG').map((span) => span.id)).toEqual(['a'])
  })

  it('groups a list already in order as the constructor does, without sorting it (property)', () => {
    const span = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), start: fc.nat({ max: 20 }), length: fc.nat({ max: 5 }), tag: fc.constantFrom('PERSON', 'ORG', 'EVENT') })
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), (drafts) => {
        const ordered = drafts.map((draft, index) => ({ id: `${draft.id}${index}`, start: draft.start, end: draft.start + draft.length, tag: draft.tag })).sort(compareSpans)
        const groups = TagGroups.fromOrdered(ordered)
        expectSameGroups(groups, ordered)
        for (const tag of groups.tags()) expect(groups.group(tag)).toEqual(new TagGroups(ordered).group(tag))
      })
    )
  })

  it('stays equal to grouping from scratch through any changes (property)', () => {
    const span = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), start: fc.nat({ max: 20 }), length: fc.nat({ max: 5 }), tag: fc.constantFrom('PERSON', 'ORG', 'EVENT') })
    const change = fc.oneof(fc.record({ remove: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }), fc.record({ put: span }))
    fc.assert(
      fc.property(fc.array(span, { maxLength: 6 }), fc.array(change, { maxLength: 20 }), (initial, changes) => {
        const current = new Map<string, TaggedSpan>()
        for (const draft of initial) current.set(draft.id, { id: draft.id, start: draft.start, end: draft.start + draft.length, tag: draft.tag })
        const groups = new TagGroups([...current.values()])
        for (const step of changes) {
          if ('remove' in step) {
            const earlier = current.get(step.remove)
            current.delete(step.remove)
            groups.update(earlier ? [earlier] : [], [])
          } else {
            const next = { id: step.put.id, start: step.put.start, end: step.put.start + step.put.length, tag: step.put.tag }
            const earlier = current.get(next.id)
            current.set(next.id, next)
            groups.update(earlier ? [earlier] : [], [next])
          }
          expectSameGroups(groups, current.values())
        }
      })
    )
  })
})
