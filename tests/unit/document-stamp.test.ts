// A document's stamps: the files' (every name, size and time) and the cheaper folders' (the
// folders' change times and the journals' sizes), and when a folders' stamp can be relied on.
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { documentStamp, documentStamps, foldersUnchanged } from '../../src/main/store/document-stamp'
import { makeTempFolder } from '../fixtures/temp-folder'

const FILES = { document: 'document.json', text: 'text.txt', annotations: 'annotations', revisions: 'revisions' }

async function documentFolder(): Promise<string> {
  const folder = join(await makeTempFolder('quire-stamp-'), 'doc')
  await mkdir(join(folder, 'annotations'), { recursive: true })
  await writeFile(join(folder, 'document.json'), '{}')
  await writeFile(join(folder, 'text.txt'), 'Text.')
  await writeFile(join(folder, 'annotations', 'leyla.json'), '{}')
  await writeFile(join(folder, 'annotations', '.leyla.json.journal'), '{"seq":1}\n')
  return folder
}

describe('document stamps', () => {
  it('gives no folders’ stamp while the folders have just changed', async () => {
    const folder = await documentFolder()
    expect(documentStamps(folder, FILES).folders).toBeUndefined()
    await sleep(80)
    expect(documentStamps(folder, FILES).folders).toEqual(expect.any(String))
  })

  it('sees a file renamed into place, a new revisions folder and a journal appended to in place', async () => {
    const folder = await documentFolder()
    await sleep(80)
    const first = documentStamps(folder, FILES)
    expect(foldersUnchanged(folder, FILES, first.folders as string)).toBe(true)

    await writeFile(join(folder, 'annotations', '.zaur.json.tmp'), '{}')
    await rename(join(folder, 'annotations', '.zaur.json.tmp'), join(folder, 'annotations', 'zaur.json'))
    expect(foldersUnchanged(folder, FILES, first.folders as string)).toBe(false)
    await sleep(80)
    const second = documentStamps(folder, FILES)
    expect(second.files).not.toBe(first.files)

    await mkdir(join(folder, 'revisions'))
    expect(foldersUnchanged(folder, FILES, second.folders as string)).toBe(false)
    await sleep(80)
    const third = documentStamps(folder, FILES)
    expect(foldersUnchanged(folder, FILES, third.folders as string)).toBe(true)

    await appendFile(join(folder, 'annotations', '.leyla.json.journal'), '{"seq":2}\n')
    expect(foldersUnchanged(folder, FILES, third.folders as string)).toBe(false)
  })

  it('takes the survey’s parts of the folder and annotations/ for what it would find in place', async () => {
    const folder = await documentFolder()
    await rm(join(folder, 'annotations', '.leyla.json.journal'))
    await sleep(80)
    const recorded = documentStamps(folder, FILES).folders as string
    const [folderPart, annotationsPart, revisionsPart] = recorded.split('/')
    expect(revisionsPart).toBe('-')
    const surveyed = `${folderPart}/${annotationsPart}`
    expect(foldersUnchanged(folder, FILES, recorded, surveyed)).toBe(true)
    // Another change time of the same length as the one recorded.
    const other = (part: string | undefined): string => `${part?.slice(0, -1)}${part?.endsWith('1') ? '2' : '1'}`
    expect(foldersUnchanged(folder, FILES, recorded, `${folderPart}/${other(annotationsPart)}`)).toBe(false)
    expect(foldersUnchanged(folder, FILES, recorded, `${other(folderPart)}/${annotationsPart}`)).toBe(false)
    expect(foldersUnchanged(folder, FILES, recorded, '?/?')).toBe(false)
    // Only the survey's first part: annotations/ is looked at in place.
    expect(foldersUnchanged(folder, FILES, recorded, folderPart)).toBe(true)
    await writeFile(join(folder, 'annotations', '.zaur.json.tmp'), '{}')
    await rename(join(folder, 'annotations', '.zaur.json.tmp'), join(folder, 'annotations', 'zaur.json'))
    expect(foldersUnchanged(folder, FILES, recorded, folderPart)).toBe(false)
    // A recorded journal is looked at in place, whatever the survey says of the folders.
    await writeFile(join(folder, 'annotations', '.leyla.json.journal'), '{"seq":1}\n')
    await sleep(80)
    const withJournal = documentStamps(folder, FILES).folders as string
    const [journalFolderPart, journalAnnotationsPart] = withJournal.split('/')
    expect(foldersUnchanged(folder, FILES, withJournal, `${journalFolderPart}/${journalAnnotationsPart}`)).toBe(true)
    await appendFile(join(folder, 'annotations', '.leyla.json.journal'), '{"seq":2}\n')
    expect(foldersUnchanged(folder, FILES, withJournal, `${journalFolderPart}/${journalAnnotationsPart}`)).toBe(false)
  })

  it('leaves a file rewritten in place to the files’ stamp', async () => {
    const folder = await documentFolder()
    await sleep(80)
    const before = documentStamps(folder, FILES)
    await sleep(5)
    await writeFile(join(folder, 'document.json'), '{"name":"changed"}')
    expect(foldersUnchanged(folder, FILES, before.folders as string)).toBe(true)
    expect(documentStamp(folder, FILES)).not.toBe(before.files)
  })
})
