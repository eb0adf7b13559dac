// Crash torture for bulk import: a child process (import-torture-child.ts) imports a JSONL of
// documents in small batches; this parent kills it with SIGKILL at random moments, reopens the
// project with the real store (which finishes a batch interrupted after its commit) and checks
// that the documents present are exactly the first whole batches of the file, each with its
// text and its spans, and that the import run again completes the project.
// Used by tests/unit/import-torture.test.ts (a few kills) and bench/torture.bench.ts (more).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DocumentService } from '../src/main/services/document-service'
import { LayerService } from '../src/main/services/layer-service'
import { IMPORT_BATCH_FILE_NAME } from '../src/main/store/document-batch'
import { ProjectStore } from '../src/main/store/project-store'
import { seededRandom } from './torture-model'

export interface ImportTortureOptions {
  seed: number
  kills: number
  documents?: number
  batchSize?: number
  log?: (line: string) => void
}

export interface ImportTortureReport {
  kills: number
  /** Kills after which the project held whole batches only, each document complete. */
  survived: number
  /** Kills that landed after a batch's commit and before its folders were all written (finished on opening). */
  batchesFinishedOnOpening: number
  /** Kills that landed before the import had finished (the others tested nothing). */
  midImport: number
  failures: string[]
}

const ROOT = join(import.meta.dirname, '..')

export async function runImportTorture(options: ImportTortureOptions): Promise<ImportTortureReport> {
  const documents = options.documents ?? 120
  const batchSize = options.batchSize ?? 10
  const random = seededRandom(options.seed)
  const work = await mkdtemp(join(tmpdir(), 'quire-import-torture-'))
  const lines = Array.from({ length: documents }, (_, index) => {
    const text = `Document ${index}: Leyla Taghizade met ICESCO in Baku on day ${index}.`
    const name = `doc-${String(index).padStart(4, '0')}`
    const span = (words: string, label: string): object => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length, label })
    return JSON.stringify({ id: name, name, text, spans: [span('Document', 'EVENT'), span('Leyla Taghizade', 'PERSON'), span('ICESCO', 'ORG')] })
  })
  const jsonl = join(work, 'corpus.jsonl')
  await writeFile(jsonl, `${lines.join('\n')}\n`)
  const report: ImportTortureReport = { kills: 0, survived: 0, batchesFinishedOnOpening: 0, midImport: 0, failures: [] }
  for (let kill = 0; kill < options.kills; kill++) {
    const projectDir = join(work, `project-${kill}`)
    await (await ProjectStore.create(projectDir, 'Torture')).close()
    // Killed after a random number of whole batches and a random moment into the next one.
    const afterBatches = Math.floor(random() * (documents / batchSize - 1))
    const delayMs = random() * 40
    const outcome = await runUntilKilled(projectDir, jsonl, batchSize, afterBatches, delayMs)
    report.kills++
    if (outcome.failed !== null) report.failures.push(`kill ${kill + 1}: the import itself failed: ${outcome.failed}`)
    if (!outcome.finished) report.midImport++
    const failures = await checkProject(projectDir, documents, batchSize, outcome.batchesSaid, (finished) => {
      if (finished) report.batchesFinishedOnOpening++
    })
    if (failures.length === 0) report.survived++
    report.failures.push(...failures.map((failure) => `kill ${kill + 1} (after ${outcome.batchesSaid} batches said): ${failure}`))
    options.log?.(`kill ${kill + 1}: after ${outcome.batchesSaid} batches said${outcome.finished ? ' (the import had finished)' : ''}; ${failures.length === 0 ? 'whole batches only' : failures[0]}`)
  }
  return report
}

function runUntilKilled(projectDir: string, jsonl: string, batchSize: number, afterBatches: number, delayMs: number): Promise<{ batchesSaid: number; finished: boolean; failed: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'import-torture-child.ts'), projectDir, jsonl, String(batchSize)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    let batchesSaid = 0
    let finished = false
    let failed: string | null = null
    let armed = false
    const arm = (): void => {
      if (armed) return
      armed = true
      setTimeout(() => child.kill('SIGKILL'), delayMs)
    }
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.startsWith('batch ')) batchesSaid = Number(line.slice(6))
        if (line === 'done') finished = true
        if (line.startsWith('failed ')) failed = line.slice(7)
      }
      if (batchesSaid >= afterBatches) arm()
    })
    if (afterBatches === 0) child.stdout.once('readable', arm)
    child.on('error', reject)
    child.on('close', () => resolve({ batchesSaid, finished, failed }))
  })
}

async function checkProject(projectDir: string, documents: number, batchSize: number, batchesSaid: number, noteFinished: (finished: boolean) => void): Promise<string[]> {
  const failures: string[] = []
  noteFinished(existsSync(join(projectDir, '.quire', IMPORT_BATCH_FILE_NAME)))
  const store = await ProjectStore.open(projectDir)
  try {
    const projects = { requireProject: () => store }
    const list = await new DocumentService(projects as never, new LayerService(projects)).list('Torture')
    const present = list.length
    if (present % batchSize !== 0 && present !== documents) failures.push(`${present} documents: not whole batches of ${batchSize}`)
    if (present < batchesSaid * batchSize) failures.push(`${present} documents, but ${batchesSaid} batches were said written`)
    const expectedNames = Array.from({ length: present }, (_, index) => `doc-${String(index).padStart(4, '0')}`)
    if (JSON.stringify(list.map((summary) => summary.name)) !== JSON.stringify(expectedNames)) failures.push('the documents present are not the first of the file')
    for (const summary of list) {
      if (summary.problem) failures.push(`${summary.name}: ${summary.problem.message}`)
      else if (summary.total !== 3) failures.push(`${summary.name}: ${summary.total} spans, expected 3`)
    }
    // Every text reads back against its recorded SHA-256.
    for (const summary of list.slice(-batchSize)) await store.readText(summary.id).catch((error: unknown) => failures.push(`${summary.name}: ${(error as Error).message}`))
  } finally {
    await store.close()
  }
  return failures
}
