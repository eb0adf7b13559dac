// A project closed while its suggestion lexicon is being written (the browser edition's server
// stopped as the first suggestions were saved): the close waits for the write, so the process
// may exit at once without leaving a half-written temporary file in .quire/ for good. And one
// closed while the lexicon is still being read: nothing is written once the close has begun (a
// clean clone's e2e teardown once failed removing .quire/ as a late lexicon landed in it).
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, expect, it, vi } from 'vitest'
import { ProjectChangeTracker } from '../../src/main/services/project-changes'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { SuggestionService } from '../../src/main/services/suggestion-service'
import { LEXICON_FILE_NAME } from '../../src/main/store/lexicon-file'
import { LOCAL_STATE_FOLDER } from '../../src/main/store/project-store'
import { colleagueLayer, makeTeamProject, writeAsColleague, type TeamProject } from '../fixtures/team-project'

/** How long the lexicon's write is held back: longer than closing a two-document project takes. */
const SLOW_WRITE_MS = 400

// The lexicon's write made slow, as at 100,000 documents, so that a close not waiting for it ends first.
vi.mock('../../src/main/store/durable-file', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/main/store/durable-file')>()
  return {
    ...original,
    writeFileDurably: async (...args: Parameters<typeof original.writeFileDurably>) => {
      if (args[0].endsWith('suggestion-lexicon.json')) await sleep(SLOW_WRITE_MS)
      return original.writeFileDurably(...args)
    }
  }
})

const trackers: ProjectChangeTracker[] = []
afterEach(() => {
  for (const tracker of trackers.splice(0)) tracker.stop()
})

/** The team's project closed and opened again by a fresh process's services, the lexicon not yet read. */
async function reopenWithSuggestions(team: TeamProject): Promise<{ projects: ProjectService; suggestions: SuggestionService }> {
  await team.projects.close()
  const projects = new ProjectService(await SettingsService.open(team.userDataDir))
  await projects.open(team.dir)
  const tracker = new ProjectChangeTracker(projects, { useFileEvents: false, pollMs: 60_000 })
  trackers.push(tracker)
  return { projects, suggestions: new SuggestionService(projects, tracker) }
}

it('is on disk, and no temporary file is left, once a project closed while its lexicon was being written has closed', async () => {
  const team = await makeTeamProject('Leyla', [{ name: 'report', text: 'ICESCO and Baku. Later ICESCO wrote again.' }])
  await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }]))
  const { projects, suggestions } = await reopenWithSuggestions(team)
  const list = await suggestions.suggestionsFor({ documentId: team.documentId, annotator: 'Leyla' })
  expect(list.suggestions.map((suggestion) => suggestion.text)).toContain('ICESCO')

  await projects.close()
  const localState = await readdir(join(team.dir, LOCAL_STATE_FOLDER))
  expect(localState.filter((name) => name.endsWith('.tmp'))).toEqual([])
  expect(localState).toContain(LEXICON_FILE_NAME)
})

it('writes nothing into .quire/ once a project closed while its lexicon was still being read', async () => {
  const documents = Array.from({ length: 40 }, (_, index) => ({ name: `report ${index}`, text: `ICESCO and Baku, report ${index}. Later ICESCO wrote again.` }))
  const team = await makeTeamProject('Leyla', documents)
  const { projects, suggestions } = await reopenWithSuggestions(team)
  // A window's call under way as the browser edition's server stops: its handler goes on reading.
  const asked = suggestions.suggestionsFor({ documentId: team.documentId, annotator: 'Leyla' }).catch(() => undefined)
  await projects.close()
  const atClose = await readdir(join(team.dir, LOCAL_STATE_FOLDER))
  await asked
  await sleep(SLOW_WRITE_MS + 200)
  // The lock is gone: another Quire may have the project now, and a test's folder is being removed.
  expect(await readdir(join(team.dir, LOCAL_STATE_FOLDER))).toEqual(atClose)
})
