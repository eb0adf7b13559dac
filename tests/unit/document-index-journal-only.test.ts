// An index that does not keep imported entries (the command line's bulk import): the entries of
// the documents an import adds are in the journal only, crash-safe as before, and back in
// memory, whole, as soon as anything asks for them or the project closes.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { documentIndexOf } from '../../src/main/services/document-index'
import { ImportService } from '../../src/main/services/import-service'
import { DOCUMENT_INDEX_FILE_NAME, DOCUMENT_INDEX_JOURNAL_NAME, DocumentIndexFile, type DocumentIndexEntry, type IndexedLayer } from '../../src/main/store/document-index-file'
import { LOCAL_STATE_FOLDER, ProjectStore } from '../../src/main/store/project-store'
import type { ImportFile } from '../../src/shared/model'
import { readIndexHeader } from '../helpers/legacy-document-index'
import { makeTempFolder } from '../fixtures/temp-folder'

const texts = (count: number, from = 0): ImportFile[] =>
  Array.from({ length: count }, (_, index) => ({ name: `news-${from + index}.txt`, bytes: new TextEncoder().encode(`News item ${from + index}: ICESCO met in Baku.`) }))

async function importInto(store: ProjectStore, files: readonly ImportFile[]): Promise<void> {
  const report = await new ImportService({ requireProject: () => store }, MAX_IMPORT_BYTES).importTexts(files, 'Ayla', { batchSize: 10 })
  expect(report.imported).toHaveLength(files.length)
}

async function onDisk(store: ProjectStore): Promise<string[]> {
  const read = await new DocumentIndexFile(join(store.dir, LOCAL_STATE_FOLDER)).read()
  if ('refused' in read) throw new Error(read.detail)
  return [...read.entries.values()].map((entry) => entry.name).sort()
}

const sortedNames = (count: number, from = 0): string[] => texts(count, from).map((file) => file.name.replace(/\.txt$/, '')).sort()

describe('an index that does not keep imported entries', () => {
  it('has every imported document in its file and journal, and lists them all when asked', async () => {
    const store = await ProjectStore.create(join(await makeTempFolder('quire-journal-only-'), 'project'), 'Bulk')
    const index = documentIndexOf(store, { keepsImportedEntries: false })
    expect(await index.entries()).toEqual([])
    await importInto(store, texts(25))
    // What a process killed now would leave: the next opening reads all 25 from file and journal.
    expect(await onDisk(store)).toEqual(sortedNames(25))

    // Read back from the disk when first asked for, once.
    const reads = vi.spyOn(DocumentIndexFile.prototype, 'read')
    const listed = await index.entries()
    expect(reads).toHaveBeenCalledTimes(1)
    expect(listed.map((entry) => entry.name)).toEqual(sortedNames(25))
    expect(listed.every((entry) => entry.sha256?.length === 64 && entry.sizeBytes > 0 && entry.stamp !== '')).toBe(true)
    await index.entries()
    expect(reads).toHaveBeenCalledTimes(1)

    // Imports after that go to the journal only again; the entries already back stay.
    await importInto(store, texts(5, 25))
    const ids = await store.documentFolderNames()
    expect((await index.entriesFor(ids)).map((entry) => entry.name).sort()).toEqual(sortedNames(30))
    expect(reads).toHaveBeenCalledTimes(2)
    reads.mockRestore()
    await store.close()
  })

  it('writes every imported document into the index file as the project closes, and empties the journal', async () => {
    const dir = join(await makeTempFolder('quire-journal-only-'), 'project')
    const store = await ProjectStore.create(dir, 'Bulk')
    const index = documentIndexOf(store, { keepsImportedEntries: false })
    await index.entries()
    await importInto(store, texts(35))
    await store.close()
    await expect(stat(join(dir, LOCAL_STATE_FOLDER, DOCUMENT_INDEX_JOURNAL_NAME))).rejects.toThrow()
    expect(await readIndexHeader(join(dir, LOCAL_STATE_FOLDER, DOCUMENT_INDEX_FILE_NAME))).toMatchObject({ closed: true, count: 35 })

    const reopened = await ProjectStore.open(dir)
    const again = documentIndexOf(reopened)
    expect((await again.entries()).map((entry) => entry.name)).toEqual(sortedNames(35))
    expect(await again.refusal()).toBeNull()
    await reopened.close()
  })

  it('reads the entries back sharing what they have alike: the layers of documents imported together', async () => {
    const folder = await makeTempFolder('quire-journal-values-')
    const file = new DocumentIndexFile(folder)
    await file.write([])
    const layer = (updatedAt: string): IndexedLayer => ({ file: 'ayla-1.json', annotator: 'Ayla', status: 'in-progress', spans: 2, countsByTag: { ORG: 1, PER: 1 }, updatedAt })
    const entry = (id: string, updatedAt: string): DocumentIndexEntry => ({ id, name: id, sizeBytes: 10, length: 10, layers: [layer(updatedAt)], stamp: `stamp-${id}` })
    await file.append([entry('a', '2026-12-02T09:00:00.000Z'), entry('b', '2026-12-02T09:00:00.000Z'), entry('c', '2026-12-02T09:00:00.001Z')])
    const read = await file.read()
    if ('refused' in read) throw new Error(read.detail)
    const [a, b, c] = ['a', 'b', 'c'].map((id) => read.entries.get(id) as DocumentIndexEntry)
    expect(b?.layers).toBe(a?.layers)
    expect(c?.layers).not.toBe(a?.layers)
    expect(c?.layers[0]?.countsByTag).toBe(a?.layers[0]?.countsByTag)
    expect(c?.layers).toEqual([layer('2026-12-02T09:00:00.001Z')])
  })
})
