// A document's agreement, asked for as the document opens, runs beside the layer list's parse of
// the same colleague files (30 MB each at 5 MB of text). It must neither parse them a second time
// at once nor throw its own parse away, or each call parses again until the list's lands.
import { utimes } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { computeAgreement } from '../../src/main/services/agreement-service'
import { parsedLayers } from '../../src/main/services/parsed-layer-cache'
import { layerStamp } from '../../src/main/store/layer-on-disk'
import { colleagueLayer, makeTeamProject, writeAsColleague, type TeamProject } from '../fixtures/team-project'

// The corpus reader's parses of layer files, counted (readLayerFromDisk's own are not: it calls its module's function).
const corpusParses = vi.hoisted(() => ({ paths: [] as string[] }))
vi.mock('../../src/main/store/layer-on-disk', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/main/store/layer-on-disk')>()
  return {
    ...original,
    parseLayerWithJournal: (...args: Parameters<typeof original.parseLayerWithJournal>) => {
      corpusParses.paths.push(args[2])
      return original.parseLayerWithJournal(...args)
    }
  }
})

let team: TeamProject | null = null
beforeEach(() => {
  parsedLayers.clear()
  corpusParses.paths = []
})
afterEach(async () => {
  await team?.projects.close()
  team = null
})

async function twoColleagues(): Promise<{ team: TeamProject; zaurPath: string; rashadPath: string; scope: { documentIds: string[]; annotators: string[] } }> {
  team = await makeTeamProject('Dana')
  const { store, record, documentId } = team
  const zaurPath = store.layerPath(documentId, 'Zaur')
  const rashadPath = store.layerPath(documentId, 'Rashad')
  await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }, { id: 'z2', words: 'Baku', tag: 'EVENT' }]))
  await writeAsColleague(rashadPath, colleagueLayer(record, 'Rashad', [{ id: 'r1', words: 'ICESCO', tag: 'ORG' }]))
  return { team, zaurPath, rashadPath, scope: { documentIds: [documentId], annotators: ['Rashad', 'Zaur'] } }
}

describe('a document’s agreement and the layer list share their parses', () => {
  it('keeps the layers it parsed, so the next call and the layer list parse nothing', async () => {
    const { team, zaurPath, rashadPath, scope } = await twoColleagues()
    const first = await computeAgreement(team.store, scope)
    expect(corpusParses.paths.sort()).toEqual([rashadPath, zaurPath].sort())
    expect(parsedLayers.has(zaurPath) && parsedLayers.has(rashadPath)).toBe(true)

    corpusParses.paths = []
    expect(await computeAgreement(team.store, scope)).toEqual(first)
    await team.layers.list(team.documentId)
    expect(corpusParses.paths).toEqual([])
  })

  it('waits for a read of the same file already under way instead of parsing it again', async () => {
    const { team, zaurPath, scope } = await twoColleagues()
    const cold = await computeAgreement(team.store, scope)
    // Zaur's file changes; the layer list (here: its shared read) starts reading it first.
    await writeAsColleague(zaurPath, colleagueLayer(team.record, 'Zaur', [{ id: 'z1', words: 'ICESCO', tag: 'ORG' }]))
    await utimes(zaurPath, new Date(), new Date(Date.now() + 5000))
    corpusParses.paths = []
    const underWay = parsedLayers.readShared(zaurPath, await layerStamp(zaurPath))
    const changed = await computeAgreement(team.store, scope)
    expect(corpusParses.paths).toEqual([])
    await underWay
    expect(changed).not.toEqual(cold)
    expect(changed.report.pairs[0]?.strict.counts).toEqual({ correct: 1, incorrect: 0, missed: 0, spurious: 0 })
  })

  it('lets go of a shared read its reader refused (a file naming another annotator)', async () => {
    const { team, zaurPath } = await twoColleagues()
    await writeAsColleague(zaurPath, colleagueLayer(team.record, 'Rashad', [{ id: 'r9', words: 'Baku', tag: 'EVENT' }]))
    await expect(team.layers.get({ documentId: team.documentId, annotator: 'Zaur' })).rejects.toThrow(/holds the layer of Rashad/)
    expect(parsedLayers.readUnderWay(zaurPath, await layerStamp(zaurPath))).toBeUndefined()
    expect(parsedLayers.has(zaurPath)).toBe(false)
  })

  it('shares one read between readers of the same file at the same stamp, and not across a change', async () => {
    const { zaurPath } = await twoColleagues()
    const stamp = await layerStamp(zaurPath)
    const first = parsedLayers.readShared(zaurPath, stamp)
    expect(parsedLayers.readShared(zaurPath, stamp)).toBe(first)
    expect(parsedLayers.readUnderWay(zaurPath, { ...stamp, mtimeMs: stamp.mtimeMs + 1 })).toBeUndefined()
    expect((await first)?.layer.annotations.map((span) => span.id)).toEqual(['z1', 'z2'])
    // Done, it waits for its reader to keep it (once checked) or drop it; never given by get meanwhile.
    expect(parsedLayers.readUnderWay(zaurPath, stamp)).toBe(first)
    expect(parsedLayers.has(zaurPath)).toBe(false)
    parsedLayers.delete(zaurPath)
    expect(parsedLayers.readUnderWay(zaurPath, stamp)).toBeUndefined()
  })
})
