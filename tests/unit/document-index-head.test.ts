// The list's first screen kept beside the document index (document-index-head.json): taken only
// when the index file's full reading would give the same first entries, and what the window's
// start is answered from while that reading waits for the window to take its start.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { DocumentIndexEntry } from '../../src/core/document-index/entry'
import { DocumentIndex } from '../../src/main/services/document-index'
import { DocumentService } from '../../src/main/services/document-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ProjectService } from '../../src/main/services/project-service'
import { DocumentIndexFile } from '../../src/main/store/document-index-file'
import { makeTempFolder } from '../fixtures/temp-folder'
import { asUtf16 } from '../../src/shared/model'
import { makeTeamProject, type TeamProject } from '../fixtures/team-project'

const entry = (name: string): DocumentIndexEntry => ({ id: `${name}-id`, name, sizeBytes: 10, length: 10, layers: [], stamp: `stamp-${name}` })
const ENTRIES = ['delta', 'alpha', 'charlie', 'bravo'].map(entry)
const HEAD = [entry('alpha'), entry('bravo')]
const FOLDER = '12:1700000000000.5'

async function writtenFile(closed = true): Promise<DocumentIndexFile> {
  const file = new DocumentIndexFile(await makeTempFolder('quire-index-head-'))
  await file.write(ENTRIES, closed, FOLDER, HEAD)
  return file
}

describe('the head kept beside the index file', () => {
  it('reads back with the index’s count when the file was written as its session closed', async () => {
    const file = await writtenFile()
    expect(await file.readHead(FOLDER)).toEqual({ entries: HEAD, count: 4 })
  })

  it('is not taken when the file may say otherwise: not closed, a journal since, another documents folder, or no folder stamp', async () => {
    expect(await (await writtenFile(false)).readHead(FOLDER)).toBeNull()
    const file = await writtenFile()
    expect(await file.readHead('12:1700000000999.5')).toBeNull()
    expect(await file.readHead(undefined)).toBeNull()
    await file.append([{ opened: new Date().toISOString() }])
    expect(await file.readHead(FOLDER)).toBeNull()
  })

  it('is not taken when it was written with another file (a crash between the two writes), when the file was cut short, nor when it is damaged or missing', async () => {
    const file = await writtenFile()
    const earlierHead = await readFile(file.headPath, 'utf8')
    await file.write(ENTRIES.slice(0, 3), true, FOLDER, HEAD)
    await writeFile(file.headPath, earlierHead)
    expect(await file.readHead(FOLDER)).toBeNull()

    await file.write(ENTRIES, true, FOLDER, HEAD)
    const whole = await readFile(file.path)
    await writeFile(file.path, whole.subarray(0, whole.length - 8))
    expect(await file.readHead(FOLDER)).toBeNull()
    await writeFile(file.path, whole)
    expect(await file.readHead(FOLDER)).not.toBeNull()
    const head = JSON.parse(await readFile(file.headPath, 'utf8')) as { entries: unknown[] }
    await writeFile(file.headPath, JSON.stringify({ ...head, entries: [{ ...(head.entries[0] as object), layers: 'none' }] }))
    expect(await file.readHead(FOLDER)).toBeNull()
    await writeFile(file.headPath, '{"format":"quire-document-index-head", cut')
    expect(await file.readHead(FOLDER)).toBeNull()
    await writeFile(file.headPath, '')
    expect(await file.readHead(FOLDER)).toBeNull()
  })
})

/** The project as a window's session opens it, its index read only once `readAfter` or a caller asks. */
async function reopenWaiting(team: TeamProject, readAfter: () => Promise<void>): Promise<DocumentService> {
  const projects = new ProjectService(team.settings)
  await projects.open(team.dir)
  const layers = new LayerService(projects)
  return new DocumentService(projects, layers, new DocumentIndex(projects, layers, { readAfter }))
}

/** Closed once its folders have settled (the index file then carries their stamp, which the head needs). */
async function closeSettled(team: TeamProject): Promise<void> {
  await team.documents.list('Leyla')
  await sleep(80)
  await team.projects.close()
}

const MORE = ['echo', 'bravo', 'alpha', 'delta', 'charlie'].map((name) => ({ name, text: `${name} text about Baku.` }))

describe('the window’s start from the head', () => {
  it('lists the first documents with the annotator’s counts before the index file is read, which waits for the window or a caller', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    const alpha = team.ids.get('alpha') as string
    const baku = 'alpha text about '.length
    await team.annotations.applyEdits({ documentId: alpha, annotator: 'Leyla' }, [{ op: 'add', annotation: { id: 'l1', start: asUtf16(baku), end: asUtf16(baku + 4), tag: 'ORG' } }])
    const wholeList = await team.documents.list('Leyla')
    await closeSettled(team)

    const read = vi.spyOn(DocumentIndexFile.prototype, 'read')
    let windowTookItsStart = (): void => undefined
    const documents = await reopenWaiting(team, () => new Promise((resolve) => (windowTookItsStart = resolve)))
    documents.index.prepare()
    const start = await documents.firstOfListWhileReading('Leyla', 3)
    expect(start).toEqual({ documents: wholeList.slice(0, 3), documentCount: 6 })
    expect(start?.documents[0]).toMatchObject({ name: 'alpha', total: 1, countsByTag: { ORG: 1 } })
    let indexRead = false
    void documents.index.whenRead().then(() => (indexRead = true))
    await sleep(50)
    expect(read).not.toHaveBeenCalled()
    expect(indexRead).toBe(false)

    windowTookItsStart()
    await documents.index.whenRead()
    expect(read).toHaveBeenCalledTimes(1)
    // Read: the index answers itself from now on.
    expect(await documents.firstOfListWhileReading('Leyla', 3)).toBeNull()
    expect(await documents.list('Leyla')).toEqual(wholeList)
    read.mockRestore()
  })

  it('reads the index file at once when a call needs the entries', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await closeSettled(team)
    const documents = await reopenWaiting(team, () => new Promise<void>(() => undefined))
    documents.index.prepare()
    expect(await documents.firstOfListWhileReading('Leyla', 2)).not.toBeNull()
    expect((await documents.list('Leyla')).map((summary) => summary.name)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo', 'meeting'])
  })

  it('gives a save no summary while the index waits to be read, without waiting for it, and the summary once it is read', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    const alpha = team.ids.get('alpha') as string
    await closeSettled(team)
    let windowTookItsStart = (): void => undefined
    const tookItsStart = new Promise<void>((resolve) => (windowTookItsStart = resolve))
    const documents = await reopenWaiting(team, () => tookItsStart)
    // Not yet asked for: no index is being opened either.
    expect(await documents.summariesIfIndexOpen('Leyla', [alpha])).toBeNull()
    documents.index.prepare()
    expect(await documents.summariesIfIndexOpen('Leyla', [alpha])).toBeNull()
    windowTookItsStart()
    await documents.index.whenRead()
    const summaries = await documents.summariesIfIndexOpen('Leyla', [alpha])
    expect(summaries?.map((summary) => summary.name)).toEqual(['alpha'])
    expect(summaries).toEqual(await documents.summaries('Leyla', [alpha]))
  })

  it('has no head to start on after an opening that was not closed (a crash), nor after a document folder came behind Quire’s back', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await closeSettled(team)
    // Opened and read (the journal then says a session has the project open), never closed.
    const open = await reopenWaiting(team, () => Promise.resolve())
    expect(await open.list('Leyla')).toHaveLength(6)
    const afterCrash = await reopenWaiting(team, () => new Promise<void>(() => undefined))
    expect(await afterCrash.firstOfListWhileReading('Leyla', 2)).toBeNull()

    const other = await makeTeamProject('Leyla', MORE)
    await closeSettled(other)
    await mkdir(join(other.dir, 'documents', 'copied-in'))
    const afterCopy = await reopenWaiting(other, () => new Promise<void>(() => undefined))
    expect(await afterCopy.firstOfListWhileReading('Leyla', 2)).toBeNull()
  })
})
