// Listing the entities of a large project: 10,000 documents of 20 spans each (200,000 mentions
// over a few hundred names in their spelling variants), written through the real store code.
// The first list reads every layer; later lists reuse each document's tally while its files
// are unchanged, so they cost a directory listing and a stat per layer.
//
//   npm run bench -- entities          (or: npx tsx bench/entities.bench.ts [--documents N])
//
// Exits non-zero when a list is wrong (mentions lost or counted twice) or misses its target.
import { benchDocumentRecord, writeBenchLayer } from './bench-store-files'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EntityService } from '../src/main/services/entity-service'
import { ProjectStore } from '../src/main/store/project-store'
import { asUtf16, type Annotation } from '../src/shared/model'
import { checkUnder, reportTargets } from './targets'

const SPANS_PER_DOCUMENT = 20
const ANNOTATOR = 'Bench Editor'
/** Names in the spellings editors meet: case, diacritics, spacing. */
const NAMES = ['ISESCO', 'Isesco', 'ICESCO', 'İlham Əliyev', 'Ilham Aliyev', 'ILHAM  ALIYEV', 'Emin Əmrullayev', 'Emin Amrullayev', 'Bakı', 'Baku', 'Şuşa', 'Shusha']
const COLD_TARGET_S = 20
const WARM_TARGET_S = 3
const MENTIONS_TARGET_S = 15
const seconds = (value: number): string => `${value.toFixed(2)} s`

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? fallback : Number(process.argv[index + 1])
}

async function generateProject(dir: string, documents: number): Promise<number> {
  const store = await ProjectStore.create(dir, 'Entities bench')
  const now = new Date().toISOString()
  let mentions = 0
  for (let index = 0; index < documents; index++) {
    const pieces: string[] = []
    const annotations: Annotation[] = []
    let length = 0
    for (let span = 0; span < SPANS_PER_DOCUMENT; span++) {
      // A few hundred distinct names: the shared ones, and one per 50 documents.
      const name = span % 4 === 3 ? `Delegate ${Math.floor(index / 50)}-${span}` : (NAMES[(index + span) % NAMES.length] as string)
      const filler = span === 0 ? 'On Monday ' : ' met '
      pieces.push(filler, name)
      annotations.push({ id: `a-${index}-${span}`, start: asUtf16(length + filler.length), end: asUtf16(length + filler.length + name.length), tag: span % 2 === 0 ? 'ORG' : 'PERSON', text: name, annotator: ANNOTATOR, createdAt: now, updatedAt: now, provenance: { source: 'manual' } })
      length += filler.length + name.length
    }
    mentions += annotations.length
    const text = `${pieces.join('')}.`
    const record = benchDocumentRecord(index, text, { at: now, by: ANNOTATOR, lineEnding: 'none' })
    await store.addDocument(record, text, () => writeBenchLayer(store, record, ANNOTATOR, annotations))
    if ((index + 1) % 1000 === 0) process.stderr.write(`  generated ${index + 1}/${documents} documents\r`)
  }
  process.stderr.write('\n')
  await store.close()
  return mentions
}

async function main(): Promise<void> {
  const documents = argument('documents', 10_000)
  const root = await mkdtemp(join(tmpdir(), 'quire-entities-bench-'))
  try {
    const dir = join(root, 'project')
    const expected = await generateProject(dir, documents)
    const store = await ProjectStore.open(dir)
    const entities = new EntityService({ requireProject: () => store })
    const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; s: number }> => {
      const started = performance.now()
      const value = await work()
      return { value, s: (performance.now() - started) / 1000 }
    }
    const cold = await timed(() => entities.list())
    const counted = cold.value.entities.reduce((sum, entity) => sum + entity.mentions, 0)
    if (counted !== expected) throw new Error(`the list counts ${counted} mentions, the project has ${expected}`)
    const warm = await timed(() => entities.list())
    const isesco = cold.value.entities.find((entity) => entity.aliases[0]?.key === 'isesco')
    if (!isesco || isesco.aliases[0]?.texts.length !== 2) throw new Error('ISESCO and Isesco are not one group')
    const mentions = await timed(() => entities.mentions(isesco.id))
    if (mentions.value.length !== isesco.mentions) throw new Error(`${mentions.value.length} mentions listed, ${isesco.mentions} counted`)
    const icesco = cold.value.entities.find((entity) => entity.aliases[0]?.key === 'icesco')
    const merged = await timed(() => entities.merge({ ids: [isesco.id, icesco?.id as string], name: 'ICESCO', ref: 'Q1630451' }))
    await store.close()

    console.log(`Entities of ${documents.toLocaleString()} documents, ${expected.toLocaleString()} mentions, ${cold.value.entities.length.toLocaleString()} entities (load ${(await import('node:os')).loadavg()[0]?.toFixed(2)})`)
    console.log(`  first list (reads every layer)      ${seconds(cold.s)}  ${checkUnder('first list', cold.s, COLD_TARGET_S, seconds)} (target < ${seconds(COLD_TARGET_S)})`)
    console.log(`  next list (tallies kept)             ${seconds(warm.s)}  ${checkUnder('next list', warm.s, WARM_TARGET_S, seconds)} (target < ${seconds(WARM_TARGET_S)})`)
    console.log(`  mentions of ISESCO (${mentions.value.length.toLocaleString()})         ${seconds(mentions.s)}  ${checkUnder('mentions', mentions.s, MENTIONS_TARGET_S, seconds)} (target < ${seconds(MENTIONS_TARGET_S)})`)
    console.log(`  merge ISESCO + ICESCO, list again    ${seconds(merged.s)}  ${checkUnder('merge', merged.s, WARM_TARGET_S * 2, seconds)} (target < ${seconds(WARM_TARGET_S * 2)})`)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
  process.exit(reportTargets())
}

await main()
