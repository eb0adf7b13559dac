import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { DocumentService } from '../../src/main/services/document-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { sha256Hex } from '../../src/main/store/project-store'
import { startCuration } from '../../src/main/services/curation-service'
import { ANNOTATION_LAYER_SCHEMA_VERSION, asUtf16, CURATION_ANNOTATOR, ORIGINAL_REVISION } from '../../src/shared/model'
import { addOver, colleagueLayer, makeTeamProject, rangeOf, writeAsColleague, type TeamProject } from '../fixtures/team-project'

const V1_FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'layers', 'annotations-v1.json')

/** Leyla's layer through the services, Zaur's as a file his Quire wrote, and a gold layer. */
async function threeLayers(team: TeamProject) {
  const { documentId, annotations, documents, store, record } = team
  const leyla = { documentId, annotator: 'Leyla' }
  await annotations.applyEdits(leyla, [
    addOver('l1', 'Leyla Taghizade', 'PERSON'),
    addOver('l2', 'Raheel Qamar', 'PERSON'),
    addOver('l3', 'ICESCO', 'ORG')
  ])
  await documents.setStatus(leyla, 'in-progress')
  const zaurPath = store.layerPath(documentId, 'Zaur')
  await writeAsColleague(
    zaurPath,
    colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }, { id: 'z2', words: 'Baku', tag: 'EVENT' }], {
      status: 'done',
      updatedAt: '2024-05-02T11:00:00.000Z',
      comments: ['c1', 'c2'].map((id) => ({
        id,
        target: { annotator: 'Leyla', annotationId: 'l2', start: asUtf16(20), end: asUtf16(32), tag: 'PERSON', text: 'Raheel Qamar' },
        text: 'Is this the same Raheel?',
        createdAt: '2024-05-02T10:00:00.000Z',
        updatedAt: '2024-05-02T10:00:00.000Z'
      }))
    })
  )
  const gold = { documentId, annotator: CURATION_ANNOTATOR }
  const icesco = rangeOf('ICESCO')
  await annotations.applyEdits(gold, [
    {
      op: 'add',
      annotation: {
        id: 'g1',
        start: asUtf16(icesco.start),
        end: asUtf16(icesco.end),
        tag: 'ORG',
        provenance: { source: 'curation', annotators: ['Leyla', 'Zaur'], curator: 'Leyla' }
      }
    }
  ])
  return { leyla, zaurPath, leylaPath: store.layerPath(documentId, 'Leyla'), goldPath: store.layerPath(documentId, CURATION_ANNOTATOR) }
}

/** The services as a fresh start of Quire has them: nothing read yet. */
async function restarted(team: TeamProject) {
  await team.projects.close()
  const projects = new ProjectService(await SettingsService.open(team.userDataDir))
  await projects.open(team.dir)
  const layers = new LayerService(projects)
  return { projects, layers, documents: new DocumentService(projects, layers), store: projects.requireProject() }
}

describe('LayerService.list', () => {
  it('lists every layer with its status, counts by tag, last change and comments, the gold layer last', async () => {
    const team = await makeTeamProject('Leyla')
    const { leylaPath, zaurPath, goldPath } = await threeLayers(team)
    const leylaUpdatedAt = JSON.parse(await readFile(leylaPath, 'utf8')).updatedAt as string

    const expected = [
      {
        annotator: 'Leyla',
        path: leylaPath,
        status: 'in-progress',
        spans: 3,
        countsByTag: { PERSON: 2, ORG: 1 },
        updatedAt: leylaUpdatedAt,
        comments: 0
      },
      {
        annotator: 'Zaur',
        path: zaurPath,
        status: 'done',
        spans: 2,
        countsByTag: { ORG: 1, EVENT: 1 },
        updatedAt: '2024-05-02T11:00:00.000Z',
        comments: 2
      },
      {
        annotator: CURATION_ANNOTATOR,
        path: goldPath,
        status: 'in-progress',
        spans: 1,
        countsByTag: { ORG: 1 },
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        comments: 0,
        curators: ['Leyla']
      }
    ]
    // Loaded layers (this process wrote them) and files read from disk give the same summaries.
    expect(await team.layers.list(team.documentId)).toEqual(expected)
    const fresh = await restarted(team)
    expect(await fresh.layers.list(team.documentId)).toEqual(expected)
    // "curation" sorts before "Zaur" by name; the gold layer is last all the same.
    expect('curation'.localeCompare('Zaur')).toBeLessThan(0)
  })

  it('lists nothing for a document no one has annotated, and refuses an unknown document', async () => {
    const team = await makeTeamProject()
    expect(await team.layers.list(team.documentId)).toEqual([])
    await expect(team.layers.list('no-such-document')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('gives a colleague layer as saved, and an empty layer for an annotator with no file', async () => {
    const team = await makeTeamProject()
    await threeLayers(team)
    expect(await team.layers.get({ documentId: team.documentId, annotator: 'Zaur' })).toMatchObject({
      annotator: 'Zaur',
      status: 'done',
      updatedAt: '2024-05-02T11:00:00.000Z',
      annotations: [expect.objectContaining({ id: 'z1', text: 'ICESCO' }), expect.objectContaining({ id: 'z2', text: 'Baku' })],
      comments: [expect.objectContaining({ id: 'c1' }), expect.objectContaining({ id: 'c2' })],
      curators: [],
      curationDecisions: []
    })
    expect(await team.layers.get({ documentId: team.documentId, annotator: 'Nobody' })).toEqual({
      annotator: 'Nobody',
      status: 'not-started',
      updatedAt: null,
      annotations: [],
      comments: [],
      resolvedComments: [],
      curators: [],
      curationDecisions: []
    })
    // Reading the empty layer wrote no file for it.
    expect(await readdir(join(team.store.documentFolder(team.documentId), 'annotations'))).toHaveLength(3)
  })

  it('parses a colleague file once, whichever reader comes first after the project opened', async () => {
    const team = await makeTeamProject()
    await threeLayers(team)
    const fresh = await restarted(team)
    const record = await fresh.store.readRecord(team.documentId)
    // getLayer first (the Review tab), then the document list's first summary of the layers.
    const first = await fresh.layers.read(fresh.store, record, 'Zaur')
    await fresh.layers.summarize(fresh.store, record)
    // The same parsed layer, shared: not the file parsed again.
    expect(await fresh.layers.read(fresh.store, record, 'Zaur')).toBe(first)
    await fresh.projects.close()
  })

  it('hands out copies: changing what get returned changes nothing held by the store', async () => {
    const team = await makeTeamProject()
    await threeLayers(team)
    const ref = { documentId: team.documentId, annotator: 'Leyla' }
    const first = await team.layers.get(ref)
    first.annotations[0]!.tag = 'EVENT'
    first.annotations[0]!.provenance.source = 'import'
    const again = await team.layers.get(ref)
    expect(again.annotations[0]).toMatchObject({ tag: 'PERSON', provenance: { source: 'manual' } })
  })

  describe('files it cannot read', () => {
    const cases: Array<[string, (team: TeamProject) => Promise<string | Uint8Array>, { code: string; message: RegExp; line?: unknown; reason?: RegExp }]> = [
      ['damaged (invalid JSON)', async (team) => `${JSON.stringify(colleagueLayer(team.record, 'Zaur', []), null, 2)}`.replace('"annotations"', '"annotations",,'), { code: 'corrupt-store', message: /cannot be read: line \d+/, line: expect.any(Number), reason: /^line \d+, column \d+: / }],
      ['from a newer Quire (schemaVersion 99)', async (team) => JSON.stringify({ ...colleagueLayer(team.record, 'Zaur', []), schemaVersion: 99, somethingNew: [1] }), { code: 'unsupported-version', message: /newer version of Quire \(schema version 99/ }],
      ['half-synced (empty)', async () => new Uint8Array(0), { code: 'corrupt-store', message: /it is empty/, reason: /^it is empty$/ }],
      ['half-synced (cut off mid-way)', async (team) => JSON.stringify(colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'ORG' }])).slice(0, 120), { code: 'corrupt-store', message: /cannot be read/ }],
      ['made against another version of the text (textSha256)', async (team) => JSON.stringify({ ...colleagueLayer(team.record, 'Zaur', []), textSha256: 'f'.repeat(64) }), { code: 'corrupt-store', message: /different version of the text/ }],
      ['of another document (documentId)', async (team) => JSON.stringify({ ...colleagueLayer(team.record, 'Zaur', []), documentId: 'elsewhere-1234' }), { code: 'corrupt-store', message: /belongs to document elsewhere-1234, not to / }]
    ]

    it.each(cases)('lists a file %s with a problem naming it, and leaves it byte for byte', async (_label, content, problem) => {
      const team = await makeTeamProject('Leyla')
      const { leylaPath, goldPath } = await threeLayers(team)
      const path = team.store.layerPath(team.documentId, 'Zaur')
      const bytes = await content(team)
      await writeAsColleague(path, bytes)
      const before = await readFile(path)
      const folder = join(team.store.documentFolder(team.documentId), 'annotations')
      const namesBefore = (await readdir(folder)).sort()

      const listed = await team.layers.list(team.documentId)
      expect(listed.map((layer) => [layer.annotator, layer.problem?.code ?? null])).toEqual([
        ['Leyla', null],
        [path.split('/').at(-1)?.replace(/\.json$/, ''), problem.code],
        [CURATION_ANNOTATOR, null]
      ])
      const damaged = listed[1]
      expect(damaged).toMatchObject({ path, status: 'not-started', spans: 0, countsByTag: {}, updatedAt: null, comments: 0 })
      expect(damaged?.problem).toMatchObject({ code: problem.code, path, message: expect.stringMatching(problem.message) })
      expect(damaged?.problem?.message).toContain(path)
      if (problem.line !== undefined) expect(damaged?.problem?.line).toEqual(problem.line)
      // The reason, for a line too short for the message: what is wrong, without the path.
      if (problem.reason !== undefined) expect(damaged?.problem?.reason).toMatch(problem.reason)
      expect(listed.find((layer) => layer.path === leylaPath)?.spans).toBe(3)
      expect(listed.find((layer) => layer.path === goldPath)?.spans).toBe(1)

      // The document list shows the problem on that layer, and on the document only for Zaur.
      const [forLeyla] = await team.documents.list('Leyla')
      expect(forLeyla?.problem).toBeUndefined()
      expect(forLeyla?.layers).toContainEqual({ annotator: damaged?.annotator, status: 'not-started', spans: 0, problem: true })
      const [forZaur] = await team.documents.list('Zaur')
      expect(forZaur?.problem).toMatchObject({ code: problem.code, path })

      // Opening it fails the same way; nothing wrote to it or beside it.
      await expect(team.layers.get({ documentId: team.documentId, annotator: 'Zaur' })).rejects.toMatchObject({ path })
      await expect(team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Zaur' }, [addOver('x', 'Baku', 'ORG')])).rejects.toMatchObject({ path })
      const fresh = await restarted(team)
      expect((await fresh.layers.list(team.documentId))[1]?.problem?.code).toBe(problem.code)
      expect(Buffer.compare(await readFile(path), before)).toBe(0)
      expect((await readdir(folder)).sort()).toEqual(namesBefore)
    })

    it('lists a file with a span past the end of the text with its problem, as opening it fails', async () => {
      const team = await makeTeamProject()
      const path = team.store.layerPath(team.documentId, 'Zaur')
      const layer = colleagueLayer(team.record, 'Zaur', [{ id: 'z', words: 'Baku', tag: 'ORG' }])
      layer.annotations[0]!.end = asUtf16(500)
      await writeAsColleague(path, layer)
      await expect(team.layers.get({ documentId: team.documentId, annotator: 'Zaur' })).rejects.toMatchObject({ code: 'corrupt-store', path })
      expect((await team.layers.list(team.documentId))[0]?.problem).toMatchObject({ code: 'corrupt-store', path })
    })

    it("lists a file whose annotator is not the one its name belongs to with its problem", async () => {
      const team = await makeTeamProject()
      const path = team.store.layerPath(team.documentId, 'Zaur')
      await writeAsColleague(path, colleagueLayer(team.record, 'Aysel', [{ id: 'z', words: 'Baku', tag: 'ORG' }], { status: 'done' }))
      await expect(team.layers.get({ documentId: team.documentId, annotator: 'Zaur' })).rejects.toMatchObject({ code: 'corrupt-store', path })
      const expectedName = team.store.layerPath(team.documentId, 'Aysel').split('/').at(-1)
      expect((await team.layers.list(team.documentId))[0]?.problem).toMatchObject({ code: 'corrupt-store', path, reason: `it holds the layer of Aysel, whose file Quire names ${expectedName}` })
      const [forZaur] = await team.documents.list('Zaur')
      expect(forZaur).toMatchObject({ status: 'not-started', total: 0, problem: { code: 'corrupt-store', path } })
    })

    it('lists the layer again once the file is repaired', async () => {
      const team = await makeTeamProject()
      const path = team.store.layerPath(team.documentId, 'Zaur')
      await writeAsColleague(path, '{"format": "quire-annotations", ')
      expect((await team.layers.list(team.documentId))[0]?.problem?.code).toBe('corrupt-store')
      await writeAsColleague(path, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'ORG' }]))
      expect(await team.layers.list(team.documentId)).toEqual([expect.objectContaining({ annotator: 'Zaur', spans: 1 })])
      expect((await team.layers.list(team.documentId))[0]).not.toHaveProperty('problem')
    })
  })

  describe('the summary cache', () => {
    it('notices a colleague file replaced on disk with new content', async () => {
      const team = await makeTeamProject()
      const path = team.store.layerPath(team.documentId, 'Zaur')
      await writeAsColleague(path, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'ORG' }]))
      expect((await team.layers.list(team.documentId))[0]).toMatchObject({ spans: 1, countsByTag: { ORG: 1 } })
      expect((await team.layers.list(team.documentId))[0]).toMatchObject({ spans: 1 })

      await writeAsColleague(path, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'ORG' }, { id: 'z2', words: 'ICESCO', tag: 'ORG' }], { status: 'done' }))
      expect((await team.layers.list(team.documentId))[0]).toMatchObject({ spans: 2, status: 'done', countsByTag: { ORG: 2 } })
    })

    it('notices a rewrite of the same size when the modification time changed', async () => {
      const team = await makeTeamProject()
      const path = team.store.layerPath(team.documentId, 'Zaur')
      await writeAsColleague(path, colleagueLayer(team.record, 'Zaur', [], { updatedAt: '2024-05-01T10:00:00.000Z' }))
      const first = await stat(path)
      expect((await team.layers.list(team.documentId))[0]?.updatedAt).toBe('2024-05-01T10:00:00.000Z')

      await writeFile(path, `${JSON.stringify(colleagueLayer(team.record, 'Zaur', [], { updatedAt: '2024-06-01T10:00:00.000Z' }), null, 2)}\n`)
      await utimes(path, first.atime, new Date(first.mtimeMs + 2000))
      expect((await stat(path)).size).toBe(first.size)
      expect((await team.layers.list(team.documentId))[0]?.updatedAt).toBe('2024-06-01T10:00:00.000Z')
    })

    it('checks a cached summary again when the document it was checked against changed', async () => {
      const team = await makeTeamProject()
      await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), colleagueLayer(team.record, 'Zaur', [{ id: 'z', words: 'Baku', tag: 'ORG' }]))
      expect((await team.layers.list(team.documentId))[0]?.problem).toBeUndefined()
      const folder = team.store.documentFolder(team.documentId)
      const text = 'A different text: a colleague imported it again.'
      await writeAsColleague(join(folder, 'text.txt'), text)
      await writeAsColleague(join(folder, 'document.json'), { ...team.record, sha256: sha256Hex(text), length: text.length, sizeBytes: text.length })
      // What the change tracker does when those files arrive.
      team.store.forgetFile(join(folder, 'document.json'))
      team.store.forgetFile(join(folder, 'text.txt'))
      expect((await new LayerService(team.projects).list(team.documentId))[0]?.problem?.code).toBe('corrupt-store')
      expect((await team.layers.list(team.documentId))[0]?.problem?.code).toBe('corrupt-store')
    })

    it('notices a file that became damaged, and one that was removed', async () => {
      const team = await makeTeamProject()
      const path = team.store.layerPath(team.documentId, 'Zaur')
      await writeAsColleague(path, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'ORG' }]))
      expect((await team.layers.list(team.documentId))[0]?.problem).toBeUndefined()
      await writeAsColleague(path, 'not json at all')
      expect((await team.layers.list(team.documentId))[0]?.problem).toMatchObject({ code: 'corrupt-store', path })
      await writeAsColleague(path, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'ORG' }]))
      expect((await team.layers.list(team.documentId))[0]?.problem).toBeUndefined()
      await rm(path)
      expect(await team.layers.list(team.documentId)).toEqual([])
    })
  })

  describe('a version-1 annotation file (before review data)', () => {
    async function plantVersion1(team: TeamProject): Promise<{ path: string; bytes: Buffer }> {
      const fixture = (await readFile(V1_FIXTURE, 'utf8')).replace('@DOCUMENT_ID@', team.documentId).replace('@TEXT_SHA256@', team.record.sha256)
      const path = team.store.layerPath(team.documentId, 'Leyla')
      await writeAsColleague(path, fixture)
      return { path, bytes: await readFile(path) }
    }

    it('is summarised with its newest span change as the layer change, and read without being rewritten', async () => {
      const team = await makeTeamProject('Leyla')
      const fresh = await restarted(team)
      const { path, bytes } = await plantVersion1(team)
      expect(await fresh.layers.list(team.documentId)).toEqual([
        {
          annotator: 'Leyla',
          path,
          status: 'in-progress',
          spans: 2,
          countsByTag: { PERSON: 1, ORG: 1 },
          updatedAt: '2023-11-03T16:30:00.000Z',
          comments: 0
        }
      ])
      const content = await fresh.layers.get({ documentId: team.documentId, annotator: 'Leyla' })
      expect(content).toMatchObject({ status: 'in-progress', updatedAt: null, comments: [], resolvedComments: [], curators: [] })
      expect(content.annotations.map((annotation) => annotation.id)).toEqual(['v1-leyla', 'v1-icesco'])
      // Loaded now: the summary comes from memory and still says the same.
      expect((await fresh.layers.list(team.documentId))[0]?.updatedAt).toBe('2023-11-03T16:30:00.000Z')
      const [listed] = await fresh.documents.list('Leyla')
      expect(listed).toMatchObject({ status: 'in-progress', total: 2, countsByTag: { PERSON: 1, ORG: 1, EVENT: 0, PROGRAM: 0 } })
      expect(Buffer.compare(await readFile(path), bytes)).toBe(0)
    })

    it('is written as the current version (4: anchored to the original text, no rejected suggestions) on the next save, keeping its spans', async () => {
      const team = await makeTeamProject('Leyla')
      const { path } = await plantVersion1(team)
      const fresh = await restarted(team)
      await new AnnotationService(fresh.projects).applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('new', 'Baku', 'EVENT')])

      const saved = JSON.parse(await readFile(path, 'utf8'))
      expect(saved).toMatchObject({
        format: 'quire-annotations',
        schemaVersion: ANNOTATION_LAYER_SCHEMA_VERSION,
        documentId: team.documentId,
        annotator: 'Leyla',
        status: 'in-progress',
        textRevision: ORIGINAL_REVISION,
        lostInEditing: [],
        rejectedSuggestions: [],
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        comments: [],
        resolvedComments: []
      })
      expect(saved.annotations.map((annotation: { id: string }) => annotation.id)).toEqual(['v1-leyla', 'v1-icesco', 'new'])
      expect(saved.annotations[0]).toEqual({
        id: 'v1-leyla',
        start: 0,
        end: 15,
        tag: 'PERSON',
        text: 'Leyla Taghizade',
        annotator: 'Leyla',
        createdAt: '2023-11-02T08:00:00.000Z',
        updatedAt: '2023-11-02T08:00:00.000Z',
        provenance: { source: 'manual' }
      })
      const again = await restarted({ ...team, projects: fresh.projects })
      expect((await again.layers.list(team.documentId))[0]).toMatchObject({ spans: 3, updatedAt: saved.updatedAt })
    })
  })
})

describe('DocumentService.list', () => {
  it("shows the asked annotator's status and counts, every layer, the curation status and the review state", async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'untouched', text: 'Nobody annotated this text.' }])
    const { documentId, annotations, documents, store, record } = team
    const leyla = { documentId, annotator: 'Leyla' }
    const zaurPath = store.layerPath(documentId, 'Zaur')
    const state = async () => (await documents.list(null)).find((summary) => summary.id === documentId)

    expect(await state()).toMatchObject({ reviewState: 'not-started', curation: null, layers: [] })

    await annotations.applyEdits(leyla, [addOver('l1', 'Leyla Taghizade', 'PERSON'), addOver('l2', 'ICESCO', 'ORG')])
    expect(await state()).toMatchObject({ reviewState: 'in-progress', curation: null, layers: [{ annotator: 'Leyla', status: 'in-progress', spans: 2 }] })

    await documents.setStatus(leyla, 'done')
    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }], { status: 'in-progress' }))
    store.forgetFile(zaurPath) // as the change tracker does when it sees the file
    expect(await state()).toMatchObject({ reviewState: 'in-progress' })

    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }], { status: 'done' }))
    store.forgetFile(zaurPath) // as the change tracker does when it sees the file
    expect(await state()).toMatchObject({
      reviewState: 'annotated',
      curation: null,
      layers: [
        { annotator: 'Leyla', status: 'done', spans: 2 },
        { annotator: 'Zaur', status: 'done', spans: 1 }
      ]
    })

    await startCuration(store, team.layers, documentId, { annotators: ['Leyla', 'Zaur'], strategy: 'unanimous', curator: 'Leyla' })
    expect(await state()).toMatchObject({
      reviewState: 'curation-in-progress',
      curation: 'in-progress',
      layers: [{ annotator: 'Leyla' }, { annotator: 'Zaur' }, { annotator: CURATION_ANNOTATOR, status: 'in-progress', spans: 1 }]
    })

    await documents.setStatus({ documentId, annotator: CURATION_ANNOTATOR }, 'done')
    expect(await state()).toMatchObject({ reviewState: 'curated', curation: 'done' })

    const byAnnotator = async (annotator: string | null) => (await documents.list(annotator)).find((summary) => summary.id === documentId)
    expect(await byAnnotator('Leyla')).toMatchObject({ status: 'done', total: 2, countsByTag: { PERSON: 1, ORG: 1, EVENT: 0, PROGRAM: 0 } })
    expect(await byAnnotator('Zaur')).toMatchObject({ status: 'done', total: 1, countsByTag: { PERSON: 0, ORG: 1, EVENT: 0, PROGRAM: 0 } })
    expect(await byAnnotator(CURATION_ANNOTATOR)).toMatchObject({ status: 'done', total: 1, countsByTag: { ORG: 1 } })
    for (const nobody of [null, 'Aysel']) {
      expect(await byAnnotator(nobody)).toMatchObject({
        status: 'not-started',
        total: 0,
        countsByTag: { PERSON: 0, ORG: 0, EVENT: 0, PROGRAM: 0 },
        reviewState: 'curated',
        layers: [{ annotator: 'Leyla' }, { annotator: 'Zaur' }, { annotator: CURATION_ANNOTATOR }]
      })
    }

    const untouched = (await documents.list('Leyla')).find((summary) => summary.id === team.ids.get('untouched'))
    expect(untouched).toMatchObject({ status: 'not-started', total: 0, layers: [], curation: null, reviewState: 'not-started' })
    expect(untouched).not.toHaveProperty('problem')
  })

  it('still shows curation as begun when the gold layer file is damaged', async () => {
    const team = await makeTeamProject('Leyla')
    const { documentId, record, store, documents } = team
    await writeAsColleague(store.layerPath(documentId, 'Leyla'), colleagueLayer(record, 'Leyla', [{ id: 'l', words: 'Baku', tag: 'ORG' }], { status: 'done' }))
    store.forgetFile(store.layerPath(documentId, 'Leyla')) // as the change tracker does when it sees the file
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [{ id: 'z', words: 'Baku', tag: 'ORG' }], { status: 'done' }))
    store.forgetFile(store.layerPath(documentId, 'Zaur')) // as the change tracker does when it sees the file
    await writeAsColleague(store.layerPath(documentId, CURATION_ANNOTATOR), '{"format": "quire-annotations", "annot')
    store.forgetFile(store.layerPath(documentId, CURATION_ANNOTATOR)) // as the change tracker does when it sees the file
    await expect(startCuration(store, team.layers, documentId, { annotators: ['Leyla', 'Zaur'], strategy: 'none', curator: 'Leyla' })).rejects.toMatchObject({ code: 'corrupt-store' })
    const [summary] = await documents.list('Leyla')
    expect(summary?.reviewState).toBe('curation-in-progress')
    expect(summary?.layers.at(-1)).toMatchObject({ problem: true })
  })

  it('counts a layer with a status but no span as started, and one with spans but no status too', async () => {
    const team = await makeTeamProject('Leyla')
    const { documentId, record, store, documents } = team
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [], { status: 'in-progress' }))
    store.forgetFile(store.layerPath(documentId, 'Zaur')) // as the change tracker does when it sees the file
    expect((await documents.list(null))[0]?.reviewState).toBe('in-progress')
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [{ id: 'z', words: 'Baku', tag: 'ORG' }], { status: 'not-started' }))
    store.forgetFile(store.layerPath(documentId, 'Zaur')) // as the change tracker does when it sees the file
    expect((await documents.list(null))[0]?.reviewState).toBe('in-progress')
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [], { status: 'not-started' }))
    store.forgetFile(store.layerPath(documentId, 'Zaur')) // as the change tracker does when it sees the file
    expect((await documents.list(null))[0]).toMatchObject({ reviewState: 'not-started', layers: [{ annotator: 'Zaur', spans: 0 }] })
  })
})
