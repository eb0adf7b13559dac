// The CLI's launcher bundles the sources once per change (bin/cli-bundle.mjs): a run after an
// edit must never get the old code, whatever the files' modification times say.
import { mkdir, readdir, utimes, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliBundle } from '../../bin/cli-bundle.mjs'
import { makeTempFolder } from '../fixtures/temp-folder'

async function sources(): Promise<{ root: string; cacheDir: string; entries: Record<string, string> }> {
  const root = await makeTempFolder('quire-cli-bundle-')
  await mkdir(join(root, 'src'))
  await writeFile(join(root, 'src', 'main.ts'), "import { answer } from './answer'\nexport const runCli = (): string => answer\n")
  await writeFile(join(root, 'src', 'answer.ts'), "export const answer: string = 'first'\n")
  return { root, cacheDir: join(root, 'cache'), entries: { main: 'src/main.ts' } }
}

const run = async (url: string | null): Promise<string> => ((await import(url as string)) as { runCli: () => string }).runCli()

describe('the CLI bundle', { timeout: 60_000 }, () => {
  it('is built once and reused while the sources are unchanged', async () => {
    const options = await sources()
    const first = await cliBundle(options)
    expect(await run(first)).toBe('first')
    expect(await cliBundle(options)).toBe(first)
  })

  it('is built again when a source changes, even with its old size and modification time', async () => {
    const options = await sources()
    const first = await cliBundle(options)
    const answer = join(options.root, 'src', 'answer.ts')
    const before = await stat(answer)
    await writeFile(answer, "export const answer: string = 'other'\n")
    await utimes(answer, before.atime, before.mtime)
    const second = await cliBundle(options)
    expect(second).not.toBe(first)
    expect(await run(second)).toBe('other')
  })

  it('gives every one of several commands started at once a whole bundle', async () => {
    const options = await sources()
    const urls = await Promise.all(Array.from({ length: 4 }, () => cliBundle(options)))
    for (const url of urls) expect(await run(url)).toBe('first')
    expect((await readdir(options.cacheDir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('is null when the sources do not build, so the launcher runs them through tsx and its error is shown', async () => {
    const options = await sources()
    await writeFile(join(options.root, 'src', 'answer.ts'), 'export const answer = (\n')
    expect(await cliBundle(options)).toBeNull()
  })
})
