// Team sync through the system git, on disk and without network: a bare repository in a temp
// folder stands for the team's remote, and each annotator works in a clone of it.
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { annotatorFileName } from '../../src/core/ids'
import { asUtf16, STORE_SCHEMA_VERSION, type AnnotationEdit, type DocumentRecord } from '../../src/shared/model'
import { journalPathOf } from '../../src/main/store/layer-journal'
import { foldLeftoverJournals } from '../../src/main/store/leftover-journals'
import { ProjectStore, sha256Hex } from '../../src/main/store/project-store'
import { gitSyncStatus, syncProject } from '../../src/main/services/git-sync-service'
import { makeTempFolder } from '../fixtures/temp-folder'
import { caught } from '../helpers/caught'

const run = promisify(execFile)

const ANA = 'Ana Lima'
const BO = 'Bo Chen'
const TEXT = 'Ana Lima met Bo Chen at the Baku book fair.'
const DOCUMENT_ID = 'report-1a2b'

// The machine's git config and identity must not leak in: a home and global config of our
// own, no system config, and no identity in the environment (so the fallback is tested).
const savedEnvironment = new Map<string, string | undefined>()
beforeAll(async () => {
  const home = await makeTempFolderOutsideTest()
  const globalConfig = join(home, '.gitconfig')
  await writeFile(globalConfig, '[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n')
  const environment: Record<string, string | undefined> = {
    HOME: home,
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: undefined,
    GIT_AUTHOR_EMAIL: undefined,
    GIT_COMMITTER_NAME: undefined,
    GIT_COMMITTER_EMAIL: undefined,
    EMAIL: undefined
  }
  for (const [name, value] of Object.entries(environment)) {
    savedEnvironment.set(name, process.env[name])
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  const version = await git(home, '--version')
  expect(version).toMatch(/^git version \d+\.\d+/)
})
afterAll(async () => {
  const home = process.env.HOME
  for (const [name, value] of savedEnvironment) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  if (home) await rm(home, { recursive: true, force: true })
})

/** The temp-folder fixture removes its folders after each test; the shared home lives longer. */
function makeTempFolderOutsideTest(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'quire-git-home-'))
}

/** Runs git as a person at the terminal would (with a setup identity for commits made by hand). */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', ...args], { cwd, env: process.env })
  return stdout.trimEnd()
}

function layerFile(annotator: string): string {
  return `documents/${DOCUMENT_ID}/annotations/${annotatorFileName(annotator, (name) => sha256Hex(name))}`
}

function recordFor(id: string, text: string): DocumentRecord {
  const utf8 = new TextEncoder().encode(text)
  return {
    format: 'quire-document',
    schemaVersion: STORE_SCHEMA_VERSION,
    id,
    name: id,
    originalFileName: `${id}.txt`,
    encoding: 'utf-8',
    lineEnding: 'none',
    sizeBytes: utf8.length,
    length: text.length,
    sha256: sha256Hex(utf8),
    importedAt: new Date().toISOString(),
    importedBy: ANA
  }
}

/** Saves one span in `annotator`'s layer through the real store, as the app does. */
async function annotate(projectDir: string, annotator: string, start: number, end: number, documentId = DOCUMENT_ID): Promise<void> {
  const store = await ProjectStore.open(projectDir)
  try {
    const record = await store.readRecord(documentId)
    const layer = await store.annotationLayer(record, annotator)
    const now = new Date().toISOString()
    await layer.update((draft) => {
      draft.annotations.push({
        id: `a-${draft.annotations.length}-${annotator.length}`,
        start: asUtf16(start),
        end: asUtf16(end),
        tag: 'PERSON',
        text: TEXT.slice(start, end),
        annotator,
        createdAt: now,
        updatedAt: now,
        provenance: { source: 'manual' }
      })
    })
  } finally {
    await store.close()
  }
}

async function addTag(projectDir: string, id: string): Promise<void> {
  const store = await ProjectStore.open(projectDir)
  try {
    await store.addTags([{ id, label: id, shortLabel: id.slice(0, 3), key: '9', color: '#000000' }])
  } finally {
    await store.close()
  }
}


async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  )
}

/** Everything a failed sync must leave as it found it. */
async function snapshot(clone: string): Promise<{ head: string; status: string; staged: string; rebasing: boolean }> {
  return {
    head: await git(clone, 'rev-parse', 'HEAD'),
    status: await git(clone, 'status', '--porcelain', '--untracked-files=all'),
    staged: await git(clone, 'diff', '--cached', '--name-only'),
    rebasing: (await exists(join(clone, '.git', 'rebase-merge'))) || (await exists(join(clone, '.git', 'rebase-apply')))
  }
}

/**
 * The team's remote, Ana's clone holding a project in a subfolder "corpus" with one document
 * (pushed), and Bo's clone of it.
 */
async function makeTeam() {
  const root = await makeTempFolder('quire-git-')
  const remote = join(root, 'team.git')
  await git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote)
  const anaClone = join(root, 'ana')
  await git(root, 'clone', '--quiet', remote, anaClone)
  await writeFile(join(anaClone, 'README.md'), 'Our corpus\n')
  const ana = join(anaClone, 'corpus')
  const store = await ProjectStore.create(ana, 'Corpus')
  await store.addDocument(recordFor(DOCUMENT_ID, TEXT), TEXT)
  await store.close()
  await git(anaClone, 'add', '-A')
  await git(anaClone, 'commit', '--quiet', '-m', 'A new corpus')
  await git(anaClone, 'push', '--quiet', '-u', 'origin', 'main')
  const boClone = join(root, 'bo')
  await git(root, 'clone', '--quiet', remote, boClone)
  return { root, remote, anaClone, ana, boClone, bo: join(boClone, 'corpus') }
}

describe('syncProject', () => {
  it('lets two annotators of the same document sync in turn: each receives the other\'s file, without conflict', async () => {
    const team = await makeTeam()
    await annotate(team.ana, ANA, 0, 8)
    await annotate(team.bo, BO, 13, 20)

    const first = await syncProject(team.ana, { annotator: ANA })
    expect(first).toMatchObject({ committed: [layerFile(ANA)], pulled: 0, pushed: true, changedByOthers: [] })
    expect(first.commit).toMatch(/^[0-9a-f]{7,}$/)
    expect(first.message).toBe('Synced with origin/main: committed 1 file and sent 1 commit.')

    const second = await syncProject(team.bo, { annotator: BO })
    expect(second).toMatchObject({ committed: [layerFile(BO)], pulled: 1, pushed: true, changedByOthers: [layerFile(ANA)] })
    expect(second.message).toBe('Synced with origin/main: committed 1 file, received 1 commit from colleagues and sent 1 commit.')
    // The commit hash reported is the one after the pull replayed it on Ana's.
    expect(second.commit).toBe(await git(team.boClone, 'rev-parse', '--short', 'HEAD'))

    const third = await syncProject(team.ana, { annotator: ANA })
    expect(third).toMatchObject({ committed: [], commit: null, pulled: 1, pushed: false, changedByOthers: [layerFile(BO)] })

    for (const project of [team.ana, team.bo]) {
      expect(JSON.parse(await readFile(join(project, layerFile(ANA)), 'utf8')).annotations).toHaveLength(1)
      expect(JSON.parse(await readFile(join(project, layerFile(BO)), 'utf8')).annotations).toHaveLength(1)
    }
    expect(await git(team.anaClone, 'rev-parse', 'HEAD')).toBe(await git(team.boClone, 'rev-parse', 'HEAD'))
    // No merge commits: the history is a straight line.
    expect(await git(team.anaClone, 'log', '--merges', '--oneline')).toBe('')
    // Without a git identity of their own, commits carry the annotator's name.
    expect(await git(team.boClone, 'log', '-1', '--format=%an <%ae>|%s')).toBe("Bo Chen <bo-chen@quire.invalid>|Quire: Bo Chen's annotations (1 file)")
    expect(await git(team.anaClone, 'status', '--porcelain')).toBe('')
  })

  it("commits this annotator's layer and the gold layer, never a colleague's file it holds, and takes the author from git's config when set", async () => {
    const team = await makeTeam()
    await annotate(team.bo, BO, 13, 20)
    await syncProject(team.bo, { annotator: BO })
    await syncProject(team.ana, { annotator: ANA })
    await git(team.anaClone, 'config', 'user.name', 'A. Lima')
    await git(team.anaClone, 'config', 'user.email', 'ana@example.org')

    await annotate(team.ana, ANA, 0, 8)
    await annotate(team.ana, 'curation', 0, 8)
    const result = await syncProject(team.ana, { annotator: ANA })

    expect(result.committed).toEqual([layerFile(ANA), layerFile('curation')].sort())
    const files = (await git(team.anaClone, 'show', '--name-only', '--format=', 'HEAD')).split('\n').sort()
    expect(files).toEqual([`corpus/${layerFile(ANA)}`, `corpus/${layerFile('curation')}`].sort())
    expect(await git(team.anaClone, 'log', '-1', '--format=%an <%ae>|%s')).toBe("A. Lima <ana@example.org>|Quire: Ana Lima's annotations (2 files)")
    expect(await git(team.anaClone, 'log', '--format=%an', '--', `corpus/${layerFile(BO)}`)).toBe('Bo Chen')
  })

  it("commits a new document whole, with the colleagues' layers imported along with it", async () => {
    const team = await makeTeam()
    const store = await ProjectStore.open(team.ana)
    await store.addDocument(recordFor('letters-77aa', TEXT), TEXT)
    await store.close()
    await annotate(team.ana, 'Carla Diaz', 0, 3, 'letters-77aa')
    const result = await syncProject(team.ana, { annotator: ANA })
    expect(result.committed).toEqual(
      ['documents/letters-77aa/document.json', layerFile('Carla Diaz').replace(DOCUMENT_ID, 'letters-77aa'), 'documents/letters-77aa/text.txt'].sort()
    )
    expect(result.pushed).toBe(true)
  })

  it("commits saves still in a layer's journal: this session's (settled first) and those a stopped Quire left; never the journal itself", async () => {
    const team = await makeTeam()
    const layerPath = join(team.ana, layerFile(ANA))
    const journalPath = journalPathOf(layerPath)
    const spanAt = (id: string, start: number, end: number): AnnotationEdit => ({ op: 'add', annotation: { id, start: asUtf16(start), end: asUtf16(end), tag: 'PERSON' } })
    const rules = { text: TEXT, tagIds: new Set(['PERSON']), documentName: DOCUMENT_ID }
    // A Quire saves twice (the second save goes to the journal) and is killed before it closes.
    const crashed = await ProjectStore.open(team.ana)
    const layer = await crashed.annotationLayer(await crashed.readRecord(DOCUMENT_ID), ANA)
    await layer.applyEdits([spanAt('a-ana', 0, 8)], rules)
    await layer.applyEdits([spanAt('a-bo', 13, 20)], rules)
    const leftBehind = { file: await readFile(layerPath), journal: await readFile(journalPath) }
    await crashed.close()
    await writeFile(layerPath, leftBehind.file)
    await writeFile(journalPath, leftBehind.journal)

    const store = await ProjectStore.open(team.ana)
    try {
      expect(await foldLeftoverJournals(store)).toEqual([layerPath])
      await store.settleWrites()
      const result = await syncProject(team.ana, { annotator: ANA })
      expect(result.committed).toEqual([layerFile(ANA)])
      const committed = JSON.parse(await git(team.anaClone, 'show', `HEAD:corpus/${layerFile(ANA)}`))
      expect(committed.annotations.map((annotation: { id: string }) => annotation.id)).toEqual(['a-ana', 'a-bo'])
      expect(await exists(journalPath)).toBe(false)
      expect(await git(team.anaClone, 'status', '--porcelain', '--untracked-files=all')).toBe('')

      // This session's saves: settled into the file before the next sync commits.
      const open = await store.annotationLayer(await store.readRecord(DOCUMENT_ID), ANA)
      await open.applyEdits([spanAt('a-fair', 28, 42)], rules)
      expect(await exists(journalPath)).toBe(true)
      // A journal is never committed, whatever sync finds: git skips it as an untracked dot file.
      await store.settleWrites()
      await syncProject(team.ana, { annotator: ANA })
      const next = JSON.parse(await git(team.anaClone, 'show', `HEAD:corpus/${layerFile(ANA)}`))
      expect(next.annotations).toHaveLength(3)
      expect(await git(team.anaClone, 'ls-files', 'corpus/documents')).not.toMatch(/journal/)
    } finally {
      await store.close()
    }
  })

  it('leaves the index as it was when the commit fails (a pre-commit hook says no)', async () => {
    const team = await makeTeam()
    const hook = join(team.anaClone, '.git', 'hooks', 'pre-commit')
    await writeFile(hook, '#!/bin/sh\necho "lint says no" >&2\nexit 1\n')
    await chmod(hook, 0o755)
    await annotate(team.ana, ANA, 0, 8)
    await addTag(team.ana, 'PLACE')
    // A change the user staged by hand stays staged.
    await git(team.anaClone, 'add', 'corpus/project.json')
    const before = await snapshot(team.anaClone)
    expect(before.staged).toBe('corpus/project.json')

    const error = await caught(syncProject(team.ana, { annotator: ANA }))
    expect(error.code).toBe('io')
    expect(error.message).toBe(`Nothing was synced: git failed while committing your files (lint says no). Nothing was committed; fix that in ${team.anaClone}, then sync again.`)
    expect(await snapshot(team.anaClone)).toEqual(before)
  })

  it('makes no commit when nothing changed', async () => {
    const team = await makeTeam()
    const head = await git(team.anaClone, 'rev-parse', 'HEAD')
    const result = await syncProject(team.ana, { annotator: ANA })
    expect(result).toEqual({
      committed: [],
      commit: null,
      pulled: 0,
      pushed: false,
      changedByOthers: [],
      message: 'Already in step with origin/main: nothing to commit, receive or send.'
    })
    expect(await git(team.anaClone, 'rev-parse', 'HEAD')).toBe(head)
  })

  it('stops on a file both changed, names it, and leaves work tree, index and HEAD as they were before the pull', async () => {
    const team = await makeTeam()
    await addTag(team.ana, 'PLACE')
    await syncProject(team.ana, { annotator: ANA })
    await addTag(team.bo, 'DATE')
    const beforeSync = await snapshot(team.boClone)

    const error = await caught(syncProject(team.bo, { annotator: BO }))
    expect(error.code).toBe('io')
    expect(error.path).toBe(join(team.boClone, 'corpus', 'project.json'))
    expect(error.message).toMatch(/^corpus\/project\.json was changed both here and by Ana Lima \(commit [0-9a-f]+ "Quire: Ana Lima's annotations \(1 file\)"\): nothing was merged and your annotations are committed locally\./)
    expect(error.message).toContain('or ask Ana Lima, who changed it, then sync again.')

    // Bo's change was committed before the pull; the pull itself left no trace.
    const afterSync = await snapshot(team.boClone)
    expect(afterSync).toEqual({ head: afterSync.head, status: '', staged: '', rebasing: false })
    expect(await git(team.boClone, 'rev-parse', 'HEAD~1')).toBe(beforeSync.head)
    expect(beforeSync.status).toBe(' M corpus/project.json')
    const manifest = JSON.parse(await readFile(join(team.bo, 'project.json'), 'utf8'))
    expect(manifest.tags.map((tag: { id: string }) => tag.id)).toContain('DATE')
    expect(manifest.tags.map((tag: { id: string }) => tag.id)).not.toContain('PLACE')

    // Syncing again makes no commit, so "before the pull" is "before the sync": compare exactly.
    const again = await caught(syncProject(team.bo, { annotator: BO }))
    expect(again.message).toContain('corpus/project.json was changed both here and by Ana Lima')
    expect(again.message).toContain('nothing was merged and nothing here was changed')
    expect(await snapshot(team.boClone)).toEqual(afterSync)
    // The remote still has Ana's version only.
    expect(await git(team.remote, 'rev-parse', 'main')).toBe(await git(team.anaClone, 'rev-parse', 'HEAD'))
    expect(await gitSyncStatus(team.bo, { annotator: BO })).toMatchObject({ ahead: 1, behind: 1, operationInProgress: null })

    // A rebase the user leaves half-done in git is refused, not continued.
    await run('git', ['pull', '--rebase'], { cwd: team.boClone, env: process.env }).catch(() => undefined)
    expect((await gitSyncStatus(team.bo, { annotator: BO })).operationInProgress).toBe('rebase')
    const busy = await caught(syncProject(team.bo, { annotator: BO }))
    expect(busy.code).toBe('invalid-argument')
    expect(busy.message).toContain('a git rebase is in progress')
    expect(busy.message).toContain('git rebase --abort')
  })

  it("refuses before doing anything when a colleague's annotation file was changed or added here, naming it and how to resolve it", async () => {
    const team = await makeTeam()
    await annotate(team.bo, BO, 13, 20)
    await syncProject(team.bo, { annotator: BO })
    await syncProject(team.ana, { annotator: ANA })
    await annotate(team.ana, ANA, 0, 8)
    const boFile = join(team.ana, layerFile(BO))
    await writeFile(boFile, (await readFile(boFile, 'utf8')).replace('"PERSON"', '"ORG"'))
    await writeFile(join(team.ana, layerFile('Carla Diaz')), '{}')
    const before = await snapshot(team.anaClone)
    const remoteBefore = await git(team.remote, 'rev-parse', 'main')

    const error = await caught(syncProject(team.ana, { annotator: ANA }))
    expect(error.code).toBe('invalid-argument')
    expect(error.path).toBe(join(team.anaClone, 'corpus', layerFile(BO)))
    expect(error.message).toContain(
      `Nothing was synced: corpus/${layerFile(BO)} is another annotator's annotation file, changed here (git checkout HEAD -- corpus/${layerFile(BO)} drops the local change)`
    )
    expect(error.message).toContain(`corpus/${layerFile('Carla Diaz')} is another annotator's annotation file that appeared here`)
    expect(error.message).toContain(`Resolve them in git in ${team.anaClone}, then sync again.`)
    expect(await snapshot(team.anaClone)).toEqual(before)
    expect(await git(team.remote, 'rev-parse', 'main')).toBe(remoteBefore)

    const status = await gitSyncStatus(team.ana, { annotator: ANA })
    expect(status.changedOwnFiles).toBe(1)
    expect(status.otherChanges.sort()).toEqual([`corpus/${layerFile(BO)}`, `corpus/${layerFile('Carla Diaz')}`].sort())
  })

  it('says clearly that a folder outside any repository cannot be synced', async () => {
    const dir = join(await makeTempFolder('quire-git-'), 'project')
    await (await ProjectStore.create(dir, 'Alone')).close()
    const error = await caught(syncProject(dir, { annotator: ANA }))
    expect(error.code).toBe('invalid-argument')
    expect(error.path).toBe(dir)
    expect(error.message).toContain(`The project folder ${dir} is not in a git repository`)
    expect(await gitSyncStatus(dir, { annotator: ANA })).toEqual({
      available: true,
      repository: false,
      branch: null,
      upstream: null,
      ahead: 0,
      behind: 0,
      changedOwnFiles: 0,
      otherChanges: [],
      operationInProgress: null
    })
  })

  it('commits locally in a repository without a remote branch, and says so (the first commit of a new repository too)', async () => {
    const dir = await makeTempFolder('quire-git-')
    const store = await ProjectStore.create(dir, 'Local')
    await git(dir, 'init', '--quiet')
    await store.addDocument(recordFor(DOCUMENT_ID, TEXT), TEXT)
    await store.close()
    await annotate(dir, ANA, 0, 8)
    // An import still being written (no document.json yet) is not committed.
    await mkdir(join(dir, 'documents', 'half-import-9f9f'))
    await writeFile(join(dir, 'documents', 'half-import-9f9f', 'text.txt'), 'half')
    await mkdir(join(dir, 'documents', 'half-import-9f9f', 'annotations'))
    await writeFile(join(dir, 'documents', 'half-import-9f9f', 'annotations', 'carla-diaz-da526ac4.json'), '{}')

    const result = await syncProject(dir, { annotator: ANA })
    expect(result.committed).toEqual([`documents/${DOCUMENT_ID}/document.json`, layerFile(ANA), `documents/${DOCUMENT_ID}/text.txt`, 'project.json'].sort())
    expect(result).toMatchObject({ pulled: 0, pushed: false, changedByOthers: [] })
    expect(result.commit).toBe(await git(dir, 'rev-parse', '--short', 'HEAD'))
    expect(result.message).toBe('Committed 4 files locally; this repository has no remote branch to pull from or push to.')
    expect(await git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe(
      '?? documents/half-import-9f9f/annotations/carla-diaz-da526ac4.json\n?? documents/half-import-9f9f/text.txt'
    )

    const nothing = await syncProject(dir, { annotator: ANA })
    expect(nothing.message).toBe('Nothing to commit; this repository has no remote branch to pull from or push to.')
    expect(await gitSyncStatus(dir, { annotator: ANA })).toMatchObject({ repository: true, branch: 'main', upstream: null, ahead: 0, behind: 0 })
  })

  it('never stages .quire/, even when its .gitignore is gone', async () => {
    const team = await makeTeam()
    await annotate(team.ana, ANA, 0, 8)
    await rm(join(team.ana, '.quire', '.gitignore'))
    expect(await git(team.anaClone, 'status', '--porcelain', '--untracked-files=all')).toContain('?? corpus/.quire/')

    const result = await syncProject(team.ana, { annotator: ANA })
    expect(result.committed).toEqual([layerFile(ANA)])
    expect(await git(team.anaClone, 'ls-files')).not.toContain('.quire')
    expect(await git(team.anaClone, 'diff', '--cached', '--name-only')).toBe('')
  })

  it('refuses a detached HEAD', async () => {
    const team = await makeTeam()
    await git(team.anaClone, 'checkout', '--quiet', '--detach')
    const error = await caught(syncProject(team.ana, { annotator: ANA }))
    expect(error.code).toBe('invalid-argument')
    expect(error.message).toContain('HEAD is detached')
    expect((await gitSyncStatus(team.ana, { annotator: ANA })).branch).toBeNull()
  })

  it('reports a pull that cannot reach the remote plainly, keeping the commit and changing nothing else', async () => {
    const team = await makeTeam()
    await git(team.anaClone, 'remote', 'set-url', 'origin', join(team.root, 'gone.git'))
    await annotate(team.ana, ANA, 0, 8)
    const error = await caught(syncProject(team.ana, { annotator: ANA }))
    expect(error.code).toBe('io')
    expect(error.message).toMatch(/^Could not get the colleagues' changes from origin\/main \(.*gone\.git.*\): nothing was merged and your annotations are committed locally\./)
    expect(await snapshot(team.anaClone)).toMatchObject({ status: '', staged: '', rebasing: false })
    expect(await git(team.anaClone, 'log', '-1', '--format=%s')).toBe("Quire: Ana Lima's annotations (1 file)")
  })

  it('reports a push the remote refuses or that lost the race, keeping the commit locally', async () => {
    const team = await makeTeam()
    const hook = join(team.remote, 'hooks', 'pre-receive')
    await writeFile(hook, '#!/bin/sh\necho "the branch is protected" >&2\nexit 1\n')
    await chmod(hook, 0o755)
    await annotate(team.ana, ANA, 0, 8)
    const refused = await syncProject(team.ana, { annotator: ANA })
    expect(refused).toMatchObject({ committed: [layerFile(ANA)], pushed: false })
    expect(refused.message).toBe(
      'Committed 1 file, but origin/main did not accept your commits (pre-receive hook declined: the branch is protected); they are kept locally, sync again later or ask whoever runs the repository.'
    )
    await rm(hook)

    // Pushing goes to a copy that a colleague moved on after our pull: the push loses the race.
    const moved = join(team.root, 'moved.git')
    await git(team.root, 'clone', '--quiet', '--bare', team.remote, moved)
    await annotate(team.bo, BO, 13, 20)
    await git(team.boClone, 'add', '-A')
    await git(team.boClone, 'commit', '--quiet', '-m', 'Bo by hand')
    await git(team.boClone, 'push', '--quiet', moved, 'main')
    await git(team.anaClone, 'config', 'remote.origin.pushurl', moved)
    const raced = await syncProject(team.ana, { annotator: ANA })
    expect(raced.pushed).toBe(false)
    expect(raced.message).toBe('Nothing new was committed or received, but origin/main moved on while syncing, so your commits were not sent; sync again.')
  })
})

describe('gitSyncStatus', () => {
  it('reports branch, upstream, ahead/behind from the last fetch and the files a sync would commit', async () => {
    const team = await makeTeam()
    await annotate(team.bo, BO, 13, 20)
    await syncProject(team.bo, { annotator: BO })
    await annotate(team.ana, ANA, 0, 8)
    await annotate(team.ana, ANA, 9, 12, DOCUMENT_ID)
    await writeFile(join(team.anaClone, 'README.md'), 'Edited\n')

    const before = await gitSyncStatus(team.ana, { annotator: ANA })
    expect(before).toEqual({
      available: true,
      repository: true,
      branch: 'main',
      upstream: 'origin/main',
      ahead: 0,
      behind: 0,
      changedOwnFiles: 1,
      otherChanges: ['README.md'],
      operationInProgress: null
    })
    const blocked = await caught(syncProject(team.ana, { annotator: ANA }))
    expect(blocked.message).toContain('README.md is changed and is outside the Quire project')

    await git(team.anaClone, 'checkout', '--', 'README.md')
    await git(team.anaClone, 'fetch', '--quiet')
    expect(await gitSyncStatus(team.ana, { annotator: ANA })).toMatchObject({ ahead: 0, behind: 1, otherChanges: [] })
  })
})
