// Starting git forks the whole process (8–26 ms of main's thread at 135 MB, measured in the
// browser edition): the sync status, asked for after each opening, starts it only where it can
// find something.
import { execFile as realExecFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { makeTempFolder } from '../fixtures/temp-folder'

const started = vi.hoisted(() => [] as string[][])
vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:child_process')>()
  const counted = ((file: string, args: readonly string[], ...rest: unknown[]) => {
    started.push([file, ...args])
    return (original.execFile as (...all: unknown[]) => unknown)(file, args, ...rest)
  }) as unknown as typeof original.execFile
  return { ...original, execFile: counted, default: { ...original, execFile: counted } }
})

const { gitSyncStatus } = await import('../../src/main/services/git-sync-service')
const run = promisify(realExecFile)
const startedSince = (from: number): string[] => started.slice(from).map((args) => args.slice(1, 3).join(' '))

describe('the sync status, and starting git', () => {
  it('looks for git once, and asks it nothing about a folder with no .git in it or above it', async () => {
    const alone = await makeTempFolder('quire-git-alone-')
    const first = await gitSyncStatus(alone, { annotator: 'Ana' })
    expect(first).toMatchObject({ available: true, repository: false })
    const before = started.length
    for (let round = 0; round < 3; round++) expect(await gitSyncStatus(alone, { annotator: 'Ana' })).toEqual(first)
    expect(startedSince(before)).toEqual([])
  })

  it('asks git where a .git folder is above the project, or a .git file (a linked worktree) names one', async () => {
    const root = await makeTempFolder('quire-git-found-')
    await run('git', ['init', '--quiet', root])
    const project = join(root, 'corpus', 'project')
    await mkdir(project, { recursive: true })
    const before = started.length
    expect(await gitSyncStatus(project, { annotator: 'Ana' })).toMatchObject({ available: true, repository: true })
    expect(startedSince(before)).toContain('rev-parse --show-toplevel')

    // A .git file git cannot follow: git is asked, and says there is no repository.
    const worktreeLike = await makeTempFolder('quire-git-file-')
    await writeFile(join(worktreeLike, '.git'), 'gitdir: /nowhere/at/all\n')
    const asked = started.length
    expect(await gitSyncStatus(worktreeLike, { annotator: 'Ana' })).toMatchObject({ repository: false })
    expect(startedSince(asked)).toContain('rev-parse --show-toplevel')
  })
})
