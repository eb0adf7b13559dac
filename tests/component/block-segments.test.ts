import { describe, expect, it } from 'vitest'
import { segmentBlock, type SegmentableSpan } from '../../src/renderer/src/lib/reader/block-segments'

// What segmentBlock must return, written the plain way: every cut, and for each segment the
// marks covering it sorted outermost first and those of them starting there.
function plainSegments(text: string, blockStart: number, blockEnd: number, marks: readonly SegmentableSpan[]) {
  const cuts = new Set([blockStart, blockEnd])
  for (const mark of marks) {
    if (mark.start > blockStart && mark.start < blockEnd) cuts.add(mark.start)
    if (mark.end > blockStart && mark.end < blockEnd) cuts.add(mark.end)
  }
  const boundaries = [...cuts].sort((a, b) => a - b)
  const outermostFirst = (a: SegmentableSpan, b: SegmentableSpan) => b.end - b.start - (a.end - a.start) || a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return boundaries.slice(0, -1).map((start, index) => {
    const end = boundaries[index + 1] as number
    const covering = marks.filter((mark) => mark.start <= start && mark.end >= end).sort(outermostFirst)
    return { start, end, text: text.slice(start, end), covering, starting: covering.filter((mark) => mark.start === start) }
  })
}

describe('segmentBlock', () => {
  it('cuts at every mark boundary inside the block, nesting outermost first', () => {
    const text = 'Ilham Aliyev met the ASAN Service team in Baku.'
    const person = { id: 'p', start: 0, end: 12 }
    const given = { id: 'g', start: 0, end: 5 }
    const org = { id: 'o', start: 21, end: 38 }
    const segments = segmentBlock(text, 0, text.length, [given, org, person])
    expect(segments.map((segment) => segment.text)).toEqual(['Ilham', ' Aliyev', ' met the ', 'ASAN Service team', ' in Baku.'])
    expect(segments[0]?.covering.map((mark) => mark.id)).toEqual(['p', 'g'])
    expect(segments[0]?.starting.map((mark) => mark.id)).toEqual(['p', 'g'])
    expect(segments[1]?.starting).toEqual([])
    expect(segments[2]?.covering).toEqual([])
  })

  it('gives what the plain cutting gives, for random overlapping, nested and repeated marks', () => {
    let seed = 7
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % below
    }
    const text = 'abcdefghijklmnopqrstuvwxyz'.repeat(8)
    for (let round = 0; round < 300; round++) {
      const blockStart = random(60)
      const blockEnd = blockStart + 1 + random(120)
      const marks = Array.from({ length: random(12) }, (_, index) => {
        const start = blockStart - 10 + random(blockEnd - blockStart + 20)
        return { id: String(random(4) === 0 ? 0 : index), start, end: start + random(30) }
      }).filter((mark) => mark.end > mark.start && mark.start < blockEnd && mark.end > blockStart)
      expect(segmentBlock(text, blockStart, blockEnd, marks)).toEqual(plainSegments(text, blockStart, blockEnd, marks))
    }
  })
})
