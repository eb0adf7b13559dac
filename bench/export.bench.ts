// Export speed and memory: a project of 10,000 documents and 1,000,000 spans, written through
// the real store code into a temp folder, exported to each format by CorpusExportService.
// Each export runs in a fresh process so its peak RSS/heap is its own. Memory must be flat:
// exporting 2,500 and 10,000 documents should peak at about the same RSS.
//
//   npm run bench -- export            (or: npx tsx bench/export.bench.ts [--documents N])
//
// Exits non-zero when an export writes the wrong number of documents or spans, and when an
// export misses the time target or its memory grows with the corpus (bench/targets.ts).
import { benchDocumentRecord, writeBenchLayer } from './bench-store-files'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CorpusFormat } from '../src/core/formats'
import { CorpusExportService } from '../src/main/services/corpus-export-service'
import { ProjectStore } from '../src/main/store/project-store'
import { asUtf16, type Annotation } from '../src/shared/model'
import { checkUnder, reportTargets } from './targets'

const SPANS_PER_DOCUMENT = 100
const TARGET_SECONDS = 10
/** Peak RSS exporting all documents over peak RSS exporting a quarter of them: flat is about ×1. */
const MEMORY_GROWTH_LIMIT = 1.5
const formatSeconds = (value: number): string => `${value.toFixed(2)} s`
const formatRatio = (value: number): string => `×${value.toFixed(2)}`
const FORMATS: readonly CorpusFormat[] = ['jsonl', 'csv', 'conll', 'brat', 'tei']
const ANNOTATOR = 'Bench Editor'
const TAGS = ['PERSON', 'ORG', 'EVENT', 'PROGRAM']
// Words with what breaks offsets elsewhere: astral emoji, a flag, a combining accent, Arabic, CRLF.
const WORDS = ['Emin', 'Əmrullayev', 'met', 'ISESCO', 'in', 'Bakı', 'on', 'October', '😀', '🇦🇿', 'café', 'Cafe\u0301', 'وزير', 'التعليم', 'the', 'Youth', 'Program', 'opened', 'Salim', 'al-Malik']

interface ExportFigures {
  format: CorpusFormat
  documents: number
  spans: number
  dropped: number
  seconds: number
  peakRssMb: number
  peakHeapMb: number
}

/** One document: 100 two-word spans over whole words, none overlapping, CRLF between sentences. */
function benchDocument(index: number): { text: string; spans: Array<{ start: number; end: number; tag: string }> } {
  const pieces: string[] = [`Document ${index}.`]
  const spans: Array<{ start: number; end: number; tag: string }> = []
  let length = pieces[0]?.length ?? 0
  for (let spanIndex = 0; spanIndex < SPANS_PER_DOCUMENT; spanIndex++) {
    const filler = ` ${WORDS[(index + spanIndex) % WORDS.length]} ${WORDS[(index * 7 + spanIndex) % WORDS.length]}${spanIndex % 10 === 9 ? '.\r\n' : ' '}`
    pieces.push(filler)
    length += filler.length
    const name = `${WORDS[(index + spanIndex * 3) % WORDS.length]} ${WORDS[(spanIndex * 5 + 1) % WORDS.length]}`
    spans.push({ start: length, end: length + name.length, tag: TAGS[spanIndex % TAGS.length] as string })
    pieces.push(name)
    length += name.length
  }
  return { text: pieces.join(''), spans }
}

async function generateProject(dir: string, documents: number): Promise<void> {
  const store = await ProjectStore.create(dir, 'Export bench')
  const now = new Date().toISOString()
  for (let index = 0; index < documents; index++) {
    const { text, spans } = benchDocument(index)
    const record = benchDocumentRecord(index, text, { at: now, by: ANNOTATOR, lineEnding: 'crlf' })
    const annotations: Annotation[] = spans.map((span, spanIndex) => ({
      id: `a-${index}-${spanIndex}`,
      start: asUtf16(span.start),
      end: asUtf16(span.end),
      tag: span.tag,
      text: text.slice(span.start, span.end),
      annotator: ANNOTATOR,
      createdAt: now,
      updatedAt: now,
      provenance: { source: 'manual' }
    }))
    await store.addDocument(record, text, () => writeBenchLayer(store, record, ANNOTATOR, annotations))
    if ((index + 1) % 1000 === 0) process.stderr.write(`  generated ${index + 1}/${documents} documents\r`)
  }
  process.stderr.write('\n')
  await store.close()
}

/** Child process: one export, sampling memory while it runs; prints its figures as JSON. */
async function measureExport(projectDir: string, outDir: string, format: CorpusFormat, documents: number): Promise<void> {
  const store = await ProjectStore.open(projectDir)
  const ids = documents === Infinity ? 'all' : (await store.listDocuments()).slice(0, documents).map((listing) => listing.id)
  let peakRss = 0
  let peakHeap = 0
  const sample = (): void => {
    const usage = process.memoryUsage()
    peakRss = Math.max(peakRss, usage.rss)
    peakHeap = Math.max(peakHeap, usage.heapUsed)
  }
  globalThis.gc?.()
  sample()
  const sampler = setInterval(sample, 10)
  const started = performance.now()
  const isFolder = format === 'brat' || format === 'tei'
  const result = await new CorpusExportService({ requireProject: () => store }).export({
    format,
    outPath: join(outDir, isFolder ? format : `corpus.${format}`),
    documentIds: ids,
    annotators: 'all'
  })
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  sample()
  await store.close()
  const figures: ExportFigures = {
    format,
    documents: result.documents,
    spans: result.spans,
    dropped: result.dropped,
    seconds,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}

function runChild(args: string[]): ExportFigures {
  const tsx = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '.bin', 'tsx')
  const child = spawnSync(tsx, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (child.status !== 0) throw new Error(`export child failed (${child.status}): ${args.join(' ')}`)
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as ExportFigures
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  if (args[0] === '--measure') {
    const [, projectDir, outDir, format, documents] = args
    await measureExport(projectDir as string, outDir as string, format as CorpusFormat, documents === 'all' ? Infinity : Number(documents))
    return
  }
  if (args[0] === '--generate') {
    // For profiling one export by hand: --generate DIR N, then --measure DIR OUT FORMAT all.
    await generateProject(args[1] as string, Number(args[2]))
    return
  }
  const documentsOption = args.indexOf('--documents')
  const documents = documentsOption === -1 ? 10_000 : Number(args[documentsOption + 1])
  const root = await mkdtemp(join(tmpdir(), 'quire-export-bench-'))
  let failures = 0
  try {
    const projectDir = join(root, 'project')
    const started = performance.now()
    await generateProject(projectDir, documents)
    console.log(`Generated ${documents} documents, ${documents * SPANS_PER_DOCUMENT} spans in ${((performance.now() - started) / 1000).toFixed(1)} s (${projectDir})`)
    console.log('format   documents      spans   time (s)   peak RSS (MB)   peak heap (MB)')
    const quarter = Math.round(documents / 4)
    for (const format of FORMATS) {
      const outDir = join(root, `out-${format}`)
      const small = runChild(['--measure', projectDir, `${outDir}-small`, format, String(quarter)])
      const full = runChild(['--measure', projectDir, outDir, format, 'all'])
      await rm(`${outDir}-small`, { recursive: true, force: true })
      await rm(outDir, { recursive: true, force: true })
      for (const figures of [small, full]) {
        console.log(
          `${figures.format.padEnd(6)} ${String(figures.documents).padStart(11)} ${String(figures.spans).padStart(10)} ${figures.seconds.toFixed(2).padStart(10)} ${figures.peakRssMb.toFixed(0).padStart(15)} ${figures.peakHeapMb.toFixed(0).padStart(16)}`
        )
      }
      const growth = full.peakRssMb / small.peakRssMb
      const verdicts: string[] = []
      if (full.documents !== documents || full.spans !== documents * SPANS_PER_DOCUMENT || full.dropped !== 0) {
        verdicts.push(`✗ wrote ${full.documents} documents / ${full.spans} spans (dropped ${full.dropped}), expected ${documents} / ${documents * SPANS_PER_DOCUMENT}`)
        failures++
      }
      verdicts.push(`target < ${TARGET_SECONDS} s: ${checkUnder(`${format} export time`, full.seconds, TARGET_SECONDS, formatSeconds)}`)
      verdicts.push(
        `memory ${formatRatio(growth)} for ×4 documents, target < ${formatRatio(MEMORY_GROWTH_LIMIT)}: ${checkUnder(`${format} peak RSS growth for ×4 documents`, growth, MEMORY_GROWTH_LIMIT, formatRatio)}`
      )
      console.log(`       ${verdicts.join('; ')}`)
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
  const targetsExitCode = reportTargets()
  process.exit(failures > 0 ? 1 : targetsExitCode)
}

await main()
