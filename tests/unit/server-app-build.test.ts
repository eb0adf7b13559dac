import { mkdir, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isBuildStale, newestModificationTime } from '../../src/server/app-build'
import { makeTempFolder } from '../fixtures/temp-folder'

async function touch(path: string, secondsSinceEpoch: number): Promise<void> {
  await writeFile(path, 'x')
  await utimes(path, secondsSinceEpoch, secondsSinceEpoch)
}

describe('isBuildStale', () => {
  it('rebuilds when an output is missing or any source, however deep, is newer', async () => {
    const root = await makeTempFolder()
    await mkdir(join(root, 'src/lib/deep'), { recursive: true })
    await mkdir(join(root, 'out'), { recursive: true })
    await touch(join(root, 'src/App.svelte'), 1_000)
    await touch(join(root, 'src/lib/deep/state.ts'), 1_000)
    await utimes(join(root, 'src/lib/deep'), 1_000, 1_000)
    await utimes(join(root, 'src/lib'), 1_000, 1_000)
    await utimes(join(root, 'src'), 1_000, 1_000)
    const target = { outputs: [join(root, 'out/index.html'), join(root, 'out/main.js')], sources: [join(root, 'src')] }

    expect(await isBuildStale(target)).toBe(true)
    await touch(join(root, 'out/index.html'), 2_000)
    expect(await isBuildStale(target)).toBe(true)
    await touch(join(root, 'out/main.js'), 2_000)
    expect(await isBuildStale(target)).toBe(false)

    await touch(join(root, 'src/lib/deep/state.ts'), 3_000)
    expect(await isBuildStale(target)).toBe(true)
    expect(await newestModificationTime(join(root, 'src'))).toBe(3_000_000)
    expect(await newestModificationTime(join(root, 'missing'))).toBe(0)
  })
})
