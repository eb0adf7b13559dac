import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TagSetService } from '../../src/main/services/tag-set-service'
import { ProjectChangeTracker } from '../../src/main/services/project-changes'
import { ProjectService } from '../../src/main/services/project-service'
import { CURATION_ANNOTATOR, STORE_SCHEMA_VERSION } from '../../src/shared/model'
import { QuireError } from '../../src/shared/api'
import { addOver, colleagueLayer, makeTeamProject, writeAsColleague, type TeamProject } from '../fixtures/team-project'

const teams: TeamProject[] = []
const trackers: ProjectChangeTracker[] = []

afterEach(async () => {
  for (const tracker of trackers.splice(0)) tracker.stop()
  for (const team of teams.splice(0)) await team.projects.close()
})

async function team() {
  const project = await makeTeamProject('Leyla')
  teams.push(project)
  const service = new TagSetService({
    projects: project.projects,
    layers: project.layers,
    annotations: project.annotations,
    isOwnName: (name) => project.settings.hasHeldName(name)
  })
  const manifestOnDisk = async () => JSON.parse(await readFile(join(project.dir, 'project.json'), 'utf8'))
  return { ...project, service, manifestOnDisk }
}

async function refusalOf(promise: Promise<unknown>): Promise<QuireError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught
  )
  if (!(error instanceof QuireError)) throw new Error(`expected a refusal, got ${String(error)}`)
  return error
}

const place = { id: 'PLACE', label: 'Place', shortLabel: 'PLC', key: '5', color: '#009E73' }

describe('TagSetService', () => {
  it('writes the new tag set into project.json, keeping its other fields and schemaVersion', async () => {
    const { service, manifestOnDisk, store } = await team()
    const before = await manifestOnDisk()
    const result = await service.update([
      { op: 'add', tag: place },
      { op: 'update', id: 'ORG', changes: { label: 'Organisation' } },
      { op: 'reorder', ids: ['PLACE', 'PERSON', 'ORG', 'EVENT', 'PROGRAM'] }
    ])
    const after = await manifestOnDisk()
    expect(after).toMatchObject({ format: 'quire-project', schemaVersion: STORE_SCHEMA_VERSION, name: before.name, createdAt: before.createdAt })
    expect(after.tags.map((tag: { id: string }) => tag.id)).toEqual(['PLACE', 'PERSON', 'ORG', 'EVENT', 'PROGRAM'])
    expect(after.tags[2].label).toBe('Organisation')
    expect(result.project.manifest.tags).toEqual(after.tags)
    expect(store.manifest.tags).toEqual(after.tags)
    expect(result.moved).toEqual({ documents: 0, spans: 0 })
  })

  it('refuses a set that breaks a rule and leaves project.json as it was', async () => {
    const { service, manifestOnDisk } = await team()
    const before = await manifestOnDisk()
    const error = await refusalOf(service.update([{ op: 'add', tag: { ...place, label: 'person', key: '1' } }]))
    expect(error.code).toBe('invalid-argument')
    expect(error.message).toContain('"person" and "Person" are the same name')
    expect(error.message).toContain('both use key 1')
    expect(await manifestOnDisk()).toEqual(before)
  })

  it('refuses in a project open read-only (another Quire holds it), writing nothing', async () => {
    const { projects, dir, settings, layers, annotations, manifestOnDisk } = await team()
    await projects.close()
    // The lock of another running process (our parent) on this computer.
    await mkdir(join(dir, '.quire'), { recursive: true })
    await writeFile(join(dir, '.quire', `lock-${hostname()}.json`), JSON.stringify({ pid: process.ppid, hostname: hostname(), openedAt: '2026-01-01T00:00:00.000Z' }))
    const readOnly = new ProjectService(settings)
    expect((await readOnly.open(dir)).readOnly).toBe(true)
    const before = await manifestOnDisk()
    try {
      const service = new TagSetService({ projects: readOnly, layers, annotations, isOwnName: () => true })
      expect((await refusalOf(service.update([{ op: 'add', tag: place }]))).code).toBe('read-only')
      expect(await manifestOnDisk()).toEqual(before)
    } finally {
      await readOnly.close()
    }
  })

  it('counts spans per tag and annotator, the gold layer included', async () => {
    const { service, annotations, documentId, store, record } = await team()
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Leyla Taghizade', 'PERSON'), addOver('l2', 'Raheel Qamar', 'PERSON'), addOver('l3', 'ICESCO', 'ORG')])
    await annotations.applyEdits({ documentId, annotator: CURATION_ANNOTATOR }, [addOver('g1', 'ICESCO', 'ORG')])
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'EVENT' }, { id: 'z2', words: 'ICESCO', tag: 'ORG' }]))
    const usage = await service.usage()
    expect(usage).toEqual([
      { tag: 'PERSON', spans: 2, byAnnotator: { Leyla: 2 } },
      { tag: 'ORG', spans: 3, byAnnotator: { Leyla: 1, Zaur: 1, [CURATION_ANNOTATOR]: 1 } },
      { tag: 'EVENT', spans: 1, byAnnotator: { Zaur: 1 } },
      { tag: 'PROGRAM', spans: 0, byAnnotator: {} }
    ])
  })

  it('deletes an unused tag, and refuses to delete a used one, naming who uses it and how much', async () => {
    const { service, annotations, documentId, manifestOnDisk } = await team()
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Leyla Taghizade', 'PERSON'), addOver('l2', 'Raheel Qamar', 'PERSON')])
    await service.update([{ op: 'delete', id: 'PROGRAM', annotator: 'Leyla' }])
    expect((await manifestOnDisk()).tags.map((tag: { id: string }) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT'])
    const error = await refusalOf(service.update([{ op: 'delete', id: 'PERSON', annotator: 'Leyla' }]))
    expect(error.message).toBe('The tag set was not changed: "Person" is used by Leyla (2 spans); move its spans to another tag to delete it')
    expect((await manifestOnDisk()).tags.map((tag: { id: string }) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT'])
  })

  it('moves your spans and the gold layer’s to another tag, one save per layer, then deletes the tag', async () => {
    const { service, annotations, documentId, manifestOnDisk, layers } = await team()
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'PROGRAM'), addOver('l2', 'Monday', 'PROGRAM'), addOver('l3', 'ICESCO', 'ORG')])
    await annotations.applyEdits({ documentId, annotator: CURATION_ANNOTATOR }, [addOver('g1', 'Baku', 'PROGRAM')])
    const saves: string[] = []
    const applyEdits = annotations.applyEdits.bind(annotations)
    annotations.applyEdits = (layer, edits, extra) => {
      saves.push(`${layer.annotator}: ${edits.length}`)
      return applyEdits(layer, edits, extra)
    }
    const result = await service.update([{ op: 'delete', id: 'PROGRAM', moveTo: 'EVENT', annotator: 'Leyla' }])
    expect(result.moved).toEqual({ documents: 1, spans: 3 })
    expect(saves.sort()).toEqual(['Leyla: 2', `${CURATION_ANNOTATOR}: 1`])
    const leyla = await layers.get({ documentId, annotator: 'Leyla' })
    expect(leyla.annotations.map((annotation) => [annotation.id, annotation.tag])).toEqual([
      ['l3', 'ORG'],
      ['l1', 'EVENT'],
      ['l2', 'EVENT']
    ])
    expect((await layers.get({ documentId, annotator: CURATION_ANNOTATOR })).annotations.map((annotation) => annotation.tag)).toEqual(['EVENT'])
    expect((await manifestOnDisk()).tags.map((tag: { id: string }) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT'])
  })

  it('moves spans to a tag added in the same change', async () => {
    const { service, annotations, documentId, layers } = await team()
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'EVENT')])
    await service.update([
      { op: 'add', tag: place },
      { op: 'delete', id: 'EVENT', moveTo: 'PLACE', annotator: 'Leyla' }
    ])
    expect((await layers.get({ documentId, annotator: 'Leyla' })).annotations.map((annotation) => annotation.tag)).toEqual(['PLACE'])
  })

  it("keeps the tag while a colleague's layer uses it, names them, and moves nothing", async () => {
    const { service, annotations, documentId, store, record, manifestOnDisk, layers } = await team()
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'PROGRAM')])
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'Monday', tag: 'PROGRAM' }, { id: 'z2', words: 'Baku', tag: 'PROGRAM' }]))
    const before = await manifestOnDisk()
    const error = await refusalOf(service.update([{ op: 'delete', id: 'PROGRAM', moveTo: 'EVENT', annotator: 'Leyla' }]))
    expect(error.message).toBe(
      'The tag set was not changed: "Program" is still used by Zaur (2 spans); Quire moves spans only in your own layer and the gold layer, so the tag stays until they move theirs'
    )
    expect(await manifestOnDisk()).toEqual(before)
    expect((await layers.get({ documentId, annotator: 'Leyla' })).annotations.map((annotation) => annotation.tag)).toEqual(['PROGRAM'])
  })

  it('refuses to delete while a layer it cannot read might use the tag, naming the layer', async () => {
    const { service, store, documentId, manifestOnDisk } = await team()
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), '{"format": "quire-annotations", "annotations": [')
    const before = await manifestOnDisk()
    const error = await refusalOf(service.update([{ op: 'delete', id: 'PROGRAM', annotator: 'Leyla' }]))
    expect(error.message).toMatch(/^The tag set was not changed: Quire cannot tell whether a layer it cannot read uses the tags to delete: on "meeting", The annotation file .*zaur-[0-9a-f]+\.json cannot be read: /)
    expect(await manifestOnDisk()).toEqual(before)
  })

  it('moves spans only in a layer of your own name', async () => {
    const { service } = await team()
    const error = await refusalOf(service.update([{ op: 'delete', id: 'PROGRAM', moveTo: 'EVENT', annotator: 'Zaur' }]))
    expect(error.code).toBe('forbidden')
    expect(error.message).toContain('Zaur is not your name')
  })

  it("does not overwrite a colleague's tag change that arrived while it worked", async () => {
    const { service, store, dir } = await team()
    const manifestPath = join(dir, 'project.json')
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'))
    manifest.tags.push({ ...place, id: 'THEIRS', label: 'Theirs', shortLabel: 'THR' })
    await writeAsColleague(manifestPath, manifest)
    // The service reads the file first: the colleague's tag is kept, and ours added after it.
    await service.update([{ op: 'add', tag: { ...place, key: '6' } }])
    expect(store.manifest.tags.map((tag) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT', 'PROGRAM', 'THEIRS', 'PLACE'])
  })

  it('writes nothing when project.json changed after the set was read (a colleague saved during the moves)', async () => {
    const { store, dir, manifestOnDisk } = await team()
    const readBefore = store.manifest.tags.map((tag) => ({ ...tag }))
    const manifestPath = join(dir, 'project.json')
    const theirs = JSON.parse(await readFile(manifestPath, 'utf8'))
    theirs.tags[1].label = 'Institution'
    await writeAsColleague(manifestPath, theirs)
    const error = await refusalOf(store.replaceTags([...readBefore, place], readBefore))
    expect(error.code).toBe('conflict')
    expect(error.message).toContain('changed meanwhile')
    expect((await manifestOnDisk()).tags).toEqual(theirs.tags)
    expect(store.manifest.tags[1]?.label).toBe('Institution')
  })

  it("is not reported as a colleague's change, while a colleague's write behind its back is", async () => {
    const { service, projects, dir, store } = await team()
    const tracker = new ProjectChangeTracker(projects, { settleMs: 300 })
    trackers.push(tracker)
    const base = (await tracker.since(0)).seq
    await service.update([{ op: 'add', tag: place }])
    await tracker.noticeChanged([join(dir, 'project.json')])
    expect(await tracker.since(base)).toMatchObject({ listChanged: false, projectFileChanged: false })

    const manifestPath = join(dir, 'project.json')
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'))
    manifest.tags[0].label = 'People'
    await writeAsColleague(manifestPath, manifest)
    await tracker.noticeChanged([manifestPath])
    expect(await tracker.since(base)).toMatchObject({ projectFileChanged: true })
    expect(store.manifest.tags[0]?.label).toBe('People')
    expect(projects.summary()?.manifest.tags.map((tag) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT', 'PROGRAM', 'PLACE'])
  })
})
