// The document index file in binary columns (schema version 3): what it holds reads back as
// written, indexes of versions 2 (JSON columns) and 1 (one object per document) are still taken,
// anything damaged is refused,
// and the folders and files stat'ed by worker threads find what the same checks in place find.
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DocumentIndexEntry } from '../../src/core/document-index/entry'
import { columnsOfBinary, columnsOfBinaryInSlices, encodeBinaryColumns } from '../../src/core/document-index/binary-columns'
import { entriesOfIndexColumns, entriesOfIndexColumnsInSlices } from '../../src/core/document-index/columns'
import { documentIndexOf } from '../../src/main/services/document-index'
import { DOCUMENT_INDEX_FILE_NAME, DOCUMENT_INDEX_FORMAT, DOCUMENT_INDEX_SCHEMA_VERSION, DocumentIndexFile } from '../../src/main/store/document-index-file'
import { documentStamp, documentStamps } from '../../src/main/store/document-stamp'
import { surveyDocumentFolders, surveyFilesStamps } from '../../src/main/store/folder-survey'
import { LOCAL_STATE_FOLDER, ProjectStore } from '../../src/main/store/project-store'
import { readIndexHeader, writeVersion2Index } from '../helpers/legacy-document-index'
import { makeTempFolder } from '../fixtures/temp-folder'
import { addOver, colleagueLayer, makeTeamProject, writeAsColleague } from '../fixtures/team-project'

const HASH = 'ab'.repeat(32)

/** Entries with every kind of field: problems, several layers, no hash, no folders' stamp. */
const ENTRIES: DocumentIndexEntry[] = [
  {
    id: 'meeting-1a2b',
    name: 'Meeting in Baku',
    sizeBytes: 62,
    length: 61,
    layers: [
      { file: 'leyla-1.json', annotator: 'Leyla', status: 'done', spans: 3, countsByTag: { PERSON: 2, ORG: 1 }, updatedAt: '2026-12-02T05:42:47.223Z' },
      {
        file: 'zaur-2.json',
        annotator: 'Zaur',
        status: 'in-progress',
        spans: 0,
        countsByTag: {},
        updatedAt: null,
        problem: { code: 'corrupt-store', message: 'zaur-2.json is not valid JSON.', path: '/p/zaur-2.json' }
      }
    ],
    sha256: HASH,
    stamp: 'eNamqilYcbqNW2awdzbivuxK-go',
    folders: '2187270:1796190167385.694/2187426:1796190167385.694/-'
  },
  {
    id: 'broken-9f9f',
    name: 'broken-9f9f',
    sizeBytes: 0,
    length: 0,
    layers: [],
    problem: { code: 'corrupt-store', message: 'document.json is not valid JSON.', line: 3 },
    stamp: 'RkFH4tLwej6D4lZY9jPyPV4FHPc'
  },
  {
    id: 'leyla-only-0c0c',
    name: 'Ωmega “quoted”\n',
    sizeBytes: 12,
    length: 10,
    layers: [{ file: 'leyla-1.json', annotator: 'Leyla', status: 'not-started', spans: 1, countsByTag: { ORG: 1 }, updatedAt: '2026-12-02T05:42:48.000Z' }],
    sha256: 'cd'.repeat(32),
    stamp: 'MpkAd-TMcQJxj8v4IeNsWD0javI',
    folders: '1:2/3:4/5:6'
  }
]

async function indexFolder(): Promise<{ dir: string; file: DocumentIndexFile; path: string }> {
  const dir = await makeTempFolder('quire-index-format-')
  return { dir, file: new DocumentIndexFile(dir), path: join(dir, DOCUMENT_INDEX_FILE_NAME) }
}

async function readEntries(file: DocumentIndexFile): Promise<DocumentIndexEntry[]> {
  const read = await file.read()
  if ('refused' in read) throw new Error(read.detail)
  return [...read.entries.values()]
}

describe('the document index file', () => {
  it('writes its entries in binary columns and reads them back as they were', async () => {
    const { file, path } = await indexFolder()
    await file.write(ENTRIES, true)
    const header = await readIndexHeader(path)
    expect(header).toMatchObject({ format: DOCUMENT_INDEX_FORMAT, schemaVersion: 3, closed: true, count: ENTRIES.length, textEncoding: 'utf8' })
    // Repeated strings are written once.
    expect((header.strings as string[]).filter((value) => value === 'leyla-1.json')).toHaveLength(1)
    expect(await readEntries(file)).toEqual(ENTRIES)
  })

  it('cuts the columns and makes the entries a slice at a time when asked (a server answers other requests in between)', () => {
    const { layout, pieces } = encodeBinaryColumns(ENTRIES)
    const body = new Uint8Array(pieces.reduce((total, piece) => total + piece.length, 0))
    let at = 0
    for (const piece of pieces) {
      body.set(piece, at)
      at += piece.length
    }
    const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
    const columns = columnsOfBinary(layout, body, hexOf)
    if (typeof columns === 'string') throw new Error(columns)
    // The columns too: after the text's decoding, each entry's strings, each layer's, and before the hashes.
    const cutting = columnsOfBinaryInSlices(layout, body, hexOf, 1)
    let cuts = 0
    let cut = cutting.next()
    while (!cut.done) {
      cuts++
      cut = cutting.next()
    }
    const layerCount = ENTRIES.reduce((total, entry) => total + entry.layers.length, 0)
    expect(cuts).toBe(1 + (ENTRIES.length - 1) + layerCount + 1)
    expect(cut.value).toEqual(columns)
    const making = entriesOfIndexColumnsInSlices(columns, 1)
    let pauses = 0
    let step = making.next()
    while (!step.done) {
      pauses++
      step = making.next()
    }
    expect(pauses).toBe(ENTRIES.length - 1)
    expect(step.value).toEqual(ENTRIES)
    expect(entriesOfIndexColumns(columns)).toEqual(ENTRIES)
  })

  it('keeps a name with a lone surrogate (which UTF-8 cannot carry) as it was', async () => {
    const { file, path } = await indexFolder()
    const entries = [{ ...(ENTRIES[2] as DocumentIndexEntry), name: 'half \ud83d of an emoji' }, ENTRIES[0] as DocumentIndexEntry]
    await file.write(entries, false)
    expect(await readIndexHeader(path)).toMatchObject({ textEncoding: 'utf16', closed: false })
    expect(await readEntries(file)).toEqual(entries)
  })

  it('takes an index of schema version 1 (one object per document) as it is, and the next write is binary', async () => {
    const { file, path } = await indexFolder()
    await writeFile(file.legacyPath, `{"format":"${DOCUMENT_INDEX_FORMAT}","schemaVersion":1,"closed":true,"documents":[\n${ENTRIES.map((entry) => JSON.stringify(entry)).join(',\n')}\n]}\n`)
    const read = await file.read()
    expect(read).toMatchObject({ closedCleanly: true })
    expect(await readEntries(file)).toEqual(ENTRIES)
    await file.write(await readEntries(file))
    expect(await readIndexHeader(path)).toMatchObject({ schemaVersion: DOCUMENT_INDEX_SCHEMA_VERSION, closed: false })
    await expect(readFile(file.legacyPath)).rejects.toThrow()
    expect(await readEntries(file)).toEqual(ENTRIES)
  })

  it('takes an index of schema version 2 (JSON columns) as it is', async () => {
    const { file } = await indexFolder()
    await writeVersion2Index(file.legacyPath, ENTRIES, true)
    expect(await file.read()).toMatchObject({ closedCleanly: true })
    expect(await readEntries(file)).toEqual(ENTRIES)
  })

  it('reads the JSON index instead when an older Quire wrote it after the binary one', async () => {
    const { file } = await indexFolder()
    await file.write(ENTRIES, true)
    const older = ENTRIES.slice(0, 2)
    await writeVersion2Index(file.legacyPath, older, false)
    const later = new Date(Date.now() + 60_000)
    await utimes(file.legacyPath, later, later)
    expect(await readEntries(file)).toEqual(older)
    // And the binary one once it is the newer again.
    await file.write(ENTRIES, true)
    expect(await readEntries(file)).toEqual(ENTRIES)
  })

  it('reads layers with the counts by tag of the layer before into that layer’s object (frozen), and others into their own', async () => {
    const { file } = await indexFolder()
    const entry = (id: string, countsByTag: Record<string, number>): DocumentIndexEntry => ({
      id,
      name: id,
      sizeBytes: 1,
      length: 1,
      layers: [{ file: 'leyla-1.json', annotator: 'Leyla', status: 'done', spans: 2, countsByTag, updatedAt: null }],
      stamp: `stamp-${id}`
    })
    const entries = [entry('a', { PERSON: 1, ORG: 1 }), entry('b', { PERSON: 1, ORG: 1 }), entry('c', { PERSON: 1, EVENT: 1 }), entry('d', { PERSON: 2, EVENT: 1 }), entry('e', { PERSON: 2, EVENT: 1 })]
    await file.write(entries, true)
    const read = await readEntries(file)
    expect(read).toEqual(entries)
    const counts = read.map((readEntry) => readEntry.layers[0]?.countsByTag)
    expect(counts[1]).toBe(counts[0])
    expect(counts[2]).not.toBe(counts[1])
    expect(counts[3]).not.toBe(counts[2])
    expect(counts[4]).toBe(counts[3])
    expect(counts.every((object) => Object.isFrozen(object))).toBe(true)
  })

  it('reads an entry whose layers equal the entry before’s into that entry’s list of layers, and others into their own', async () => {
    const { file } = await indexFolder()
    const layer = (updatedAt: string | null, extra: Partial<DocumentIndexEntry['layers'][number]> = {}): DocumentIndexEntry['layers'][number] => ({
      file: 'leyla-1.json',
      annotator: 'Leyla',
      status: 'done',
      spans: 2,
      countsByTag: { PERSON: 2 },
      updatedAt,
      ...extra
    })
    const entry = (id: string, layers: DocumentIndexEntry['layers']): DocumentIndexEntry => ({ id, name: id, sizeBytes: 1, length: 1, layers, stamp: `stamp-${id}` })
    const problem = { code: 'corrupt-store' as const, message: 'not valid JSON.' }
    const entries = [
      entry('a', [layer('2026-12-02T09:00:00.001Z')]),
      entry('b', [layer('2026-12-02T09:00:00.001Z')]),
      entry('c', [layer('2026-12-02T09:00:00.002Z')]),
      entry('d', [layer('2026-12-02T09:00:00.002Z'), layer(null, { annotator: 'Zaur', file: 'zaur-2.json' })]),
      entry('e', [layer('2026-12-02T09:00:00.002Z'), layer(null, { annotator: 'Zaur', file: 'zaur-2.json', problem })]),
      entry('f', [layer('2026-12-02T09:00:00.002Z'), layer(null, { annotator: 'Zaur', file: 'zaur-2.json', problem })]),
      entry('g', []),
      entry('h', [])
    ]
    await file.write(entries, true)
    const read = await readEntries(file)
    expect(read).toEqual(entries)
    const layers = read.map((readEntry) => readEntry.layers)
    expect(layers[1]).toBe(layers[0])
    expect(layers[2]).not.toBe(layers[1])
    expect(layers[3]).not.toBe(layers[2])
    // A layer with a problem is never shared; the equal layers before it are.
    expect(layers[4]).not.toBe(layers[3])
    expect(layers[4]?.[0]).toBe(layers[3]?.[0])
    expect(layers[5]).not.toBe(layers[4])
    expect(layers[7]).toBe(layers[6])
  })

  it('never trusts a damaged file in JSON columns: each flaw refuses the whole index', async () => {
    const { file } = await indexFolder()
    const path = file.legacyPath
    await writeVersion2Index(path, ENTRIES, true)
    const good = JSON.parse(await readFile(path, 'utf8')) as { documents: Record<string, unknown> }
    const damages: [string, (documents: Record<string, unknown>) => void][] = [
      ['a column one short', (documents) => (documents.names as string[]).pop()],
      ['a count that is not the number of documents', (documents) => (documents.count = 4)],
      ['a string index past the table', (documents) => ((documents.layers as number[])[1] = 999)],
      ['an unknown status', (documents) => (documents.strings as string[]).splice(2, 1, 'finished')],
      ['a negative span count', (documents) => ((documents.layers as number[])[4] = -1)],
      ['layers that do not add up', (documents) => (documents.layers as number[]).push(0)],
      ['a hash that is not hex', (documents) => (documents.sha256 = `${'z'.repeat(64)}${(documents.sha256 as string).slice(64)}`)],
      ['a hash with a dash among its hex digits', (documents) => (documents.sha256 = `${'a'.repeat(63)}-${(documents.sha256 as string).slice(64)}`)],
      ['a hash column of the wrong length', (documents) => (documents.sha256 = (documents.sha256 as string).slice(1))],
      ['a problem without a message', (documents) => (documents.problems = { 1: { code: 'corrupt-store' } })],
      ['a size that is a string', (documents) => ((documents.sizeBytes as unknown[])[0] = '62')]
    ]
    for (const [what, damage] of damages) {
      const damaged = structuredClone(good)
      damage(damaged.documents)
      await writeFile(path, JSON.stringify(damaged))
      const read = await file.read()
      expect(read, what).toMatchObject({ refused: 'damaged' })
    }
    await writeFile(path, (await readFile(path, 'utf8')).slice(0, 200))
    expect(await file.read()).toMatchObject({ refused: 'damaged' })
  })

  it('never trusts a damaged binary file: each flaw refuses the whole index', async () => {
    const { file, path } = await indexFolder()
    await file.write(ENTRIES, true)
    const good = await readFile(path)
    const headerEnd = good.indexOf(0x0a)
    const withHeader = (change: (header: Record<string, unknown>) => void): Buffer => {
      const header = JSON.parse(good.subarray(0, headerEnd).toString('utf8')) as Record<string, unknown>
      change(header)
      return Buffer.concat([Buffer.from(JSON.stringify(header)), good.subarray(headerEnd)])
    }
    const flipped = (at: number): Buffer => {
      const bytes = Buffer.from(good)
      bytes[at] = (bytes[at] as number) ^ 0x10
      return bytes
    }
    const damages: [string, Buffer, string][] = [
      ['cut short', good.subarray(0, good.length - 1), 'damaged'],
      ['cut in its header', good.subarray(0, 40), 'damaged'],
      ['a byte added', Buffer.concat([good, Buffer.from([0])]), 'damaged'],
      ['a byte changed in a number', flipped(headerEnd + 1 + 3), 'damaged'],
      ['a byte changed in the text', flipped(good.length - 100), 'damaged'],
      ['a header that is not JSON', Buffer.concat([Buffer.from('{"format":'), good.subarray(headerEnd)]), 'damaged'],
      ['not an index', withHeader((header) => (header.format = 'something-else')), 'damaged'],
      ['a newer version', withHeader((header) => (header.schemaVersion = 4)), 'newer-version'],
      ['a section of another length', withHeader((header) => ((header.sections as number[])[0] = 16)), 'damaged'],
      ['the other byte order', withHeader((header) => (header.littleEndian = !header.littleEndian)), 'damaged'],
      ['an unknown text encoding', withHeader((header) => (header.textEncoding = 'latin2')), 'damaged'],
      ['a checksum of other bytes', withHeader((header) => (header.crc32 = (header.crc32 as number) ^ 1)), 'damaged']
    ]
    for (const [what, bytes, refusal] of damages) {
      await writeFile(path, bytes)
      expect(await file.read(), what).toMatchObject({ refused: refusal })
    }
    await writeFile(path, good)
    expect(await readEntries(file)).toEqual(ENTRIES)
  })
})

describe('the folders stat’ed by a worker thread', () => {
  it('are what the folders’ stamp of each document says', async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'alpha', text: 'Alpha text.' }])
    await sleep(80)
    const documentsDir = join(team.dir, 'documents')
    const ids = [...team.ids.values()]
    const survey = surveyDocumentFolders(documentsDir, [...ids, 'no-such-folder'], ['annotations'])
    const parts = await survey.parts
    for (const id of ids) {
      const folders = documentStamps(join(documentsDir, id), { document: 'document.json', text: 'text.txt', annotations: 'annotations', revisions: 'revisions' }).folders
      expect(folders?.split('/').slice(0, 2).join('/')).toBe(parts.get(id))
    }
    expect(parts.get('no-such-folder')).toBe('-/-')
    await team.projects.close()
  })

  it('are the same from background workers, which go in bursts with pauses (work-in-bursts.ts)', async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'alpha', text: 'Alpha text.' }, { name: 'beta', text: 'Beta text.' }])
    await sleep(80)
    const documentsDir = join(team.dir, 'documents')
    const ids = [...team.ids.values()]
    // Enough folders for several bursts of stat calls, so the workers pause between them.
    const missing = Array.from({ length: 3000 }, (_, position) => `no-such-folder-${position}`)
    const names = [...ids, ...missing]
    const files = { document: 'document.json', text: 'text.txt', annotations: 'annotations', revisions: 'revisions' }
    const [folders, stamps] = await Promise.all([surveyDocumentFolders(documentsDir, names, ['annotations'], true).parts, surveyFilesStamps(documentsDir, names, files, true).parts])
    // Every name answered by the workers: a worker that failed would leave its names to the main thread.
    expect(folders.size).toBe(names.length)
    expect(stamps.size).toBe(names.length)
    for (const id of ids) {
      expect(folders.get(id)).toBe(documentStamps(join(documentsDir, id), files).folders?.split('/').slice(0, 2).join('/'))
      expect(stamps.get(id)).toBe(documentStamp(join(documentsDir, id), files))
    }
    expect(folders.get('no-such-folder-2999')).toBe('-/-')
    await team.projects.close()
  })

  it('are the same when the waiting thread takes chunks of them too (helpedParts), for more folders than a chunk holds', async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'alpha', text: 'Alpha text.' }])
    await sleep(80)
    const documentsDir = join(team.dir, 'documents')
    const ids = [...team.ids.values()]
    const missing = Array.from({ length: 700 }, (_, position) => `no-such-folder-${position}`)
    const names = [...missing.slice(0, 350), ...ids, ...missing.slice(350)]
    const files = { document: 'document.json', text: 'text.txt', annotations: 'annotations', revisions: 'revisions' }
    const folders = await surveyDocumentFolders(documentsDir, names, ['annotations']).helpedParts()
    const stamps = await surveyFilesStamps(documentsDir, names, files, false).helpedParts()
    expect(folders.size).toBe(names.length)
    expect(stamps.size).toBe(names.length)
    for (const id of ids) {
      expect(folders.get(id)).toBe(documentStamps(join(documentsDir, id), files).folders?.split('/').slice(0, 2).join('/'))
      expect(stamps.get(id)).toBe(documentStamp(join(documentsDir, id), files))
    }
    for (const name of missing) {
      expect(folders.get(name)).toBe('-/-')
      expect(stamps.get(name)).toBe(documentStamp(join(documentsDir, name), files))
    }
    await team.projects.close()
  })

  it('give each document’s files’ stamp exactly as documentStamp does: layers, a journal, revisions, temp files, a missing folder', async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'alpha', text: 'Alpha text.' }])
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'ORG')])
    const meetingFolder = join(team.dir, 'documents', team.documentId)
    await writeFile(join(meetingFolder, 'annotations', '.zaur-0000.json.1234.tmp'), 'half written')
    await mkdir(join(meetingFolder, 'revisions'))
    await writeFile(join(meetingFolder, 'revisions', '0001-abcd.json'), '{}')
    const documentsDir = join(team.dir, 'documents')
    const names = [...team.ids.values(), 'no-such-folder']
    const files = { document: 'document.json', text: 'text.txt', annotations: 'annotations', revisions: 'revisions' }
    const stamps = await surveyFilesStamps(documentsDir, names, files, true).parts
    for (const name of names) expect(stamps.get(name)).toBe(documentStamp(join(documentsDir, name), files))
    expect(new Set(names.map((name) => stamps.get(name))).size).toBe(names.length)
    await team.projects.close()
  })

  it('find a file another program rewrote in place, as the files’ check in place does', async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'alpha', text: 'Alpha text.' }])
    await team.documents.list('Leyla')
    await sleep(80)
    await team.projects.close()
    const alphaId = team.ids.get('alpha') as string
    await writeAsColleague(join(team.dir, 'documents', alphaId, 'document.json'), '{ "format": "quire-doc', 'direct')
    const store = await ProjectStore.open(team.dir)
    try {
      const index = documentIndexOf(store, { folderSurveyFrom: 0 })
      await index.checked()
      expect((await index.entries()).find((entry) => entry.id === alphaId)?.problem?.code).toBe('corrupt-store')
      expect((await index.entries()).find((entry) => entry.id === team.documentId)?.problem).toBeUndefined()
    } finally {
      await store.close()
    }
  })

  it('find a layer a sync tool brought while the project was closed, as the checks in place do', async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'alpha', text: 'Alpha text.' }])
    await team.documents.list('Leyla')
    await sleep(80)
    await team.projects.close()
    const zaur = colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }], { status: 'done' })
    await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), zaur)

    const store = await ProjectStore.open(team.dir)
    try {
      const index = documentIndexOf(store, { readsOnly: true, folderSurveyFrom: 0 })
      await index.foldersChecked()
      const meeting = (await index.entries()).find((entry) => entry.id === team.documentId)
      expect(meeting?.layers.map((layer) => [layer.annotator, layer.spans])).toEqual([['Zaur', 1]])
      expect(await index.refusal()).toBeNull()
    } finally {
      await store.close()
    }
    const written = await new DocumentIndexFile(join(team.dir, LOCAL_STATE_FOLDER)).read()
    expect('refused' in written).toBe(false)
  })

  it('rebuild from the files when a session that only reads finds the index damaged (its listing and the read run at once)', async () => {
    const team = await makeTeamProject('Leyla', [
      { name: 'alpha', text: 'Alpha text.' },
      { name: 'beta', text: 'Beta text.' }
    ])
    await team.documents.list('Leyla')
    await team.projects.close()
    const indexPath = join(team.dir, LOCAL_STATE_FOLDER, DOCUMENT_INDEX_FILE_NAME)
    const bytes = await readFile(indexPath)
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff
    await writeFile(indexPath, bytes)

    const store = await ProjectStore.open(team.dir)
    try {
      const index = documentIndexOf(store, { readsOnly: true, folderSurveyFrom: 0 })
      await index.foldersChecked()
      expect((await index.entries()).map((entry) => entry.name).sort()).toEqual(['alpha', 'beta', 'meeting'])
      expect(await index.refusal()).toBe('damaged')
    } finally {
      await store.close()
    }
  })
})
