// The index journal's appends: a saved document's line is written in the call itself (no trips to
// libuv's thread pool, which each save's summary waited for), a large append off the event loop;
// both read back alike.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DocumentIndexFile, type DocumentIndexEntry } from '../../src/main/store/document-index-file'
import { makeTempFolder } from '../fixtures/temp-folder'

const entry = (id: string): DocumentIndexEntry => ({
  id,
  name: `news ${id}`,
  sizeBytes: 10,
  length: 10,
  layers: [{ file: 'ayla-1.json', annotator: 'Ayla', status: 'in-progress', spans: 1, countsByTag: { ORG: 1 }, updatedAt: '2026-12-02T09:00:00.000Z' }],
  stamp: `stamp-${id}`
})

describe('the document index journal', () => {
  it("has a saved document's line on disk as soon as append returns, before its promise settles", async () => {
    const file = new DocumentIndexFile(await makeTempFolder('quire-index-append-'))
    await file.write([])
    const appended = file.append([entry('a')])
    expect(readFileSync(file.journalPath, 'utf8')).toBe(`${JSON.stringify(entry('a'))}\n`)
    await appended
  })

  it('takes a large append (many documents found changed at once) and reads every line back', async () => {
    const file = new DocumentIndexFile(await makeTempFolder('quire-index-append-'))
    await file.write([])
    const many = Array.from({ length: 2000 }, (_, position) => entry(String(position).padStart(5, '0')))
    await file.append([entry('small')])
    await file.append(many)
    const read = await file.read()
    if ('refused' in read) throw new Error(read.detail)
    expect(read.journalLines).toBe(2001)
    expect([...read.entries.keys()].sort()).toEqual(['small', ...many.map((each) => each.id)].sort())
  })
})
