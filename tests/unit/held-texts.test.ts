import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { documentAskedFor, HeldTexts } from '../../src/shared/held-texts'

const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('held texts', () => {
  it('holds a text at once under the digest main sent with it', () => {
    const held = new HeldTexts()
    const text = 'Şəki – “co-operation” 🙂'
    const sha256 = 'c0ffee'.padEnd(64, '0')
    held.received('meeting', text, sha256)
    expect(held.heldFor('meeting')).toEqual({ hint: { documentId: 'meeting', sha256 }, text })
    expect(held.heldFor('another')).toBeNull()
  })

  it('holds the newest text of a document, the last four documents, and no empty text', () => {
    const held = new HeldTexts()
    held.received('meeting', 'first', digestOf('first'))
    held.received('meeting', 'second', digestOf('second'))
    for (const id of ['a', 'b', 'c']) held.received(id, id, digestOf(id))
    held.received('empty', '', digestOf('empty'))
    expect(held.heldFor('meeting')).toEqual({ hint: { documentId: 'meeting', sha256: digestOf('second') }, text: 'second' })
    expect(held.heldFor('empty')).toBeNull()
    held.used('meeting') // opened again: kept longest
    held.received('d', 'd', digestOf('d'))
    expect(held.heldFor('meeting')?.text).toBe('second')
    expect(held.heldFor('a')).toBeNull()
    expect(['b', 'c', 'd'].map((id) => held.heldFor(id)?.text)).toEqual(['b', 'c', 'd'])
  })

  it('holds no text that came without a well-formed digest, keeping what it held before under that text’s own digest', () => {
    const held = new HeldTexts()
    held.received('meeting', 'before the edit', digestOf('before'))
    held.received('meeting', 'after the edit', null)
    held.received('meeting', 'after the edit', 'NOT-A-DIGEST')
    expect(held.heldFor('meeting')).toEqual({ hint: { documentId: 'meeting', sha256: digestOf('before') }, text: 'before the edit' })
    held.received('other', 'text', null)
    expect(held.heldFor('other')).toBeNull()
  })

  it('names a held text only for getDocument with a layer to read, leaving malformed arguments to main', () => {
    expect(documentAskedFor('getDocument', [{ documentId: 'meeting', annotator: 'Ayla' }])).toBe('meeting')
    expect(documentAskedFor('getLayer', [{ documentId: 'meeting', annotator: 'Ayla' }])).toBeNull()
    for (const args of [[], [null], ['meeting'], [{ documentId: 7 }]]) expect(documentAskedFor('getDocument', args)).toBeNull()
    expect(new HeldTexts().heldFor(null)).toBeNull()
  })
})
