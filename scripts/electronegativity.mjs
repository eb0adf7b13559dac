#!/usr/bin/env node
// Runs @doyensec/electronegativity over src/ and fails on any finding that docs/SECURITY.md
// does not explain. The explanations live in that document's "Electronegativity findings"
// table (check id, file under src/, why it is acceptable), so accepting a finding always means
// writing down why, where reviewers read it.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
export const ALLOW_LIST_HEADING = 'Electronegativity findings'

// The one check that downloads Electron's release list from GitHub; Quire's tests run offline.
// Keeping Electron current is covered by checklist item 16 in docs/SECURITY.md instead.
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck']

/**
 * The allow-list: rows of the first table under the "## Electronegativity findings" heading,
 * `| CHECK_ID | file under src/ | why |`. Throws on a row that names no check or file or gives
 * no reason, so an entry can never silently allow everything.
 */
export function parseAllowList(markdown) {
  const lines = markdown.split(/\r?\n/)
  const start = lines.findIndex((line) => new RegExp(`^##\\s+${ALLOW_LIST_HEADING}\\s*$`).test(line.trim()))
  if (start === -1) throw new Error(`docs/SECURITY.md has no "## ${ALLOW_LIST_HEADING}" section`)
  const entries = []
  let inTable = false
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index].trim()
    if (/^#{1,2}\s/.test(line)) break
    if (!line.startsWith('|')) {
      if (inTable) break
      continue
    }
    inTable = true
    const cells = line.replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim())
    if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue
    if (cells[0] === 'Check') continue
    const [check = '', file = '', reason = ''] = cells.map((cell) => cell.replace(/^`|`$/g, ''))
    if (!/^[A-Z0-9_]+$/.test(check) || file === '' || reason.length < 10) {
      throw new Error(`docs/SECURITY.md line ${index + 1}: an allow-list row needs a check id, a file and a reason: ${line}`)
    }
    entries.push({ check, file, reason, line: index + 1 })
  }
  if (entries.length === 0 && !inTable) throw new Error(`docs/SECURITY.md: no table under "## ${ALLOW_LIST_HEADING}"`)
  return entries
}

/** Findings from electronegativity's SARIF output: check id, file (relative to src/), line, message. */
export function findingsFromSarif(sarif) {
  const results = sarif?.runs?.[0]?.results
  if (!Array.isArray(results)) throw new Error('electronegativity wrote no SARIF results')
  return results.map((result) => {
    const location = result.locations?.[0]?.physicalLocation
    return {
      check: String(result.ruleId),
      file: String(location?.artifactLocation?.uri ?? '').replace(/\\/g, '/'),
      line: Number(location?.region?.startLine ?? 0),
      message: String(result.message?.text ?? '')
    }
  })
}

/** Splits findings into explained and unexplained, and lists allow-list rows no finding needs any more. */
export function compareFindings(findings, allowList) {
  const matches = (entry, finding) => entry.check === finding.check && entry.file === finding.file
  const unexplained = findings.filter((finding) => !allowList.some((entry) => matches(entry, finding)))
  const explained = findings.filter((finding) => allowList.some((entry) => matches(entry, finding)))
  const unused = allowList.filter((entry) => !findings.some((finding) => matches(entry, finding)))
  return { explained, unexplained, unused }
}

async function electronVersion() {
  const manifest = JSON.parse(await readFile(join(appRoot, 'node_modules', 'electron', 'package.json'), 'utf8'))
  return manifest.version
}

function runTool(args) {
  const bin = join(appRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'electronegativity.cmd' : 'electronegativity')
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: appRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => resolve({ code: 1, output: `could not run ${bin}: ${error.message}` }))
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

async function main() {
  const workDir = await mkdtemp(join(tmpdir(), 'quire-electronegativity-'))
  try {
    const sarifPath = join(workDir, 'findings.sarif')
    const args = ['-i', join(appRoot, 'src'), '-o', sarifPath, '-r', '-v', 'false', '-e', await electronVersion(), '-x', EXCLUDED_CHECKS.join(',')]
    const run = await runTool(args)
    let sarif
    try {
      sarif = JSON.parse(await readFile(sarifPath, 'utf8'))
    } catch {
      console.error(`electronegativity failed (exit code ${run.code}) and wrote no findings:\n${run.output}`)
      return 1
    }
    const findings = findingsFromSarif(sarif)
    const allowList = parseAllowList(await readFile(join(appRoot, 'docs', 'SECURITY.md'), 'utf8'))
    const { explained, unexplained, unused } = compareFindings(findings, allowList)
    for (const entry of unused) {
      console.warn(`note: docs/SECURITY.md line ${entry.line} explains ${entry.check} in ${entry.file}, which is no longer reported; remove the row`)
    }
    if (unexplained.length > 0) {
      console.error(`✗ electronegativity: ${unexplained.length} finding(s) not explained in docs/SECURITY.md ("## ${ALLOW_LIST_HEADING}"):`)
      for (const finding of unexplained) console.error(`  ${finding.check}  src/${finding.file}:${finding.line}  ${finding.message}`)
      console.error('Fix the code, or add a row saying why the finding is acceptable.')
      return 1
    }
    console.log(`✓ electronegativity: ${findings.length} finding(s), all explained in docs/SECURITY.md (${explained.length} rows matched)`)
    return 0
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`electronegativity check failed: ${error instanceof Error ? error.message : String(error)}`)
      process.exit(1)
    }
  )
}
