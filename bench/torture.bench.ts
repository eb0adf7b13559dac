// `npm run bench -- torture`: at least 200 SIGKILLs of a process saving annotation changes
// through the real store; after each, the project must open with every acknowledged change.
// Then SIGKILLs of a bulk import: after each, only whole batches of it may be in the project.
// Exits non-zero when any acknowledged change is lost or any file is damaged.
// QUIRE_TORTURE_SEED and QUIRE_TORTURE_KILLS replay or lengthen a run.
import { runImportTorture } from './import-torture'
import { runTorture } from './torture-engine'

const seed = Number(process.env.QUIRE_TORTURE_SEED ?? 20261123)
const kills = Math.max(200, Number(process.env.QUIRE_TORTURE_KILLS ?? 200))

console.log(`Crash torture: ${kills} SIGKILLs, seed ${seed}, 3 documents × 2 annotators`)
// Kills land up to 150 ms after the child is ready or has acknowledged its first 1–4 changes,
// 10% of them during start-up instead, and a quarter of the rest in a frozen journal append.
const report = await runTorture({ seed, kills, maxKillDelayMs: 150, log: (line) => console.log(line) })
if (report.journalsReplayed === 0) report.failures.push('no kill left saves in a journal: the journal was not tortured')
if (report.tornEntries === 0) report.failures.push('no kill left a torn journal entry: dropping one was not tortured')
if (report.compactionsCut === 0) report.failures.push('no kill landed in a compaction: compaction was not tortured')
const seconds = (report.durationMs / 1000).toFixed(1)
console.log(`kills survived          ${report.survived} / ${report.kills}`)
console.log(`changes sent            ${report.changesSent}`)
console.log(`acknowledged changes    ${report.acknowledged}`)
console.log(`in flight at kill       ${report.inFlightSaved} saved whole, ${report.inFlightNotSaved} not saved (both allowed)`)
console.log(`lost                    ${report.lost}   (must be 0)`)
console.log(`half-applied files      ${report.inconsistentFiles}   (must be 0)`)
console.log(`unreadable files        ${report.unreadableFiles}   (must be 0)`)
console.log(`temp files left         ${report.tempFilesLeft}   (never read as data; swept when 10 min old)`)
console.log(`backup files            ${report.backupFiles}   (each read back and validated after every kill)`)
console.log(`journals replayed       ${report.journalsReplayed}   (layers read with saves still in their journal after a kill)`)
console.log(`torn journal entries    ${report.tornEntries}   (an append cut off by the kill: dropped, never acknowledged)`)
console.log(`compactions cut short   ${report.compactionsCut}   (killed while folding a journal into its layer file)`)
console.log(`time                    ${seconds} s (${(report.durationMs / report.kills).toFixed(0)} ms per kill)`)
for (const failure of report.failures.slice(0, 20)) console.log(`  ✗ ${failure}`)
if (report.failures.length > 20) console.log(`  … and ${report.failures.length - 20} more`)

// Bulk import: killed mid-batch, the project must hold whole batches only.
const imports = await runImportTorture({ seed, kills: Math.max(30, Math.round(kills / 5)), documents: 200, batchSize: 10 })
console.log(`import kills survived   ${imports.survived} / ${imports.kills}   (${imports.midImport} mid-import, ${imports.batchesFinishedOnOpening} between a batch's commit and its last folder: finished on opening)`)
for (const failure of imports.failures.slice(0, 20)) console.log(`  ✗ ${failure}`)
if (imports.failures.length > 0 || imports.survived !== imports.kills || imports.midImport === 0) report.failures.push('bulk import left a partial batch (see above)')

const broken = report.lost > 0 || report.inconsistentFiles > 0 || report.unreadableFiles > 0 || report.failures.length > 0 || report.survived !== report.kills
if (broken || report.acknowledged === 0) {
  console.error(report.acknowledged === 0 ? 'FAILED: no change was acknowledged; the torture tested nothing' : 'FAILED: see above')
  process.exit(1)
}
