// Crash torture for the store: a child process (bench/torture-child.ts) applies a seeded stream
// of annotation changes through the real services; this parent kills it with SIGKILL at random
// moments and, after every kill, reopens the project with the real store code and checks that
// it opens, that every JSON file parses and validates, and that every annotation file holds
// every acknowledged change plus a whole prefix of the in-flight ones, never a partial change.
//
// Saves go to each layer's journal, which the child compacts into the layer file often (a
// small journal limit, and "settle" commands as a git sync sends): kills land in appends and
// in compactions. Every other check reads the layers as a colleague would (file and journal,
// without loading them), so journals left by a kill carry into the next life, torn tails and
// all; the others load them in the store, whose close compacts them.
// Used by bench/torture.bench.ts (long run) and tests/unit/store-torture.test.ts (short run).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { STORE_SCHEMA_VERSION, type DocumentRecord } from '../src/shared/model'
import { ANNOTATION_FILE, DOCUMENT_FILE, PROJECT_FILE, SETTINGS_FILE } from '../src/main/store/file-kinds'
import { parseStoredFile } from '../src/main/store/json-store'
import { readLayerFromDisk } from '../src/main/store/layer-on-disk'
import { ProjectStore, sha256Hex } from '../src/main/store/project-store'
import {
  applyChange,
  EMPTY_LAYER,
  fingerprint,
  randomChange,
  randomText,
  seededRandom,
  type LayerState,
  type TortureChange,
  type TortureCommand
} from './torture-model'

export interface TortureOptions {
  seed: number
  kills: number
  documents?: number
  /** Changes sent but not yet acknowledged, across all files (the child saves files concurrently). */
  inFlight?: number
  /**
   * A working life's kill lands at a uniformly random moment up to this long after its timer
   * is armed: when the child is ready, or once it has acknowledged the 1 to
   * `maxAcksBeforeKill` changes its plan waits for.
   */
  maxKillDelayMs?: number
  maxAcksBeforeKill?: number
  /** Share of kills aimed at start-up (opening the project, taking the lock) instead. */
  startupKillShare?: number
  /** Share of the other lives that freeze halfway through a journal append, to be killed there. */
  tearShare?: number
  log?: (line: string) => void
}

export interface TortureReport {
  seed: number
  kills: number
  /** Reopens after a kill in which the project opened writable and every check passed. */
  survived: number
  changesSent: number
  acknowledged: number
  /** Acknowledged changes missing after a kill. Must be 0. */
  lost: number
  /** Files whose content matched no whole prefix of the changes sent (a half-applied change). Must be 0. */
  inconsistentFiles: number
  /** JSON files that did not parse or validate after a kill. Must be 0. */
  unreadableFiles: number
  /** In-flight changes (sent, not acknowledged) found saved / not saved after the kill; both are fine. */
  inFlightSaved: number
  inFlightNotSaved: number
  /** Temp files left by killed writes (never read as data; swept by age). */
  tempFilesLeft: number
  /** Backup files checked after the last kill (every one must read back). */
  backupFiles: number
  /** Checks that found a layer's journal holding saves not yet in its file (replayed). */
  journalsReplayed: number
  /** Checks that found a journal's last entry cut off mid-append (dropped, as it was never acknowledged). */
  tornEntries: number
  /**
   * Kills that landed in a compaction: a layer's temp file left mid-write, or a journal whose
   * entries the rewritten file already includes (killed before the journal was removed).
   */
  compactionsCut: number
  /** Problems other than the counts above: child crashes, refused changes, read-only opens. */
  failures: string[]
  durationMs: number
}

export const TORTURE_ANNOTATORS = ['Leyla Aliyeva', 'Emin Amrullayev'] as const

const JOURNAL_LIMIT_BYTES = 3000

/** A life that has not reached its kill point by then is stuck: killed and reported. */
const LIFE_DEADLINE_MS = 30_000

/**
 * How one life of the child ends. Lives wait for what the child reports (ready, acknowledged,
 * frozen), never for wall-clock time alone, so every life does its share of work however slow
 * the machine; a loaded machine only stretches the run.
 */
export type KillPlan =
  /** Killed this long after it starts opening the project, usually while it opens it and takes the lock. */
  | { kind: 'startup'; delayMs: number }
  /** Its `tearAt`-th journal append writes half its line and freezes; killed when it says so. */
  | { kind: 'tear'; tearAt: number }
  /** Killed `delayMs` after it has acknowledged `afterAcks` changes (0: after it is ready). */
  | { kind: 'work'; afterAcks: number; delayMs: number }

/**
 * The kill plan of every life, from its own seeded stream: the same lives on every machine,
 * whatever number of changes each life got through (those come from the run's main stream).
 */
export function planKills(options: TortureOptions): KillPlan[] {
  const random = seededRandom(options.seed ^ 0x6b696c6c)
  const maxDelayMs = options.maxKillDelayMs ?? 60
  const maxAcks = options.maxAcksBeforeKill ?? 4
  return Array.from({ length: options.kills }, (): KillPlan => {
    if (random() < (options.startupKillShare ?? 0.1)) return { kind: 'startup', delayMs: random() * maxDelayMs * 2 }
    if (random() < (options.tearShare ?? 0.25)) return { kind: 'tear', tearAt: 1 + Math.floor(random() * 3) }
    // One working life in five is armed at "ready", so kills also land in a life's first saves.
    const afterAcks = random() < 0.2 ? 0 : 1 + Math.floor(random() * maxAcks)
    return { kind: 'work', afterAcks, delayMs: random() * maxDelayMs }
  })
}

interface LayerModel {
  documentId: string
  annotator: string
  textLength: number
  /** States after 0, 1, 2… acknowledged changes since the last reopen. */
  ackedStates: LayerState[]
  /** Sent, not yet acknowledged, oldest first, with the state after each. */
  inFlight: { id: number; change: TortureChange; after: LayerState }[]
}

const here = dirname(fileURLToPath(import.meta.url))

export async function runTorture(options: TortureOptions): Promise<TortureReport> {
  const startedAt = Date.now()
  const random = seededRandom(options.seed)
  const log = options.log ?? (() => undefined)
  const workDir = await mkdtemp(join(tmpdir(), 'quire-torture-'))
  const projectDir = join(workDir, 'project')
  const userDataRoot = join(workDir, 'user-data')
  const report: TortureReport = {
    seed: options.seed,
    kills: 0,
    survived: 0,
    changesSent: 0,
    acknowledged: 0,
    lost: 0,
    inconsistentFiles: 0,
    unreadableFiles: 0,
    inFlightSaved: 0,
    inFlightNotSaved: 0,
    tempFilesLeft: 0,
    backupFiles: 0,
    journalsReplayed: 0,
    tornEntries: 0,
    compactionsCut: 0,
    failures: [],
    durationMs: 0
  }
  try {
    const childScript = await bundleChild(workDir)
    const records = await createProject(projectDir, options.documents ?? 3, random)
    const layers: LayerModel[] = records.flatMap((record) =>
      TORTURE_ANNOTATORS.map((annotator) => ({
        documentId: record.id,
        annotator,
        textLength: record.length,
        ackedStates: [EMPTY_LAYER],
        inFlight: []
      }))
    )
    let nextCommandId = 1
    const seenTempFiles = new Set<string>()
    let nextAnnotationId = 1
    const newAnnotationId = (): string => `t${options.seed}-${nextAnnotationId++}`

    const plans = planKills(options)
    const startLife = (plan: KillPlan | undefined): StartedChild | null => (plan ? startChild(childScript, projectDir, userDataRoot, plan) : null)
    let upcoming = startLife(plans[0])
    try {
      for (const [index, plan] of plans.entries()) {
        const kill = index + 1
        const child = upcoming as StartedChild
        // The next life's child loads its code while this one works and is checked.
        upcoming = startLife(plans[index + 1])
        const cycle = await runOneLife(child, {
          plan,
          maxInFlight: options.inFlight ?? 8,
          nextCommand: (): TortureCommand => {
            const layer = layers[Math.floor(random() * layers.length)] as LayerModel
            const latest = layer.inFlight.at(-1)?.after ?? (layer.ackedStates.at(-1) as LayerState)
            const change = randomChange(random, latest, layer.textLength, newAnnotationId)
            const command: TortureCommand = { id: nextCommandId++, annotator: layer.annotator, documentId: layer.documentId, change }
            layer.inFlight.push({ id: command.id, change, after: applyChange(latest, change) })
            report.changesSent++
            return command
          },
          onAck: (id): string | null => {
            const layer = layers.find((candidate) => candidate.inFlight[0]?.id === id)
            if (!layer) return `acknowledgement of change ${id} out of order or unknown`
            const acked = layer.inFlight.shift() as LayerModel['inFlight'][number]
            layer.ackedStates.push(acked.after)
            report.acknowledged++
            return null
          }
        })
        report.kills++
        report.failures.push(...cycle.failures.map((failure) => `kill ${kill}: ${failure}`))

        const problems = await checkProject(projectDir, userDataRoot, layers, report, kill % 2 === 1 ? 'as-colleague' : 'in-store', seenTempFiles)
        report.failures.push(...problems.map((problem) => `kill ${kill}: ${problem}`))
        if (problems.length === 0 && cycle.failures.length === 0) report.survived++
        if (kill % 25 === 0 || kill === options.kills) {
          log(`  ${kill}/${options.kills} kills, ${report.acknowledged} acknowledged, ${report.lost} lost, ${report.inconsistentFiles} inconsistent`)
        }
      }
    } finally {
      // Only when a life threw: a child started for a life that never came.
      if (upcoming) {
        upcoming.process.kill('SIGKILL')
        await upcoming.closed
      }
    }
    const files = await listFiles(projectDir)
    report.tempFilesLeft = files.filter((path) => path.endsWith('.tmp')).length
    report.backupFiles = files.filter((path) => path.startsWith(`.quire${sep}backups${sep}`) && path.endsWith('.json')).length
  } finally {
    report.durationMs = Date.now() - startedAt
    await rm(workDir, { recursive: true, force: true })
  }
  return report
}

/** Bundles the child once per run: a bundled script loads in ~0.25 s, tsx would take ~0.5 s more per kill. */
async function bundleChild(workDir: string): Promise<string> {
  const outfile = join(workDir, 'torture-child.mjs')
  await build({
    entryPoints: [join(here, 'torture-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error'
  })
  return outfile
}

async function createProject(projectDir: string, documentCount: number, random: () => number): Promise<DocumentRecord[]> {
  const store = await ProjectStore.create(projectDir, 'Torture')
  const records: DocumentRecord[] = []
  for (let index = 1; index <= documentCount; index++) {
    const text = randomText(random, 2000 + Math.floor(random() * 4000))
    const record: DocumentRecord = {
      format: 'quire-document',
      schemaVersion: STORE_SCHEMA_VERSION,
      id: `doc-${index}`,
      name: `Document ${index}`,
      originalFileName: `document-${index}.txt`,
      encoding: 'utf-8',
      lineEnding: 'lf',
      sizeBytes: Buffer.byteLength(text),
      length: text.length,
      sha256: sha256Hex(text),
      importedAt: new Date().toISOString(),
      importedBy: 'torture'
    }
    await store.addDocument(record, text)
    records.push(record)
  }
  await store.close()
  return records
}

interface LifeOptions {
  plan: KillPlan
  maxInFlight: number
  nextCommand: () => TortureCommand
  /** Returns a problem, or null. */
  onAck: (id: number) => string | null
}

/** A child started ahead of its life: its code loads, then it waits for "open". */
interface StartedChild {
  process: ChildProcessWithoutNullStreams
  /** Hands the child's output lines to `handler`, those it wrote so far first. */
  listen: (handler: (line: string) => void) => void
  stderr: () => string
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startChild(childScript: string, projectDir: string, userDataRoot: string, plan: KillPlan): StartedChild {
  const child = spawn(process.execPath, [childScript, projectDir, userDataRoot, ...TORTURE_ANNOTATORS], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // About a dozen saves per journal before it is folded into its layer file.
      QUIRE_TORTURE_JOURNAL_LIMIT: String(JOURNAL_LIMIT_BYTES),
      QUIRE_TORTURE_TEAR_AT: String(plan.kind === 'tear' ? plan.tearAt : 0),
      QUIRE_TORTURE_WAIT_FOR_OPEN: '1'
    }
  })
  // Writing to a killed child's stdin fails with EPIPE; that is expected here.
  child.stdin.on('error', () => undefined)
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const early: string[] = []
  let handler: ((line: string) => void) | null = null
  let buffered = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    let newline: number
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      if (handler) handler(line)
      else early.push(line)
    }
  })
  // Waited for from the spawn, so an early death is not missed.
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  return {
    process: child,
    listen: (next) => {
      handler = next
      for (const line of early.splice(0)) next(line)
    },
    stderr: () => stderr,
    closed
  }
}

/** Lets the started child open the project, feeds it changes, kills it; resolves once it is dead and its output read. */
async function runOneLife(started: StartedChild, life: LifeOptions): Promise<{ failures: string[] }> {
  const { plan } = life
  const child = started.process
  const failures: string[] = []
  let outstanding = 0
  let acknowledged = 0
  let killed = false
  let armed = false
  const timers: NodeJS.Timeout[] = []
  const kill = (): void => {
    if (killed) return
    killed = true
    child.kill('SIGKILL')
  }
  const killAfter = (delayMs: number): void => {
    timers.push(setTimeout(kill, delayMs))
  }
  const armWorkKill = (): void => {
    if (plan.kind !== 'work' || armed || acknowledged < plan.afterAcks) return
    armed = true
    killAfter(plan.delayMs)
  }
  timers.push(
    setTimeout(() => {
      if (killed) return
      failures.push(`the child did not reach its kill point (${JSON.stringify(plan)}) within ${LIFE_DEADLINE_MS / 1000} s; ${acknowledged} acknowledged`)
      kill()
    }, LIFE_DEADLINE_MS)
  )
  const feed = (): void => {
    while (!killed && outstanding < life.maxInFlight) {
      child.stdin.write(`${JSON.stringify(life.nextCommand())}\n`)
      outstanding++
    }
  }
  started.listen((line) => {
    if (line === 'loaded') {
      child.stdin.write('open\n')
      // From here the child opens the project and takes its lock: where start-up kills aim.
      if (plan.kind === 'startup') killAfter(plan.delayMs)
    } else if (line === 'ready') {
      armWorkKill()
      feed()
    } else if (line.startsWith('ack ')) {
      outstanding--
      acknowledged++
      const problem = life.onAck(Number(line.slice(4)))
      if (problem) failures.push(problem)
      armWorkKill()
      feed()
    } else if (line === 'frozen' && plan.kind === 'tear') {
      kill()
    } else {
      failures.push(`child said: ${line}`)
      kill()
    }
  })
  const { code, signal } = await started.closed
  for (const timer of timers) clearTimeout(timer)
  if (signal !== 'SIGKILL') failures.push(`child exited by itself (code ${code}, signal ${signal}): ${started.stderr().trim().slice(0, 500)}`)
  else if (!killed) failures.push(`child killed by someone else before its kill point (${JSON.stringify(plan)}; ${acknowledged} acknowledged)`)
  return { failures }
}

/**
 * Reopens the project as a fresh Quire would and checks every file. Afterwards the model's
 * baseline is what is on disk, as the in-flight changes that did not make it are gone for good.
 */
async function checkProject(
  projectDir: string,
  userDataRoot: string,
  layers: LayerModel[],
  report: TortureReport,
  reading: 'as-colleague' | 'in-store',
  seenTempFiles: Set<string>
): Promise<string[]> {
  const problems: string[] = []
  const backupsPrefix = `.quire${sep}backups${sep}`
  for (const path of await listFiles(projectDir)) {
    const isBackup = path.startsWith(backupsPrefix)
    if (!path.endsWith('.json') || (path.startsWith(`.quire${sep}`) && !isBackup)) continue
    // A backup lives at .quire/backups/<the file's path>/<time>.json and must read as that file.
    const storedAs = isBackup ? dirname(path.slice(backupsPrefix.length)) : path
    try {
      const bytes = await readFile(join(projectDir, path))
      if (storedAs === 'project.json') parseStoredFile(bytes, path, PROJECT_FILE)
      else if (storedAs.endsWith(`${sep}document.json`)) parseStoredFile(bytes, path, DOCUMENT_FILE)
      else parseStoredFile(bytes, path, ANNOTATION_FILE)
    } catch (error) {
      report.unreadableFiles++
      problems.push(`${path} is unreadable: ${(error as Error).message}`)
    }
  }
  for (const path of await listFiles(userDataRoot)) {
    if (!path.endsWith('settings.json')) continue
    try {
      parseStoredFile(await readFile(join(userDataRoot, path)), path, SETTINGS_FILE)
    } catch (error) {
      report.unreadableFiles++
      problems.push(`${path} is unreadable: ${(error as Error).message}`)
    }
  }

  let store: ProjectStore
  try {
    store = await ProjectStore.open(projectDir)
  } catch (error) {
    return [...problems, `the project does not open: ${(error as Error).message}`]
  }
  try {
    if (store.readOnly) problems.push(`the project opened read-only after a crash (stale lock not taken over): ${store.readOnlyReason}`)
    // A temp file of a layer that was not there at the last check: this kill cut a rewrite short.
    let compactionCut = false
    for (const path of await listFiles(projectDir)) {
      if (!path.includes(`${sep}annotations${sep}`) || !path.endsWith('.tmp') || seenTempFiles.has(path)) continue
      seenTempFiles.add(path)
      compactionCut = true
    }
    for (const layer of layers) {
      const record = await store.readRecord(layer.documentId)
      const text = await store.readText(layer.documentId)
      let onDisk: LayerState
      try {
        let current
        if (reading === 'in-store') {
          const loaded = await store.annotationLayer(record, layer.annotator)
          if (loaded.journalWarning !== null) report.tornEntries++
          current = loaded.current
        } else {
          const read = await readLayerFromDisk(store.layerPath(layer.documentId, layer.annotator))
          current = read?.layer ?? { status: 'not-started' as const, annotations: [] }
          if (read?.journal && read.journal.pending.length > 0) report.journalsReplayed++
          if (read?.journal?.torn) report.tornEntries++
          if (read?.journal && read.journal.included > 0) compactionCut = true
        }
        const wrongText = current.annotations.find((annotation) => annotation.text !== text.slice(annotation.start, annotation.end))
        if (wrongText) problems.push(`${layer.documentId}/${layer.annotator}: annotation ${wrongText.id} has the wrong text`)
        onDisk = {
          status: current.status,
          spans: new Map(current.annotations.map((a) => [a.id, { start: a.start, end: a.end, tag: a.tag, note: a.note ?? null }]))
        }
      } catch (error) {
        problems.push(`${layer.documentId}/${layer.annotator} does not load: ${(error as Error).message}`)
        continue
      }
      const seen = fingerprint(onDisk)
      const candidates = [...layer.ackedStates, ...layer.inFlight.map((entry) => entry.after)]
      // The last match: a later state can equal an earlier one (a retag back and forth).
      let matched = -1
      for (let index = candidates.length - 1; index >= 0; index--) {
        if (fingerprint(candidates[index] as LayerState) === seen) {
          matched = index
          break
        }
      }
      const ackedCount = layer.ackedStates.length - 1
      if (matched === -1) {
        report.inconsistentFiles++
        problems.push(`${layer.documentId}/${layer.annotator} matches no whole prefix of the changes sent (${ackedCount} acknowledged, ${layer.inFlight.length} in flight)`)
      } else if (matched < ackedCount) {
        report.lost += ackedCount - matched
        problems.push(`${layer.documentId}/${layer.annotator} lost ${ackedCount - matched} acknowledged change(s)`)
      } else {
        report.inFlightSaved += matched - ackedCount
        report.inFlightNotSaved += layer.inFlight.length - (matched - ackedCount)
      }
      layer.ackedStates = [onDisk]
      layer.inFlight = []
    }
    if (compactionCut) report.compactionsCut++
  } finally {
    await store.close()
  }
  return problems
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)))
}
