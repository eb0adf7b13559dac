// Saving a text revision on the 5 MB document with 88,000 spans (issue 9): the user's own layer
// and a colleague's are on the document. Each save is a small edit (a word typed, a typo fixed)
// through QuireBackend.saveTextEdit, timed from the call to its answer: the revision file
// written durably, the machine-local copy of the text, the author's layer mapped onto the new
// text in memory, and the answer edit mode asks for while typing (the new revision and the
// author's lost spans; withContent off, since the editor shows the text). Writing the author's layer
// forward to disk runs after the answer, in the layer's save queue; it is timed on its own.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { QuireBackend } from '../src/main/backend'
import { changeSetFromSpecs } from '../src/core/text-edit/change-set'
import { SAMPLE_TEXTS_DIR } from '../src/server/app-paths'
import { generateCorpus, seededRandom, varyAnnotations } from './generate-corpus'
import { readSampleTexts, writeBenchProject } from './generate-project'
import { checkUnder, reportTargets } from './targets'

const ANNOTATOR = 'Bench Annotator'
const COLLEAGUE = 'Bench Colleague'
const DOCUMENT_BYTES = 5 * 1024 * 1024
const SAVES = 8
const SAVE_LIMIT_MS = 100

const formatMs = (ms: number): string => `${ms.toFixed(1)} ms`
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

async function main(): Promise<void> {
  const rootDir = await mkdtemp(join(tmpdir(), 'quire-bench-text-revision-'))
  let backend: QuireBackend | null = null
  try {
    const sources = await readSampleTexts()
    const corpus = generateCorpus(sources, { targetBytes: DOCUMENT_BYTES, annotator: ANNOTATOR, seed: 9009 })
    const colleague = varyAnnotations(corpus.text, corpus.annotations, { annotator: COLLEAGUE, seed: 9010, retagged: 0.05, reshaped: 0.05, dropped: 0.05, added: 0.05 })
    const project = await writeBenchProject(rootDir, ANNOTATOR, [
      { name: 'Bench 5 MB', text: corpus.text, annotations: corpus.annotations, otherLayers: [{ annotator: COLLEAGUE, annotations: colleague }] }
    ])
    const documentId = project.documentIds.get('Bench 5 MB') as string
    console.log(`Document: ${corpus.text.length.toLocaleString('en')} characters, ${corpus.annotations.length.toLocaleString('en')} spans (and a colleague's ${colleague.length.toLocaleString('en')})`)

    backend = new QuireBackend({ userDataDir: project.userDataDir, sampleTextsDir: SAMPLE_TEXTS_DIR, edition: 'browser', version: 'bench', osUserName: ANNOTATOR, dialogs: null })
    await backend.setAnnotatorName(ANNOTATOR)
    await backend.openProject(project.projectDir)
    const layer = { documentId, annotator: ANNOTATOR }
    let content = await backend.getDocument(layer)
    // The colleague's layer read once, as the window's layer list does on opening.
    await backend.listLayers(documentId)

    const random = seededRandom(77)
    const saves: number[] = []
    const writesForward: number[] = []
    for (let index = 0; index < SAVES; index++) {
      const text = content.text
      const at = Math.floor(random() * text.length)
      const word = text.indexOf(' ', at)
      // A word typed, or a typo fixed (one letter replaced by another).
      const replacement = text.charAt(word + 1) === 'x' ? 'y' : 'x'
      const specs = index % 2 === 0 ? [{ from: word, to: word, insert: ' very' }] : [{ from: word + 1, to: word + 2, insert: replacement }]
      const changes = changeSetFromSpecs(text, specs)
      global.gc?.()
      const started = performance.now()
      // As edit mode saves while typing: the editor already shows the text and its spans, so
      // the answer is the new revision and the author's lost spans, not the whole document.
      const result = await backend.saveTextEdit({ documentId, author: ANNOTATOR, baseRevision: content.revision.id, changes, withContent: false })
      saves.push(performance.now() - started)
      if (result.revision === null || result.head.id !== result.revision.id) throw new Error('the save returned no revision, or a head that is not it')
      const writeStarted = performance.now()
      // The layer written forward (queued by the save) finishes before the next edit is timed.
      await backend.closeProject()
      writesForward.push(performance.now() - writeStarted)
      await backend.openProject(project.projectDir)
      content = await backend.getDocument(layer)
      await backend.listLayers(documentId)
    }
    const revisions = await readdir(join(project.projectDir, 'documents', documentId, 'revisions'))
    if (revisions.length !== SAVES) throw new Error(`expected ${SAVES} revision files, found ${revisions.length}`)

    const savedMedian = median(saves)
    console.log(`\nsave a revision (call → answer)     median ${formatMs(savedMedian)}, max ${formatMs(Math.max(...saves))}  ${checkUnder('saving a revision (median)', savedMedian, SAVE_LIMIT_MS, formatMs)} (target < ${SAVE_LIMIT_MS} ms)`)
    console.log(`  each: ${saves.map((ms) => ms.toFixed(0)).join(', ')} ms`)
    console.log(`author's layer written forward after it (closing waits for it): median ${formatMs(median(writesForward))}, max ${formatMs(Math.max(...writesForward))}`)
  } finally {
    await backend?.closeProject().catch(() => undefined)
    await rm(rootDir, { recursive: true, force: true })
  }
  process.exit(reportTargets())
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
