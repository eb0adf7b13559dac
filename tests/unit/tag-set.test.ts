import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { applyTagSetChanges, freeTagKey, labelKey, MAX_TAGS, TAG_ID_PATTERN, TAG_KEYS, tagIdFromLabel, type TagSetOutcome } from '../../src/core/tag-set'
import { contrastRatio, judgeColour, relativeLuminance, TAG_PALETTE } from '../../src/core/colour-contrast'
import { DEFAULT_TAGS, type TagDefinition } from '../../src/shared/model'
import type { TagSetChange } from '../../src/shared/finding-model'

const defaults = (): TagDefinition[] => DEFAULT_TAGS.map((tag) => ({ ...tag }))
const place: TagDefinition = { id: 'PLACE', label: 'Place', shortLabel: 'PLC', key: '5', color: '#009E73' }

function refusal(outcome: TagSetOutcome): string {
  if (outcome.ok) throw new Error('expected a refusal')
  return outcome.problems.map((problem) => problem.message).join(' | ')
}

function accepted(outcome: TagSetOutcome): TagDefinition[] {
  if (!outcome.ok) throw new Error(`refused: ${outcome.problems.map((problem) => problem.message).join(' | ')}`)
  return outcome.tags
}

describe('colour contrast (WCAG 2)', () => {
  it('measures luminance and contrast as WCAG defines them', () => {
    expect(relativeLuminance('#FFFFFF')).toBeCloseTo(1, 6)
    expect(relativeLuminance('#000000')).toBe(0)
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 6)
    expect(contrastRatio('#FFFFFF', '#000000')).toBeCloseTo(21, 6)
    // WebAIM's checker gives 4.54:1 for #767676 on white.
    expect(contrastRatio('#767676', '#FFFFFF')).toBeCloseTo(4.54, 2)
  })

  it('judges a colour on the light and the dark pages, in words', () => {
    const orange = judgeColour('#E69F00')
    expect(orange.light.lineOk).toBe(false)
    // The lowest of white and the reader's light page (#F6F5F2).
    expect(orange.light.summary).toBe('Light page: the underline is too faint (2.0:1, needs 3:1)')
    expect(orange.light.drawnAs).toBe('#BD8300')
    expect(orange.dark.ok).toBe(true)
    expect(orange.dark.summary).toMatch(/^Dark page: clear \(underline 6\.7:1, label 8\.3:1\)$/)
    const blue = judgeColour('#0072B2')
    expect(blue.light.ok).toBe(true)
    expect(blue.light.summary).toMatch(/label 5\.\d:1/)
    expect(blue.dark.summary).toBe('Dark page: the underline is too faint (2.9:1, needs 3:1)')
    expect(judgeColour('#009E73').ok).toBe(true)
  })

  it('offers nine palette colours, each clear on both pages and all different', () => {
    expect(TAG_PALETTE).toHaveLength(MAX_TAGS)
    for (const entry of TAG_PALETTE) expect(judgeColour(entry.colour), entry.name).toMatchObject({ ok: true })
    expect(new Set(TAG_PALETTE.map((entry) => entry.colour)).size).toBe(TAG_PALETTE.length)
  })
})

describe('tag ids from labels', () => {
  it('upper-cases, drops diacritics and joins words with "_"', () => {
    expect(tagIdFromLabel('Place name', [])).toBe('PLACE_NAME')
    expect(tagIdFromLabel('Şəhər', [])).toBe('SAHAR')
    expect(tagIdFromLabel('  İlham’s party!  ', [])).toBe('ILHAM_S_PARTY')
    expect(tagIdFromLabel('2024 event', [])).toBe('T_2024_EVENT')
    expect(tagIdFromLabel('مكان', [])).toBe('TAG')
  })

  it('is unique among the ids taken, and never longer than 32', () => {
    expect(tagIdFromLabel('Person', ['PERSON'])).toBe('PERSON_2')
    expect(tagIdFromLabel('Person', ['PERSON', 'PERSON_2'])).toBe('PERSON_3')
    const long = tagIdFromLabel('a'.repeat(40), ['A'.repeat(32)])
    expect(long).toBe(`${'A'.repeat(30)}_2`)
    expect(long).toMatch(/^[A-Z][A-Z0-9_]{0,31}$/)
  })
})

describe('applyTagSetChanges', () => {
  it('adds, renames, recolours, rekeys and reorders in one go', () => {
    const tags = accepted(
      applyTagSetChanges(defaults(), [
        { op: 'add', tag: place },
        { op: 'update', id: 'ORG', changes: { label: ' Organisation ', key: '6', color: '#2e8bc0' } },
        { op: 'reorder', ids: ['PLACE', 'PERSON', 'ORG', 'EVENT', 'PROGRAM'] }
      ])
    )
    expect(tags.map((tag) => tag.id)).toEqual(['PLACE', 'PERSON', 'ORG', 'EVENT', 'PROGRAM'])
    expect(tags[2]).toEqual({ id: 'ORG', label: 'Organisation', shortLabel: 'ORG', key: '6', color: '#2E8BC0' })
  })

  it('keeps an old colour that fails the contrast rule while other fields change', () => {
    // The default orange before issue 11 is 2.2:1 on white: renaming Person must not be refused for it.
    const older = defaults().map((tag) => (tag.id === 'PERSON' ? { ...tag, color: '#E69F00' } : tag))
    const tags = accepted(applyTagSetChanges(older, [{ op: 'update', id: 'PERSON', changes: { label: 'People', color: '#e69f00' } }]))
    expect(tags[0]).toMatchObject({ label: 'People', color: '#E69F00' })
  })

  it.each<[string, TagSetChange[], RegExp]>([
    ['an empty name', [{ op: 'update', id: 'ORG', changes: { label: '   ' } }], /the tag name is empty/],
    ['an empty short label', [{ op: 'add', tag: { ...place, shortLabel: ' ' } }], /the short label of "Place" is empty/],
    ['a name that differs only in case', [{ op: 'add', tag: { ...place, label: 'PERSON' } }], /"PERSON" and "Person" are the same name/],
    ['a Turkish dotted capital I', [{ op: 'update', id: 'EVENT', changes: { label: 'İnstitution' } }, { op: 'update', id: 'PROGRAM', changes: { label: 'institution' } }], /are the same name/],
    ['a short label taken', [{ op: 'add', tag: { ...place, shortLabel: 'per' } }], /have the same short label "per"/],
    ['an id taken', [{ op: 'add', tag: { ...place, id: 'ORG' } }], /a tag with the id ORG already exists/],
    ['a key taken', [{ op: 'add', tag: { ...place, key: '2' } }], /"Place" and "Organization" both use key 2|"Organization" and "Place" both use key 2/],
    ['a key outside 1–9', [{ op: 'update', id: 'ORG', changes: { key: '0' } }], /the key of "Organization" must be one of 1 to 9/],
    ['an unknown id to change', [{ op: 'update', id: 'NOPE', changes: { label: 'x' } }], /there is no tag NOPE to change/],
    ['an unknown id to delete', [{ op: 'delete', id: 'NOPE', annotator: 'Leyla' }], /there is no tag NOPE to delete/],
    ['a move to an unknown tag', [{ op: 'delete', id: 'ORG', moveTo: 'NOPE', annotator: 'Leyla' }], /cannot move to NOPE: there is no such tag/],
    ['a move to the tag deleted', [{ op: 'delete', id: 'ORG', moveTo: 'ORG', annotator: 'Leyla' }], /cannot move to the tag being deleted/],
    ['a move to a tag deleted too', [{ op: 'delete', id: 'ORG', moveTo: 'EVENT', annotator: 'Leyla' }, { op: 'delete', id: 'EVENT', annotator: 'Leyla' }], /cannot move to EVENT: it is deleted too/],
    ['an order leaving a tag out', [{ op: 'reorder', ids: ['PERSON', 'ORG', 'EVENT'] }], /leaves out PROGRAM; it must name every tag once/],
    ['an order naming a tag twice', [{ op: 'reorder', ids: ['PERSON', 'ORG', 'EVENT', 'PROGRAM', 'ORG'] }], /names a tag twice/],
    ['an order naming an unknown tag', [{ op: 'reorder', ids: ['PERSON', 'ORG', 'EVENT', 'PROGRAM', 'X'] }], /names unknown tags \(X\)/],
    ['a colour too light for white', [{ op: 'update', id: 'ORG', changes: { color: '#F0E442' } }], /#F0E442 of "Organization" is hard to see — Light page: the underline is too faint \(1\.\d:1, needs 3:1\)/],
    ['a colour too dark for the dark page', [{ op: 'add', tag: { ...place, color: '#0072B2' } }], /Dark page: the underline is too faint/],
    ['an invalid id', [{ op: 'add', tag: { ...place, id: 'place' } }], /the id "place" is not upper-case/],
    ['no tags left', DEFAULT_TAGS.map((tag) => ({ op: 'delete' as const, id: tag.id, annotator: 'Leyla' })), /a project needs at least one tag/]
  ])('refuses %s with the reason', (_name, changes, reason) => {
    expect(refusal(applyTagSetChanges(defaults(), changes))).toMatch(reason)
  })

  it('refuses a tenth tag, since keys run 1 to 9', () => {
    const nine = accepted(
      applyTagSetChanges(
        defaults(),
        ['5', '6', '7', '8', '9'].map((key) => ({ op: 'add' as const, tag: { id: `T${key}`, label: `Tag ${key}`, shortLabel: `T${key}`, key, color: '#009E73' } }))
      )
    )
    expect(nine).toHaveLength(9)
    expect(freeTagKey(nine)).toBe('')
    const tenth = applyTagSetChanges(nine, [{ op: 'add', tag: { id: 'T10', label: 'Tag 10', shortLabel: 'T10', key: '9', color: '#009E73' } }])
    expect(refusal(tenth)).toMatch(/at most 9 tags, one for each key 1–9/)
  })

  it('gives every reason at once, each at its tag and field, and changes nothing', () => {
    const before = defaults()
    const outcome = applyTagSetChanges(before, [
      { op: 'update', id: 'ORG', changes: { label: '' } },
      { op: 'update', id: 'EVENT', changes: { key: '1' } }
    ])
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.problems.map((problem) => [problem.tagId, problem.field])).toEqual([
      ['ORG', 'label'],
      ['EVENT', 'key']
    ])
    expect(before).toEqual(defaults())
  })

  it('notes deletions with where their spans go', () => {
    const outcome = applyTagSetChanges(defaults(), [{ op: 'delete', id: 'PROGRAM', moveTo: 'EVENT', annotator: 'Leyla' }])
    expect(outcome).toMatchObject({ ok: true, deletions: [{ id: 'PROGRAM', moveTo: 'EVENT', annotator: 'Leyla' }] })
    expect(accepted(outcome).map((tag) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT'])
    expect(freeTagKey(accepted(outcome))).toBe('4')
  })

  it('accepts a project from an import with a keyless tag and more than nine tags, as long as it does not grow', () => {
    const imported = [...defaults(), ...Array.from({ length: 6 }, (_, index) => ({ id: `X${index}`, label: `X ${index}`, shortLabel: `X${index}`, key: index < 5 ? String(index + 5) : '', color: '#999999' }))]
    expect(accepted(applyTagSetChanges(imported, [{ op: 'update', id: 'X0', changes: { label: 'Extra' } }]))).toHaveLength(10)
    expect(refusal(applyTagSetChanges(imported, [{ op: 'add', tag: { ...place, key: '1', id: 'NEW', label: 'New', shortLabel: 'NEW' } }]))).toMatch(/at most 9 tags/)
  })
})

describe('tag set rules, for any changes (property)', () => {
  const ids = fc.constantFrom('PERSON', 'ORG', 'EVENT', 'PROGRAM', 'PLACE', 'DATE', 'X')
  const labels = fc.constantFrom('Person', 'person', 'Place', 'Date', ' ', 'İnstitution', 'institution', 'Event', 'New')
  const keys = fc.constantFrom('1', '2', '5', '6', '9', '0')
  const colours = fc.constantFrom('#009E73', '#D55E00', '#F0E442', '#0072B2', '#E69F00', '#999933')
  const change: fc.Arbitrary<TagSetChange> = fc.oneof(
    fc.record({ op: fc.constant('add' as const), tag: fc.record({ id: ids, label: labels, shortLabel: fc.constantFrom('P', 'PL', 'per', 'DT'), key: keys, color: colours }) }),
    fc.record({ op: fc.constant('update' as const), id: ids, changes: fc.record({ label: labels, key: keys, color: colours }, { requiredKeys: [] }) }),
    fc.record({ op: fc.constant('delete' as const), id: ids, annotator: fc.constant('Leyla'), moveTo: fc.option(ids, { nil: undefined }) }).map(({ moveTo, ...rest }) => (moveTo === undefined ? rest : { ...rest, moveTo })),
    fc.shuffledSubarray(['PERSON', 'ORG', 'EVENT', 'PROGRAM', 'PLACE'], { minLength: 1 }).map((order) => ({ op: 'reorder' as const, ids: order }))
  )

  it('accepts only sets with unique ids, names, short labels and keys, at most nine, new colours readable', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 8 }), (changes) => {
        const before = defaults()
        const outcome = applyTagSetChanges(before, changes)
        expect(before).toEqual(defaults())
        if (!outcome.ok) {
          expect(outcome.problems.length).toBeGreaterThan(0)
          return
        }
        const { tags } = outcome
        expect(tags.length).toBeGreaterThan(0)
        expect(tags.length).toBeLessThanOrEqual(MAX_TAGS)
        expect(new Set(tags.map((tag) => tag.id)).size).toBe(tags.length)
        expect(new Set(tags.map((tag) => labelKey(tag.label))).size).toBe(tags.length)
        expect(new Set(tags.map((tag) => labelKey(tag.shortLabel))).size).toBe(tags.length)
        expect(new Set(tags.map((tag) => tag.key)).size).toBe(tags.length)
        for (const tag of tags) {
          expect(tag.label.trim()).not.toBe('')
          expect(TAG_KEYS).toContain(tag.key)
          const unchanged = DEFAULT_TAGS.some((old) => old.id === tag.id && old.color === tag.color)
          if (!unchanged) expect(judgeColour(tag.color).ok).toBe(true)
        }
      }),
      { numRuns: 400 }
    )
  })

  it('makes ids from any label that fit the id pattern and are not taken', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), fc.array(fc.constantFrom('TAG', 'TAG_2', 'A', 'PERSON', `${'A'.repeat(32)}`), { maxLength: 5 }), (label, taken) => {
        const id = tagIdFromLabel(label, taken)
        expect(id).toMatch(TAG_ID_PATTERN)
        expect(taken).not.toContain(id)
      }),
      { numRuns: 400 }
    )
  })
})
