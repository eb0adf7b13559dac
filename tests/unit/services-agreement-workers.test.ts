// Project agreement measured on worker threads must give exactly what one thread gives: the
// same report to the last digit and the same problems in the same order. The fixture spans
// several batches of 50 and puts what is read differently on them: a damaged layer file
// (reported, its layer counted as missing), a text changed after import, a layer file of
// another document, a gold layer (no one's), a document no one annotated, and a layer the
// store has loaded whose file was changed behind its back (the store's state is the newest).
import { writeFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { computeAgreement } from '../../src/main/services/agreement-service'
import { documentBatches } from '../../src/main/services/worker-pool'
import type { ProjectStore } from '../../src/main/store/project-store'
import { CURATION_ANNOTATOR, asUtf16, type AgreementOutcome, type AgreementScope, type DocumentRecord } from '../../src/shared/model'
import { colleagueLayer, makeTeamProject, writeAsColleague, type TeamProject } from '../fixtures/team-project'

const DOCUMENT_COUNT = 130
const COLLEAGUES = ['Rashad', 'Zaur']
const WORDS = [
  { words: 'Leyla Taghizade', tag: 'PERSON' },
  { words: 'Raheel Qamar', tag: 'PERSON' },
  { words: 'ICESCO', tag: 'ORG' },
  { words: 'Baku', tag: 'EVENT' },
  { words: 'Monday', tag: 'EVENT' }
]

let team: TeamProject | null = null
afterEach(async () => {
  await team?.projects.close()
  team = null
})

const textOf = (index: number): string => `Note ${index}: Leyla Taghizade met Raheel Qamar of ICESCO in Baku on Monday.`

/** Spans on the words of document `index`, some retagged or left out depending on who and where. */
function spansOf(index: number, who: number): { id: string; words: string; tag: string }[] {
  return WORDS.flatMap(({ words, tag }, wordIndex) => {
    const turn = (index * 7 + wordIndex * 3 + who * 5) % 11
    if (turn === 0) return []
    return [{ id: `w${wordIndex}`, words, tag: turn === 1 ? 'ORG' : tag }]
  })
}

async function makeFixture(): Promise<{ store: ProjectStore; records: DocumentRecord[]; damagedPath: string }> {
  team = await makeTeamProject(
    'Leyla',
    Array.from({ length: DOCUMENT_COUNT - 1 }, (_, index) => ({ name: `n${String(index + 1).padStart(3, '0')}`, text: textOf(index + 1) }))
  )
  const { store, ids, annotations } = team
  const records = await Promise.all([...ids.values()].map((id) => store.readRecord(id)))
  records.sort((a, b) => a.name.localeCompare(b.name))
  const byName = (name: string): DocumentRecord => records.find((record) => record.name === name) as DocumentRecord
  for (const [index, record] of records.entries()) {
    if (record.name === 'n007') continue // no one annotated it
    const text = index === 0 ? undefined : textOf(Number(record.name.slice(1)))
    for (const [who, colleague] of COLLEAGUES.entries()) {
      if (index % 9 === who + 2) continue // this colleague has no layer on it
      await writeAsColleague(store.layerPath(record.id, colleague), colleagueLayer(record, colleague, spansOf(index, who), {}, text))
    }
    if (index % 13 === 4) await writeAsColleague(store.layerPath(record.id, CURATION_ANNOTATOR), colleagueLayer(record, CURATION_ANNOTATOR, spansOf(index, 3), {}, text))
  }
  // A damaged file at the start of the second batch, a changed text and a foreign layer in the third.
  const damagedPath = store.layerPath(byName('n050').id, 'Zaur')
  await writeFile(damagedPath, '{ "format": "quire-annotations", ')
  await writeFile(`${store.documentFolder(byName('n101').id)}/text.txt`, 'changed after import')
  const foreign = byName('n102')
  await writeAsColleague(store.layerPath(foreign.id, 'Rashad'), colleagueLayer(byName('n103'), 'Rashad', spansOf(3, 0), {}, textOf(103)))
  // Leyla's own layer, loaded by the store and edited, then changed on disk behind its back.
  const mine = byName('n070')
  await annotations.applyEdits({ documentId: mine.id, annotator: 'Leyla' }, [
    { op: 'add', annotation: { id: 'l1', start: asUtf16(textOf(70).indexOf('ICESCO')), end: asUtf16(textOf(70).indexOf('ICESCO') + 6), tag: 'ORG' } }
  ])
  await writeAsColleague(store.layerPath(mine.id, 'Leyla'), colleagueLayer(mine, 'Leyla', [], {}, textOf(70)), 'direct')
  return { store, records, damagedPath }
}

describe('project agreement on worker threads', () => {
  it('gives the single thread’s report and problems, with a damaged file reported and counted as missing', async () => {
    const { store, records, damagedPath } = await makeFixture()
    expect(documentBatches(records).length).toBe(3)
    const outcomes: AgreementOutcome[] = []
    for (const scope of [
      { documentIds: 'all', annotators: ['Leyla', ...COLLEAGUES] },
      { documentIds: 'all', annotators: 'all' },
      { documentIds: records.slice(40, 110).map((record) => record.id).reverse(), annotators: 'all' }
    ] satisfies AgreementScope[]) {
      const single = await computeAgreement(store, scope, { workerThreads: 0 })
      const parallel = await computeAgreement(store, scope, { workerThreads: 2 })
      outcomes.push(parallel)
      expect(parallel).toStrictEqual(single)
      // The fixture does reach what the comparison is about.
      expect(single.report.annotators).toEqual(['Leyla', 'Rashad', 'Zaur'])
      expect(single.problems.map((problem) => problem.path)).toContain(damagedPath)
      expect(single.problems.map((problem) => problem.message)).toContainEqual(expect.stringMatching(/annotation file .* cannot be read: .*Its spans are left out\./s))
      expect(single.report.overall.fleissKappa.value).not.toBeNull()
    }
    // The whole project with everyone's layers, as the workers measured it above.
    const all = outcomes[1] as AgreementOutcome
    expect(all.report.documents).toBe(DOCUMENT_COUNT - 1) // the changed text's document is left out
    expect(all.problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining('The annotation file'),
      expect.stringContaining('was changed after it was imported'),
      expect.stringContaining('belongs to another document')
    ])
    // Zaur's damaged layer (n050) counts as missing, as does Rashad's foreign one (n102); no
    // layer counts on n007 (no one's) or n101 (its text changed).
    const layersOf = (who: number): number => Array.from({ length: DOCUMENT_COUNT }, (_, index) => index).filter((index) => index !== 7 && index !== 101 && index % 9 !== who + 2).length
    expect(all.report.documentsByAnnotator).toEqual({ Leyla: 1, Rashad: layersOf(0) - 1, Zaur: layersOf(1) - 1 })
    // Leyla's layer is the store's (one ORG span), not the emptied file.
    expect(all.report.pairs[0]?.strict.counts.correct).toBeGreaterThan(0)
    // Three pools of two worker threads start, each loading the agreement code through tsx: 40 s
    // at a load of 25, near the 60 s this test had.
  }, 120_000)

  it('measures on this thread when its workers cannot start, with the same outcome', async () => {
    const { store } = await makeFixture()
    const scope: AgreementScope = { documentIds: 'all', annotators: 'all' }
    const fallback: AgreementOutcome = await computeAgreement(store, scope, { workerThreads: 2, workerEntry: new URL('./no-such-agreement-worker.mjs', import.meta.url) })
    expect(fallback).toStrictEqual(await computeAgreement(store, scope, { workerThreads: 0 }))
    expect(fallback.report.documents).toBe(DOCUMENT_COUNT - 1)
  }, 60_000)
})
