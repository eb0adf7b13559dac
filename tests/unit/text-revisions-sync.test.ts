// Text revisions reaching colleagues: through a synced folder (the project watcher reports the
// document as changed and every read moves to the new text) and through git (a revision file is
// the author's own new file, committed by their sync and received by the colleague's).
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { QuireBackend } from '../../src/main/backend'
import { changeSetFromSpecs } from '../../src/core/text-edit/change-set'
import { syncProject } from '../../src/main/services/git-sync-service'
import { ProjectChangeTracker } from '../../src/main/services/project-changes'
import { TextEditService } from '../../src/main/services/text-edit-service'
import { ProjectStore, sha256Hex } from '../../src/main/store/project-store'
import { ORIGINAL_REVISION, STORE_SCHEMA_VERSION, type DocumentRecord } from '../../src/shared/model'
import { makeTeamProject, MEETING_TEXT, rangeOf, writeAsColleague, type TeamProject } from '../fixtures/team-project'
import { makeTempFolder } from '../fixtures/temp-folder'

const run = promisify(execFile)
const SAMPLE_TEXTS = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')

const trackers: ProjectChangeTracker[] = []
const teams: TeamProject[] = []
afterEach(async () => {
  for (const tracker of trackers.splice(0)) tracker.stop()
  for (const team of teams.splice(0)) await team.projects.close()
})

describe('a colleague\'s revision arriving in a synced folder', () => {
  it('is reported as a change of its document (our own is not), and the text read afterwards is the new one', async () => {
    const team = await makeTeamProject('Leyla')
    teams.push(team)
    const tracker = new ProjectChangeTracker(team.projects, { settleMs: 30 })
    trackers.push(tracker)
    const edits = new TextEditService(team.projects, team.documents, () => ['Leyla'])
    const base = (await tracker.since(0)).seq

    const own = await edits.save({ documentId: team.documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [{ from: 0, to: 0, insert: 'Dr ' }]) })
    await team.store.settleWrites()
    await tracker.settled()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await tracker.since(base)).toMatchObject({ documentIds: [] })

    // Rashad's computer continued it and the sync tool brings the file.
    const before = `Dr ${MEETING_TEXT}`
    const baku = rangeOf('Baku', before)
    const changes = changeSetFromSpecs(before, [{ from: baku.start, to: baku.start, insert: 'central ' }])
    const after = before.replace('Baku', 'central Baku')
    const revision = {
      format: 'quire-revision',
      schemaVersion: 1,
      id: 'r2-0123456789ab',
      parent: own.revision?.id,
      seq: 2,
      author: 'Rashad',
      createdAt: new Date().toISOString(),
      shaBefore: sha256Hex(before),
      shaAfter: sha256Hex(after),
      lengthBefore: before.length,
      lengthAfter: after.length,
      changes,
      origin: { kind: 'edit' },
      summary: 'Edited 1 place'
    }
    await writeAsColleague(join(team.store.documentFolder(team.documentId), 'revisions', `${revision.id}.json`), revision)
    await vi.waitFor(
      async () => {
        await tracker.settled()
        expect((await tracker.since(base)).documentIds).toEqual([team.documentId])
      },
      { timeout: 5000, interval: 40 }
    )
    expect(await team.store.readText(team.documentId)).toBe(after)
    expect((await edits.history(team.documentId)).head).toMatchObject({ id: revision.id, seq: 2 })
  })
})

describe('text revisions through git sync', () => {
  const savedEnvironment = new Map<string, string | undefined>()
  beforeAll(async () => {
    const home = await mkdtemp(join(tmpdir(), 'quire-git-home-'))
    const globalConfig = join(home, '.gitconfig')
    await writeFile(globalConfig, '[init]\n\tdefaultBranch = main\n')
    const environment: Record<string, string | undefined> = { HOME: home, GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: undefined, GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_NAME: undefined, GIT_COMMITTER_EMAIL: undefined, EMAIL: undefined }
    for (const [name, value] of Object.entries(environment)) {
      savedEnvironment.set(name, process.env[name])
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
  afterAll(async () => {
    const home = process.env.HOME
    for (const [name, value] of savedEnvironment) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    if (home) await rm(home, { recursive: true, force: true })
  })

  const git = async (cwd: string, ...args: string[]): Promise<string> =>
    (await run('git', ['-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', ...args], { cwd, env: process.env })).stdout.trimEnd()

  it("commits the author's revision file as their own new file, and the colleague receives it and reads the edited text", async () => {
    const root = await makeTempFolder('quire-git-revisions-')
    const remote = join(root, 'team.git')
    await git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote)
    const anaClone = join(root, 'ana')
    await git(root, 'clone', '--quiet', remote, anaClone)
    const documentId = 'report-1a2b'
    const utf8 = new TextEncoder().encode(MEETING_TEXT)
    const record: DocumentRecord = { format: 'quire-document', schemaVersion: STORE_SCHEMA_VERSION, id: documentId, name: 'report', originalFileName: 'report.txt', encoding: 'utf-8', lineEnding: 'none', sizeBytes: utf8.length, length: MEETING_TEXT.length, sha256: sha256Hex(utf8), importedAt: new Date().toISOString(), importedBy: 'Ana' }
    const store = await ProjectStore.create(join(anaClone, 'corpus'), 'Corpus')
    await store.addDocument(record, MEETING_TEXT)
    await store.close()
    await git(anaClone, 'add', '-A')
    await git(anaClone, 'commit', '--quiet', '-m', 'A new corpus')
    await git(anaClone, 'push', '--quiet', '-u', 'origin', 'main')
    const boClone = join(root, 'bo')
    await git(root, 'clone', '--quiet', remote, boClone)

    const ana = new QuireBackend({ userDataDir: join(root, 'ana-data'), sampleTextsDir: SAMPLE_TEXTS, edition: 'browser', version: '9.9.9', osUserName: 'ana', dialogs: null })
    await ana.setAnnotatorName('Ana')
    await ana.openProject(join(anaClone, 'corpus'))
    const edited = await ana.saveTextEdit({ documentId, author: 'Ana', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [{ from: 0, to: 0, insert: 'Dr ' }]) })
    const revisionFile = `documents/${documentId}/revisions/${edited.revision?.id}.json`
    const synced = await ana.syncProject('Ana')
    expect(synced.committed).toContain(revisionFile)
    expect(synced.pushed).toBe(true)
    await ana.closeProject()

    const received = await syncProject(join(boClone, 'corpus'), { annotator: 'Bo' })
    expect(received.changedByOthers).toContain(revisionFile)
    const bo = new QuireBackend({ userDataDir: join(root, 'bo-data'), sampleTextsDir: SAMPLE_TEXTS, edition: 'browser', version: '9.9.9', osUserName: 'bo', dialogs: null })
    await bo.setAnnotatorName('Bo')
    await bo.openProject(join(boClone, 'corpus'))
    const content = await bo.getDocument({ documentId, annotator: 'Bo' })
    expect(content.text).toBe(`Dr ${MEETING_TEXT}`)
    expect(content.revision.id).toBe(edited.revision?.id)
    expect(await readdir(join(boClone, 'corpus', 'documents', documentId, 'revisions'))).toEqual([`${edited.revision?.id}.json`])
    // The machine-local copy of the text stays out of git.
    expect(await git(boClone, 'status', '--porcelain', '--untracked-files=all')).toBe('')
    await bo.closeProject()
  })
})
