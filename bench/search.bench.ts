// Project search and tag-all over a large project (`npm run bench -- search`).
//
// Setup: 10,000 documents of about 10 KB (about 100 MB of text), each made of the sample
// project's paragraphs with a colleague's layer of about 40 spans, written as the app writes
// them (ProjectStore.addDocument, durable layer files). The first 1,000 documents also name
// "Nizami Ganjavi" ten times each.
//
// Figures:
// - project search, first screen: searchProject for a common word ("education", whole word off),
//   100 lines from the first: the call returns them once known, while main goes on counting.
//   Target < 2 s. Then "all counted": asking again (as the window does) until the count is
//   final; the next page (paging through the kept search); a regular expression, all counted.
// - tag-all: the preview and the apply of "Nizami Ganjavi" as PERSON over the project's 1,000
//   documents that name him (10,000 occurrences), one save per document. Target < 5 s for both.
//
//   npm run bench -- search      (or: npx tsx --expose-gc bench/search.bench.ts [--documents N])
import { benchDocumentRecord, writeBenchLayer } from './bench-store-files'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { AnnotationService } from '../src/main/services/annotation-service'
import { LayerService } from '../src/main/services/layer-service'
import { ProjectSearchService } from '../src/main/services/project-search-service'
import type { ProjectService } from '../src/main/services/project-service'
import { TagAllService } from '../src/main/services/tag-all-service'
import { ProjectStore } from '../src/main/store/project-store'
import type { SearchQuery, TagAllRequest } from '../src/shared/finding-model'
import { type Annotation } from '../src/shared/model'
import { paragraphsOf, seededRandom, wordsOfText } from './generate-corpus'
import { readSampleTexts } from './generate-project'
import { checkUnder, reportTargets } from './targets'

const DOCUMENTS = 10_000
const TAG_ALL_DOCUMENTS = 1_000
const NAME = 'Nizami Ganjavi'
const NAME_PER_DOCUMENT = 10
const DOCUMENT_BYTES = 10_000
const FIXED_TIMESTAMP = '2026-01-01T00:00:00.000Z'
const TAGS = ['PERSON', 'ORG', 'EVENT', 'PROGRAM'] as const
const COLLEAGUE = 'Rashad'
const ME = 'Leyla'

function documentText(paragraphs: readonly string[], index: number): string {
  const random = seededRandom(70_001 + index * 131)
  const pieces: string[] = []
  let bytes = 0
  const naming = index < TAG_ALL_DOCUMENTS
  let named = 0
  while (bytes < DOCUMENT_BYTES) {
    let paragraph = paragraphs[Math.floor(random() * paragraphs.length)] as string
    if (naming && named < NAME_PER_DOCUMENT) {
      paragraph = `${NAME} wrote: ${paragraph}`
      named++
    }
    pieces.push(paragraph)
    bytes += Buffer.byteLength(paragraph) + 2
  }
  while (naming && named < NAME_PER_DOCUMENT) {
    pieces.push(`${NAME}.`)
    named++
  }
  return pieces.join('\n\n')
}

function colleagueSpans(text: string, index: number): Annotation[] {
  const random = seededRandom(90_001 + index * 17)
  const words = wordsOfText(text)
  const spans: Annotation[] = []
  for (let at = 0; at < words.length; at += 30 + Math.floor(random() * 10)) {
    const word = words[at] as { start: number; end: number }
    spans.push({
      id: `c-${at}`,
      start: word.start as Annotation['start'],
      end: word.end as Annotation['end'],
      tag: TAGS[Math.floor(random() * TAGS.length)] as string,
      text: text.slice(word.start, word.end),
      annotator: COLLEAGUE,
      createdAt: FIXED_TIMESTAMP,
      updatedAt: FIXED_TIMESTAMP,
      provenance: { source: 'import' }
    })
  }
  return spans
}

async function generateProject(dir: string, documents: number): Promise<number> {
  const paragraphs = paragraphsOf(await readSampleTexts())
  const store = await ProjectStore.create(dir, 'Search bench')
  let totalBytes = 0
  const writeOne = async (index: number): Promise<void> => {
    const text = documentText(paragraphs, index)
    const record = benchDocumentRecord(index, text, { at: FIXED_TIMESTAMP, by: ME, lineEnding: 'lf' })
    totalBytes += record.sizeBytes
    await store.addDocument(record, text, () => writeBenchLayer(store, record, COLLEAGUE, colleagueSpans(text, index)))
  }
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < documents) {
      const index = next++
      await writeOne(index)
      if ((index + 1) % 500 === 0) process.stderr.write(`  generated ${index + 1}/${documents} documents\r`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  process.stderr.write('\n')
  await store.close()
  return totalBytes
}

const PLAIN: Omit<SearchQuery, 'text'> = { matchCase: false, matchDiacritics: false, wholeWord: false, regex: false }

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number; startedAt: number }> {
  const startedAt = performance.now()
  const value = await run()
  return { value, ms: performance.now() - startedAt, startedAt }
}


function fail(message: string): never {
  console.error(`Broken measurement: ${message}`)
  process.exit(1)
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const option = args.indexOf('--documents')
  const documents = option === -1 ? DOCUMENTS : Number(args[option + 1])
  // --keep DIR: the project is written there once and reused (tag-all's spans are undone after each run).
  const keepOption = args.indexOf('--keep')
  const kept = keepOption === -1 ? null : (args[keepOption + 1] as string)
  const root = kept ?? (await mkdtemp(join(tmpdir(), 'quire-search-bench-')))
  try {
    const dir = join(root, 'project')
    const started = performance.now()
    if (kept === null || !existsSync(join(dir, 'project.json'))) {
      const bytes = await generateProject(dir, documents)
      console.log(`Search project: ${documents.toLocaleString('en')} documents, ${(bytes / 2 ** 20).toFixed(0)} MB of text, written in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    } else {
      console.log(`Search project: reusing ${dir}`)
    }
    console.log(`Load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} on ${availableParallelism()} cores`)

    const store = await ProjectStore.open(dir)
    const projects = { requireProject: () => store } as unknown as ProjectService
    const layers = new LayerService(projects)
    const search = new ProjectSearchService(projects, layers)
    const request = { query: { ...PLAIN, text: 'education' }, offset: 0, limit: 100 }

    const first = await timed(() => search.search(request))
    if (first.value.lines.length !== 100) fail(`the search returned ${first.value.lines.length} lines`)
    // Then the window asks again until main has counted every document.
    let counted = first.value
    while (counted.counting) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      counted = await search.search(request)
    }
    const countedMs = performance.now() - first.startedAt
    if (counted.documentsSearched !== documents) fail(`the search counted ${counted.documentsSearched} of ${documents} documents`)
    const next = await timed(() => search.search({ ...request, offset: 100 }))
    if (next.value.lines[0]?.start === first.value.lines[0]?.start && next.value.lines[0]?.documentId === first.value.lines[0]?.documentId) fail('the second page repeats the first')
    const regexRequest = { query: { ...PLAIN, regex: true, text: 'Niz\\w+ Ganj\\w+' }, offset: 0, limit: 100 }
    const regex = await timed(async () => {
      let result = await search.search(regexRequest)
      while (result.counting) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        result = await search.search(regexRequest)
      }
      return result
    })
    const expectedNames = Math.min(documents, TAG_ALL_DOCUMENTS) * NAME_PER_DOCUMENT
    if (regex.value.totalMatches !== expectedNames || regex.value.timedOut) fail(`the regular expression found ${regex.value.totalMatches} of ${expectedNames} in ${regex.ms.toFixed(0)} ms (timed out: ${regex.value.timedOut})`)

    console.log('\nProject search')
    console.log(`  "education": ${counted.totalMatches.toLocaleString('en')} matches in ${counted.documentsWithMatches.toLocaleString('en')} documents`)
    console.log(`  first screen (100 lines)              ${first.ms.toFixed(0)} ms   ${checkUnder('project search, first screen', first.ms, 2000, (ms) => `${ms.toFixed(0)} ms`)} (target < 2000 ms)`)
    console.log(`  all counted                           ${countedMs.toFixed(0)} ms`)
    console.log(`  next page (kept search)               ${next.ms.toFixed(0)} ms`)
    console.log(`  regular expression, all counted (${regex.value.totalMatches.toLocaleString('en')} matches) ${regex.ms.toFixed(0)} ms`)

    const tagAll = new TagAllService(projects, layers, new AnnotationService(projects))
    const tagRequest: TagAllRequest = {
      query: { ...PLAIN, text: NAME, wholeWord: true },
      tag: 'PERSON',
      annotator: ME,
      documentIds: Array.from({ length: Math.min(documents, TAG_ALL_DOCUMENTS) }, (_, index) => `doc-${String(index).padStart(5, '0')}`)
    }
    const preview = await timed(() => tagAll.preview(tagRequest))
    if (preview.value.toTag !== expectedNames) fail(`the preview found ${preview.value.toTag} of ${expectedNames}`)
    const chosen = preview.value.occurrences.map(({ documentId, start, end }) => ({ documentId, start, end }))
    const apply = await timed(() => tagAll.apply(tagRequest, chosen))
    if (apply.value.added !== expectedNames) fail(`tag-all added ${apply.value.added} of ${expectedNames}`)
    // Undone as the window undoes it (deleting the added ids), so a kept project can be measured again.
    for (const document of apply.value.documents) {
      await new AnnotationService(projects).applyEdits({ documentId: document.documentId, annotator: ME }, document.added.map((annotation) => ({ op: 'delete' as const, id: annotation.id })))
    }
    const total = preview.ms + apply.ms
    console.log(`\nTag-all "${NAME}" as PERSON: ${apply.value.added.toLocaleString('en')} spans in ${apply.value.documents.length.toLocaleString('en')} documents`)
    console.log(`  preview ${preview.ms.toFixed(0)} ms, apply ${apply.ms.toFixed(0)} ms`)
    console.log(`  preview + apply ${total.toFixed(0)} ms   ${checkUnder('tag-all, preview + apply', total, 5000, (ms) => `${ms.toFixed(0)} ms`)} (target < 5000 ms)`)
    await store.close()
  } finally {
    if (kept === null) await rm(root, { recursive: true, force: true })
  }
  process.exit(reportTargets())
}

await main()
