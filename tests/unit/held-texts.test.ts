import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { documentAskedFor, HeldTexts } from '../../src/shared/held-texts'

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10))
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('held texts', () => {
  it('names a text it was sent by the SHA-256 of its UTF-8, once the digest is taken', async () => {
    const held = new HeldTexts(undefined, (work) => work())
    const text = 'Şəki – “co-operation” 🙂'
    held.received('meeting', text, utf8(text))
    expect(held.heldFor('meeting')).toBeNull() // the digest is still being taken
    await settle()
    expect(held.heldFor('meeting')).toEqual({ hint: { documentId: 'meeting', sha256: createHash('sha256').update(utf8(text)).digest('hex') }, text })
    expect(held.heldFor('another')).toBeNull()
  })

  it('holds the newest text of a document, the last four documents, and no empty text', async () => {
    const held = new HeldTexts(async (bytes) => createHash('sha256').update(bytes).digest('hex'), (work) => work())
    held.received('meeting', 'first', utf8('first'))
    held.received('meeting', 'second', utf8('second'))
    for (const id of ['a', 'b', 'c']) held.received(id, id, utf8(id))
    held.received('empty', '', utf8(''))
    await settle()
    expect(held.heldFor('meeting')?.text).toBe('second')
    expect(held.heldFor('empty')).toBeNull()
    held.used('meeting') // opened again: kept longest
    held.received('d', 'd', utf8('d'))
    await settle()
    expect(held.heldFor('meeting')?.text).toBe('second')
    expect(held.heldFor('a')).toBeNull()
    expect(['b', 'c', 'd'].map((id) => held.heldFor(id)?.text)).toEqual(['b', 'c', 'd'])
  })

  it('holds the text that came last for a document though its digest finished first', async () => {
    const finishing: Array<() => void> = []
    const held = new HeldTexts((bytes) => new Promise((resolve) => finishing.push(() => resolve(createHash('sha256').update(bytes).digest('hex')))), (work) => work())
    held.received('meeting', 'before the edit', utf8('before the edit'))
    held.received('meeting', 'after the edit', utf8('after the edit'))
    finishing[1]?.()
    finishing[0]?.()
    await settle()
    expect(held.heldFor('meeting')?.text).toBe('after the edit')
  })

  it('takes a digest only once the window has settled, and only of the text that came last', async () => {
    const waiting: Array<() => void> = []
    const digested: string[] = []
    const held = new HeldTexts(
      async (bytes) => (digested.push(new TextDecoder().decode(bytes)), createHash('sha256').update(bytes).digest('hex')),
      (work) => waiting.push(work)
    )
    held.received('meeting', 'before the edit', utf8('before the edit'))
    held.received('meeting', 'after the edit', utf8('after the edit'))
    await settle()
    expect(digested).toEqual([])
    for (const work of waiting) work()
    await settle()
    expect(digested).toEqual(['after the edit'])
    expect(held.heldFor('meeting')?.text).toBe('after the edit')
  })

  it('names a held text only for getDocument with a layer to read, leaving malformed arguments to main', () => {
    expect(documentAskedFor('getDocument', [{ documentId: 'meeting', annotator: 'Ayla' }])).toBe('meeting')
    expect(documentAskedFor('getLayer', [{ documentId: 'meeting', annotator: 'Ayla' }])).toBeNull()
    for (const args of [[], [null], ['meeting'], [{ documentId: 7 }]]) expect(documentAskedFor('getDocument', args)).toBeNull()
    expect(new HeldTexts().heldFor(null)).toBeNull()
  })

  it('holds nothing when the digest cannot be taken, so the text simply comes again', async () => {
    const held = new HeldTexts(() => Promise.reject(new Error('no WebCrypto')), (work) => work())
    held.received('meeting', 'text', utf8('text'))
    await settle()
    expect(held.heldFor('meeting')).toBeNull()
  })
})
