import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { QuireBackend, type QuireBackendOptions } from '../../src/main/backend'
import { annotatorFileName } from '../../src/core/ids'
import { sha256Hex } from '../../src/main/store/project-store'
import { CURATION_ANNOTATOR, type DocumentRecord } from '../../src/shared/model'
import { snapshotFolder } from '../fixtures/corpus-project'
import { makeTempFolder } from '../fixtures/temp-folder'
import { addOver, colleagueLayer, MEETING_TEXT, writeAsColleague } from '../fixtures/team-project'
import { caught } from '../helpers/caught'

const SAMPLE_TEXTS = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')

const backends: QuireBackend[] = []

afterEach(async () => {
  // Stops the change tracker's watchers and releases the project before the folder goes.
  for (const backend of backends.splice(0)) await backend.closeProject()
})

function startBackend(options: QuireBackendOptions): QuireBackend {
  const backend = new QuireBackend(options)
  backends.push(backend)
  return backend
}

/** A backend whose user is `name`, with a project holding the meeting text. */
async function openTeamBackend(name = 'Aysel') {
  const root = await makeTempFolder('quire-backend-layers-')
  const options: QuireBackendOptions = {
    userDataDir: join(root, 'user-data'),
    sampleTextsDir: SAMPLE_TEXTS,
    edition: 'browser',
    version: '9.9.9',
    osUserName: 'tester',
    dialogs: null
  }
  const backend = startBackend(options)
  await backend.setAnnotatorName(name)
  const project = await backend.createProject(join(root, 'project'), 'Team')
  const report = await backend.importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(MEETING_TEXT) }])
  const documentId = report.imported[0]?.documentId as string
  const content = await backend.getDocument({ documentId, annotator: name })
  const record: DocumentRecord = content.document
  return { root, options, backend, project, documentId, record }
}

/** Where a colleague's Quire keeps their layer on the document (the store's file name for that annotator). */
function colleagueFilePath(projectDir: string, documentId: string, annotator: string): string {
  return join(projectDir, 'documents', documentId, 'annotations', annotatorFileName(annotator, sha256Hex))
}


describe('QuireBackend: what a save answers', () => {
  it("brings the document's summary as the layer's annotator sees it, the same as asking for it after the save", async () => {
    const { backend, documentId } = await openTeamBackend('Aysel')
    const asAysel = { documentId, annotator: 'Aysel' }
    const first = await backend.applyAnnotationEdits(asAysel, [addOver('a1', 'Leyla Taghizade', 'PERSON'), addOver('a2', 'ICESCO', 'ORG')])
    expect(first.summary).toMatchObject({ id: documentId, total: 2, countsByTag: { PERSON: 1, ORG: 1 }, status: 'in-progress' })
    expect(first.summary).toEqual((await backend.getDocumentSummaries('Aysel', [documentId]))[0])
    const second = await backend.applyAnnotationEdits(asAysel, [{ op: 'delete', id: 'a2' }])
    expect(second.summary).toMatchObject({ total: 1, countsByTag: { PERSON: 1 } })
    expect(second.summary).toEqual((await backend.getDocumentSummaries('Aysel', [documentId]))[0])
  })

  it('answers a save without a summary when the summary cannot be read, never with a failure', async () => {
    const { backend, documentId } = await openTeamBackend('Aysel')
    const asAysel = { documentId, annotator: 'Aysel' }
    const { documents } = await (backend as unknown as { services(): Promise<{ documents: { summariesIfIndexOpen: () => Promise<never> } }> }).services()
    documents.summariesIfIndexOpen = () => Promise.reject(new Error('the index went away'))
    const answer = await backend.applyAnnotationEdits(asAysel, [addOver('a1', 'Leyla Taghizade', 'PERSON')])
    expect(answer.saved.map((annotation) => annotation.id)).toEqual(['a1'])
    expect(answer.summary).toBeUndefined()
    expect((await backend.getLayer(asAysel)).annotations.map((annotation) => annotation.id)).toEqual(['a1'])
  })
})

describe('QuireBackend: whose layers the window may write', () => {
  it('keeps the layer of a name held earlier this session writable after a rename, apart from the new one', async () => {
    const { backend, documentId } = await openTeamBackend('Aysel')
    const asAysel = { documentId, annotator: 'Aysel' }
    const [added] = (await backend.applyAnnotationEdits(asAysel, [addOver('a1', 'Leyla Taghizade', 'PERSON')])).saved
    expect(added).toMatchObject({ id: 'a1', annotator: 'Aysel' })

    await backend.setAnnotatorName('Aysel Rahimova')
    // An undo made after the rename goes to the layer the edit was made in.
    expect(await backend.applyAnnotationEdits(asAysel, [{ op: 'delete', id: 'a1' }])).toMatchObject({ saved: [], deletedIds: ['a1'] })
    await backend.setDocumentStatus(asAysel, 'in-progress')
    const asNewName = { documentId, annotator: 'Aysel Rahimova' }
    await backend.applyAnnotationEdits(asNewName, [addOver('b1', 'ICESCO', 'ORG')])

    expect((await backend.getLayer(asAysel)).annotations).toEqual([])
    expect((await backend.getLayer(asNewName)).annotations.map((annotation) => [annotation.id, annotation.annotator])).toEqual([['b1', 'Aysel Rahimova']])
    const layers = await backend.listLayers(documentId)
    expect(layers.map((layer) => [layer.annotator, layer.status, layer.spans])).toEqual([
      ['Aysel', 'in-progress', 0],
      ['Aysel Rahimova', 'in-progress', 1]
    ])
    expect(new Set(layers.map((layer) => layer.path)).size).toBe(2)
  })

  it("refuses to write a colleague's layer (a name never held) with 'forbidden', writing nothing", async () => {
    const { backend, documentId, project } = await openTeamBackend('Aysel')
    const before = await snapshotFolder(join(project.path, 'documents'))
    const zaur = { documentId, annotator: 'Zaur' }
    const edit = await caught(backend.applyAnnotationEdits(zaur, [addOver('z1', 'ICESCO', 'ORG')]))
    expect(edit.code).toBe('forbidden')
    expect(edit.message).toMatch(/Not saved: the layer of Zaur is a colleague's/)
    expect((await caught(backend.setDocumentStatus(zaur, 'done'))).code).toBe('forbidden')
    // A name differing only in case or spacing is someone else's too.
    expect((await caught(backend.applyAnnotationEdits({ documentId, annotator: 'aysel' }, [addOver('x', 'Baku', 'ORG')]))).code).toBe('forbidden')
    expect(await snapshotFolder(join(project.path, 'documents'))).toEqual(before)
    expect(await backend.listLayers(documentId)).toEqual([])
  })

  it('forgets the names held before a restart: only the current name (and the gold layer) stay writable', async () => {
    const { backend, options, documentId, project } = await openTeamBackend('Aysel')
    await backend.applyAnnotationEdits({ documentId, annotator: 'Aysel' }, [addOver('a1', 'Baku', 'EVENT')])
    await backend.setAnnotatorName('Aysel Rahimova')
    await backend.closeProject()

    const restarted = startBackend(options)
    await restarted.openProject(project.path)
    const before = await snapshotFolder(join(project.path, 'documents'))
    const old = await caught(restarted.applyAnnotationEdits({ documentId, annotator: 'Aysel' }, [{ op: 'delete', id: 'a1' }]))
    expect(old.code).toBe('forbidden')
    expect(await snapshotFolder(join(project.path, 'documents'))).toEqual(before)
    // Still readable, as any colleague's layer.
    expect((await restarted.getLayer({ documentId, annotator: 'Aysel' })).annotations.map((annotation) => annotation.id)).toEqual(['a1'])
    await restarted.applyAnnotationEdits({ documentId, annotator: 'Aysel Rahimova' }, [addOver('b1', 'Baku', 'EVENT')])
    await restarted.applyAnnotationEdits({ documentId, annotator: CURATION_ANNOTATOR }, [addOver('g1', 'Baku', 'EVENT')])
  })

  it('lets the window write the gold layer: spans, decisions and its status', async () => {
    const { backend, documentId } = await openTeamBackend('Aysel')
    const gold = { documentId, annotator: CURATION_ANNOTATOR }
    await backend.applyAnnotationEdits(gold, [
      addOver('g1', 'ICESCO', 'ORG'),
      { op: 'decide', decision: { positionKey: 'only-in-some@46-50:ORG', decision: 'rejected', curator: 'Aysel', decidedAt: '2024-05-03T09:00:00.000Z' } }
    ])
    await backend.setDocumentStatus(gold, 'done')
    expect(await backend.getLayer(gold)).toMatchObject({
      status: 'done',
      annotations: [expect.objectContaining({ id: 'g1', annotator: CURATION_ANNOTATOR })],
      curators: ['Aysel'],
      curationDecisions: [expect.objectContaining({ positionKey: 'only-in-some@46-50:ORG' })]
    })
    expect((await backend.listDocuments('Aysel'))[0]).toMatchObject({ curation: 'done', reviewState: 'curated' })
  })
})

describe('QuireBackend.startCuration', () => {
  it("refuses a curator name the user has not held with 'forbidden', writing nothing", async () => {
    const { backend, documentId, record, project } = await openTeamBackend('Aysel')
    await backend.applyAnnotationEdits({ documentId, annotator: 'Aysel' }, [addOver('a1', 'ICESCO', 'ORG'), addOver('a2', 'Baku', 'EVENT')])
    await writeAsColleague(colleagueFilePath(project.path, documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }], { status: 'done' }))
    const before = await snapshotFolder(join(project.path, 'documents'))
    const refused = await caught(backend.startCuration(documentId, { annotators: ['Aysel', 'Zaur'], strategy: 'unanimous', curator: 'Zaur' }))
    expect(refused.code).toBe('forbidden')
    expect(await snapshotFolder(join(project.path, 'documents'))).toEqual(before)
    expect(await backend.listLayers(documentId)).toHaveLength(2)
  })

  it('accepts as curator a name held earlier this session, not one held before a restart', async () => {
    const { backend, options, documentId, record, project } = await openTeamBackend('Aysel')
    await writeAsColleague(colleagueFilePath(project.path, documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }]))
    await backend.setAnnotatorName('Aysel Rahimova')
    await backend.closeProject()
    const restarted = startBackend(options)
    await restarted.openProject(project.path)
    const request = { annotators: ['Aysel Rahimova', 'Zaur'], strategy: 'none' as const }
    expect((await caught(restarted.startCuration(documentId, { ...request, curator: 'Aysel' }))).code).toBe('forbidden')
    expect(await restarted.startCuration(documentId, { ...request, curator: 'Aysel Rahimova' })).toMatchObject({ created: true, prefilled: 0 })
    expect((await restarted.getLayer({ documentId, annotator: CURATION_ANNOTATOR })).curators).toEqual(['Aysel Rahimova'])

    const fresh = await openTeamBackend('Leyla')
    await fresh.backend.setAnnotatorName('Leyla Taghizade')
    const started = await fresh.backend.startCuration(fresh.documentId, { annotators: ['Leyla', 'Zaur'], strategy: 'none', curator: 'Leyla' })
    expect(started.created).toBe(true)
  })

  it('pre-fills from a colleague layer synced in, returns the gold layer, and does not start twice', async () => {
    const { backend, documentId, record, project } = await openTeamBackend('Aysel')
    await backend.applyAnnotationEdits({ documentId, annotator: 'Aysel' }, [addOver('a1', 'ICESCO', 'ORG'), addOver('a2', 'Baku', 'EVENT')])
    const zaurPath = colleagueFilePath(project.path, documentId, 'Zaur')
    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }], { status: 'done' }))

    const started = await backend.startCuration(documentId, { annotators: ['Aysel', 'Zaur'], strategy: 'unanimous', curator: 'Aysel' })
    expect(started).toMatchObject({ prefilled: 1, created: true, content: { annotator: CURATION_ANNOTATOR, status: 'in-progress' } })
    expect(started.content.annotations.map((annotation) => [annotation.text, annotation.provenance])).toEqual([
      ['ICESCO', { source: 'curation', detail: 'pre-filled (unanimous)', annotators: ['Aysel', 'Zaur'], curator: 'Aysel' }]
    ])
    expect(started.content.layers.map((layer) => layer.annotator)).toEqual(['Aysel', 'Zaur', CURATION_ANNOTATOR])
    const again = await backend.startCuration(documentId, { annotators: ['Aysel', 'Zaur'], strategy: 'none', curator: 'Aysel' })
    expect(again).toMatchObject({ prefilled: 0, created: false })
    expect(again.content.annotations).toEqual(started.content.annotations)
  })
})

describe("QuireBackend: colleagues' layers", () => {
  it('listLayers and getLayer give colleague layers synced into the folder', async () => {
    const { backend, documentId, record, project } = await openTeamBackend('Aysel')
    await backend.applyAnnotationEdits({ documentId, annotator: 'Aysel' }, [addOver('a1', 'ICESCO', 'ORG')])
    const zaurPath = colleagueFilePath(project.path, documentId, 'Zaur')
    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'Raheel Qamar', tag: 'PERSON' }, { id: 'z2', words: 'Baku', tag: 'EVENT' }], { status: 'done' }))

    expect((await backend.listLayers(documentId)).map((layer) => [layer.annotator, layer.status, layer.spans, layer.path])).toEqual([
      ['Aysel', 'in-progress', 1, expect.stringMatching(/aysel-[0-9a-f]{8}\.json$/)],
      ['Zaur', 'done', 2, zaurPath]
    ])
    const zaur = await backend.getLayer({ documentId, annotator: 'Zaur' })
    expect(zaur).toMatchObject({ annotator: 'Zaur', status: 'done', updatedAt: '2024-05-01T10:00:00.000Z' })
    expect(zaur.annotations.map((annotation) => annotation.text)).toEqual(['Raheel Qamar', 'Baku'])
    expect((await backend.getDocument({ documentId, annotator: 'Zaur' })).annotations).toHaveLength(2)
    expect((await backend.listDocuments('Zaur'))[0]).toMatchObject({ status: 'done', total: 2 })
  })

  it("getProjectChanges reports a colleague's file written into the folder, and not our own save", async () => {
    const { backend, documentId, record, project } = await openTeamBackend('Aysel')
    const zaurPath = colleagueFilePath(project.path, documentId, 'Zaur')
    const base = (await backend.getProjectChanges(0)).seq
    await backend.applyAnnotationEdits({ documentId, annotator: 'Aysel' }, [addOver('a1', 'ICESCO', 'ORG')])
    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'EVENT' }]))
    const changes = await vi.waitFor(
      async () => {
        const found = await backend.getProjectChanges(base)
        expect(found.documentIds).toEqual([documentId])
        return found
      },
      { timeout: 5000, interval: 50 }
    )
    expect(changes).toEqual({ seq: base + 2, documentIds: [documentId], listChanged: true, projectFileChanged: false, entitiesChanged: false })
    expect((await backend.getLayer({ documentId, annotator: 'Zaur' })).annotations.map((annotation) => annotation.id)).toEqual(['z1'])
  })
})
