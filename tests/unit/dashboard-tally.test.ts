// The dashboard's counts: one status per document, spans by tag and annotator, progress by UTC
// day, the gold layer apart; and the service over real files, where an unreadable layer is a
// listed problem, not a crash.
import { describe, expect, it } from 'vitest'
import { overallStatus, ProjectTally, utcDay, type TalliedLayer } from '../../src/core/dashboard/project-tally'
import { computeCorpusStats, computeProjectDashboard } from '../../src/main/services/corpus-stats-service'
import { CURATION_ANNOTATOR, type DocumentStatus } from '../../src/shared/model'
import { colleagueLayer, makeTeamProject, writeAsColleague } from '../fixtures/team-project'

const TAGS = ['PERSON', 'ORG', 'EVENT', 'PROGRAM']

function layer(annotator: string, status: DocumentStatus, spans: [tag: string, createdAt: string][] = []): TalliedLayer {
  return { annotator, status, annotations: spans.map(([tag, createdAt]) => ({ tag, createdAt })) }
}

describe('overallStatus', () => {
  it('is done only when every person with a layer marked it done, and leaves the gold layer out', () => {
    expect(overallStatus([])).toBe('not-started')
    expect(overallStatus([layer('Leyla', 'not-started'), layer('Zaur', 'not-started')])).toBe('not-started')
    expect(overallStatus([layer('Leyla', 'done'), layer('Zaur', 'not-started')])).toBe('in-progress')
    expect(overallStatus([layer('Leyla', 'done'), layer('Zaur', 'in-progress')])).toBe('in-progress')
    expect(overallStatus([layer('Leyla', 'done'), layer('Zaur', 'done')])).toBe('done')
    expect(overallStatus([layer('Leyla', 'done'), layer(CURATION_ANNOTATOR, 'in-progress')])).toBe('done')
    expect(overallStatus([layer(CURATION_ANNOTATOR, 'done')])).toBe('not-started')
  })
})

describe('utcDay', () => {
  it('takes the day in UTC whatever offset the time was written with', () => {
    expect(utcDay('2026-03-01T23:30:00.000Z')).toBe('2026-03-01')
    // 01:30 in Baku (+04:00) is still the evening before in UTC; 22:30 in New York is the next day.
    expect(utcDay('2026-03-02T01:30:00+04:00')).toBe('2026-03-01')
    expect(utcDay('2026-03-01T22:30:00-05:00')).toBe('2026-03-02')
    expect(utcDay('yesterday')).toBeNull()
    expect(utcDay('')).toBeNull()
  })
})

describe('ProjectTally', () => {
  it('gives an empty project zero counts in every tag and status, and no annotators', () => {
    const dashboard = new ProjectTally(TAGS).result('Empty')
    expect(dashboard).toMatchObject({
      projectName: 'Empty',
      documents: 0,
      spans: 0,
      tags: TAGS,
      spansByTag: { PERSON: 0, ORG: 0, EVENT: 0, PROGRAM: 0 },
      spansByTagInPeopleLayers: { PERSON: 0, ORG: 0, EVENT: 0, PROGRAM: 0 },
      statusOverall: { 'not-started': 0, 'in-progress': 0, done: 0 },
      annotators: [],
      progress: [],
      sharedDocuments: 0,
      problems: []
    })
  })

  it('counts statuses per document and per annotator, spans per tag and annotator, the gold layer last and apart', () => {
    const tally = new ProjectTally(TAGS)
    tally.addDocument([
      layer('Zaur', 'done', [['PERSON', '2026-03-01T10:00:00.000Z'], ['ORG', '2026-03-02T10:00:00.000Z']]),
      layer('Leyla', 'done', [['PERSON', '2026-03-01T11:00:00.000Z']]),
      layer(CURATION_ANNOTATOR, 'in-progress', [['PERSON', '2026-03-05T09:00:00.000Z']])
    ])
    tally.addDocument([layer('Leyla', 'in-progress', [['LOC', '2026-03-03T10:00:00.000Z']])])
    tally.addDocument([])
    tally.addProblem({ path: '/p/documents/x/annotations/Aysel.json', message: 'not JSON' })
    const dashboard = tally.result('Team')
    expect(dashboard.documents).toBe(3)
    expect(dashboard.spans).toBe(5)
    expect(dashboard.annotators).toEqual(['Leyla', 'Zaur', CURATION_ANNOTATOR])
    expect(dashboard.tags).toEqual([...TAGS, 'LOC'])
    expect(dashboard.statusOverall).toEqual({ done: 1, 'in-progress': 1, 'not-started': 1 })
    expect(dashboard.statusByAnnotator).toEqual({
      Leyla: { done: 1, 'in-progress': 1, 'not-started': 0 },
      Zaur: { done: 1, 'in-progress': 0, 'not-started': 0 },
      [CURATION_ANNOTATOR]: { done: 0, 'in-progress': 1, 'not-started': 0 }
    })
    expect(dashboard.spansByTag).toEqual({ PERSON: 3, ORG: 1, EVENT: 0, PROGRAM: 0, LOC: 1 })
    expect(dashboard.spansByTagInPeopleLayers).toEqual({ PERSON: 2, ORG: 1, EVENT: 0, PROGRAM: 0, LOC: 1 })
    expect(dashboard.spansByAnnotator).toEqual({ Leyla: 2, Zaur: 2, [CURATION_ANNOTATOR]: 1 })
    expect(dashboard.spansByAnnotatorAndTag.Leyla).toEqual({ PERSON: 1, LOC: 1 })
    expect(dashboard.sharedDocuments).toBe(1)
    expect(dashboard.problems).toEqual([{ path: '/p/documents/x/annotations/Aysel.json', message: 'not JSON' }])
  })

  it('adds up each annotator’s spans by UTC day, across documents and time zones, keeping undated spans apart', () => {
    const tally = new ProjectTally(TAGS)
    tally.addDocument([layer('Leyla', 'in-progress', [['PERSON', '2026-03-02T01:30:00+04:00'], ['ORG', '2026-03-03T08:00:00.000Z'], ['ORG', 'not a time']])])
    tally.addDocument([layer('Leyla', 'done', [['EVENT', '2026-03-01T20:00:00.000Z'], ['EVENT', '2026-03-05T08:00:00.000Z']])])
    const [leyla] = tally.result('Team').progress
    expect(leyla).toEqual({
      annotator: 'Leyla',
      points: [
        { day: '2026-03-01', added: 2, total: 2 },
        { day: '2026-03-03', added: 1, total: 3 },
        { day: '2026-03-05', added: 1, total: 4 }
      ],
      undated: 1
    })
  })
})

describe('computeProjectDashboard', () => {
  it('reads every document’s layers, lists an unreadable layer file as a problem and counts the rest', async () => {
    const team = await makeTeamProject('Leyla', [{ name: 'second', text: 'Zaur Hasanov spoke at ISESCO.' }])
    await writeAsColleague(team.store.layerPath(team.documentId, 'Zaur'), colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Raheel Qamar', tag: 'PERSON' }], { status: 'done' }))
    await writeAsColleague(team.store.layerPath(team.documentId, 'Aysel'), '{"format": "quire-annotations", ')
    await writeAsColleague(team.store.layerPath(team.documentId, 'Leyla'), colleagueLayer(team.record, 'Leyla', [{ id: 'l1', words: 'Raheel Qamar', tag: 'PERSON' }, { id: 'l2', words: 'ICESCO', tag: 'ORG' }], { status: 'done' }))
    const dashboard = await computeProjectDashboard(team.store)
    expect(dashboard).toMatchObject({
      projectName: 'Team',
      documents: 2,
      spans: 3,
      annotators: ['Leyla', 'Zaur'],
      statusOverall: { done: 1, 'in-progress': 0, 'not-started': 1 },
      sharedDocuments: 1,
      progress: [
        { annotator: 'Leyla', points: [{ day: '2024-05-01', added: 2, total: 2 }], undated: 0 },
        { annotator: 'Zaur', points: [{ day: '2024-05-01', added: 1, total: 1 }], undated: 0 }
      ]
    })
    expect(dashboard.problems).toHaveLength(1)
    expect(dashboard.problems[0]?.path).toBe(team.store.layerPath(team.documentId, 'Aysel'))
    const stats = await computeCorpusStats(team.store)
    expect(stats).toEqual({
      projectName: 'Team',
      documents: 2,
      spans: 3,
      spansByTag: dashboard.spansByTag,
      spansByAnnotator: { Leyla: 2, Zaur: 1 },
      spansByAnnotatorAndTag: { Leyla: { PERSON: 1, ORG: 1 }, Zaur: { PERSON: 1 } },
      statusByAnnotator: dashboard.statusByAnnotator,
      problems: dashboard.problems
    })
  })
})
