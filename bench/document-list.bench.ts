// The document list's own work at 100,000 documents (`npm run bench -- document-list`): what a
// keystroke in the name filter or in Go to document costs, and what a new list or a new sort
// costs once. Pure code from src/core/document-list, in Node: the page adds a window of about
// 30 rows to draw (the list is virtualised), which the e2e test counts (DOM nodes < 5,000).
//
// Figures:
// - index of a new list (lower-cased names, done count, annotators), and the name order check;
// - the same after a save (main sends the list again, names unchanged): the names' work is
//   taken over from the list before. Target < 50 ms (it runs after every save);
// - the name filter typed one key at a time ("report baku 04"), each keystroke a full query:
//   slowest keystroke. Target < 100 ms (the figure for filtering the list by a name);
// - each other sort, built once per list: slowest. Target < 100 ms (it is a single long task);
// - Go to document, typed one key at a time: slowest keystroke. Target < 100 ms.
//
//   npm run bench -- document-list      (or: npx tsx bench/document-list.bench.ts [--documents N])
import { availableParallelism, loadavg } from 'node:os'
import { DOCUMENT_SORT_KEYS, DocumentListIndex, EMPTY_DOCUMENT_QUERY, queryDocuments } from '../src/core/document-list/document-list-query'
import { bestNameMatches } from '../src/core/document-list/go-to-document'
import type { DocumentStatus, DocumentSummary } from '../src/shared/model'
import { checkUnder, reportTargets } from './targets'

const documentsArgument = process.argv.indexOf('--documents')
const DOCUMENTS = documentsArgument === -1 ? 100_000 : Number(process.argv[documentsArgument + 1])
const KINDS = ['Press release', 'Interview', 'Meeting notes', 'Speech', 'Report', 'Letter', 'Bulletin', 'Minutes']
const CITIES = ['Baku', 'Ganja', 'Sumqayit', 'Shusha', 'Lankaran', 'Quba']
const STATUSES: DocumentStatus[] = ['not-started', 'in-progress', 'done']
const ms = (value: number): string => `${value.toFixed(1)} ms`

function summary(index: number): DocumentSummary {
  const name = `${KINDS[index % KINDS.length]} ${CITIES[Math.floor(index / KINDS.length) % CITIES.length]} ${String(index).padStart(6, '0')}`
  const status = STATUSES[index % 3]!
  return {
    id: `doc-${index}`,
    name,
    sizeBytes: 500 + ((index * 37) % 300),
    length: 500,
    status,
    countsByTag: { PERSON: index % 3, ORG: 1, EVENT: 0 },
    total: 1 + (index % 4),
    layers: [
      { annotator: 'Leyla', status, spans: 1 + (index % 4) },
      { annotator: 'Zaur', status: STATUSES[(index + 1) % 3]!, spans: 3 }
    ],
    curation: null,
    reviewState: 'in-progress',
    lastChangedAt: `2026-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}T10:00:00.000Z`
  }
}

function time<T>(run: () => T): { ms: number; result: T } {
  const start = performance.now()
  const result = run()
  return { ms: performance.now() - start, result }
}

/** Runs shared with five other processes on two cores: each figure is the median of ROUNDS. */
const ROUNDS = 5
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** Every prefix of `typed`, as keystrokes: the slowest keystroke, median over the rounds. */
function slowestKeystroke(typed: string, run: (text: string) => number): { ms: number; lastCount: number } {
  const slowestByRound: number[] = []
  let lastCount = 0
  for (let round = 0; round < ROUNDS; round++) {
    let slowest = 0
    for (let end = 1; end <= typed.length; end++) {
      const step = time(() => run(typed.slice(0, end)))
      slowest = Math.max(slowest, step.ms)
      lastCount = step.result
    }
    slowestByRound.push(slowest)
  }
  return { ms: median(slowestByRound), lastCount }
}

/** A one-off cost (a new list, a new sort), each round on a fresh list as after a save: the median. */
function medianOnce(run: (index: DocumentListIndex) => unknown, list: readonly DocumentSummary[]): number {
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const fresh = new DocumentListIndex([...list])
    fresh.order('name')
    times.push(time(() => run(fresh)).ms)
  }
  return median(times)
}

console.log(`${DOCUMENTS.toLocaleString('en')} documents; ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}`)
const documents = Array.from({ length: DOCUMENTS }, (_, index) => summary(index))
// Main lists by name; so does this list, as the app receives it.
documents.sort((a, b) => a.name.localeCompare(b.name))

const index = new DocumentListIndex(documents)
console.log(`index of a new list (median of ${ROUNDS}): ${ms(medianOnce(() => new DocumentListIndex([...documents]), documents))}`)
console.log(`index and name order of a new list (already by name: one check): ${ms(medianOnce((fresh) => new DocumentListIndex(fresh.documents).order('name'), documents))}`)
// A save sends the list again: the same documents, a count changed.
const saves: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  const before = new DocumentListIndex([...documents])
  before.order('name')
  const sent = documents.map((doc, at) => (at === 7 * round ? { ...doc, total: doc.total + 1 } : doc))
  saves.push(time(() => new DocumentListIndex(sent, before).order('name')).ms)
}
const afterSave = median(saves)
console.log(`the list again after a save (same names): ${ms(afterSave)} ${checkUnder('new list after a save at 100,000', afterSave, 50, ms)}`)

const typed = 'report baku 04'
const filter = slowestKeystroke(typed, (text) => queryDocuments(index, { ...EMPTY_DOCUMENT_QUERY, name: text }).length)
console.log(`name filter "${typed}", slowest keystroke: ${ms(filter.ms)} (${filter.lastCount.toLocaleString('en')} shown) ${checkUnder('name filter keystroke at 100,000', filter.ms, 100, ms)}`)

let slowestSort = 0
for (const key of DOCUMENT_SORT_KEYS.filter((sort) => sort !== 'name')) {
  const sortMs = medianOnce((fresh) => fresh.order(key), documents)
  console.log(`  sort by ${key}, built once: ${ms(sortMs)}`)
  slowestSort = Math.max(slowestSort, sortMs)
  index.order(key)
}
console.log(`slowest sort: ${ms(slowestSort)} ${checkUnder('a new sort at 100,000', slowestSort, 100, ms)}`)

const sortedFilter = slowestKeystroke(typed, (text) => queryDocuments(index, { ...EMPTY_DOCUMENT_QUERY, name: text, sort: 'spans', reversed: true, progress: { annotator: 'Zaur', status: 'done' } }).length)
console.log(`name filter with a sort and a progress filter, slowest keystroke: ${ms(sortedFilter.ms)} ${checkUnder('filter keystroke, sorted and filtered', sortedFilter.ms, 100, ms)}`)

const goTo = slowestKeystroke('rprt bk 0421', (text) => bestNameMatches(index.lowerNames, text, 50).length)
console.log(`Go to document "rprt bk 0421", slowest keystroke: ${ms(goTo.ms)} ${checkUnder('Go to document keystroke at 100,000', goTo.ms, 100, ms)}`)

process.exit(reportTargets())
