import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { countEntriesUpTo, ProjectChangeTracker, watchesSuffice, type ProjectChangeTrackerOptions } from '../../src/main/services/project-changes'
import { whileAnswering } from '../../src/main/services/calls-in-progress'
import { sha256Hex } from '../../src/main/store/project-store'
import { EntityService } from '../../src/main/services/entity-service'
import { groupId } from '../../src/core/entities/entity-set'
import { journalPathOf } from '../../src/main/store/layer-journal'
import { CURATION_ANNOTATOR, type DocumentRecord, type ProjectChanges } from '../../src/shared/model'
import { addOver, colleagueLayer, makeTeamProject, writeAsColleague, type LayerSpan, type TeamProject } from '../fixtures/team-project'

const OTHER_TEXT = 'Aysel Rahimova opened the Science Week in Ganja.'

const trackers: ProjectChangeTracker[] = []
const teams: TeamProject[] = []

afterEach(async () => {
  // Watchers first: the temp folders are removed after this hook.
  for (const tracker of trackers.splice(0)) tracker.stop()
  for (const team of teams.splice(0)) await team.projects.close()
})

/** Leyla's project (the meeting and one other document) watched by a tracker; `base` is its sequence number now. */
async function watchedTeam(options: ProjectChangeTrackerOptions = { settleMs: 30 }) {
  const team = await makeTeamProject('Leyla', [{ name: 'other', text: OTHER_TEXT }])
  teams.push(team)
  const tracker = new ProjectChangeTracker(team.projects, options)
  trackers.push(tracker)
  const otherId = team.ids.get('other') as string
  const otherRecord = await team.store.readRecord(otherId)
  const base = (await tracker.since(0)).seq
  /** A colleague's layer file on the other document: changes reported after it have been looked at. */
  let markers = 0
  const writeMarker = async (): Promise<void> => {
    markers += 1
    const spans: LayerSpan[] = Array.from({ length: markers }, (_, index) => ({ id: `m${index}`, words: 'Ganja', tag: 'EVENT' }))
    await writeAsColleague(team.store.layerPath(otherId, 'Marker'), colleagueLayer(otherRecord, 'Marker', spans, {}, OTHER_TEXT))
  }
  return { ...team, tracker, base, otherId, otherRecord, writeMarker }
}

/** Waits until the changes after `since` satisfy `check`, looking at every file event received so far each time. */
async function changesSatisfying(tracker: ProjectChangeTracker, since: number, check: (changes: ProjectChanges) => void): Promise<ProjectChanges> {
  return vi.waitFor(
    async () => {
      await tracker.settled()
      const changes = await tracker.since(since)
      check(changes)
      return changes
    },
    // Generous: a worker thread's first look waits for the thread to start, seconds on a loaded 2-core machine.
    { timeout: 12_000, interval: 40 }
  )
}

const zaurSpans: LayerSpan[] = [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }]

describe('ProjectChangeTracker (file events)', () => {
  it('starts with a change asking the window to list everything, then reports nothing until something changes', async () => {
    const { tracker, base } = await watchedTeam()
    expect(await tracker.since(0)).toEqual({ seq: base, documentIds: [], listChanged: true, projectFileChanged: true, entitiesChanged: true })
    expect(await tracker.since(base)).toEqual({ seq: base, documentIds: [], listChanged: false, projectFileChanged: false, entitiesChanged: false })
  })

  it("reports a colleague's layer file that a sync tool brings over (temp file, then rename)", async () => {
    const { tracker, base, store, documentId, record } = await watchedTeam()
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', zaurSpans), 'sync')
    const changes = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toEqual([documentId]))
    expect(changes.listChanged).toBe(true)
    expect(changes.seq).toBeGreaterThan(base)
    expect(await tracker.since(changes.seq)).toEqual({ seq: changes.seq, documentIds: [], listChanged: false, projectFileChanged: false, entitiesChanged: false })
  })

  it("reports a colleague's layer file written in place, each time it changes, and when it is removed", async () => {
    const { tracker, base, store, documentId, record } = await watchedTeam()
    const path = store.layerPath(documentId, 'Zaur')
    await writeAsColleague(path, colleagueLayer(record, 'Zaur', zaurSpans), 'direct')
    const first = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toEqual([documentId]))

    await writeAsColleague(path, colleagueLayer(record, 'Zaur', [...zaurSpans, { id: 'z2', words: 'Baku', tag: 'EVENT' }]), 'direct')
    const second = await changesSatisfying(tracker, first.seq, (found) => expect(found.documentIds).toEqual([documentId]))

    await rm(path)
    await changesSatisfying(tracker, second.seq, (found) => expect(found).toMatchObject({ documentIds: [documentId], listChanged: true }))
  })

  it('does not report our own saves (annotations, status, the gold layer, a new tag)', async () => {
    // Our writes are recorded as ours only after the rename and the folder's fsync: a settle
    // time shorter than a slow fsync would look at project.json before that and reload it.
    const { tracker, base, documentId, annotations, documents, store, otherId, writeMarker } = await watchedTeam({ settleMs: 300 })
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Leyla Taghizade', 'PERSON')])
    await documents.setStatus({ documentId, annotator: 'Leyla' }, 'in-progress')
    await annotations.applyEdits({ documentId, annotator: CURATION_ANNOTATOR }, [addOver('g1', 'ICESCO', 'ORG')])
    await store.addTags([{ id: 'PLACE', label: 'Place', shortLabel: 'PLC', key: '5', color: '#0072B2' }])
    // Saves appended to our layer's journal, and the journal folded into the file (as before a sync).
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l2', 'Raheel Qamar', 'PERSON')])
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [{ op: 'delete', id: 'l2' }])
    await store.settleWrites()
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l3', 'Raheel Qamar', 'PERSON')])
    // A colleague's change made after ours: once it is reported, ours have been looked at too.
    await writeMarker()
    const changes = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toContain(otherId))
    // The marker's document and one "list again"; nothing of ours.
    expect(changes).toEqual({ seq: base + 2, documentIds: [otherId], listChanged: true, projectFileChanged: false, entitiesChanged: false })
  })

  it("reports a colleague's saves arriving in their layer's journal as a change of their layer", async () => {
    const { tracker, base, store, documentId, record } = await watchedTeam()
    const path = store.layerPath(documentId, 'Zaur')
    await writeAsColleague(path, colleagueLayer(record, 'Zaur', zaurSpans), 'direct')
    const first = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toEqual([documentId]))
    await writeFile(journalPathOf(path), 'a save of theirs\n')
    await changesSatisfying(tracker, first.seq, (found) => expect(found.documentIds).toEqual([documentId]))
  })

  it('reports a new document folder from a colleague (text.txt, then document.json) as a list change', async () => {
    const { tracker, base, dir, record, documents } = await watchedTeam()
    const text = 'Minutes of the ICESCO board.'
    const newId = 'minutes-9f3a'
    const folder = join(dir, 'documents', newId)
    await mkdir(folder)
    await writeAsColleague(join(folder, 'text.txt'), text)
    const newRecord: DocumentRecord = {
      ...record,
      id: newId,
      name: 'minutes',
      originalFileName: 'minutes.txt',
      sizeBytes: Buffer.byteLength(text),
      length: text.length,
      sha256: sha256Hex(text),
      importedBy: 'Zaur'
    }
    await writeAsColleague(join(folder, 'document.json'), newRecord)
    await changesSatisfying(tracker, base, (found) => expect(found).toMatchObject({ documentIds: [newId], listChanged: true }))
    expect((await documents.list('Leyla')).map((summary) => summary.name)).toEqual(['meeting', 'minutes', 'other'])
  })

  it('reloads project.json changed by a colleague (a tag added) and asks for the list again', async () => {
    const { tracker, base, dir, store, projects } = await watchedTeam()
    const manifestPath = join(dir, 'project.json')
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'))
    manifest.tags.push({ id: 'PLACE', label: 'Place', shortLabel: 'PLC', key: '5', color: '#0072B2' })
    await writeAsColleague(manifestPath, manifest)
    const changes = await changesSatisfying(tracker, base, (found) => expect(found.listChanged).toBe(true))
    expect(changes.documentIds).toEqual([])
    expect(changes.projectFileChanged).toBe(true)
    expect(store.manifest.tags.map((tag) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT', 'PROGRAM', 'PLACE'])
    expect(projects.summary()?.manifest.tags.at(-1)).toMatchObject({ id: 'PLACE', label: 'Place' })
  })

  it('keeps the manifest it has when project.json arrives damaged, and still asks for the list again', async () => {
    const { tracker, base, dir, store } = await watchedTeam()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      await writeAsColleague(join(dir, 'project.json'), '{"format": "quire-project", "tags": [')
      await changesSatisfying(tracker, base, (found) => expect(found.listChanged).toBe(true))
      expect(store.manifest.tags.map((tag) => tag.id)).toEqual(['PERSON', 'ORG', 'EVENT', 'PROGRAM'])
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('project.json'))
    } finally {
      warn.mockRestore()
    }
  })

  it("reports a colleague's entities.json (a merge arriving through sync), not our own", async () => {
    const { tracker, base, projects, store, otherId, writeMarker } = await watchedTeam({ settleMs: 300 })
    const entities = new EntityService(projects)
    await entities.update(groupId('icesco'), { name: 'ICESCO', ref: 'Q1630451' })
    await writeMarker()
    const ours = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toContain(otherId))
    expect(ours.entitiesChanged).toBe(false)
    const file = JSON.parse(await readFile(join(store.dir, 'entities.json'), 'utf8')) as { entities: { name: string }[] }
    file.entities.push({ ...file.entities[0], id: 'e-isesco-00000001', name: 'ISESCO', aliases: ['isesco'] } as never)
    delete (file.entities[1] as { ref?: string }).ref
    await writeAsColleague(join(store.dir, 'entities.json'), file)
    const theirs = await changesSatisfying(tracker, ours.seq, (found) => expect(found.entitiesChanged).toBe(true))
    expect(theirs).toMatchObject({ documentIds: [], listChanged: false })
    expect((await entities.list()).entities.find((entity) => entity.name === 'ISESCO')).toMatchObject({ saved: true, id: 'e-isesco-00000001' })
  })

  it('ignores temp files, hidden files and files that are not project files', async () => {
    const { tracker, base, store, documentId, record, otherId, writeMarker } = await watchedTeam()
    const annotationsFolder = join(store.documentFolder(documentId), 'annotations')
    const layer = JSON.stringify(colleagueLayer(record, 'Zaur', zaurSpans))
    await mkdir(annotationsFolder, { recursive: true })
    await writeFile(join(annotationsFolder, '.zaur-12345678.json.4242.0123456789ab.tmp'), layer)
    await writeFile(join(annotationsFolder, 'zaur-12345678.json.tmp'), layer)
    await writeFile(join(annotationsFolder, '.DS_Store'), 'x')
    await writeFile(join(annotationsFolder, 'notes.txt'), 'x')
    await writeFile(join(store.documentFolder(documentId), '.text.txt.syncthing.tmp'), 'x')
    await writeFile(join(store.documentFolder(documentId), 'extra.txt'), 'x')
    await writeMarker()
    const changes = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toContain(otherId))
    expect(changes).toEqual({ seq: base + 2, documentIds: [otherId], listChanged: true, projectFileChanged: false, entitiesChanged: false })
  })

  it('asks for a full refresh when `since` is older than the changes it keeps, or unknown', async () => {
    const { tracker, base, dir } = await watchedTeam()
    // Each new folder is one change; more than the 2000 kept push the oldest out.
    const count = 2100
    for (let index = 0; index < count; index++) await mkdir(join(dir, 'documents', `bulk-${String(index).padStart(4, '0')}`))
    const latest = await changesSatisfying(tracker, base, (found) => expect(found.seq).toBeGreaterThanOrEqual(base + count + 1))
    expect(latest).toEqual({ seq: latest.seq, documentIds: [], listChanged: true, projectFileChanged: true, entitiesChanged: true })
    // Recent enough: the documents themselves.
    const recent = await tracker.since(latest.seq - 3)
    expect(recent.documentIds.length).toBeGreaterThanOrEqual(1)
    expect(recent.documentIds.every((id) => id.startsWith('bulk-'))).toBe(true)
    // A number this tracker never gave (an earlier run of the app): list everything again.
    expect(await tracker.since(latest.seq + 50)).toEqual({ seq: latest.seq, documentIds: [], listChanged: true, projectFileChanged: true, entitiesChanged: true })
  })

  it('starts over when another project is opened', async () => {
    const first = await watchedTeam()
    await writeAsColleague(first.store.layerPath(first.documentId, 'Zaur'), colleagueLayer(first.record, 'Zaur', zaurSpans))
    const seen = await changesSatisfying(first.tracker, first.base, (found) => expect(found.documentIds).toEqual([first.documentId]))

    // Another project, made elsewhere, opened in the same Quire.
    const second = await makeTeamProject('Leyla')
    await second.projects.close()
    await first.projects.open(second.dir)
    const secondStore = first.projects.requireProject()
    const secondId = second.documentId

    // What the window knew is about the other project: it lists everything again, and goes on
    // from the number this answer gives.
    const restart = await first.tracker.since(seen.seq)
    expect(restart).toEqual({ seq: restart.seq, documentIds: [], listChanged: true, projectFileChanged: true, entitiesChanged: true })
    expect(restart.seq).toBeGreaterThan(seen.seq)

    // The first project is no longer watched; the second one is.
    await writeAsColleague(first.store.layerPath(first.documentId, 'Aysel'), colleagueLayer(first.record, 'Aysel', zaurSpans))
    await writeAsColleague(secondStore.layerPath(secondId, 'Zaur'), colleagueLayer(second.record, 'Zaur', zaurSpans))
    const changes = await changesSatisfying(first.tracker, restart.seq, (found) => expect(found.documentIds).toContain(secondId))
    expect(changes).toEqual({ seq: restart.seq + 2, documentIds: [secondId], listChanged: true, projectFileChanged: false, entitiesChanged: false })
    await first.projects.close()
    expect(await first.tracker.since(changes.seq)).toMatchObject({ documentIds: [], listChanged: true })
  })
})

describe('ProjectChangeTracker (polling, without file events)', () => {
  async function polledTeam(options: ProjectChangeTrackerOptions = {}) {
    const team = await watchedTeam({ useFileEvents: false, pollMs: 100, settleMs: 20, ...options })
    // The poller's first look at the folder is not observable: until a colleague's file is
    // reported, keep changing one.
    await team.writeMarker()
    const ready = await vi.waitFor(
      async () => {
        const changes = await team.tracker.since(team.base)
        if (!changes.documentIds.includes(team.otherId)) {
          await team.writeMarker()
          throw new Error('not polled yet')
        }
        return changes
      },
      { timeout: 12_000, interval: 150 }
    )
    return { ...team, base: ready.seq }
  }

  it("reports a colleague's layer file brought over by a sync tool", async () => {
    const { tracker, base, store, documentId, record } = await polledTeam()
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', zaurSpans), 'sync')
    await changesSatisfying(tracker, base, (found) => expect(found).toMatchObject({ documentIds: [documentId], listChanged: true }))
  })

  it("reports a colleague's layer file, and not our own save, when a worker thread makes the looks (the app's polling)", async () => {
    const { tracker, base, store, documentId, record, annotations } = await polledTeam({ pollOnWorker: true })
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Leyla Taghizade', 'PERSON')])
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', zaurSpans), 'sync')
    const changes = await changesSatisfying(tracker, base, (found) => expect(found).toMatchObject({ documentIds: [documentId], listChanged: true }))
    // Ours alone is no change.
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l2', 'Baku', 'EVENT')])
    await new Promise((resolve) => setTimeout(resolve, 400))
    await tracker.settled()
    expect((await tracker.since(changes.seq)).documentIds).toEqual([])
  })

  it('does not report our own save, and reports a removed layer', async () => {
    const { tracker, base, store, documentId, annotations, otherId, writeMarker } = await polledTeam()
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'Leyla Taghizade', 'PERSON')])
    await writeMarker()
    const changes = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toContain(otherId))
    expect(changes.documentIds).toEqual([otherId])

    await rm(store.layerPath(documentId, 'Leyla'))
    await changesSatisfying(tracker, changes.seq, (found) => expect(found.documentIds).toEqual([documentId]))
  })

  it("reports a colleague's layer rewritten in place, in a folder whose names it no longer lists", async () => {
    const { tracker, base, store, documentId, record } = await polledTeam()
    const path = store.layerPath(documentId, 'Zaur')
    await writeAsColleague(path, colleagueLayer(record, 'Zaur', zaurSpans), 'sync')
    const added = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toEqual([documentId]))
    // Rounds pass with the folder settled, so its names come from the last listing.
    await new Promise((resolve) => setTimeout(resolve, 400))
    const settled = (await tracker.since(added.seq)).seq
    await writeAsColleague(path, colleagueLayer(record, 'Zaur', [...zaurSpans, { id: 'z2', words: 'Baku', tag: 'EVENT' }]), 'direct')
    await changesSatisfying(tracker, settled, (found) => expect(found.documentIds).toEqual([documentId]))
  })

  it('takes its first look only once what it waits for is done (in the app, the document index read)', async () => {
    let release = (): void => undefined
    const waitedFor = new Promise<void>((resolve) => (release = resolve))
    const team = await watchedTeam({ useFileEvents: false, pollMs: 50, settleMs: 20, firstLookAfter: () => waitedFor })
    // A colleague's file written while the polling waits is part of what its first look finds, not
    // a change: a look taken at once (as before the wait) would have reported it.
    await new Promise((resolve) => setTimeout(resolve, 300))
    await team.writeMarker()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await team.tracker.since(team.base)).documentIds).toEqual([])
    release()
    // Once it looks, changes are reported: until one is, keep changing a layer of the other document.
    let spans = 0
    const changes = await vi.waitFor(
      async () => {
        const found = await team.tracker.since(team.base)
        if (!found.documentIds.includes(team.documentId)) {
          spans += 1
          const zaur = Array.from({ length: spans }, (_, index) => ({ id: `z${index}`, words: 'Baku', tag: 'EVENT' }))
          await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), colleagueLayer(team.record, 'Zaur', zaur), 'sync')
          throw new Error('not polled yet')
        }
        return found
      },
      { timeout: 10_000, interval: 150 }
    )
    expect(changes.documentIds).not.toContain(team.otherId)
  })

  it('does not look while a call is being answered, and looks again once it has been', async () => {
    const { tracker, base, store, documentId, record } = await polledTeam()
    let answer = (): void => undefined
    const call = whileAnswering(() => new Promise<void>((resolve) => (answer = resolve)))
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', zaurSpans), 'sync')
    // Three polling periods, well under the longest a look waits for a call (1 s).
    await new Promise((resolve) => setTimeout(resolve, 300))
    await tracker.settled()
    expect((await tracker.since(base)).documentIds).toEqual([])
    answer()
    await call
    await changesSatisfying(tracker, base, (found) => expect(found).toMatchObject({ documentIds: [documentId], listChanged: true }))
  })
})

describe("colleagues' changes reach the services", () => {
  it("LayerService and DocumentService show a colleague's new content once the tracker has looked at it", async () => {
    const { tracker, base, store, documentId, record, layers, documents } = await watchedTeam()
    const path = store.layerPath(documentId, 'Zaur')
    const zaur = { documentId, annotator: 'Zaur' }
    await writeAsColleague(path, colleagueLayer(record, 'Zaur', zaurSpans, { status: 'in-progress' }))
    const first = await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toEqual([documentId]))
    // Reading it keeps it loaded in the store.
    expect((await layers.get(zaur)).annotations).toHaveLength(1)
    expect((await documents.get(zaur)).annotations).toHaveLength(1)

    await writeAsColleague(path, colleagueLayer(record, 'Zaur', [...zaurSpans, { id: 'z2', words: 'Baku', tag: 'EVENT' }], { status: 'done' }))
    await changesSatisfying(tracker, first.seq, (found) => expect(found.documentIds).toEqual([documentId]))
    expect((await layers.get(zaur)).annotations.map((annotation) => annotation.id)).toEqual(['z1', 'z2'])
    expect((await documents.get(zaur)).annotations.map((annotation) => annotation.id)).toEqual(['z1', 'z2'])
    expect((await layers.list(documentId))[0]).toMatchObject({ annotator: 'Zaur', status: 'done', spans: 2, countsByTag: { ORG: 1, EVENT: 1 } })
    expect((await documents.list('Zaur'))[0]).toMatchObject({ id: documentId, status: 'done', total: 2 })
  })

  it("a co-curator's gold layer change is read before our next save, which then keeps it", async () => {
    const { tracker, base, store, documentId, record, annotations, layers } = await watchedTeam()
    const gold = { documentId, annotator: CURATION_ANNOTATOR }
    await annotations.applyEdits(gold, [addOver('ours', 'ICESCO', 'ORG')])
    const path = store.layerPath(documentId, CURATION_ANNOTATOR)
    const saved = JSON.parse(await readFile(path, 'utf8'))
    const theirs = colleagueLayer(record, CURATION_ANNOTATOR, [{ id: 'theirs', words: 'Baku', tag: 'EVENT' }])
    await writeAsColleague(path, { ...saved, annotations: [...saved.annotations, ...theirs.annotations], curators: ['Leyla', 'Zaur'] })
    await changesSatisfying(tracker, base, (found) => expect(found.documentIds).toEqual([documentId]))

    await annotations.applyEdits(gold, [addOver('ours-too', 'Raheel Qamar', 'PERSON')])
    const after = await layers.get(gold)
    expect(after.annotations.map((annotation) => annotation.id).sort()).toEqual(['ours', 'ours-too', 'theirs'])
    expect(after.curators).toEqual(['Leyla', 'Zaur'])
  })

  it('keeps a layer with saves queued: forgetFile returns false until they are written', async () => {
    const { store, record } = await watchedTeam()
    const layer = await store.annotationLayer(record, 'Leyla')
    const saving = layer.update((draft) => {
      draft.status = 'in-progress'
    })
    expect(layer.busy).toBe(true)
    expect(store.forgetFile(layer.path)).toBe(false)
    expect(await store.annotationLayer(record, 'Leyla')).toBe(layer)
    await saving
    expect(layer.busy).toBe(false)
    expect(store.forgetFile(layer.path)).toBe(true)
    const reread = await store.annotationLayer(record, 'Leyla')
    expect(reread).not.toBe(layer)
    expect(reread.current.status).toBe('in-progress')
    // A path the store never read is simply forgotten.
    expect(store.forgetFile(store.layerPath(record.id, 'Nobody'))).toBe(true)
  })
})

describe('file watches on Linux', () => {
  it('are used only while the documents fit in half of the system limit (three folders each)', () => {
    expect(watchesSuffice(10, 8192)).toBe(true)
    expect(watchesSuffice(1365, 8192)).toBe(true)
    expect(watchesSuffice(1366, 8192)).toBe(false)
    expect(watchesSuffice(100_000, 192_530)).toBe(false)
    expect(watchesSuffice(100_000, Number.NaN)).toBe(true)
  })

  it('count the document folders only as far as the answer needs', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'quire-count-'))
    try {
      for (const name of ['a', 'b', 'c', 'd', 'e']) await mkdir(join(folder, name))
      expect(countEntriesUpTo(folder, 3)).toBe(3)
      expect(countEntriesUpTo(folder, 5)).toBe(5)
      expect(countEntriesUpTo(folder, Number.POSITIVE_INFINITY)).toBe(5)
      expect(countEntriesUpTo(folder, 0)).toBe(0)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
