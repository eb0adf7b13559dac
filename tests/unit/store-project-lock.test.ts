import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { asUtf16, STORE_SCHEMA_VERSION } from '../../src/shared/model'
import { ProjectStore, sha256Hex } from '../../src/main/store/project-store'
import { listFilesRecursively, makeTempFolder } from '../fixtures/temp-folder'

const lockPath = (dir: string): string => join(dir, '.quire', `lock-${hostname()}.json`)

/** A pid that certainly belongs to no running process: one that just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

async function plantLock(dir: string, pid: number): Promise<void> {
  await writeFile(lockPath(dir), JSON.stringify({ pid, hostname: hostname(), openedAt: '2026-01-02T03:04:05.000Z' }))
}

describe('project lock', () => {
  it('opens read-only while another live Quire holds the project, and refuses every write', async () => {
    const dir = await makeTempFolder()
    const owner = await ProjectStore.create(dir, 'P')
    const text = 'Emin Amrullayev'
    const record = {
      format: 'quire-document' as const,
      schemaVersion: STORE_SCHEMA_VERSION,
      id: 'doc-0001',
      name: 'doc',
      originalFileName: 'doc.txt',
      encoding: 'utf-8' as const,
      lineEnding: 'none' as const,
      sizeBytes: text.length,
      length: text.length,
      sha256: sha256Hex(text),
      importedAt: new Date().toISOString(),
      importedBy: 'test'
    }
    await owner.addDocument(record, text)
    // The parent of this test process is alive and is not us: it stands for another Quire.
    await plantLock(dir, process.ppid)
    const before = await listFilesRecursively(dir)

    const second = await ProjectStore.open(dir)
    expect(second.readOnly).toBe(true)
    expect(second.readOnlyReason).toContain(`process ${process.ppid}`)
    expect(await second.readText('doc-0001')).toBe(text)
    await expect(second.addDocument({ ...record, id: 'doc-0002' }, text)).rejects.toMatchObject({ code: 'read-only' })
    const layer = await second.annotationLayer(record, 'Leyla')
    await expect(
      layer.update((draft) => {
        draft.annotations.push({
          id: 'a',
          start: asUtf16(0),
          end: asUtf16(4),
          tag: 'PERSON',
          text: 'Emin',
          annotator: 'Leyla',
          createdAt: record.importedAt,
          updatedAt: record.importedAt,
          provenance: { source: 'manual' }
        })
      })
    ).rejects.toMatchObject({ code: 'read-only', message: expect.stringMatching(/^Not saved: /) })
    expect(layer.current.annotations).toEqual([])
    expect(await listFilesRecursively(dir)).toEqual(before)
  })

  it('takes over the lock of a Quire that crashed', async () => {
    const dir = await makeTempFolder()
    await (await ProjectStore.create(dir, 'P')).close()
    await plantLock(dir, deadPid())
    const store = await ProjectStore.open(dir)
    expect(store.readOnly).toBe(false)
    expect(JSON.parse(await readFile(lockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid })
  })

  it('replaces a damaged lock file and releases the lock on close', async () => {
    const dir = await makeTempFolder()
    await (await ProjectStore.create(dir, 'P')).close()
    await writeFile(lockPath(dir), '{"pid": ')
    const store = await ProjectStore.open(dir)
    expect(store.readOnly).toBe(false)
    await store.close()
    expect((await listFilesRecursively(join(dir, '.quire'))).filter((path) => !path.startsWith('backups/'))).toEqual(['.gitignore'])
  })
})
