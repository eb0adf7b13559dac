import { describe, expect, it } from 'vitest'
import { joinAfter } from '../../src/renderer/src/lib/reader/line-joins'

describe('joining a block to the line before it', () => {
  it('starts the block where the text before the cut ends, one line up', () => {
    expect(joinAfter(412.5, 780, 60, 30)).toEqual({ indentPx: 412.5, liftPx: 30 })
  })

  it('puts the block on a line of its own when its first word would not fit after the cut', () => {
    expect(joinAfter(740, 780, 60, 30)).toBeNull()
    // The text before the cut filled its line to the edge (its last space hangs past it).
    expect(joinAfter(784, 780, 0, 30)).toBeNull()
  })

  it('does not join when the end of the text before could not be measured', () => {
    expect(joinAfter(0, 780, 60, 30)).toBeNull()
    expect(joinAfter(Number.NaN, 780, 60, 30)).toBeNull()
  })
})
