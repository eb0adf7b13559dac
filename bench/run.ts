// `npm run bench`: runs every bench/*.bench.ts in turn, each in its own Node process so one
// benchmark's heap and timers never colour the next one's figures. A single benchmark runs
// with `npm run bench -- NAME` (e.g. `npm run bench -- reader`). A benchmark that misses a
// target or breaks fails, and then so does the run.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeQuietWait, waitForQuietMachine } from './quiet-machine'
import { TARGETS_MISSED_EXIT_CODE } from './targets'

const benchDir = dirname(fileURLToPath(import.meta.url))
const appRoot = join(benchDir, '..')
const tsx = join(appRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx')

// Names pick benchmarks; options (--documents=10000, --sizes 5mb,single) go to each benchmark
// run. A word after an option that names no benchmark is that option's value.
const known = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .map((name) => name.slice(0, -'.bench.ts'.length))
const args = process.argv.slice(2)
const wanted: string[] = []
const options: string[] = []
for (const [index, arg] of args.entries()) {
  const afterOption = index > 0 && (args[index - 1] as string).startsWith('--') && !(args[index - 1] as string).includes('=')
  if (arg.startsWith('--') || (afterOption && !known.includes(arg))) options.push(arg)
  else wanted.push(arg)
}
const benches = known.filter((name) => wanted.length === 0 || wanted.includes(name)).sort()

if (benches.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}. Known: ${readdirSync(benchDir).filter((n) => n.endsWith('.bench.ts')).join(', ')}`)
  process.exit(2)
}

const failed: string[] = []
for (const name of benches) {
  console.log(`\n━━ ${name} ━━`)
  // Targets hold on a quiet machine; the benchmark before (or whatever ran before the run) leaves
  // the load high (bench/quiet-machine.ts).
  console.log(describeQuietWait(await waitForQuietMachine()))
  const result = spawnSync(tsx, ['--expose-gc', join(benchDir, `${name}.bench.ts`), ...options], { cwd: appRoot, stdio: 'inherit' })
  if (result.status === 0) continue
  const why =
    result.status === TARGETS_MISSED_EXIT_CODE
      ? 'missed a target (listed above)'
      : result.error
        ? `could not start: ${result.error.message}`
        : `exit code ${result.status ?? result.signal}`
  console.error(`✗ ${name} failed: ${why}`)
  failed.push(name)
}
if (failed.length > 0) console.error(`\n✗ ${failed.length} of ${benches.length} benchmarks failed: ${failed.join(', ')}`)
process.exit(failed.length === 0 ? 0 : 1)
