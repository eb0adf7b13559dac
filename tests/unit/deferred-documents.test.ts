// The plan's deferred documents kept as bytes and numbers: every text found again by its
// SHA-256 (across the table's growth), each with its lines and linked spans, none mixed up.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DeferredDocuments } from '../../src/main/services/deferred-documents'
import type { PlannedSpan } from '../../src/main/services/annotation-import-plan'
import { asUtf16 } from '../../src/shared/model'

const digestOf = (text: string): Buffer => createHash('sha256').update(text).digest()

describe('DeferredDocuments', () => {
  it('finds each of 5,000 texts by its SHA-256 after growing, with its line, and no text it was not given', () => {
    const documents = new DeferredDocuments()
    for (let index = 0; index < 5000; index++) {
      expect(documents.add(digestOf(`text ${index}`), { input: index % 3, offset: index * 1000 + 0.5 * 2 ** 33, length: 100 + index, line: index + 1 })).toBe(index)
    }
    expect(documents.size).toBe(5000)
    for (let index = 0; index < 5000; index += 7) {
      const number = documents.find(digestOf(`text ${index}`))
      expect(number).toBe(index)
      expect(documents.sha256Hex(number)).toBe(digestOf(`text ${index}`).toString('hex'))
      expect(documents.linesOf(number)).toEqual([{ input: index % 3, offset: index * 1000 + 0.5 * 2 ** 33, length: 100 + index, line: index + 1 }])
    }
    expect(documents.find(digestOf('text 5000'))).toBe(-1)
  })

  it('keeps a repeated text’s further lines and linked spans with its document only', () => {
    const documents = new DeferredDocuments()
    const first = documents.add(digestOf('a'), { input: 0, offset: 0, length: 10, line: 1 })
    const second = documents.add(digestOf('b'), { input: 0, offset: 11, length: 10, line: 2 })
    documents.addLine(first, { input: 1, offset: 50, length: 10, line: 7 })
    const span: PlannedSpan = { start: asUtf16(0), end: asUtf16(1), tag: 'PER', text: 'a', annotator: 'Ayla', entity: { id: 'e1', name: 'A' }, file: 'x.jsonl', line: 1 }
    documents.addLinkedSpan(second, span)
    expect(documents.linesOf(first).map((line) => line.line)).toEqual([1, 7])
    expect(documents.linesOf(second).map((line) => line.line)).toEqual([2])
    expect(documents.linkedSpansOf(first)).toEqual([])
    expect(documents.linkedSpansOf(second)).toEqual([span])
  })

  it('refuses a digest that is not 32 bytes', () => {
    expect(() => new DeferredDocuments().add(new Uint8Array(20), { input: 0, offset: 0, length: 1, line: 1 })).toThrow(/32 bytes/)
  })
})
