// A project closed while its document index is still being checked stops the worker surveys of
// that check at once: left running, they stat'ed 100,000 folders for nobody (seconds of a core,
// taken from the next project or the window).
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it, vi } from 'vitest'
import type { FolderSurvey } from '../../src/main/store/folder-survey'

const surveys: { cancelled: boolean }[] = []

/** A survey that answers only when cancelled (as a worker survey does: its workers' exit). */
function pendingSurvey(): FolderSurvey {
  const made = { cancelled: false }
  surveys.push(made)
  let answer = (_parts: Map<string, string>): void => undefined
  const parts = new Promise<Map<string, string>>((resolve) => (answer = resolve))
  return {
    parts,
    helpedParts: () => parts,
    cancel: () => {
      made.cancelled = true
      answer(new Map())
    }
  }
}

vi.mock('../../src/main/store/folder-survey', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/main/store/folder-survey')>()),
  surveyDocumentFolders: () => pendingSurvey(),
  surveyFilesStamps: () => pendingSurvey()
}))

const { documentIndexOf } = await import('../../src/main/services/document-index')
const { ProjectStore } = await import('../../src/main/store/project-store')
const { makeTeamProject } = await import('../fixtures/team-project')

describe('closing a project during the check after opening', () => {
  it('stops the surveys under way', async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'alpha', text: 'Alpha text.' }])
    await team.documents.list('Leyla')
    await sleep(80)
    await team.projects.close()
    const store = await ProjectStore.open(team.dir)
    const index = documentIndexOf(store, { folderSurveyFrom: 0, checkAfter: () => Promise.resolve() })
    await index.entries()
    await vi.waitFor(() => expect(surveys).toHaveLength(1), { timeout: 5000 })
    expect(surveys[0]?.cancelled).toBe(false)
    await store.close()
    expect(surveys.map((survey) => survey.cancelled)).toEqual([true])
  })
})
