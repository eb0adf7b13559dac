// Change sets: parsing with a clear error, applying fast on the string (the same answer as
// CodeMirror's Text), composing, inverting, widening to whole characters, and revision ids.
import { ChangeSet } from '@codemirror/state'
import { describe, expect, it } from 'vitest'
import {
  applyChanges,
  changeSetFromSpecs,
  changeSetOf,
  composeChanges,
  describeSplitCharacter,
  invertChanges,
  newRevisionId,
  textOf,
  TextEditError
} from '../../src/core/text-edit/change-set'
import { REVISION_ID_PATTERN } from '../../src/shared/api-schemas'
import type { ChangeSetJson } from '../../src/shared/model'

describe('changeSetOf', () => {
  it('reads a change set made for the text', () => {
    const changes = changeSetOf([3, [2, 'xy'], 1], 6)
    expect(changes.length).toBe(6)
    expect(changes.newLength).toBe(6)
  })

  it('names both lengths when the change set is for another text', () => {
    expect(() => changeSetOf([120], 118)).toThrow(new TextEditError('the change set is for a text of 120 characters, but the text has 118'))
  })

  it('refuses negative lengths, lines holding a line break and parts of the wrong kind', () => {
    expect(() => changeSetOf([-1] as ChangeSetJson, 0)).toThrow(/part 1 \(-1\) is not a length/)
    expect(() => changeSetOf([[0, 'a\nb']], 0)).toThrow(/inserted line holding a line break/)
    expect(() => changeSetOf(['x'] as unknown as ChangeSetJson, 0)).toThrow(/neither a length nor/)
    expect(() => changeSetOf({} as unknown as ChangeSetJson, 0)).toThrow(/not a list/)
  })
})

describe('applyChanges', () => {
  it('gives what CodeMirror gives, with CRLF, lone CR and emoji kept as characters', () => {
    const text = 'a\r\nb\rc 😀 d\n'
    const changes = changeSetFromSpecs(text, [
      { from: 0, to: 1, insert: 'A\r\nB' },
      { from: 4, to: 5, insert: '' },
      { from: text.length, to: text.length, insert: 'end\n' }
    ])
    const expected = ChangeSet.fromJSON(changes).apply(textOf(text)).sliceString(0)
    expect(applyChanges(text, changes)).toBe(expected)
    expect(applyChanges(text, changes)).toBe('A\r\nB\r\nbc 😀 d\nend\n')
  })

  it('works on an empty text', () => {
    expect(applyChanges('', [[0, 'new']])).toBe('new')
    expect(applyChanges('', [])).toBe('')
  })

  it('refuses a change set for another length', () => {
    expect(() => applyChanges('abc', [2])).toThrow(TextEditError)
  })
})

describe('composeChanges and invertChanges', () => {
  it('composes edits into one with the same result', () => {
    const text = 'Emin Amrullayev met'
    const first = changeSetFromSpecs(text, [{ from: 0, to: 0, insert: 'Minister ' }])
    const middle = applyChanges(text, first)
    const second = changeSetFromSpecs(middle, [{ from: middle.length - 3, to: middle.length, insert: 'meets' }])
    const both = composeChanges([first, second], text.length)
    expect(applyChanges(text, both)).toBe('Minister Emin Amrullayev meets')
  })

  it('says which change set does not fit', () => {
    expect(() => composeChanges([[3], [4]], 3)).toThrow(/change set 2 of 2: the change set is for a text of 4 characters, but the text has 3/)
  })

  it('inverts back to the text before, CRLF and surrogates included', () => {
    const text = 'x\r\ny 𝒜 z'
    const changes = changeSetFromSpecs(text, [{ from: 1, to: 5, insert: 'Q' }])
    const after = applyChanges(text, changes)
    expect(applyChanges(after, invertChanges(changes, text))).toBe(text)
  })
})

describe('changeSetFromSpecs widens to whole characters', () => {
  const crlf = 'one\r\ntwo'

  it('deleting only the \\n of a CRLF deletes the whole line break', () => {
    expect(applyChanges(crlf, changeSetFromSpecs(crlf, [{ from: 4, to: 5, insert: '' }]))).toBe('onetwo')
  })

  it('deleting only the \\r of a CRLF deletes the whole line break', () => {
    expect(applyChanges(crlf, changeSetFromSpecs(crlf, [{ from: 3, to: 4, insert: '' }]))).toBe('onetwo')
  })

  it('inserting between \\r and \\n inserts before the \\r', () => {
    expect(applyChanges(crlf, changeSetFromSpecs(crlf, [{ from: 4, to: 4, insert: '!' }]))).toBe('one!\r\ntwo')
  })

  it('deleting half an emoji deletes the emoji, and typing inside one types before it', () => {
    const text = 'a😀b'
    expect(applyChanges(text, changeSetFromSpecs(text, [{ from: 2, to: 3, insert: '' }]))).toBe('ab')
    expect(applyChanges(text, changeSetFromSpecs(text, [{ from: 1, to: 2, insert: '' }]))).toBe('ab')
    expect(applyChanges(text, changeSetFromSpecs(text, [{ from: 2, to: 2, insert: 'x' }]))).toBe('ax😀b')
  })

  it('leaves Arabic and edits on whole characters alone', () => {
    const text = 'سالم بن محمد'
    const changes = changeSetFromSpecs(text, [{ from: 5, to: 7, insert: 'ابن' }])
    expect(applyChanges(text, changes)).toBe('سالم ابن محمد')
  })

  it('inserted CRLFs keep their length (lines split on \\n only)', () => {
    const changes = changeSetFromSpecs('ab', [{ from: 1, to: 1, insert: '\r\n' }])
    expect(ChangeSet.fromJSON(changes).newLength).toBe(4)
    expect(applyChanges('ab', changes)).toBe('a\r\nb')
  })

  it('widens the same on the editor\'s CodeMirror Text as on the string', () => {
    const text = 'one\r\ntwo 😀'
    const specs = [
      { from: 4, to: 5, insert: '' },
      { from: 10, to: 10, insert: 'x' }
    ]
    expect(changeSetFromSpecs(textOf(text), specs)).toEqual(changeSetFromSpecs(text, specs))
    expect(applyChanges(text, changeSetFromSpecs(textOf(text), specs))).toBe('onetwo x😀')
    const splitting = ChangeSet.of([{ from: 4, to: 5 }], text.length, '\n').toJSON() as ChangeSetJson
    expect(describeSplitCharacter(textOf(text), splitting)).toBe(describeSplitCharacter(text, splitting))
  })

  it('refuses a range outside the text', () => {
    expect(() => changeSetFromSpecs('ab', [{ from: 1, to: 3, insert: '' }])).toThrow(/the change 1–3 is not a range of the text \(0–2\)/)
  })
})

describe('describeSplitCharacter', () => {
  it('is null for changes between whole characters', () => {
    const text = 'a\r\n😀b'
    expect(describeSplitCharacter(text, changeSetFromSpecs(text, [{ from: 3, to: 5, insert: 'x' }]))).toBeNull()
  })

  it('names the offset and the CRLF a change would split', () => {
    const text = 'one\r\ntwo'
    const changes = ChangeSet.of([{ from: 4, to: 5 }], text.length, '\n').toJSON() as ChangeSetJson
    expect(describeSplitCharacter(text, changes)).toBe('the change at offset 4 would split a CRLF line break')
  })

  it('names the surrogate pair an insertion would split', () => {
    const text = 'a😀'
    const changes = ChangeSet.of([{ from: 2, insert: 'x' }], text.length, '\n').toJSON() as ChangeSetJson
    expect(describeSplitCharacter(text, changes)).toBe('the change at offset 2 would split the surrogate pair of U+1F600')
  })
})

describe('newRevisionId', () => {
  it('matches the API pattern', () => {
    expect(newRevisionId(1)).toMatch(REVISION_ID_PATTERN)
    expect(newRevisionId(999_999_999, () => 0.999999)).toBe('r999999999-ffffffffffff')
    expect(newRevisionId(7, () => 0)).toBe('r7-000000000000')
  })

  it('refuses sequence numbers the pattern cannot hold', () => {
    expect(() => newRevisionId(0)).toThrow(TextEditError)
    expect(() => newRevisionId(1_000_000_000)).toThrow(TextEditError)
    expect(() => newRevisionId(1.5)).toThrow(TextEditError)
  })
})
