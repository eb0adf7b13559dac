import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ProjectChangeTracker } from '../../src/main/services/project-changes'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { SuggestionService } from '../../src/main/services/suggestion-service'
import { parseStoredFile } from '../../src/main/store/json-store'
import { ANNOTATION_FILE } from '../../src/main/store/file-kinds'
import { LEXICON_FILE_NAME } from '../../src/main/store/lexicon-file'
import { LOCAL_STATE_FOLDER } from '../../src/main/store/project-store'
import { ANNOTATION_LAYER_SCHEMA_VERSION, asUtf16, type AnnotationEdit } from '../../src/shared/model'
import { addOver, colleagueLayer, makeTeamProject, MEETING_TEXT, rangeOf, writeAsColleague, type TeamProject } from '../fixtures/team-project'

const V3_FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'layers', 'annotations-v3.json')
const REPORT_TEXT = 'ICESCO and Baku. Later ICESCO sent Raheel Qamar to Baku.'

const trackers: ProjectChangeTracker[] = []
afterEach(() => {
  for (const tracker of trackers.splice(0)) tracker.stop()
})

function suggestionsOf(projects: ProjectService): SuggestionService {
  const tracker = new ProjectChangeTracker(projects, { useFileEvents: false, pollMs: 60_000 })
  trackers.push(tracker)
  return new SuggestionService(projects, tracker)
}

async function teamWithReport(): Promise<TeamProject & { reportId: string }> {
  const team = await makeTeamProject('Leyla', [{ name: 'report', text: REPORT_TEXT }])
  return { ...team, reportId: team.ids.get('report') as string }
}

function rejectAt(text: string, words: string, tag: string, from = 0): AnnotationEdit {
  const start = text.indexOf(words, from)
  return { op: 'reject-suggestion', suggestion: { tag, start: asUtf16(start), end: asUtf16(start + words.length) } }
}

describe('SuggestionService', () => {
  it("suggests in one document what was tagged in another, and follows the user's own saves", async () => {
    const team = await teamWithReport()
    const service = suggestionsOf(team.projects)
    const report = { documentId: team.reportId, annotator: 'Leyla' }
    expect((await service.suggestionsFor(report)).suggestions).toEqual([])
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('l1', 'ICESCO', 'ORG'), addOver('l2', 'Raheel Qamar', 'PERSON')])
    const list = await service.suggestionsFor(report)
    expect(list.suggestions.map((s) => [s.text, s.tag, s.start])).toEqual([
      ['ICESCO', 'ORG', 0],
      ['ICESCO', 'ORG', REPORT_TEXT.indexOf('ICESCO', 1)],
      ['Raheel Qamar', 'PERSON', REPORT_TEXT.indexOf('Raheel')]
    ])
    expect(list.suggestions[0]?.reason).toBe('tagged "ICESCO" as Organization once (Leyla)')
    // Tagging one occurrence in the report takes it out of the suggestions there.
    await team.annotations.applyEdits(report, [addOver('r1', 'ICESCO', 'ORG', REPORT_TEXT)])
    const after = await service.suggestionsFor(report)
    expect(after.suggestions.map((s) => s.start)).toEqual([REPORT_TEXT.indexOf('ICESCO', 1), REPORT_TEXT.indexOf('Raheel')])
    expect(after.suggestions[0]?.reason).toBe('tagged "ICESCO" as Organization twice (Leyla)')
  })

  it("takes a colleague's layer arriving on disk once the change tracker reports it", async () => {
    const team = await teamWithReport()
    const tracker = new ProjectChangeTracker(team.projects, { useFileEvents: false, pollMs: 60_000 })
    trackers.push(tracker)
    const service = new SuggestionService(team.projects, tracker)
    const report = { documentId: team.reportId, annotator: 'Leyla' }
    expect((await service.suggestionsFor(report)).suggestions).toEqual([])
    const zaurPath = team.store.layerPath(team.documentId, 'Zaur')
    await writeAsColleague(zaurPath, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'EVENT' }]))
    await tracker.noticeChanged([zaurPath])
    const list = await service.suggestionsFor(report)
    expect(list.suggestions.map((s) => [s.text, s.tag])).toEqual([['Baku', 'EVENT'], ['Baku', 'EVENT']])
    expect(list.suggestions[0]?.reason).toBe('tagged "Baku" as Event once (Zaur)')
  })

  it('hides a rejected suggestion, counts it, and still hides it after the project is opened again', async () => {
    const team = await teamWithReport()
    const service = suggestionsOf(team.projects)
    const report = { documentId: team.reportId, annotator: 'Leyla' }
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('l1', 'Baku', 'EVENT')])
    expect((await service.suggestionsFor(report)).suggestions).toHaveLength(2)
    await team.annotations.applyEdits(report, [rejectAt(REPORT_TEXT, 'Baku', 'EVENT')])
    const list = await service.suggestionsFor(report)
    expect(list.rejected).toBe(1)
    expect(list.suggestions.map((s) => s.start)).toEqual([REPORT_TEXT.lastIndexOf('Baku')])

    await team.projects.close()
    const projects = new ProjectService(await SettingsService.open(team.userDataDir))
    await projects.open(team.dir)
    const reopened = await suggestionsOf(projects).suggestionsFor(report)
    expect(reopened).toMatchObject({ rejected: 1, suggestions: [{ start: REPORT_TEXT.lastIndexOf('Baku'), tag: 'EVENT' }] })
    // Undoing the rejection (unreject) suggests it again.
    await new AnnotationService(projects).applyEdits(report, [{ op: 'unreject-suggestion', tag: 'EVENT', start: asUtf16(REPORT_TEXT.indexOf('Baku')), end: asUtf16(REPORT_TEXT.indexOf('Baku') + 4) }])
    expect((await suggestionsOf(projects).suggestionsFor(report)).suggestions).toHaveLength(2)
    await projects.close()
  })
})

describe("the lexicon's first reading on a worker thread (a large project)", () => {
  /** A report to suggest in, Leyla's own layer (loaded here) and a colleague's on disk. */
  async function teamWithLayers(): Promise<TeamProject & { reportId: string }> {
    const team = await teamWithReport()
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('l1', 'Raheel Qamar', 'PERSON')])
    // On the report, which has no layer loaded here: the worker's reading is what the lexicon takes of it.
    const reportRecord = await team.store.readRecord(team.reportId)
    await writeAsColleague(
      team.store.layerPath(team.reportId, 'Zaur'),
      colleagueLayer(reportRecord, 'Zaur', [
        { id: 'z1', words: 'Baku', tag: 'EVENT' },
        { id: 'z2', words: 'ICESCO', tag: 'ORG' }
      ], {}, REPORT_TEXT)
    )
    return team
  }

  function withOptions(projects: ProjectService, options: ConstructorParameters<typeof SuggestionService>[2]): SuggestionService {
    const tracker = new ProjectChangeTracker(projects, { useFileEvents: false, pollMs: 60_000 })
    trackers.push(tracker)
    return new SuggestionService(projects, tracker, options)
  }

  it('suggests what the reading on the main thread suggests, and saves a lexicon the next opening takes', async () => {
    const team = await teamWithLayers()
    const report = { documentId: team.reportId, annotator: 'Leyla' }
    const onWorker = withOptions(team.projects, { readOnWorkerFrom: 1 })
    const fromWorker = await onWorker.suggestionsFor(report)
    // Zaur's layer read by the worker; Leyla's, loaded here, taken from memory.
    expect(onWorker.layersRead).toBe(1)
    await onWorker.saved()
    const savedLexicon = join(team.dir, LOCAL_STATE_FOLDER, LEXICON_FILE_NAME)
    const saved = JSON.parse(await readFile(savedLexicon, 'utf8'))
    await rm(savedLexicon)
    const onThread = suggestionsOf(team.projects)
    const fromThread = await onThread.suggestionsFor(report)
    expect(fromThread.suggestions.map((s) => s.text).sort()).toEqual(['Baku', 'Baku', 'ICESCO', 'ICESCO', 'Raheel Qamar'])
    expect(fromWorker).toEqual(fromThread)
    await onThread.saved()
    expect(JSON.parse(await readFile(savedLexicon, 'utf8')).documents).toEqual(saved.documents)
    // The next reading takes the report from the saved lexicon (the other document, with a layer
    // loaded here, is taken from memory again): no file is read.
    const reopened = suggestionsOf(team.projects)
    expect(await reopened.suggestionsFor(report)).toEqual(fromThread)
    expect(reopened.layersRead).toBe(0)
  })

  it('stops reading, and saves nothing, when the project closes first', async () => {
    const team = await teamWithLayers()
    const report = { documentId: team.reportId, annotator: 'Leyla' }
    const service = withOptions(team.projects, { readOnWorkerFrom: 1, lexiconWorker: new URL('../fixtures/workers/silent-worker.mjs', import.meta.url) })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const asked = service.suggestionsFor(report).then(
      () => 'answered',
      () => 'refused'
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    await team.projects.close()
    // The call settles (it is not left waiting on a worker that was stopped), nothing was read on
    // the main thread instead, and no lexicon was written into the closed project.
    expect(['answered', 'refused']).toContain(await asked)
    expect(service.layersRead).toBe(0)
    await service.saved()
    await expect(readFile(join(team.dir, LOCAL_STATE_FOLDER, LEXICON_FILE_NAME))).rejects.toThrow(/ENOENT/)
    expect(warn).not.toHaveBeenCalledWith(expect.stringContaining('on the main thread'))
    warn.mockRestore()
  })

  it('reads on the main thread when the worker cannot start', async () => {
    const team = await teamWithLayers()
    const report = { documentId: team.reportId, annotator: 'Leyla' }
    const service = withOptions(team.projects, { readOnWorkerFrom: 1, lexiconWorker: new URL('./no-such-lexicon-worker.mjs', import.meta.url) })
    const list = await service.suggestionsFor(report)
    expect(list.suggestions.map((s) => s.text).sort()).toEqual(['Baku', 'Baku', 'ICESCO', 'ICESCO', 'Raheel Qamar'].sort())
    expect(service.layersRead).toBe(1)
  })
})

describe('rejected suggestions in the layer file', () => {
  it('are saved with their text and time, and refused when they do not fit the text', async () => {
    const team = await makeTeamProject('Leyla')
    const leyla = { documentId: team.documentId, annotator: 'Leyla' }
    await team.annotations.applyEdits(leyla, [rejectAt(MEETING_TEXT, 'Baku', 'EVENT')])
    const saved = JSON.parse(await readFile(team.store.layerPath(team.documentId, 'Leyla'), 'utf8'))
    expect(saved.schemaVersion).toBe(ANNOTATION_LAYER_SCHEMA_VERSION)
    expect(saved.rejectedSuggestions).toEqual([{ tag: 'EVENT', ...rangeOf('Baku'), text: 'Baku', rejectedAt: expect.any(String) }])
    await expect(team.annotations.applyEdits(leyla, [{ op: 'reject-suggestion', suggestion: { tag: 'EVENT', start: asUtf16(0), end: asUtf16(500) } }])).rejects.toThrow(/past the end of the text/)
    await expect(team.annotations.applyEdits(leyla, [{ op: 'reject-suggestion', suggestion: { tag: 'NOPE', start: asUtf16(0), end: asUtf16(4) } }])).rejects.toThrow(/does not define/)
    await expect(team.annotations.applyEdits(leyla, [{ op: 'reject-suggestion', suggestion: { tag: 'EVENT', start: asUtf16(0), end: asUtf16(4), text: 'Baku' } }])).rejects.toThrow(/where the text is "Leyl"/)
  })

  it('replay from the journal exactly as they were saved', async () => {
    const team = await makeTeamProject('Leyla')
    const leyla = { documentId: team.documentId, annotator: 'Leyla' }
    await team.annotations.applyEdits(leyla, [addOver('l1', 'ICESCO', 'ORG')])
    // The second save goes to the journal; reopening replays it without the text.
    await team.annotations.applyEdits(leyla, [rejectAt(MEETING_TEXT, 'Baku', 'EVENT')])
    const before = (await team.store.annotationLayer(team.record, 'Leyla')).current.rejectedSuggestions
    await team.projects.close()
    const projects = new ProjectService(await SettingsService.open(team.userDataDir))
    await projects.open(team.dir)
    const store = projects.requireProject()
    expect((await store.annotationLayer(await store.readRecord(team.documentId), 'Leyla')).current.rejectedSuggestions).toEqual(before)
    await projects.close()
  })

  it('reads a version-3 file (before rejections) with none', async () => {
    const team = await makeTeamProject('Leyla')
    const fixture = (await readFile(V3_FIXTURE, 'utf8')).replace('@DOCUMENT_ID@', team.documentId).replace('@TEXT_SHA256@', team.record.sha256)
    const layer = parseStoredFile(new TextEncoder().encode(fixture), 'annotations-v3.json', ANNOTATION_FILE)
    expect(layer.schemaVersion).toBe(4)
    expect(layer.rejectedSuggestions).toEqual([])
    expect(layer.annotations.map((annotation) => annotation.id)).toEqual(['v3-icesco'])
    // Through the store: read, then written as version 4 by the next save.
    const path = team.store.layerPath(team.documentId, 'Leyla')
    await writeAsColleague(path, fixture)
    team.store.forgetFile(path)
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [rejectAt(MEETING_TEXT, 'Baku', 'EVENT')])
    const written = JSON.parse(await readFile(path, 'utf8'))
    expect(written.schemaVersion).toBe(4)
    expect(written.annotations.map((annotation: { id: string }) => annotation.id)).toEqual(['v3-icesco'])
    expect(written.rejectedSuggestions).toHaveLength(1)
  })
})
