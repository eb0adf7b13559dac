// The agreement dialog's list of disagreements shows each with a little context; an ellipsis
// says only where that context stops short of the text (a position at the text's start had
// "…By Laman Ismayilova" before).
import { describe, expect, it } from 'vitest'
import { disagreementExcerpt } from '../../src/core/review/disagreement-excerpt'

const TEXT = 'By Laman Ismayilova The Islamic World Educational, Scientific, and Cultural Organization (ICESCO) and the Azerbaijan National Commission met in Baku.'

describe('disagreementExcerpt', () => {
  it('marks no cut at the start or the end of the text', () => {
    const start = TEXT.indexOf('Laman')
    expect(disagreementExcerpt(TEXT, start, start + 'Laman Ismayilova'.length)).toEqual({
      before: 'By ',
      text: 'Laman Ismayilova',
      after: ' The Islamic World Educational, Scientif…'
    })
    const baku = TEXT.indexOf('Baku')
    const excerpt = disagreementExcerpt(TEXT, baku, baku + 4)
    expect(excerpt.before.startsWith('…')).toBe(true)
    expect(excerpt.after).toBe('.')
  })

  it('puts every line break on one line and shortens a long position without halving a character', () => {
    const long = `${'a'.repeat(118)}😀${'b'.repeat(20)}`
    const shortened = disagreementExcerpt(long, 0, long.length)
    expect(shortened.text).toBe(`${'a'.repeat(118)}…`)
    expect(shortened.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    expect(disagreementExcerpt('Line one\nLine\r\ntwo', 5, 8)).toEqual({ before: 'Line ', text: 'one', after: ' Line two' })
  })
})
