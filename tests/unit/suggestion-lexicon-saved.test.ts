// The suggestions' lexicon saved in .quire/ (lexicon-file.ts): a project opened again takes it
// instead of reading every layer, and still sees every change made behind its back.
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { ProjectChangeTracker } from '../../src/main/services/project-changes'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { SuggestionService } from '../../src/main/services/suggestion-service'
import { LEXICON_FILE_NAME, LEXICON_SCHEMA_VERSION } from '../../src/main/store/lexicon-file'
import { LOCAL_STATE_FOLDER } from '../../src/main/store/project-store'
import type { SuggestionList } from '../../src/shared/finding-model'
import { colleagueLayer, makeTeamProject, writeAsColleague, type TeamProject } from '../fixtures/team-project'

const REPORT_TEXT = 'ICESCO and Baku. Later ICESCO sent Raheel Qamar to Baku.'
const OTHER_TEXT = 'A letter from Raheel Qamar.'

const trackers: ProjectChangeTracker[] = []
const opened: ProjectService[] = []
afterEach(async () => {
  for (const tracker of trackers.splice(0)) tracker.stop()
  for (const projects of opened.splice(0)) await projects.close()
})

interface Team extends TeamProject {
  reportId: string
  otherId: string
}

/** Zaur tagged ICESCO in the meeting, Rashad Raheel Qamar in the other letter; the report is Leyla's to tag. */
async function teamWithColleagues(): Promise<Team> {
  const team = await makeTeamProject('Leyla', [
    { name: 'report', text: REPORT_TEXT },
    { name: 'other', text: OTHER_TEXT }
  ])
  const otherId = team.ids.get('other') as string
  await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }]))
  const other = await team.store.readRecord(otherId)
  await writeAsColleague(team.store.layerPath(otherId, 'Rashad'), colleagueLayer(other, 'Rashad', [{ id: 'r1', words: 'Raheel Qamar', tag: 'PERSON' }], {}, OTHER_TEXT))
  await team.projects.close()
  // Folder stamps are taken only once a folder has been unchanged for 50 ms.
  await sleep(120)
  return { ...team, reportId: team.ids.get('report') as string, otherId }
}

/** The project opened again by a new Quire, with its own suggestion service. */
async function openAgain(team: Team): Promise<SuggestionService> {
  const projects = new ProjectService(await SettingsService.open(team.userDataDir))
  await projects.open(team.dir)
  opened.push(projects)
  const tracker = new ProjectChangeTracker(projects, { useFileEvents: false, pollMs: 60_000 })
  trackers.push(tracker)
  return new SuggestionService(projects, tracker)
}

async function suggestedIn(team: Team, service: SuggestionService): Promise<string[]> {
  const list: SuggestionList = await service.suggestionsFor({ documentId: team.reportId, annotator: 'Leyla' })
  return list.suggestions.map((suggestion) => `${suggestion.text} ${suggestion.tag} @${suggestion.start}`)
}

async function closeAfterSaving(service: SuggestionService): Promise<void> {
  await service.saved()
  await opened.pop()?.close()
  await sleep(120)
}

const lexiconPath = (team: Team): string => join(team.dir, LOCAL_STATE_FOLDER, LEXICON_FILE_NAME)

describe('the saved suggestion lexicon', () => {
  it('is written after the first reading, and opening again reads no layer and suggests the same', async () => {
    const team = await teamWithColleagues()
    const first = await openAgain(team)
    const suggested = await suggestedIn(team, first)
    expect(suggested).toEqual([`ICESCO ORG @0`, `ICESCO ORG @${REPORT_TEXT.indexOf('ICESCO', 1)}`, `Raheel Qamar PERSON @${REPORT_TEXT.indexOf('Raheel')}`])
    expect(first.layersRead).toBe(2)
    await closeAfterSaving(first)
    const saved = JSON.parse(await readFile(lexiconPath(team), 'utf8')) as { schemaVersion: number; texts: string[]; documents: unknown[] }
    expect(saved.schemaVersion).toBe(LEXICON_SCHEMA_VERSION)
    expect(saved.texts.sort()).toEqual(['ICESCO', 'Raheel Qamar'])
    expect(saved.documents).toHaveLength(3)

    const again = await openAgain(team)
    expect(await suggestedIn(team, again)).toEqual(suggested)
    expect(again.layersRead).toBe(0)
  })

  it('sees layers added, rewritten in place or by a sync tool, and document folders removed and brought back', async () => {
    const team = await teamWithColleagues()
    const first = await openAgain(team)
    await suggestedIn(team, first)
    await closeAfterSaving(first)

    // Zaur's layer rewritten in place (the folder's stamp does not move), Baku instead of ICESCO.
    await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'EVENT' }]), 'direct')
    let service = await openAgain(team)
    const baku = [`Baku EVENT @${REPORT_TEXT.indexOf('Baku')}`, `Baku EVENT @${REPORT_TEXT.lastIndexOf('Baku')}`]
    const raheel = `Raheel Qamar PERSON @${REPORT_TEXT.indexOf('Raheel')}`
    expect(await suggestedIn(team, service)).toEqual([baku[0], raheel, baku[1]])
    expect(service.layersRead).toBe(1)
    await closeAfterSaving(service)

    // The other letter's folder taken away by a sync tool: Rashad's Raheel Qamar goes with it.
    const away = join(team.root, 'other-away')
    const otherFolder = join(team.dir, 'documents', team.otherId)
    await rename(otherFolder, away)
    service = await openAgain(team)
    expect(await suggestedIn(team, service)).toEqual(baku)
    expect(service.layersRead).toBe(0)
    await closeAfterSaving(service)

    // Brought back, and a new layer on the meeting (a new file: the folder's stamp moves).
    await rename(away, otherFolder)
    await writeAsColleague(team.store.layerPath(team.documentId, 'Aylin'), colleagueLayer(team.record, 'Aylin', [{ id: 'a1', words: 'ICESCO', tag: 'ORG' }]))
    service = await openAgain(team)
    expect(await suggestedIn(team, service)).toEqual([`ICESCO ORG @0`, baku[0], `ICESCO ORG @${REPORT_TEXT.indexOf('ICESCO', 1)}`, raheel, baku[1]])
    // The meeting's two colleague layers and the letter's one.
    expect(service.layersRead).toBe(3)
  })

  it.each([
    ['damaged', 'not json {'],
    ['from a newer Quire', JSON.stringify({ format: 'quire-suggestion-lexicon', schemaVersion: LEXICON_SCHEMA_VERSION + 1, texts: [], tags: [], annotators: [], documents: [] })],
    ['pointing out of its tables', JSON.stringify({ format: 'quire-suggestion-lexicon', schemaVersion: LEXICON_SCHEMA_VERSION, texts: [], tags: [], annotators: ['Zaur'], documents: [['x', '-', [['a.json', '1:1/none', 0, [5, 0, 1]]]]] })]
  ])('is rebuilt from the layers when %s', async (_, content) => {
    const team = await teamWithColleagues()
    const first = await openAgain(team)
    const suggested = await suggestedIn(team, first)
    await closeAfterSaving(first)
    await writeFile(lexiconPath(team), content)

    const again = await openAgain(team)
    expect(await suggestedIn(team, again)).toEqual(suggested)
    expect(again.layersRead).toBe(2)
    await again.saved()
    const rewritten = JSON.parse(await readFile(lexiconPath(team), 'utf8')) as { documents: unknown[] }
    expect(rewritten.documents).toHaveLength(3)
  })
})
