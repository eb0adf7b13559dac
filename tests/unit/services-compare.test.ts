// Compare mode's comparison made in main: chosen layers compared, missing ones named, sent in
// columns, and reused only while none of the compared layers changed.
import { describe, expect, it } from 'vitest'
import { expandComparison } from '../../src/core/review/compact-comparison'
import { CompareService } from '../../src/main/services/compare-service'
import { addOver, colleagueLayer, makeTeamProject, MEETING_TEXT, writeAsColleague } from '../fixtures/team-project'

async function setUp() {
  const team = await makeTeamProject('Leyla')
  await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [addOver('l1', 'Raheel Qamar', 'PERSON'), addOver('l2', 'ICESCO', 'ORG')])
  const zaurPath = team.store.layerPath(team.documentId, 'Zaur')
  await writeAsColleague(zaurPath, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Raheel Qamar', tag: 'PERSON' }, { id: 'z2', words: 'ICESCO', tag: 'EVENT' }]))
  return { team, zaurPath, service: new CompareService(team.projects, team.layers) }
}

describe('CompareService', () => {
  it('compares the chosen layers and names those with no layer on the document', async () => {
    const { team, service } = await setUp()
    const compact = await service.compare(team.documentId, ['Leyla', 'Zaur', 'Nobody'])
    expect(compact.missing).toEqual(['Nobody'])
    const comparison = expandComparison(compact, MEETING_TEXT)
    expect(comparison.counts).toEqual({ agreed: 0, 'tag-differs': 1, 'boundaries-differ': 0, 'only-in-some': 1 })
    expect(comparison.positions.map((position) => [position.kind, MEETING_TEXT.slice(position.start, position.end)])).toEqual([
      ['only-in-some', 'Raheel Qamar'],
      ['tag-differs', 'ICESCO']
    ])
    const twoOfThree = await service.compare(team.documentId, ['Leyla', 'Zaur'])
    expect(expandComparison(twoOfThree, MEETING_TEXT).counts).toEqual({ agreed: 1, 'tag-differs': 1, 'boundaries-differ': 0, 'only-in-some': 0 })
  })

  it('reuses a comparison while no compared layer changed, and compares again after a save or a colleague’s new file', async () => {
    const { team, service, zaurPath } = await setUp()
    const first = service.compare(team.documentId, ['Leyla', 'Zaur'])
    expect(service.compare(team.documentId, ['Leyla', 'Zaur'])).not.toBe(first)
    const [a, b] = await Promise.all([first, service.compare(team.documentId, ['Leyla', 'Zaur'])])
    expect(b).toBe(a)
    await team.annotations.applyEdits({ documentId: team.documentId, annotator: 'Leyla' }, [{ op: 'update', id: 'l2', changes: { tag: 'EVENT' } }])
    const afterSave = await service.compare(team.documentId, ['Leyla', 'Zaur'])
    expect(afterSave).not.toBe(a)
    expect(afterSave.counts.agreed).toBe(2)
    await new Promise((resolve) => setTimeout(resolve, 20))
    await writeAsColleague(zaurPath, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'Raheel Qamar', tag: 'PERSON' }]))
    const afterSync = await service.compare(team.documentId, ['Leyla', 'Zaur'])
    expect(afterSync.counts).toEqual({ agreed: 1, 'tag-differs': 0, 'boundaries-differ': 0, 'only-in-some': 1 })
  })

  it('refuses fewer than two layers and an unreadable chosen layer, naming its file', async () => {
    const { team, service, zaurPath } = await setUp()
    await expect(service.compare(team.documentId, ['Leyla', 'Leyla'])).rejects.toMatchObject({ code: 'invalid-argument' })
    await writeAsColleague(zaurPath, '{"format": "quire-annotations", ')
    await expect(service.compare(team.documentId, ['Leyla', 'Zaur'])).rejects.toMatchObject({ code: 'corrupt-store', path: zaurPath })
  })
})
