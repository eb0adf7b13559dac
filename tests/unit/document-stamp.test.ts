// A document's stamps: the files' (every name, size and time) and the cheaper folders' (the
// folders' change times and the journals' sizes), and when a folders' stamp can be relied on.
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises'
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
