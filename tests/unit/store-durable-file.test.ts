import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFileIfExists, removeAbandonedTempFiles, writeFileDurably } from '../../src/main/store/durable-file'
import { listFilesRecursively, makeTempFolder } from '../fixtures/temp-folder'

describe('writeFileDurably', () => {
  it('creates and then replaces a file, leaving no temp files', async () => {
    const dir = await makeTempFolder()
    const path = join(dir, 'data.json')
    await writeFileDurably(path, 'first')
    await writeFileDurably(path, new TextEncoder().encode('second'))
    expect(await readFile(path, 'utf8')).toBe('second')
    expect(await listFilesRecursively(dir)).toEqual(['data.json'])
  })

  it('keeps the old file and leaves no temp file when the write fails', async () => {
    const dir = await makeTempFolder()
    const path = join(dir, 'data.json')
    await writeFile(path, 'old')
    const folderInTheWay = join(dir, 'target')
    await mkdir(folderInTheWay)
    await writeFile(join(folderInTheWay, 'inner'), 'keep')
    // Renaming a file over a non-empty folder fails after the temp file was written and synced.
    await expect(writeFileDurably(folderInTheWay, 'x')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/)
    await expect(writeFileDurably(join(dir, 'missing-folder', 'f.json'), 'x')).rejects.toThrow(/ENOENT/)
    expect(await readFile(path, 'utf8')).toBe('old')
    expect(await listFilesRecursively(dir)).toEqual(['data.json', join('target', 'inner')])
  })

  it('serves concurrent writers whole files, never a mix', async () => {
    const dir = await makeTempFolder()
    const path = join(dir, 'data.txt')
    const versions = Array.from({ length: 20 }, (_, index) => String(index).repeat(50_000))
    await Promise.all(versions.map((version) => writeFileDurably(path, version)))
    expect(versions).toContain(await readFile(path, 'utf8'))
    expect(await listFilesRecursively(dir)).toEqual(['data.txt'])
  })
})

describe('readFileIfExists', () => {
  it('returns null for a missing file and the bytes otherwise', async () => {
    const dir = await makeTempFolder()
    expect(await readFileIfExists(join(dir, 'nope'))).toBeNull()
    await writeFile(join(dir, 'yes'), 'hi')
    expect((await readFileIfExists(join(dir, 'yes')))?.toString()).toBe('hi')
    await expect(readFileIfExists(dir)).rejects.toThrow(/EISDIR/)
  })
})

describe('removeAbandonedTempFiles', () => {
  it('removes temp files a killed write left long ago, and nothing else', async () => {
    const dir = await makeTempFolder()
    const old = new Date(Date.now() - 11 * 60_000)
    const abandoned = '.layer.json.4242.0123456789ab.tmp'
    const inProgress = '.layer.json.4243.ba9876543210.tmp'
    for (const name of [abandoned, inProgress, 'layer.json', '.notes.tmp']) await writeFile(join(dir, name), 'x')
    for (const name of [abandoned, 'layer.json', '.notes.tmp']) await utimes(join(dir, name), old, old)
    expect(await removeAbandonedTempFiles(dir)).toBe(1)
    expect(await listFilesRecursively(dir)).toEqual(['.layer.json.4243.ba9876543210.tmp', '.notes.tmp', 'layer.json'])
    expect(await removeAbandonedTempFiles(join(dir, 'missing'))).toBe(0)
  })
})
