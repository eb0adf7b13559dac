// The bytes a text edit hashes must be exactly the new text's UTF-8, whatever the change.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyChanges, changeSetFromSpecs } from '../../src/core/text-edit/change-set'
import { utf8AfterChanges } from '../../src/main/store/utf8-after-changes'

const piece = fc.constantFrom('a', 'ə', 'Ş', '😀', '🇦🇿', '\r\n', '\n', ' ', 'ISESCO', 'ع', '')

describe('utf8AfterChanges', () => {
  it('gives the UTF-8 of the text after the changes, for any text and edits', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join('')),
        fc.array(fc.record({ at: fc.nat(), length: fc.nat({ max: 6 }), insert: fc.array(piece, { maxLength: 3 }).map((pieces) => pieces.join('')) }), { maxLength: 5 }),
        (text, edits) => {
          const specs = edits
            .map((edit) => {
              const from = edit.at % (text.length + 1)
              return { from, to: Math.min(text.length, from + edit.length), insert: edit.insert }
            })
            .sort((a, b) => a.from - b.from)
            .filter((spec, index, all) => index === 0 || spec.from >= (all[index - 1] as { to: number }).to)
          const changes = changeSetFromSpecs(text, specs)
          const expected = Buffer.from(applyChanges(text, changes), 'utf8')
          expect(utf8AfterChanges(text, Buffer.from(text, 'utf8'), changes).equals(expected)).toBe(true)
        }
      ),
      { numRuns: 500 }
    )
  })
})
