import { describe, expect, it } from 'vitest'
import { inIndexOrder, SpanIndex } from '../../src/core/span-index'
import { withCpuTime } from '../helpers/cpu-time'

interface Span {
  id: string
  start: number
  end: number
  tag?: string
}

function bruteForceOverlapping(spans: Iterable<Span>, from: number, to: number): string[] {
  const rangeEnd = Math.max(to, from + 1)
  return [...spans].filter((span) => span.start < rangeEnd && span.end > from).map((span) => span.id).sort()
}

const ids = (spans: Span[]): string[] => spans.map((span) => span.id).sort()

// Small deterministic generator so a failure can be replayed.
function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

describe('SpanIndex', () => {
  it('answers overlap queries with half-open ranges', () => {
    const index = new SpanIndex<Span>([
      { id: 'a', start: 0, end: 5 },
      { id: 'b', start: 5, end: 10 },
      { id: 'c', start: 2, end: 20 }
    ])
    expect(index.size).toBe(3)
    expect(ids(index.overlapping(5, 6))).toEqual(['b', 'c'])
    expect(ids(index.overlapping(4, 5))).toEqual(['a', 'c'])
    expect(ids(index.overlapping(20, 30))).toEqual([])
    expect(ids(index.overlapping(3, 3))).toEqual(['a', 'c'])
  })

  it('returns spans ordered by start, the outer span first', () => {
    const index = new SpanIndex<Span>()
    index.add({ id: 'inner', start: 10, end: 12 })
    index.add({ id: 'outer', start: 10, end: 30 })
    index.add({ id: 'first', start: 1, end: 11 })
    expect(index.overlapping(0, 100).map((span) => span.id)).toEqual(['first', 'outer', 'inner'])
    expect(index.all().map((span) => span.id)).toEqual(['first', 'outer', 'inner'])
  })

  it('adds, updates and removes without a rebuild', () => {
    const index = new SpanIndex<Span>()
    index.add({ id: 'x', start: 3, end: 8, tag: 'PERSON' })
    expect(index.get('x')?.tag).toBe('PERSON')
    index.update({ id: 'x', start: 30, end: 38, tag: 'ORG' })
    expect(index.size).toBe(1)
    expect(index.overlapping(0, 10)).toEqual([])
    expect(index.overlapping(31, 32).map((span) => span.tag)).toEqual(['ORG'])
    expect(index.remove('x')?.tag).toBe('ORG')
    expect(index.remove('x')).toBeUndefined()
    expect(index.size).toBe(0)
    expect(() => index.update({ id: 'missing', start: 0, end: 1 })).toThrow(/missing/)
  })

  it('loads a layer with a repeated id as add() would (the later one wins), in order or not', () => {
    for (const spans of [
      [{ id: 'a', start: 0, end: 5 }, { id: 'b', start: 2, end: 4 }, { id: 'a', start: 6, end: 9 }],
      [{ id: 'a', start: 6, end: 9 }, { id: 'b', start: 2, end: 4 }, { id: 'a', start: 0, end: 5 }]
    ]) {
      const index = new SpanIndex<Span>(spans)
      const last = spans[2] as Span
      expect(index.size).toBe(2)
      expect(index.get('a')).toBe(last)
      expect(index.all().map((span) => [span.id, span.start])).toEqual([['b', 2], ['a', last.start]].sort((x, y) => (x[1] as number) - (y[1] as number)))
      expect(ids(index.overlapping(0, 10))).toEqual(['a', 'b'])
    }
  })

  it('lists a loaded layer in order, a copy each time, and follows every change after it', () => {
    const loaded = [{ id: 'a', start: 0, end: 5 }, { id: 'b', start: 2, end: 4 }, { id: 'c', start: 7, end: 9 }]
    const index = new SpanIndex<Span>(loaded)
    const first = index.all()
    expect(first).toEqual(loaded)
    first.pop()
    expect(index.all()).toEqual(loaded)
    index.add({ id: 'd', start: 1, end: 2 })
    expect(index.all().map((span) => span.id)).toEqual(['a', 'd', 'b', 'c'])
    index.remove('a')
    expect(index.all().map((span) => span.id)).toEqual(['d', 'b', 'c'])
    index.clear()
    expect(index.all()).toEqual([])
  })

  it('refuses spans whose end is before their start', () => {
    expect(() => new SpanIndex<Span>([{ id: 'bad', start: 9, end: 3 }])).toThrow(/bad.*9\.\.3/)
  })

  it('agrees with a brute-force scan under random adds, removes and updates', () => {
    const random = seededRandom(42)
    const index = new SpanIndex<Span>()
    const reference = new Map<string, Span>()
    let nextId = 0
    for (let step = 0; step < 4000; step++) {
      const action = random()
      if (action < 0.55 || reference.size === 0) {
        const start = Math.floor(random() * 1000)
        const span = { id: `s${nextId++}`, start, end: start + 1 + Math.floor(random() * (random() < 0.1 ? 400 : 15)) }
        index.add(span)
        reference.set(span.id, span)
      } else {
        const keys = [...reference.keys()]
        const victim = keys[Math.floor(random() * keys.length)] as string
        if (action < 0.8) {
          index.remove(victim)
          reference.delete(victim)
        } else {
          const start = Math.floor(random() * 1000)
          const moved = { id: victim, start, end: start + 1 + Math.floor(random() * 20) }
          index.update(moved)
          reference.set(victim, moved)
        }
      }
      if (step % 20 === 0) {
        const from = Math.floor(random() * 1050)
        const to = from + Math.floor(random() * 60)
        expect(ids(index.overlapping(from, to))).toEqual(bruteForceOverlapping(reference.values(), from, to))
        expect(index.size).toBe(reference.size)
      }
    }
  })

  it('keeps agreeing with a brute-force scan when a loaded layer is changed: freed slots reused, the arrays grown', () => {
    const random = seededRandom(5)
    const loaded: Span[] = []
    for (let i = 0; i < 3000; i++) {
      const start = Math.floor(random() * 5000)
      loaded.push({ id: `l${i}`, start, end: start + 1 + Math.floor(random() * 30) })
    }
    const index = new SpanIndex<Span>(loaded)
    const reference = new Map(loaded.map((span) => [span.id, span]))
    let nextId = 0
    for (let step = 0; step < 6000; step++) {
      const keys = step % 50 === 0 ? [...reference.keys()] : null
      if (random() < 0.5 || reference.size === 0) {
        const start = Math.floor(random() * 5000)
        const span = { id: `n${nextId++}`, start, end: start + 1 + Math.floor(random() * (random() < 0.05 ? 800 : 20)) }
        index.add(span)
        reference.set(span.id, span)
      } else {
        const victim = (keys ?? [...reference.keys()])[Math.floor(random() * reference.size)] as string
        expect(index.remove(victim)).toBe(reference.get(victim))
        reference.delete(victim)
      }
      if (step % 25 === 0) {
        const from = Math.floor(random() * 5100)
        const to = from + Math.floor(random() * 200)
        expect(ids(index.overlapping(from, to))).toEqual(bruteForceOverlapping(reference.values(), from, to))
        expect(index.size).toBe(reference.size)
      }
    }
    expect(index.all().map((span) => span.id)).toEqual([...reference.values()].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1)).map((span) => span.id))
  })

  it('answers narrow queries over 100,000 spans quickly', () => {
    const spans: Span[] = []
    for (let i = 0; i < 100_000; i++) spans.push({ id: `a${i}`, start: i * 50, end: i * 50 + 5 + (i % 7) })
    spans.push({ id: 'long', start: 0, end: 5_000_000 })
    const index = new SpanIndex(spans)
    for (let i = 0; i < 100; i++) index.add({ id: `extra${i}`, start: i * 997, end: i * 997 + 3 })
    const { result: found, cpuMs } = withCpuTime(() => {
      let count = 0
      for (let query = 0; query < 10_000; query++) {
        const from = (query * 4999) % 5_000_000
        count += index.overlapping(from, from + 2000).length
      }
      return count
    })
    expect(found).toBeGreaterThan(10_000 * 40)
    // A linear scan would take ~1000x longer; this bound only catches an accidental O(n) query.
    expect(cpuMs).toBeLessThan(1500)
    expect(ids(index.overlapping(2_500_000, 2_500_001))).toEqual(['a50000', 'long'])
  })
})

describe('inIndexOrder', () => {
  it('gives spans already in order back as they are, and others as a sorted copy', () => {
    const ordered: Span[] = [{ id: 'a', start: 0, end: 9 }, { id: 'b', start: 0, end: 4 }, { id: 'c', start: 5, end: 6 }]
    expect(inIndexOrder(ordered)).toBe(ordered)
    // A same-start pair stored shorter first, as a stored layer may hold it.
    const stored: Span[] = [{ id: 'c', start: 5, end: 6 }, { id: 'b', start: 0, end: 4 }, { id: 'a', start: 0, end: 9 }]
    expect(inIndexOrder(stored).map((span) => span.id)).toStrictEqual(['a', 'b', 'c'])
    expect(stored.map((span) => span.id)).toStrictEqual(['c', 'b', 'a'])
  })
})
