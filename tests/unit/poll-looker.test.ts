// The polling's looks made by a worker thread (poll-looker.ts, poll-worker.ts): the same reports
// as a look on the main thread, and the main thread taking over when the worker cannot run.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WorkerLooker } from '../../src/main/services/poll-looker'
import { SHARE_OF_A_CORE } from '../../src/main/services/work-in-bursts'
import { makeTempFolder } from '../fixtures/temp-folder'

const lookers: WorkerLooker[] = []
afterEach(() => {
  for (const looker of lookers.splice(0)) looker.close()
})

/** A project folder of one document with a layer. */
async function project(): Promise<{ dir: string; documentFolderNames: () => Promise<string[]> }> {
  const dir = await makeTempFolder('quire-poll-looker-')
  await writeFile(join(dir, 'project.json'), '{}')
  await mkdir(join(dir, 'documents', 'doc-a', 'annotations'), { recursive: true })
  await writeFile(join(dir, 'documents', 'doc-a', 'document.json'), '{}')
  await writeFile(join(dir, 'documents', 'doc-a', 'text.txt'), 'Text.')
  await writeFile(join(dir, 'documents', 'doc-a', 'annotations', 'leyla.json'), '{}')
  return { dir, documentFolderNames: async () => ['doc-a'] }
}

async function look(looker: WorkerLooker, dir: string): Promise<string[]> {
  const reported: string[] = []
  expect(await looker.look((path) => reported.push(path.slice(dir.length + 1)), () => true)).toBe(true)
  return reported.sort()
}

describe('WorkerLooker', () => {
  it('reports from its second look on what changed, as a look on the main thread does', async () => {
    const polled = await project()
    const looker = new WorkerLooker(polled)
    lookers.push(looker)
    const warn = vi.spyOn(console, 'warn')
    expect(await look(looker, polled.dir)).toEqual([])
    // Past the settling time of a folder's change time (document-stamp.ts), so the listing is trusted and then found changed.
    await sleep(80)
    await writeFile(join(polled.dir, 'documents', 'doc-a', 'annotations', 'zaur.json'), '{"spans":[]}')
    await writeFile(join(polled.dir, 'documents', 'doc-a', 'annotations', 'leyla.json'), '{"changed":true}')
    expect(await look(looker, polled.dir)).toEqual([join('documents', 'doc-a', 'annotations', 'leyla.json'), join('documents', 'doc-a', 'annotations', 'zaur.json')])
    expect(await look(looker, polled.dir)).toEqual([])
    // Made by the worker, in bursts: nothing fell back to the main thread.
    expect(warn).not.toHaveBeenCalled()
    expect(looker.shareOfACore).toBe(SHARE_OF_A_CORE)
    warn.mockRestore()
  })

  it('looks on the main thread when its worker cannot start', async () => {
    const polled = await project()
    const looker = new WorkerLooker(polled, { url: new URL('./no-such-poll-worker.mjs', import.meta.url), argv: [] })
    lookers.push(looker)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(await look(looker, polled.dir)).toEqual([])
    await sleep(80)
    await writeFile(join(polled.dir, 'documents', 'doc-a', 'annotations', 'zaur.json'), '{}')
    expect(await look(looker, polled.dir)).toEqual([join('documents', 'doc-a', 'annotations', 'zaur.json')])
    // In slices between the calls, not in bursts: the next look waits as long as for a look at full speed.
    expect(looker.shareOfACore).toBe(1)
    warn.mockRestore()
  })

  it('stops looking once closed', async () => {
    const polled = await project()
    const looker = new WorkerLooker(polled)
    looker.close()
    expect(await looker.look(() => undefined, () => true)).toBe(false)
  })
})
