// Editing texts, the pure core (src/core/text-edit) in this process: mapping a 5 MB document's
// 88k-span layer forward through 1,000 revisions, each PDF cleanup step on a 5 MB PDF-like text,
// and applying change sets to a 5 MB text.
//
//   npm run bench -- text-edit
//
// Exits non-zero when a figure misses its target (bench/targets.ts) or a result is wrong (a span
// not covering its text, the cleaned text not as expected).
import { ChangeSet, type Text } from '@codemirror/state'
import { loadavg } from 'node:os'
import { applyChanges, changeSetFromSpecs, invertChanges, LINE_SEPARATOR, textOf } from '../src/core/text-edit/change-set'
import { buildHyphenationEvidence, planCleanup } from '../src/core/text-edit/cleanup'
import { compareAnnotations, mapAnnotationsThrough, mapAnnotationsThroughUndo, mapLayerForward, restoreLostSpans } from '../src/core/text-edit/span-mapping'
import {
  ANNOTATION_LAYER_SCHEMA_VERSION,
  asUtf16,
  CLEANUP_STEPS,
  ORIGINAL_REVISION,
  type Annotation,
  type AnnotationLayer,
  type ChangeSetJson,
  type CleanupStepId,
  type TextRevision
} from '../src/shared/model'
import { BrokenMeasurement, check, formatMs, median } from './browser-metrics'
import { generateCorpus, seededRandom } from './generate-corpus'
import { readSampleTexts } from './generate-project'
import { checkUnder, reportTargets } from './targets'

const TARGET_BYTES = 5_000_000
const REVISIONS = 1_000
const RUNS = 3
const MAP_LAYER_LIMIT_MS = 1_000
const CLEANUP_STEP_LIMIT_MS = 2_000
/**
 * Parts of every save, whose whole (< 100 ms) the text-revision bench times: neither may take
 * the save's budget alone. About 25 ms each on a quiet machine; twice that at a load of 6.
 */
const ONE_REVISION_LIMIT_MS = 100
const APPLY_SMALL_LIMIT_MS = 100
/** A cleanup's 100,000 parts: where the string beats a CodeMirror Text most (about ×3). */
const APPLY_CLEANUP_LIMIT_MS = 300
const ANNOTATOR = 'Bench Editor'
const FIRST_PARAGRAPH =
  'On October 4, Azerbaijani Science and Education Minister Emin Amrullayev met with a delegation from the Islamic World Education, Scientific, and Cultural Organization (ISESCO) led by Director General Salim bin Muhammad al-Malik.'

function timed<T>(run: () => T): { result: T; ms: number } {
  globalThis.gc?.()
  const started = performance.now()
  const result = run()
  return { result, ms: performance.now() - started }
}

function medianOf<T>(runs: number, run: () => T): { result: T; ms: number; all: number[] } {
  const all: number[] = []
  let result: T | undefined
  for (let index = 0; index < runs; index++) {
    const measured = timed(run)
    all.push(measured.ms)
    result = measured.result
  }
  return { result: result as T, ms: median(all), all }
}

/** Reads the middle of a string: V8 builds a concatenation lazily, and the cost must be counted where it is made. */
function flattened(text: string): string {
  text.charCodeAt(text.length >> 1)
  return text
}

function badSpans(text: string, annotations: readonly Annotation[]): number {
  let bad = 0
  for (const annotation of annotations) {
    if (!(annotation.start < annotation.end && annotation.end <= text.length && text.slice(annotation.start, annotation.end) === annotation.text)) bad++
  }
  return bad
}

/**
 * 1,000 revisions as people make them: mostly typing and small deletions, some pasted or deleted
 * passages, and every 20th an undo of the one before (so the chain holds edit/undo pairs).
 * Kept in a CodeMirror Text (its apply and invert are cheap on a big text) while building.
 */
function buildRevisionChain(original: string): { revisions: TextRevision[]; finalText: string } {
  const random = seededRandom(9)
  let doc: Text = textOf(original)
  let docBefore: Text = doc
  const revisions: TextRevision[] = []
  const words = ['Emin', 'Amrullayev', 'ISESCO', 'the', 'cooperation', 'Baku', 'programme', 'وزير', '😀']
  for (let seq = 1; seq <= REVISIONS; seq++) {
    const parent = revisions[revisions.length - 1]
    const length = doc.length
    let changes: ChangeSet
    let origin: TextRevision['origin'] = { kind: 'edit' }
    if (seq % 20 === 0 && parent !== undefined && parent.origin.kind !== 'undo') {
      changes = ChangeSet.fromJSON(parent.changes).invert(docBefore)
      origin = { kind: 'undo', undoes: parent.id }
    } else {
      const specs: { from: number; to?: number; insert?: string }[] = []
      const kind = random()
      const at = Math.floor(random() * (length - 2_000))
      if (kind < 0.6) specs.push({ from: at, insert: `${words[Math.floor(random() * words.length)]} ` })
      else if (kind < 0.85) specs.push({ from: at, to: at + 1 + Math.floor(random() * 8) })
      else if (kind < 0.95) specs.push({ from: at, to: at + 200 + Math.floor(random() * 1_500) })
      else specs.push({ from: at, insert: 'A pasted passage.\nWith a line break and more words. '.repeat(10) })
      // A second place in the same revision now and then (find and replace).
      if (random() < 0.2) specs.push({ from: at + 1_900, to: at + 1_905, insert: 'Baku' })
      changes = ChangeSet.of(specs, length, LINE_SEPARATOR)
    }
    const after = changes.apply(doc)
    revisions.push({
      format: 'quire-revision',
      schemaVersion: 1,
      id: `r${seq}-${seq.toString(16).padStart(12, '0')}`,
      parent: parent?.id ?? ORIGINAL_REVISION,
      seq,
      author: ANNOTATOR,
      createdAt: '2026-12-01T12:00:00.000Z',
      shaBefore: '-',
      shaAfter: '-',
      lengthBefore: length,
      lengthAfter: after.length,
      changes: changes.toJSON() as ChangeSetJson,
      origin,
      summary: origin.kind
    })
    docBefore = doc
    doc = after
  }
  return { revisions, finalText: doc.sliceString(0) }
}
function layerOf(text: string, annotations: Annotation[]): AnnotationLayer {
  return {
    format: 'quire-annotations',
    schemaVersion: ANNOTATION_LAYER_SCHEMA_VERSION,
    documentId: 'bench',
    annotator: ANNOTATOR,
    status: 'in-progress',
    textSha256: '-',
    annotations,
    comments: [],
    resolvedComments: [],
    textRevision: ORIGINAL_REVISION,
    lostInEditing: [],
    rejectedSuggestions: []
  }
}

/** About one span per 60 characters: one or two words (the second may be on the next line), on the raw text. */
function spansOnWords(text: string): Annotation[] {
  const random = seededRandom(17)
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((match) => ({ start: match.index, end: match.index + match[0].length }))
  const spans: Annotation[] = []
  for (let index = 0; index + 1 < words.length; index += 6 + Math.floor(random() * 8)) {
    const first = words[index] as { start: number; end: number }
    const last = random() < 0.5 ? first : (words[index + 1] as { start: number; end: number })
    spans.push({
      id: `raw-${index.toString(36)}`,
      start: asUtf16(first.start),
      end: asUtf16(last.end),
      tag: 'PERSON',
      text: text.slice(first.start, last.end),
      annotator: ANNOTATOR,
      createdAt: '2026-12-01T12:00:00.000Z',
      updatedAt: '2026-12-01T12:00:00.000Z',
      provenance: { source: 'manual' }
    })
  }
  return spans
}

/**
 * A PDF extraction of about 5 MB: the raw isesco text (doubled lines, hard wraps,
 * "co-⏎operation", blank lines with spaces) over and over, every other copy with runs of
 * spaces after commas and trailing spaces on its lines.
 */
function pdfLikeText(raw: string): string {
  const spaced = raw.replace(/, /g, ',  ').replace(/([^\n ])\n/g, '$1   \n')
  const copies = Math.floor(TARGET_BYTES / spaced.length)
  return Array.from({ length: copies }, (_, index) => (index % 2 === 0 ? raw : spaced)).join('\n')
}

async function main(): Promise<void> {
  const [load1] = loadavg()
  console.log(`Load average ${load1?.toFixed(2)} (the machine's other work inflates every timing)\n`)
  const sources = await readSampleTexts()
  // Each part keeps only what the next needs, so a later figure is not measured in a heap full
  // of an earlier part's layers.
  const documentText = measureLayerMapping(sources)
  const cleanup = measureCleanup(sources)
  measureApply(documentText, cleanup)
  process.exit(reportTargets())
}

/** Maps the 5 MB document's layer through 1,000 revisions; returns the document's text. */
function measureLayerMapping(sources: readonly string[]): string {
  const corpus = generateCorpus(sources, { targetBytes: TARGET_BYTES, annotator: ANNOTATOR })
  // In the order the store keeps a layer in.
  corpus.annotations.sort(compareAnnotations)
  check(corpus.annotations.length > 80_000, `the 5 MB corpus has only ${corpus.annotations.length} spans`)
  const built = timed(() => buildRevisionChain(corpus.text))
  const { revisions, finalText } = built.result
  const undoCount = revisions.filter((revision) => revision.origin.kind === 'undo').length
  console.log(
    `Document: ${corpus.text.length.toLocaleString('en')} characters, ${corpus.annotations.length.toLocaleString('en')} spans; ` +
      `${REVISIONS.toLocaleString('en')} revisions (${undoCount} of them undos) built in ${formatMs(built.ms)}`
  )
  const layer = layerOf(corpus.text, corpus.annotations)
  const mapped = medianOf(RUNS, () => mapLayerForward(layer, revisions, finalText))
  const mappedLayer = mapped.result.layer
  check(badSpans(finalText, mappedLayer.annotations) === 0, 'a span mapped through the revisions does not cover its text')
  check(mappedLayer.annotations.length + mappedLayer.lostInEditing.length === corpus.annotations.length, 'spans went missing in mapping')
  console.log(
    `map layer through ${REVISIONS} revisions: ${formatMs(mapped.ms)} median of ${mapped.all.map(formatMs).join(', ')} ` +
      `(${mapped.result.lost.toLocaleString('en')} lost, ${mapped.result.flagged.toLocaleString('en')} flagged)  ` +
      checkUnder(`map 88k-span layer through ${REVISIONS} revisions`, mapped.ms, MAP_LAYER_LIMIT_MS, formatMs)
  )

  // What each save does to the author's layer: one typed word, all 84k spans mapped.
  const typed = changeSetFromSpecs(corpus.text, [{ from: 2_500_000, to: 2_500_000, insert: 'typed ' }])
  const typedText = applyChanges(corpus.text, typed)
  const oneSave = medianOf(5, () => mapAnnotationsThrough(corpus.annotations, typed, typedText, 'r1-000000000001'))
  check(badSpans(typedText, oneSave.result.annotations) === 0, 'a span mapped through one typed word does not cover its text')
  console.log(
    `map layer through one typed word: ${formatMs(oneSave.ms)} median of ${oneSave.all.map(formatMs).join(', ')}  ` +
      checkUnder('map 88k-span layer through one revision', oneSave.ms, ONE_REVISION_LIMIT_MS, formatMs)
  )
  return corpus.text
}

interface CleanupResult {
  pdfText: string
  changes: ChangeSetJson
  textAfter: string
}

/** Each cleanup step on a 5 MB PDF-like text, on the text the steps before leave. */
function measureCleanup(sources: readonly string[]): CleanupResult {
  const isesco = sources.find((source) => source.includes('Emin Amrullayev metOn October 4'))
  if (isesco === undefined) throw new BrokenMeasurement('the sample isesco text is not among the sample texts')
  const pdfText = pdfLikeText(isesco)
  const evidence = timed(() => buildHyphenationEvidence([pdfText, ...sources]))
  console.log(
    `\nPDF-like text: ${pdfText.length.toLocaleString('en')} characters; hyphenation evidence (${evidence.result.words.size.toLocaleString('en')} words) built in ${formatMs(evidence.ms)}`
  )
  const context = { hyphenation: evidence.result }
  let current = pdfText
  for (const step of CLEANUP_STEPS) {
    const planned = medianOf(RUNS, () => planCleanup(current, [step as CleanupStepId], context))
    const preview = planned.result.previews[0]
    console.log(
      `cleanup ${step.padEnd(11)} ${formatMs(planned.ms).padStart(7)} median — ${preview?.summary}  ` +
        checkUnder(`cleanup step ${step} on 5 MB`, planned.ms, CLEANUP_STEP_LIMIT_MS, formatMs)
    )
    current = planned.result.textAfter
  }
  check(current.startsWith(`${FIRST_PARAGRAPH}\n\n`), 'the cleaned text does not start with the expected first paragraph')
  const all = timed(() => planCleanup(pdfText, CLEANUP_STEPS, context))
  check(all.result.textAfter === current, 'all five steps at once leave another text than step by step')
  console.log(`all five steps as one plan: ${formatMs(all.ms)} (${pdfText.length.toLocaleString('en')} → ${current.length.toLocaleString('en')} characters)`)

  // Spans made on the raw text, mapped through the whole cleanup (one revision).
  const rawSpans = spansOnWords(pdfText)
  check(badSpans(pdfText, rawSpans) === 0, 'the spans made on the raw text do not cover their text')
  const cleanedSpans = timed(() => mapAnnotationsThrough(rawSpans, all.result.changes, all.result.textAfter, 'r1-000000000001'))
  check(badSpans(all.result.textAfter, cleanedSpans.result.annotations) === 0, 'a span mapped through the cleanup does not cover its text')
  console.log(
    `map ${rawSpans.length.toLocaleString('en')} spans through the cleanup: ${formatMs(cleanedSpans.ms)} ` +
      `(${cleanedSpans.result.lost.length.toLocaleString('en')} lost with the second copies of doubled lines)`
  )

  // The owner undoes the cleanup: every span back exactly where it was, the lost ones restored.
  const undoChanges = invertChanges(all.result.changes, pdfText)
  const undone = timed(() => {
    const back = mapAnnotationsThroughUndo(cleanedSpans.result.annotations, undoChanges, pdfText, 'r2-000000000002', 'r1-000000000001')
    const layer = { ...layerOf(pdfText, back.annotations), lostInEditing: cleanedSpans.result.lost }
    return restoreLostSpans(layer, 'r1-000000000001', pdfText).layer
  })
  const original = [...rawSpans].sort(compareAnnotations)
  check(undone.result.lostInEditing.length === 0, `${undone.result.lostInEditing.length} spans stayed lost after undoing the cleanup`)
  const misplaced = original.filter((span, index) => {
    const back = undone.result.annotations[index]
    return back === undefined || back.id !== span.id || back.start !== span.start || back.end !== span.end || back.text !== span.text
  })
  console.log(
    `undo of the cleanup, spans back (owner's layer): ${formatMs(undone.ms)}; ` +
      `${(original.length - misplaced.length).toLocaleString('en')} of ${original.length.toLocaleString('en')} exactly where they were`
  )
  check(misplaced.length === 0, `${misplaced.length} spans not back where they were after undoing the cleanup`)
  return { pdfText, changes: all.result.changes, textAfter: all.result.textAfter }
}

/** applyChanges on 5 MB, beside the same through a CodeMirror Text (both read once, so both are built). */
function measureApply(documentText: string, cleanup: CleanupResult): void {
  const small = changeSetFromSpecs(documentText, [
    { from: 1_000, to: 1_004, insert: 'Baku' },
    { from: 2_500_000, to: 2_500_000, insert: 'typed ' }
  ])
  const applySmall = medianOf(5, () => flattened(applyChanges(documentText, small)))
  const viaTextSmall = medianOf(5, () => flattened(ChangeSet.fromJSON(small).apply(textOf(documentText)).sliceString(0)))
  check(applySmall.result === viaTextSmall.result, 'applyChanges and CodeMirror disagree on a small edit')
  const applyCleanup = medianOf(5, () => flattened(applyChanges(cleanup.pdfText, cleanup.changes)))
  const viaTextCleanup = medianOf(5, () => flattened(ChangeSet.fromJSON(cleanup.changes).apply(textOf(cleanup.pdfText)).sliceString(0)))
  check(applyCleanup.result === cleanup.textAfter, 'applyChanges of the cleanup does not give the cleaned text')
  check(viaTextCleanup.result === cleanup.textAfter, 'CodeMirror apply of the cleanup does not give the cleaned text')
  console.log(
    `\napplyChanges, 5 MB, 2 changes: ${formatMs(applySmall.ms).padStart(7)} median of ${applySmall.all.map(formatMs).join(', ')} ` +
      `(through a CodeMirror Text: ${formatMs(viaTextSmall.ms)})  ` +
      checkUnder('applyChanges 5 MB, small edit', applySmall.ms, APPLY_SMALL_LIMIT_MS, formatMs)
  )
  console.log(
    `applyChanges, 5 MB, cleanup (${cleanup.changes.length.toLocaleString('en')} parts): ${formatMs(applyCleanup.ms).padStart(7)} median ` +
      `(through a CodeMirror Text: ${formatMs(viaTextCleanup.ms)})  ` +
      checkUnder('applyChanges 5 MB, whole cleanup', applyCleanup.ms, APPLY_CLEANUP_LIMIT_MS, formatMs)
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof BrokenMeasurement ? `Broken measurement: ${error.message}` : error)
  process.exit(1)
})
