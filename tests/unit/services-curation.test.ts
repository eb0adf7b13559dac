import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { DocumentService } from '../../src/main/services/document-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { disagreementsBetween, startCuration } from '../../src/main/services/curation-service'
import { CURATION_ANNOTATOR, type AnnotationEdit, type CurationRequest } from '../../src/shared/model'
import { snapshotFolder } from '../fixtures/corpus-project'
import { addOver, makeTeamProject, rangeOf, writeAsColleague, type TeamProject } from '../fixtures/team-project'
import { caught } from '../helpers/caught'

// Who marked what on the meeting text:
//   "Leyla Taghizade"  PERSON by all three
//   "Raheel Qamar"     PERSON by Leyla and Aysel, ORG by Zaur
//   "ICESCO"           ORG by Leyla and Zaur
//   "Baku"             ORG by Aysel only
const LAYERS: Record<string, AnnotationEdit[]> = {
  Leyla: [addOver('l1', 'Leyla Taghizade', 'PERSON'), addOver('l2', 'Raheel Qamar', 'PERSON'), addOver('l3', 'ICESCO', 'ORG')],
  Zaur: [addOver('z1', 'Leyla Taghizade', 'PERSON'), addOver('z2', 'Raheel Qamar', 'ORG'), addOver('z3', 'ICESCO', 'ORG')],
  Aysel: [addOver('a1', 'Leyla Taghizade', 'PERSON'), addOver('a2', 'Raheel Qamar', 'PERSON'), addOver('a3', 'Baku', 'ORG')]
}

async function annotatedTeam(): Promise<TeamProject> {
  const team = await makeTeamProject('Leyla')
  for (const [annotator, edits] of Object.entries(LAYERS)) await team.annotations.applyEdits({ documentId: team.documentId, annotator }, edits)
  return team
}


/** The gold layer as a fresh start of Quire reads it from disk. */
async function goldOnDisk(team: TeamProject) {
  const projects = new ProjectService(await SettingsService.open(team.userDataDir))
  await team.projects.close()
  await projects.open(team.dir)
  return new DocumentService(projects, new LayerService(projects)).get({ documentId: team.documentId, annotator: CURATION_ANNOTATOR })
}

const spanOf = (words: string, tag: string, annotators: string[], strategy: string, curator = 'Leyla') => ({
  ...rangeOf(words),
  tag,
  text: words,
  annotator: CURATION_ANNOTATOR,
  provenance: { source: 'curation', detail: `pre-filled (${strategy})`, annotators, curator }
})

const shape = (annotation: { start: number; end: number; tag: string; text: string; annotator: string; provenance: object }) => ({
  start: annotation.start,
  end: annotation.end,
  tag: annotation.tag,
  text: annotation.text,
  annotator: annotation.annotator,
  provenance: annotation.provenance
})

describe('startCuration', () => {
  it.each<[string, CurationRequest['strategy'], string[], ReturnType<typeof spanOf>[], number]>([
    ['two annotators, unanimous', 'unanimous', ['Leyla', 'Zaur'], [spanOf('Leyla Taghizade', 'PERSON', ['Leyla', 'Zaur'], 'unanimous'), spanOf('ICESCO', 'ORG', ['Leyla', 'Zaur'], 'unanimous')], 1],
    // With two annotators a majority is both of them.
    ['two annotators, majority', 'majority', ['Leyla', 'Zaur'], [spanOf('Leyla Taghizade', 'PERSON', ['Leyla', 'Zaur'], 'majority'), spanOf('ICESCO', 'ORG', ['Leyla', 'Zaur'], 'majority')], 1],
    ['two annotators, none', 'none', ['Leyla', 'Zaur'], [], 1],
    ['three annotators, unanimous', 'unanimous', ['Leyla', 'Zaur', 'Aysel'], [spanOf('Leyla Taghizade', 'PERSON', ['Leyla', 'Zaur', 'Aysel'], 'unanimous')], 3],
    [
      'three annotators, majority',
      'majority',
      ['Zaur', 'Aysel', 'Leyla'],
      [
        spanOf('Leyla Taghizade', 'PERSON', ['Zaur', 'Aysel', 'Leyla'], 'majority'),
        spanOf('Raheel Qamar', 'PERSON', ['Aysel', 'Leyla'], 'majority'),
        spanOf('ICESCO', 'ORG', ['Zaur', 'Leyla'], 'majority')
      ],
      3
    ],
    ['three annotators, none', 'none', ['Leyla', 'Zaur', 'Aysel'], [], 3]
  ])('pre-fills the gold layer: %s', async (_label, strategy, annotators, expected, disagreements) => {
    const team = await annotatedTeam()
    const outcome = await startCuration(team.store, team.layers, team.documentId, { annotators, strategy, curator: 'Leyla' })
    expect(outcome).toEqual({ prefilled: expected.length, created: true })
    expect(await disagreementsBetween(team.store, team.layers, await team.store.readRecord(team.documentId), annotators)).toBe(disagreements)

    const gold = await goldOnDisk(team)
    expect(gold.annotator).toBe(CURATION_ANNOTATOR)
    expect(gold.status).toBe('in-progress')
    expect(gold.annotations.map(shape)).toEqual(expected)
    for (const annotation of gold.annotations) {
      expect(annotation.id).toMatch(/^a-[0-9a-f-]{36}$/)
      expect(annotation.createdAt).toBe(annotation.updatedAt)
    }
    const goldLayer = gold.layers.find((layer) => layer.annotator === CURATION_ANNOTATOR)
    expect(goldLayer).toMatchObject({ status: 'in-progress', spans: expected.length, curators: ['Leyla'] })
    expect(gold.layers.map((layer) => layer.annotator)).toEqual(['Aysel', 'Leyla', 'Zaur', CURATION_ANNOTATOR])
    // The compared layers are as they were.
    for (const [annotator, edits] of Object.entries(LAYERS)) expect(gold.layers.find((layer) => layer.annotator === annotator)?.spans).toBe(edits.length)
  })

  it('records the curator who started it, whoever the user is', async () => {
    const team = await annotatedTeam()
    await startCuration(team.store, team.layers, team.documentId, { annotators: ['Leyla', 'Zaur'], strategy: 'unanimous', curator: 'Dr. Mammadova' })
    const gold = await goldOnDisk(team)
    expect(gold.layers.at(-1)?.curators).toEqual(['Dr. Mammadova'])
    expect(gold.annotations.every((annotation) => annotation.provenance.curator === 'Dr. Mammadova')).toBe(true)
  })

  it('never replaces curation that has begun', async () => {
    const team = await annotatedTeam()
    const request: CurationRequest = { annotators: ['Leyla', 'Zaur'], strategy: 'unanimous', curator: 'Leyla' }
    await startCuration(team.store, team.layers, team.documentId, request)
    const goldPath = team.store.layerPath(team.documentId, CURATION_ANNOTATOR)
    const first = await readFile(goldPath)

    expect(await startCuration(team.store, team.layers, team.documentId, request)).toEqual({ prefilled: 0, created: false })
    expect(
      await startCuration(team.store, team.layers, team.documentId, { annotators: ['Leyla', 'Zaur', 'Aysel'], strategy: 'majority', curator: 'Zaur' })
    ).toEqual({ prefilled: 0, created: false })
    expect(Buffer.compare(await readFile(goldPath), first)).toBe(0)

    // A curator who removed every pre-filled span has still begun: the layer is not filled again.
    const gold = { documentId: team.documentId, annotator: CURATION_ANNOTATOR }
    const ids = (await team.layers.get(gold)).annotations.map((annotation) => annotation.id)
    await team.annotations.applyEdits(gold, ids.map((id) => ({ op: 'delete' as const, id })))
    expect(await startCuration(team.store, team.layers, team.documentId, request)).toMatchObject({ prefilled: 0, created: false })
    expect((await team.layers.get(gold)).annotations).toEqual([])
  })

  it('counts a gold layer a curator began by hand (a status, or a decision) as begun', async () => {
    const team = await annotatedTeam()
    const gold = { documentId: team.documentId, annotator: CURATION_ANNOTATOR }
    await team.documents.setStatus(gold, 'in-progress')
    expect(await startCuration(team.store, team.layers, team.documentId, { annotators: ['Leyla', 'Zaur'], strategy: 'unanimous', curator: 'Leyla' })).toMatchObject({ created: false })

    const other = await annotatedTeam()
    const otherGold = { documentId: other.documentId, annotator: CURATION_ANNOTATOR }
    await other.annotations.applyEdits(otherGold, [
      { op: 'decide', decision: { positionKey: 'tag-differs@20-32:ORG+PERSON', decision: 'rejected', curator: 'Zaur', decidedAt: '2024-05-03T09:00:00.000Z' } }
    ])
    expect(await startCuration(other.store, other.layers, other.documentId, { annotators: ['Leyla', 'Zaur'], strategy: 'unanimous', curator: 'Leyla' })).toMatchObject({ created: false })
    expect((await other.layers.get(otherGold)).curators).toEqual(['Zaur'])
  })

  it('reads the compared layers as every reader does, without loading a colleague’s file into the store', async () => {
    const team = await annotatedTeam()
    // Opened afresh: the layers are files on disk, as colleagues' layers are.
    await team.projects.close()
    const projects = new ProjectService(await SettingsService.open(team.userDataDir))
    await projects.open(team.dir)
    const store = projects.requireProject()
    const outcome = await startCuration(store, new LayerService(projects), team.documentId, { annotators: ['Zaur', 'Aysel'], strategy: 'unanimous', curator: 'Leyla' })
    expect(outcome).toMatchObject({ created: true, prefilled: 1 })
    // Loaded, a colleague's layer would be held as one this process writes, and parsed apart from the shared read.
    expect(store.loadedLayer(store.layerPath(team.documentId, 'Zaur'))).toBeFalsy()
    expect(store.loadedLayer(store.layerPath(team.documentId, 'Aysel'))).toBeFalsy()
    expect(store.loadedLayer(store.layerPath(team.documentId, CURATION_ANNOTATOR))).toBeTruthy()
    await projects.close()
  })

  it('creates the gold layer once when two starts overlap', async () => {
    const team = await annotatedTeam()
    const request: CurationRequest = { annotators: ['Leyla', 'Zaur'], strategy: 'unanimous', curator: 'Leyla' }
    const outcomes = await Promise.all([startCuration(team.store, team.layers, team.documentId, request), startCuration(team.store, team.layers, team.documentId, request)])
    expect(outcomes.map((outcome) => outcome.created).sort()).toEqual([false, true])
  })

  it.each<[string, string[], RegExp]>([
    ['no annotator', [], /needs at least two annotators to compare; none was chosen/],
    ['one annotator', ['Leyla'], /needs at least two annotators to compare; only Leyla was chosen/],
    ['one annotator chosen twice', ['Leyla', 'Leyla'], /only Leyla was chosen/],
    ['the gold layer among them', ['Leyla', CURATION_ANNOTATOR], /gold layer cannot be one of the layers it is made from/]
  ])('refuses %s with invalid-argument and writes nothing', async (_label, annotators, message) => {
    const team = await annotatedTeam()
    const before = await snapshotFolder(join(team.dir, 'documents'))
    const error = await caught(startCuration(team.store, team.layers, team.documentId, { annotators, strategy: 'unanimous', curator: 'Leyla' }))
    expect(error.code).toBe('invalid-argument')
    expect(error.message).toMatch(message)
    expect(await snapshotFolder(join(team.dir, 'documents'))).toEqual(before)
  })

  it('refuses an unknown document', async () => {
    const team = await annotatedTeam()
    const error = await caught(startCuration(team.store, team.layers, 'no-such-document', { annotators: ['Leyla', 'Zaur'], strategy: 'none', curator: 'Leyla' }))
    expect(error.code).toBe('not-found')
  })

  it('counts an annotator without a layer as one who marked nothing', async () => {
    const team = await annotatedTeam()
    // Unanimous with someone who marked nothing: nothing is agreed.
    expect(await startCuration(team.store, team.layers, team.documentId, { annotators: ['Leyla', 'Nobody'], strategy: 'unanimous', curator: 'Leyla' })).toEqual({
      prefilled: 0,
      created: true
    })
    expect(await disagreementsBetween(team.store, team.layers, await team.store.readRecord(team.documentId), ['Leyla', 'Nobody'])).toBe(3)
    expect((await team.layers.get({ documentId: team.documentId, annotator: CURATION_ANNOTATOR })).annotations).toEqual([])
    // Looking at Nobody's layer wrote no file for it.
    expect((await team.layers.list(team.documentId)).map((layer) => layer.annotator)).toEqual(['Aysel', 'Leyla', 'Zaur', CURATION_ANNOTATOR])

    const second = await annotatedTeam()
    await startCuration(second.store, second.layers, second.documentId, { annotators: ['Leyla', 'Zaur', 'Nobody'], strategy: 'majority', curator: 'Leyla' })
    const gold = await goldOnDisk(second)
    expect(gold.annotations.map((annotation) => [annotation.text, annotation.tag, annotation.provenance.annotators])).toEqual([
      ['Leyla Taghizade', 'PERSON', ['Leyla', 'Zaur']],
      ['ICESCO', 'ORG', ['Leyla', 'Zaur']]
    ])
  })

  it('refuses when a compared layer cannot be read, naming its file, and writes nothing', async () => {
    const team = await makeTeamProject('Leyla')
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, LAYERS.Leyla as AnnotationEdit[])
    const zaurPath = team.store.layerPath(team.documentId, 'Zaur')
    await writeAsColleague(zaurPath, '{"format": "quire-annotations", "schemaVersion": 2, "annotations": [')
    const before = await snapshotFolder(join(team.dir, 'documents'))

    const error = await caught(startCuration(team.store, team.layers, team.documentId, { annotators: ['Leyla', 'Zaur'], strategy: 'majority', curator: 'Leyla' }))
    expect(error.code).toBe('corrupt-store')
    expect(error.path).toBe(zaurPath)
    expect(error.message).toContain(zaurPath)
    expect(await snapshotFolder(join(team.dir, 'documents'))).toEqual(before)
    const folder = join(team.store.documentFolder(team.documentId), 'annotations')
    expect(await readdir(folder)).not.toContain(team.store.layerPath(team.documentId, CURATION_ANNOTATOR).split('/').at(-1))
  })

  it('refuses when a compared layer is from a newer Quire, and does not create the gold layer', async () => {
    const team = await annotatedTeam()
    const zaurPath = team.store.layerPath(team.documentId, 'Zaur')
    await team.projects.close()
    const saved = JSON.parse(await readFile(zaurPath, 'utf8'))
    await writeAsColleague(zaurPath, { ...saved, schemaVersion: 99 })
    const projects = new ProjectService(await SettingsService.open(team.userDataDir))
    await projects.open(team.dir)
    const store = projects.requireProject()
    const error = await caught(startCuration(store, new LayerService(projects), team.documentId, { annotators: ['Leyla', 'Zaur'], strategy: 'majority', curator: 'Leyla' }))
    expect(error).toMatchObject({ code: 'unsupported-version', path: zaurPath })
    expect((await new LayerService(projects).list(team.documentId)).map((layer) => layer.annotator)).not.toContain(CURATION_ANNOTATOR)
  })
})

describe('curation decisions', () => {
  const decision = (positionKey: string, curator: string, decidedAt = '2024-05-03T09:00:00.000Z'): AnnotationEdit => ({
    op: 'decide',
    decision: { positionKey, decision: 'rejected', curator, decidedAt }
  })
  const baku = `only-in-some@${rangeOf('Baku').start}-${rangeOf('Baku').end}:ORG`

  it("'decide' and 'undecide' on the gold layer persist, and the deciding curator joins the curators", async () => {
    const team = await annotatedTeam()
    await startCuration(team.store, team.layers, team.documentId, { annotators: ['Leyla', 'Zaur', 'Aysel'], strategy: 'unanimous', curator: 'Leyla' })
    const gold = { documentId: team.documentId, annotator: CURATION_ANNOTATOR }

    expect(await team.annotations.applyEdits(gold, [decision(baku, 'Leyla'), decision('tag-differs@20-32:ORG+PERSON', 'Zaur')])).toEqual({
      saved: [],
      deletedIds: []
    })
    // Deciding the same position again replaces the decision.
    await team.annotations.applyEdits(gold, [decision(baku, 'Aysel', '2024-05-04T09:00:00.000Z')])
    const decided = await goldOnDisk(team)
    expect(decided.curationDecisions).toEqual([
      { positionKey: baku, decision: 'rejected', curator: 'Aysel', decidedAt: '2024-05-04T09:00:00.000Z' },
      { positionKey: 'tag-differs@20-32:ORG+PERSON', decision: 'rejected', curator: 'Zaur', decidedAt: '2024-05-03T09:00:00.000Z' }
    ])
    expect(decided.layers.at(-1)?.curators).toEqual(['Leyla', 'Zaur', 'Aysel'])
    // Deciding touched no span.
    expect(decided.annotations.map((annotation) => annotation.text)).toEqual(['Leyla Taghizade'])

    const projects = new ProjectService(await SettingsService.open(team.userDataDir))
    await projects.open(team.dir)
    await new AnnotationService(projects).applyEdits(gold, [{ op: 'undecide', positionKey: baku }])
    await projects.close()
    const undecided = await goldOnDisk({ ...team, projects })
    expect(undecided.curationDecisions.map((entry) => entry.positionKey)).toEqual(['tag-differs@20-32:ORG+PERSON'])
    // Undoing a decision does not take the curator off the list of who curated.
    expect(undecided.layers.at(-1)?.curators).toEqual(['Leyla', 'Zaur', 'Aysel'])
  })

  it("refuses 'decide' in a person's layer and leaves that file as it was", async () => {
    const team = await annotatedTeam()
    const leylaPath = team.store.layerPath(team.documentId, 'Leyla')
    const before = await readFile(leylaPath)
    const error = await caught(
      team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('more', 'Monday', 'EVENT'), decision(baku, 'Leyla')])
    )
    expect(error.code).toBe('invalid-argument')
    expect(error.message).toMatch(/^Nothing was saved: edit 2 of 2 \(decide\).*records a curation decision in Leyla's layer; only the gold layer holds them/)
    expect(Buffer.compare(await readFile(leylaPath), before)).toBe(0)
    expect((await team.layers.get({ documentId: team.documentId, annotator: 'Leyla' })).curationDecisions).toEqual([])
  })

  it("refuses 'undecide' in a person's layer too, leaving the file as it was", async () => {
    const team = await annotatedTeam()
    const leylaPath = team.store.layerPath(team.documentId, 'Leyla')
    const before = await readFile(leylaPath)
    const error = await caught(team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [{ op: 'undecide', positionKey: baku }]))
    expect(error.code).toBe('invalid-argument')
    expect(Buffer.compare(await readFile(leylaPath), before)).toBe(0)
  })

  it('gives the decisions with the gold layer, and none with a person layer', async () => {
    const team = await annotatedTeam()
    const gold = { documentId: team.documentId, annotator: CURATION_ANNOTATOR }
    await team.annotations.applyEdits(gold, [decision(baku, 'Leyla')])
    expect((await team.documents.get(gold)).curationDecisions).toEqual([expect.objectContaining({ positionKey: baku })])
    expect((await team.layers.get(gold)).curationDecisions).toEqual([expect.objectContaining({ positionKey: baku })])
    expect((await team.documents.get({ documentId: team.documentId, annotator: 'Leyla' })).curationDecisions).toEqual([])
  })
})
