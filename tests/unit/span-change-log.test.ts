import { describe, expect, it } from 'vitest'
import { SpanChangeLog, type SpanRangeChange } from '../../src/renderer/src/lib/state/span-change-log'

const added = (start: number): SpanRangeChange => ({ removed: [], added: [{ start, end: start + 1, tag: 'ORG' }] })

describe('SpanChangeLog', () => {
  it('gives the changes after a version, oldest first, and none after the current one', () => {
    const log = new SpanChangeLog()
    const before = log.version
    log.record(added(1))
    const middle = log.record(added(2))
    log.record(added(3))
    expect(log.since(before)).toEqual([added(1), added(2), added(3)])
    expect(log.since(middle)).toEqual([added(3)])
    expect(log.since(log.version)).toEqual([])
  })

  it('says the changes are not known across a change recorded without its spans', () => {
    const log = new SpanChangeLog()
    const before = log.version
    log.record(added(1))
    log.record(null)
    const after = log.record(added(2))
    expect(log.since(before)).toBeNull()
    expect(log.since(after - 1)).toEqual([added(2)])
  })

  it('keeps only the last changes: asked from before them, or from a version it never gave, it says they are not known', () => {
    const log = new SpanChangeLog(3)
    const before = log.version
    for (let change = 0; change < 4; change++) log.record(added(change))
    expect(log.since(before)).toBeNull()
    expect(log.since(before + 1)).toEqual([added(1), added(2), added(3)])
    expect(log.since(log.version + 1)).toBeNull()
  })
})
