// Project search over real project folders: matches in every document's current text, who tagged
// each (own layer through the services, a colleague's as a file), the tag and "untagged only"
// filters, paging over a kept search, an invalid and a runaway expression.
import { describe, expect, it } from 'vitest'
import { ProjectSearchService } from '../../src/main/services/project-search-service'
import type { ProjectSearchRequest, SearchQuery } from '../../src/shared/finding-model'
import { addOver, colleagueLayer, makeTeamProject, writeAsColleague, type TeamProject } from '../fixtures/team-project'

const PLAIN: Omit<SearchQuery, 'text'> = { matchCase: false, matchDiacritics: false, wholeWord: false, regex: false }

function request(text: string, more: Partial<ProjectSearchRequest> = {}, options: Partial<SearchQuery> = {}): ProjectSearchRequest {
  return { query: { ...PLAIN, ...options, text }, offset: 0, limit: 50, ...more }
}

const SECOND = 'ICESCO and ISESCO met again.\r\nThe İCESCO office in Baku is near the Əliyev centre 👋 ICESCO.'

async function team(): Promise<TeamProject> {
  const project = await makeTeamProject('Leyla', [{ name: 'second', text: SECOND }])
  const { documentId, annotations, store, record } = project
  await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'ICESCO', 'ORG')])
  await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'of ICESCO', tag: 'EVENT' }, { id: 'z2', words: 'Baku', tag: 'EVENT' }]))
  return project
}

describe('project search', () => {
  it('lists every match as a concordance line, with who tagged it and whether exactly', async () => {
    const project = await team()
    const search = new ProjectSearchService(project.projects, project.layers)
    const result = await search.search(request('icesco'))
    expect(result.problem).toBeNull()
    // "İCESCO" folds to "icesco" with case off: the dotted capital I is an i.
    expect(result.totalMatches).toBe(4)
    expect(result.documentsWithMatches).toBe(2)
    expect(result.documentsSearched).toBe(2)
    const meeting = result.lines.find((line) => line.documentId === project.documentId)
    expect(meeting).toMatchObject({ match: 'ICESCO', left: 'Leyla Taghizade met Raheel Qamar of ', right: ' in Baku on Monday.', documentName: 'meeting' })
    expect(meeting?.taggedBy).toEqual(expect.arrayContaining([{ annotator: 'Leyla', tag: 'ORG', exact: true }, { annotator: 'Zaur', tag: 'EVENT', exact: false }]))
    expect(meeting?.taggedBy).toHaveLength(2)
    // A CRLF in the context reads as a space: a line is one line.
    const second = result.lines.filter((line) => line.documentId === project.ids.get('second'))
    expect(second.map((line) => line.match)).toEqual(['ICESCO', 'İCESCO', 'ICESCO'])
    expect(second[1]?.left).toBe('ICESCO and ISESCO met again. The ')
    expect(second.every((line) => line.taggedBy.length === 0)).toBe(true)
  })

  it('folds diacritics and case as the find bar does, and keeps them when asked', async () => {
    const project = await team()
    const search = new ProjectSearchService(project.projects, project.layers)
    expect((await search.search(request('aliyev'))).lines.map((line) => line.match)).toEqual(['Əliyev'])
    expect((await search.search(request('aliyev', {}, { matchDiacritics: true }))).totalMatches).toBe(0)
    expect((await search.search(request('icesco', {}, { matchCase: true }))).totalMatches).toBe(0)
    // Diacritics off: "İCESCO" is "ICESCO" with a dot, so a search matching case finds it too.
    expect((await search.search(request('ICESCO', {}, { matchCase: true, wholeWord: true }))).totalMatches).toBe(4)
    expect((await search.search(request('ICESCO', {}, { matchCase: true, matchDiacritics: true }))).totalMatches).toBe(3)
  })

  it('filters by tag, by "untagged only" and by document', async () => {
    const project = await team()
    const search = new ProjectSearchService(project.projects, project.layers)
    const byTag = await search.search(request('icesco', { tags: ['ORG'] }))
    expect(byTag.lines.map((line) => line.documentId)).toEqual([project.documentId])
    expect(byTag.totalMatches).toBe(1)
    expect((await search.search(request('baku', { tags: ['EVENT'] }))).totalMatches).toBe(1)
    const untagged = await search.search(request('icesco', { untaggedOnly: true }))
    expect(untagged.totalMatches).toBe(3)
    expect(untagged.lines.every((line) => line.taggedBy.length === 0)).toBe(true)
    const oneDocument = await search.search(request('baku', { documentIds: [project.ids.get('second') as string] }))
    expect(oneDocument).toMatchObject({ totalMatches: 1, documentsSearched: 1 })
  })

  it('pages through the kept search, and searches again from the first line', async () => {
    const project = await team()
    const search = new ProjectSearchService(project.projects, project.layers)
    const first = await search.search(request('icesco', { limit: 3 }))
    const second = await search.search(request('icesco', { limit: 3, offset: 3 }))
    const past = await search.search(request('icesco', { limit: 3, offset: 6 }))
    expect([first, second, past].map((page) => page.lines.length)).toEqual([3, 1, 0])
    const all = [...first.lines, ...second.lines].map((line) => `${line.documentId}:${line.start}`)
    expect(new Set(all).size).toBe(4)
    expect(second.totalMatches).toBe(4)
    // A save after the search shows when the search runs again from the top.
    await project.annotations.applyEdits({ documentId: project.ids.get('second') as string, annotator: 'Leyla' }, [addOver('l9', 'ISESCO', 'ORG', SECOND)])
    expect((await search.search(request('isesco', { tags: ['ORG'] }))).totalMatches).toBe(1)
    expect((await search.search(request('icesco', { limit: 3 }))).totalMatches).toBe(4)
  })

  it('answers the first screen while it counts on, and gives the final counts when asked again', async () => {
    const many = Array.from({ length: 120 }, (_, index) => ({ name: `letter-${index}`, text: `Letter ${index} from ICESCO to ISESCO.` }))
    const project = await makeTeamProject('Leyla', many)
    const search = new ProjectSearchService(project.projects, project.layers, { workerThreads: 1 })
    const first = await search.search(request('isesco', { limit: 3 }))
    expect(first.lines.map((line) => line.match)).toEqual(['ISESCO', 'ISESCO', 'ISESCO'])
    let counted = first
    // As the window does: asks for the counts again a moment later.
    while (counted.counting) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      counted = await search.search(request('isesco', { limit: 3 }))
    }
    expect(counted).toMatchObject({ totalMatches: 120, documentsWithMatches: 120, documentsSearched: 121, counting: false })
    const last = await search.search(request('isesco', { limit: 3, offset: 118 }))
    expect(last.lines).toHaveLength(2)
  }, 30_000)

  it('says an invalid expression is invalid, and nothing else', async () => {
    const project = await team()
    const search = new ProjectSearchService(project.projects, project.layers)
    const result = await search.search(request('(unclosed', {}, { regex: true }))
    expect(result).toMatchObject({ lines: [], totalMatches: 0, timedOut: false })
    expect(result.problem).toMatch(/Not a valid regular expression/)
  })

  it('runs a regular expression on a worker and stops a runaway one after the time limit', async () => {
    const project = await makeTeamProject('Leyla', [{ name: 'long', text: `${'a'.repeat(40)}!` }])
    // A sound expression is not stopped, however slow the machine: its limit is far off.
    const patient = new ProjectSearchService(project.projects, project.layers, { timeLimitMs: 60_000 })
    expect(await patient.search(request('Ley\\w+', {}, { regex: true }))).toMatchObject({ totalMatches: 1, timedOut: false, problem: null })
    // A runaway one (2^40 ways to split the a's) never ends on its own: it comes back only because
    // its limit stopped it, and the search ends because its worker was ended (else this test times out).
    const strict = new ProjectSearchService(project.projects, project.layers, { timeLimitMs: 200 })
    expect(await strict.search(request('(a+)+$', {}, { regex: true }))).toMatchObject({ timedOut: true, problem: null })
  }, 30_000)
})
