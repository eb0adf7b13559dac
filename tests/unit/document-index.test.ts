// The project's document index: updated per change, trusted only as far as the disk agrees, and
// rebuilt from the documents when missing, damaged, from a newer Quire or stale.
import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { computeCorpusStats } from '../../src/main/services/corpus-stats-service'
import { DocumentService } from '../../src/main/services/document-service'
import { DocumentIndex } from '../../src/main/services/document-index'
import { ImportService } from '../../src/main/services/import-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ProjectService } from '../../src/main/services/project-service'
import { DOCUMENT_INDEX_FILE_NAME, DOCUMENT_INDEX_JOURNAL_NAME, DOCUMENT_INDEX_SCHEMA_VERSION, DocumentIndexFile, LEGACY_DOCUMENT_INDEX_FILE_NAME } from '../../src/main/store/document-index-file'
import { LOCAL_STATE_FOLDER, ProjectStore } from '../../src/main/store/project-store'
import { asUtf16 } from '../../src/shared/model'
import { addOver, colleagueLayer, makeTeamProject, MEETING_TEXT, writeAsColleague, type TeamProject } from '../fixtures/team-project'
import { readIndexHeader } from '../helpers/legacy-document-index'

const MORE = [
  { name: 'alpha', text: 'Alpha text about ICESCO.' },
  { name: 'beta', text: 'Beta text about Baku.' }
]

/** The same project opened again by a new set of services (another session). */
async function reopen(team: TeamProject): Promise<{ projects: ProjectService; documents: DocumentService; annotations: AnnotationService }> {
  const projects = new ProjectService(team.settings)
  await projects.open(team.dir)
  return { projects, documents: new DocumentService(projects, new LayerService(projects)), annotations: new AnnotationService(projects) }
}

const indexPath = (team: TeamProject): string => join(team.dir, LOCAL_STATE_FOLDER, DOCUMENT_INDEX_FILE_NAME)
const journalPath = (team: TeamProject): string => join(team.dir, LOCAL_STATE_FOLDER, DOCUMENT_INDEX_JOURNAL_NAME)

/** Closed cleanly once its folders have settled, so the index file carries their stamps. */
async function closeSettled(team: TeamProject): Promise<void> {
  await team.documents.list('Leyla')
  await sleep(80)
  await team.projects.close()
  const written = await new DocumentIndexFile(join(team.dir, LOCAL_STATE_FOLDER)).read()
  if ('refused' in written) throw new Error(written.detail)
  expect([...written.entries.values()].every((entry) => typeof entry.folders === 'string')).toBe(true)
}

/** `quire stats`' counts on the project as it is on disk now. */
async function statsNow(team: TeamProject): Promise<Awaited<ReturnType<typeof computeCorpusStats>>> {
  const store = await ProjectStore.open(team.dir)
  try {
    return await computeCorpusStats(store)
  } finally {
    await store.close()
  }
}
const names = async (documents: DocumentService): Promise<string[]> => (await documents.list('Leyla')).map((summary) => summary.name)

describe('the document index', () => {
  it('follows each change made here: a save, a status, an import', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    const { documents, documentId } = team
    expect(await names(documents)).toEqual(['alpha', 'beta', 'meeting'])

    await team.annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'ORG')])
    expect((await documents.summaries('Leyla', [documentId]))[0]).toMatchObject({ total: 1, countsByTag: { ORG: 1 }, status: 'in-progress' })
    await documents.setStatus({ documentId, annotator: 'Leyla' }, 'done')
    expect((await documents.list('Leyla')).find((summary) => summary.id === documentId)).toMatchObject({ status: 'done', total: 1, reviewState: 'annotated' })

    await new ImportService(team.projects, MAX_IMPORT_BYTES).importTexts([{ name: 'gamma.txt', bytes: new TextEncoder().encode('Gamma.') }], 'Leyla')
    expect(await names(documents)).toEqual(['alpha', 'beta', 'gamma', 'meeting'])
  })

  it('keeps the sorted list after a save, the saved entry replaced in its place (the list version unchanged)', async () => {
    const team = await makeTeamProject('Leyla', [...MORE, { name: 'Émile', text: 'Émile wrote from Baku.' }, { name: 'zeta', text: 'Zeta text.' }])
    const { documents } = team
    const before = await documents.index.entries()
    expect(before.map((entry) => entry.name)).toEqual(['alpha', 'beta', 'Émile', 'meeting', 'zeta'])
    for (const name of ['Émile', 'alpha', 'zeta']) {
      const documentId = (before.find((entry) => entry.name === name) as { id: string }).id
      const word = name === 'Émile' ? 'Baku' : name === 'alpha' ? 'ICESCO' : 'Zeta'
      const text = (await documents.get({ documentId, annotator: 'Leyla' })).text
      await team.annotations.applyEdits({ documentId, annotator: 'Leyla' }, [{ op: 'add', annotation: { id: `s${word}`, start: asUtf16(text.indexOf(word)), end: asUtf16(text.indexOf(word) + word.length), tag: 'ORG' } }])
      const after = await documents.index.entries()
      expect(after).toBe(before)
      expect(documents.index.listVersion(after)).toBe(documents.index.listVersion(before))
    }
    expect((await documents.list('Leyla')).map((summary) => [summary.name, summary.total])).toEqual([
      ['alpha', 1],
      ['beta', 0],
      ['Émile', 1],
      ['meeting', 0],
      ['zeta', 1]
    ])
  })

  it('answers a reopened project from the index file without reading any document', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'ORG')])
    const before = await team.documents.list('Leyla')
    await team.projects.close()

    const again = await reopen(team)
    const store = again.projects.requireProject()
    const readRecord = vi.spyOn(store, 'readRecordIfExists')
    expect(await again.documents.list('Leyla')).toEqual(before)
    await again.documents.index.checked()
    expect(readRecord).not.toHaveBeenCalled()
    expect(await again.documents.index.refusal()).toBeNull()
  })

  it('checks a clean opening once it may (in the app, after the window’s first answer), or at once when the check is waited for', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await closeSettled(team)
    for (const waitedFor of [false, true]) {
      const projects = new ProjectService(team.settings)
      await projects.open(team.dir)
      let allow = (): void => undefined
      const allowed = new Promise<void>((resolve) => (allow = resolve))
      const index = new DocumentIndex(projects, new LayerService(projects), { checkAfter: () => allowed })
      const stages: string[] = []
      index.onProgress((progress) => stages.push(progress.stage))
      expect(await index.entries()).toHaveLength(3)
      if (waitedFor) {
        await index.checked()
      } else {
        await sleep(150)
        expect(stages).not.toContain('check')
        allow()
        await vi.waitFor(() => expect(stages).toContain('check'), { timeout: 5000, interval: 20 })
      }
      expect(stages).toContain('check')
      await projects.close()
    }
  })

  it('finds document folders removed and added behind its back, and layers changed, while the project was closed', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    const other = await makeTeamProject('Leyla', [{ name: 'delta', text: 'Delta text, new here.' }])
    await team.documents.list('Leyla')
    await team.projects.close()

    // A sync tool: alpha goes, delta arrives, and a colleague's layer appears on the meeting.
    const alphaId = team.ids.get('alpha') as string
    await rm(join(team.dir, 'documents', alphaId), { recursive: true })
    const deltaId = other.ids.get('delta') as string
    await cp(join(other.dir, 'documents', deltaId), join(team.dir, 'documents', deltaId), { recursive: true })
    const zaur = colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }], { status: 'done' }, MEETING_TEXT)
    await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), zaur)

    const again = await reopen(team)
    expect(await names(again.documents)).toEqual(['beta', 'delta', 'meeting'])
    await again.documents.index.checked()
    const meeting = (await again.documents.list('Zaur')).find((summary) => summary.id === team.documentId)
    expect(meeting).toMatchObject({ status: 'done', total: 1, layers: [{ annotator: 'Zaur', status: 'done', spans: 1 }] })
  })

  it('takes its entries for the folders without listing them while the documents folder is as the file says it was', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await closeSettled(team)
    const header = (await readIndexHeader(indexPath(team))) as { documentsFolder?: string }
    const documentsFolder = await stat(join(team.dir, 'documents'))
    expect(header.documentsFolder).toBe(`${documentsFolder.ino}:${documentsFolder.ctimeMs}`)

    const again = await reopen(team)
    const listing = vi.spyOn(again.projects.requireProject(), 'documentFolderNames')
    expect(await names(again.documents)).toEqual(['alpha', 'beta', 'meeting'])
    expect(listing).not.toHaveBeenCalled()
    await again.projects.close()
  })

  it('lists the folders again when one came or went after the file was written, however settled the folder then was', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    const other = await makeTeamProject('Leyla', [{ name: 'delta', text: 'Delta text, new here.' }])
    await closeSettled(team)
    expect(((await readIndexHeader(indexPath(team))) as { documentsFolder?: string }).documentsFolder).toBeDefined()
    const alphaId = team.ids.get('alpha') as string
    await rm(join(team.dir, 'documents', alphaId), { recursive: true })
    const deltaId = other.ids.get('delta') as string
    await cp(join(other.dir, 'documents', deltaId), join(team.dir, 'documents', deltaId), { recursive: true })
    // Settled again before the opening: only the stamp differs from the file's.
    await sleep(80)
    const again = await reopen(team)
    expect(await names(again.documents)).toEqual(['beta', 'delta', 'meeting'])
    await again.projects.close()
  })

  it('records no documents folder when its entries are not its folders, one for one', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await team.documents.list('Leyla')
    await sleep(80)
    // A folder the open index never heard of (no change tracker told the store): the file must
    // not say that its entries are the folders.
    const other = await makeTeamProject('Leyla', [{ name: 'delta', text: 'Delta text, new here.' }])
    const deltaId = other.ids.get('delta') as string
    await cp(join(other.dir, 'documents', deltaId), join(team.dir, 'documents', deltaId), { recursive: true })
    await sleep(80)
    await team.projects.close()
    expect(((await readIndexHeader(indexPath(team))) as { documentsFolder?: string }).documentsFolder).toBeUndefined()
    const again = await reopen(team)
    expect(await names(again.documents)).toEqual(['alpha', 'beta', 'delta', 'meeting'])
    await again.projects.close()
  })

  it('finds folders removed and added while the project is open, once the change tracker tells the store', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    const other = await makeTeamProject('Leyla', [{ name: 'delta', text: 'Delta text, new here.' }])
    expect(await names(team.documents)).toEqual(['alpha', 'beta', 'meeting'])
    const alphaId = team.ids.get('alpha') as string
    const deltaId = other.ids.get('delta') as string
    await rm(join(team.dir, 'documents', alphaId), { recursive: true })
    await cp(join(other.dir, 'documents', deltaId), join(team.dir, 'documents', deltaId), { recursive: true })
    team.store.forgetFile(join(team.dir, 'documents', alphaId))
    team.store.forgetFile(join(team.dir, 'documents', deltaId))
    expect(await names(team.documents)).toEqual(['beta', 'delta', 'meeting'])
  })

  it('tells how far a rebuild is while the opening waits for it, and nothing once the index is made', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    const expected = await team.documents.list('Leyla')
    await team.projects.close()
    await rm(indexPath(team))
    const again = await reopen(team)
    // Each document read takes a while, as on a slow disk: the rebuild outlasts the patience.
    const store = again.projects.requireProject()
    const read = store.readRecordIfExists.bind(store)
    vi.spyOn(store, 'readRecordIfExists').mockImplementation(async (id) => {
      await sleep(30)
      return read(id)
    })
    const seen: unknown[] = []
    again.documents.index.onProgress((progress) => seen.push(progress))
    expect(await again.documents.index.readyWithin(10)).toEqual({ stage: 'rebuild', done: 0, total: 3 })
    expect(again.documents.index.openingProgress()).toMatchObject({ stage: 'rebuild', total: 3 })
    expect(await again.documents.list('Leyla')).toEqual(expected)
    expect(again.documents.index.openingProgress()).toBeNull()
    expect(seen.at(-1)).toEqual({ stage: 'rebuild', done: 3, total: 3 })
    expect(await again.documents.index.readyWithin(10)).toBeNull()
    await again.projects.close()

    // A good index answers within the patience: no progress to show.
    const third = await reopen(team)
    expect(await third.documents.index.readyWithin(0)).toBeNull()
    expect(third.documents.index.openingProgress()).toBeNull()
  })

  it('rebuilds an index file that is damaged, from a newer Quire, or missing, and says so', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    const expected = await team.documents.list('Leyla')
    await team.projects.close()
    const legacyPath = join(team.dir, LOCAL_STATE_FOLDER, LEGACY_DOCUMENT_INDEX_FILE_NAME)
    // The JSON index of versions 1 and 2 is read only when the binary one is absent (or older).
    const legacy = (content: string) => async (): Promise<void> => {
      await rm(indexPath(team))
      await writeFile(legacyPath, content)
    }
    const binary = (change: (bytes: Buffer) => Buffer) => async (): Promise<void> => writeFile(indexPath(team), change(await readFile(indexPath(team))))
    const cases: [string, () => Promise<void>, string][] = [
      ['damaged JSON', legacy('{"format":"quire-document-index","schemaVersion":1,"documents":[{"id":'), 'damaged'],
      ['wrong entry', legacy('{"format":"quire-document-index","schemaVersion":1,"closed":true,"documents":[{"id":"x","name":3}]}'), 'damaged'],
      ['newer JSON', legacy('{"format":"quire-document-index","schemaVersion":99,"closed":true,"documents":[]}'), 'newer-version'],
      ['cut short', binary((bytes) => bytes.subarray(0, bytes.length - 8)), 'damaged'],
      ['a byte changed', binary((bytes) => Buffer.concat([bytes.subarray(0, -1), Buffer.from([bytes.at(-1)! ^ 1])])), 'damaged'],
      ['newer', binary((bytes) => Buffer.from(bytes.toString('latin1').replace(/"schemaVersion":\d+/, '"schemaVersion":99'), 'latin1')), 'newer-version'],
      ['missing', () => rm(indexPath(team)), 'missing']
    ]
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    for (const [what, prepare, refusal] of cases) {
      await prepare()
      const again = await reopen(team)
      expect(await again.documents.list('Leyla'), what).toEqual(expected)
      expect(await again.documents.index.refusal(), what).toBe(refusal)
      await again.projects.close()
      // Written afresh as the project closed, in the current version; the JSON one is gone.
      expect(await readIndexHeader(indexPath(team)), what).toMatchObject({ format: 'quire-document-index', schemaVersion: DOCUMENT_INDEX_SCHEMA_VERSION, closed: true })
      await expect(stat(legacyPath), what).rejects.toThrow()
    }
    warn.mockRestore()
  })

  it('checks every stamp before answering when the last session did not close (a crash): its own last saves are found', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await team.documents.list('Leyla')
    // Saved, and never listed again nor closed: the index on disk does not have this save.
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'ORG')])
    await team.store.settleWrites()
    const again = await reopen(team)
    expect((await again.documents.list('Leyla')).find((summary) => summary.id === team.documentId)).toMatchObject({ total: 1 })
  })

  it('keeps changes in its journal between full writes, and a cut-off journal line costs only that document', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await team.documents.list('Leyla')
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'ORG')])
    await team.documents.list('Leyla')
    const journal = await readFile(join(team.dir, LOCAL_STATE_FOLDER, DOCUMENT_INDEX_JOURNAL_NAME), 'utf8')
    expect(journal).toContain(`"id":"${team.documentId}"`)
    await writeFile(join(team.dir, LOCAL_STATE_FOLDER, DOCUMENT_INDEX_JOURNAL_NAME), `${journal}{"id":"cut-of`)
    const again = await reopen(team)
    expect((await again.documents.list('Leyla')).find((summary) => summary.id === team.documentId)).toMatchObject({ total: 1 })
    expect(await again.documents.index.refusal()).toBeNull()
  })

  it('lists a document whose document.json cannot be read with its problem; the rest still work', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await team.projects.close()
    const betaId = team.ids.get('beta') as string
    await writeFile(join(team.dir, 'documents', betaId, 'document.json'), '{ "format": "quire-doc')
    const again = await reopen(team)
    await again.documents.index.checked()
    const listed = await again.documents.list('Leyla')
    expect(listed.map((summary) => [summary.id === betaId ? 'beta' : summary.name, summary.problem?.code ?? null])).toEqual([
      ['alpha', null],
      ['beta', 'corrupt-store'],
      ['meeting', null]
    ])
  })

  it('answers `quire stats` from its folders’ check after a clean close: a layer a sync tool brings is found', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await closeSettled(team)
    expect(await statsNow(team)).toMatchObject({ documents: 3, spans: 0 })

    // A sync tool writes a new file and renames it into place: annotations/ changes.
    const zaur = colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }], { status: 'done' }, MEETING_TEXT)
    await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), zaur)
    expect(await statsNow(team)).toMatchObject({ spans: 1, spansByAnnotator: { Zaur: 1 } })

  })

  it('leaves the index file untouched when `quire stats` finds nothing changed', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await closeSettled(team)
    const before = await stat(indexPath(team))
    await statsNow(team)
    expect((await stat(indexPath(team))).mtimeMs).toBe(before.mtimeMs)
    await expect(stat(journalPath(team))).rejects.toThrow()
  })

  it('finds a file another program rewrote in place, which leaves its folder as it was, by the files’ check the app runs', async () => {
    const team = await makeTeamProject('Leyla', MORE)
    await closeSettled(team)
    const betaId = team.ids.get('beta') as string
    await writeAsColleague(join(team.dir, 'documents', betaId, 'document.json'), '{ "format": "quire-doc', 'direct')
    const again = await reopen(team)
    await again.documents.index.checked()
    expect((await again.documents.list('Leyla')).find((summary) => summary.id === betaId)?.problem?.code).toBe('corrupt-store')
  })
})
