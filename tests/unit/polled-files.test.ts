// The polling's look (polled-files.ts) on a real folder: what it reports from its second look on,
// and the listings it reuses while their folders' stamps hold.
import { appendFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { PolledFiles } from '../../src/main/services/polled-files'
import { makeTempFolder } from '../fixtures/temp-folder'

/** A project folder of two documents, each with a layer and its journal; the second with a revision. */
async function polledProject() {
  const dir = await makeTempFolder('quire-polled-')
  await writeFile(join(dir, 'project.json'), '{}')
  for (const id of ['doc-a', 'doc-b']) {
    await mkdir(join(dir, 'documents', id, 'annotations'), { recursive: true })
    await writeFile(join(dir, 'documents', id, 'document.json'), '{}')
    await writeFile(join(dir, 'documents', id, 'text.txt'), 'Text.')
    await writeFile(join(dir, 'documents', id, 'annotations', 'leyla.json'), '{}')
    await writeFile(join(dir, 'documents', id, 'annotations', '.leyla.json.journal'), '{"seq":1}\n')
  }
  await mkdir(join(dir, 'documents', 'doc-b', 'revisions'))
  await writeFile(join(dir, 'documents', 'doc-b', 'revisions', 'r1.json'), '{}')
  let listings = 0
  const store = {
    dir,
    documentFolderNames: async (): Promise<string[]> => {
      listings += 1
      return readdir(join(dir, 'documents'))
    }
  }
  const polled = new PolledFiles()
  /** One look; the paths it reported, relative to the project and sorted. */
  const look = async (): Promise<string[]> => {
    const reported: string[] = []
    expect(await polled.look(store, (path) => reported.push(path.slice(dir.length + 1)), () => true)).toBe(true)
    return reported.sort()
  }
  const path = (...parts: string[]): string => join(dir, ...parts)
  return { look, path, listings: () => listings, polled, store }
}

describe('PolledFiles', () => {
  it('reports nothing on its first look, nor on a look that finds everything as it was', async () => {
    const { look } = await polledProject()
    expect(await look()).toEqual([])
    expect(await look()).toEqual([])
  })

  it('reports a layer rewritten in place, a journal appended to and project.json changed, once each', async () => {
    const { look, path } = await polledProject()
    await look()
    await writeFile(path('documents', 'doc-a', 'annotations', 'leyla.json'), '{"status":"done"}')
    await appendFile(path('documents', 'doc-b', 'annotations', '.leyla.json.journal'), '{"seq":2}\n')
    await writeFile(path('project.json'), '{"name":"Renamed"}')
    expect(await look()).toEqual(['documents/doc-a/annotations/leyla.json', 'documents/doc-b/annotations/.leyla.json.journal', 'project.json'])
    expect(await look()).toEqual([])
  })

  it("reports a colleague's layer brought over by a sync tool and a layer removed, not a sync tool's temp file", async () => {
    const { look, path } = await polledProject()
    await look()
    await writeFile(path('documents', 'doc-a', 'annotations', '.zaur.json.tmp'), '{}')
    await rename(path('documents', 'doc-a', 'annotations', '.zaur.json.tmp'), path('documents', 'doc-a', 'annotations', 'zaur.json'))
    await writeFile(path('documents', 'doc-a', 'annotations', '.aysel.json.tmp'), '{')
    await rm(path('documents', 'doc-b', 'annotations', 'leyla.json'))
    expect(await look()).toEqual(['documents/doc-a/annotations/zaur.json', 'documents/doc-b/annotations/leyla.json'])
  })

  it('reports a new revision, and every file of a document added or removed', async () => {
    const { look, path } = await polledProject()
    await look()
    await writeFile(path('documents', 'doc-b', 'revisions', 'r2.json'), '{}')
    await rm(path('documents', 'doc-a'), { recursive: true })
    await mkdir(path('documents', 'doc-c'))
    await writeFile(path('documents', 'doc-c', 'text.txt'), 'New.')
    expect(await look()).toEqual([
      'documents/doc-a/annotations/.leyla.json.journal',
      'documents/doc-a/annotations/leyla.json',
      'documents/doc-a/document.json',
      'documents/doc-a/text.txt',
      'documents/doc-b/revisions/r2.json',
      'documents/doc-c/text.txt'
    ])
    await writeFile(path('documents', 'doc-c', 'document.json'), '{}')
    expect(await look()).toEqual(['documents/doc-c/document.json'])
  })

  it('leaves off when told the project is no longer followed, and takes its next look as a first', async () => {
    const { look, path, polled, store } = await polledProject()
    expect(await polled.look(store, () => undefined, () => false)).toBe(false)
    await writeFile(path('documents', 'doc-a', 'annotations', 'leyla.json'), '{"status":"done"}')
    expect(await look()).toEqual([])
    await writeFile(path('documents', 'doc-a', 'annotations', 'leyla.json'), '{"status":"in-progress"}')
    expect(await look()).toEqual(['documents/doc-a/annotations/leyla.json'])
  })

  it('lists the documents folder again only when its stamp moved', async () => {
    const { look, path, listings } = await polledProject()
    // Older than a folder's settling time: its change time is relied on.
    await sleep(80)
    await look()
    await look()
    expect(listings()).toBe(1)
    await mkdir(path('documents', 'doc-c'))
    await writeFile(path('documents', 'doc-c', 'document.json'), '{}')
    expect(await look()).toEqual(['documents/doc-c/document.json'])
    expect(listings()).toBe(2)
  })
})
