// The layer list, getLayer and agreement share parsed colleague files (parsed-layer-cache.ts):
// what they give must be what the file says now, never what it said when it was parsed.
import { utimes } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { computeAgreement } from '../../src/main/services/agreement-service'
import { parsedLayers } from '../../src/main/services/parsed-layer-cache'
import { asUtf16 } from '../../src/shared/model'
import { colleagueLayer, makeTeamProject, writeAsColleague, type TeamProject } from '../fixtures/team-project'

let team: TeamProject | null = null
afterEach(async () => {
  await team?.projects.close()
  team = null
})

describe('layers parsed once and shared', () => {
  it('reuses the layer list’s parse for getLayer and agreement, and rereads a file that changed', async () => {
    team = await makeTeamProject('Dana')
    const { store, record, documentId, layers } = team
    const zaurPath = store.layerPath(documentId, 'Zaur')
    const rashadPath = store.layerPath(documentId, 'Rashad')
    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }, { id: 'z2', words: 'Baku', tag: 'EVENT' }]))
    await writeAsColleague(rashadPath, colleagueLayer(record, 'Rashad', [{ id: 'r1', words: 'ICESCO', tag: 'ORG' }]))
    const scope = { documentIds: [documentId], annotators: ['Rashad', 'Zaur'] }
    const cold = await computeAgreement(store, scope)

    await layers.list(documentId)
    expect(parsedLayers.has(zaurPath)).toBe(true)
    expect((await layers.get({ documentId, annotator: 'Zaur' })).annotations.map((span) => span.id)).toEqual(['z1', 'z2'])
    // getLayer answered from the shared parse: the store did not load the file.
    expect(store.loadedLayer(zaurPath)).toBeUndefined()
    const warm = await computeAgreement(store, scope)
    expect(warm).toEqual(cold)

    // Zaur's file changes (same size would not be enough to hide it: the time changes too).
    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }]))
    await utimes(zaurPath, new Date(), new Date(Date.now() + 5000))
    expect((await layers.get({ documentId, annotator: 'Zaur' })).annotations.map((span) => span.id)).toEqual(['z1'])
    const changed = await computeAgreement(store, scope)
    expect(changed.report.pairs[0]?.strict.counts).toEqual({ correct: 1, incorrect: 0, missed: 0, spurious: 0 })
  })

  it('takes a layer the store has loaded (your own, being edited) from the store', async () => {
    team = await makeTeamProject('Leyla')
    const { store, record, documentId, annotations } = team
    await writeAsColleague(store.layerPath(documentId, 'Zaur'), colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }]))
    await annotations.applyEdits({ documentId, annotator: 'Leyla' }, [
      { op: 'add', annotation: { id: 'l1', start: asUtf16(36), end: asUtf16(42), tag: 'ORG', provenance: { source: 'manual' } } }
    ])
    const { report, problems } = await computeAgreement(store, { documentIds: [documentId], annotators: ['Leyla', 'Zaur'] })
    expect(problems).toEqual([])
    expect(report.pairs[0]?.strict.counts.correct).toBe(1)
  })
})
