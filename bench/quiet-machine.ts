// A bench measures the app, not the work that ran just before it. In stop 57's full
// `npm run bench` the reader and find benches followed the corpus bench and began at a 1-minute
// load of 2.6; in stop 58's the corpus bench began at 3.1, right after a test run. Each missed by
// what the machine was still doing. Their targets hold "on a quiet machine", so `npm run bench`
// waits before each benchmark, for a bounded time, until the load has settled to QUIET_LOAD, and
// says how long it waited; the reader and find benches wait again after their own setup
// (building the renderer, writing a 5 MB project). Past the bound they go on, and say the
// machine was busy.
import { loadavg } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'

/** The 1-minute load average at or below which the machine counts as quiet when a bench begins. */
export const QUIET_LOAD = 1
/** The longest a bench waits for the machine to settle before it measures anyway. */
export const QUIET_WAIT_MAX_MS = 5 * 60_000
const POLL_MS = 5_000

export interface QuietWait {
  /** How long the bench waited (0 when the machine was already quiet). */
  waitedMs: number
  /** The 1-minute load when the wait ended. */
  load: number
  quiet: boolean
  /** The load it waited for: what "quiet" meant. */
  quietLoad: number
}

export interface QuietWaitOptions {
  quietLoad?: number
  maxWaitMs?: number
  pollMs?: number
  readLoad?: () => number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

/** Waits until the 1-minute load is at or under `quietLoad`, or `maxWaitMs` has passed. */
export async function waitForQuietMachine(options: QuietWaitOptions = {}): Promise<QuietWait> {
  const quietLoad = options.quietLoad ?? QUIET_LOAD
  const maxWaitMs = options.maxWaitMs ?? QUIET_WAIT_MAX_MS
  const pollMs = options.pollMs ?? POLL_MS
  const readLoad = options.readLoad ?? (() => loadavg()[0] ?? 0)
  const sleep = options.sleep ?? ((ms: number) => delay(ms))
  const now = options.now ?? (() => Date.now())
  let load = readLoad()
  if (load <= quietLoad) return { waitedMs: 0, load, quiet: true, quietLoad }
  const started = now()
  while (load > quietLoad && now() - started < maxWaitMs) {
    await sleep(Math.min(pollMs, maxWaitMs - (now() - started)))
    load = readLoad()
  }
  return { waitedMs: now() - started, load, quiet: load <= quietLoad, quietLoad }
}

/** The line a bench prints about its wait. */
export function describeQuietWait(wait: QuietWait): string {
  const { quietLoad } = wait
  const load = wait.load.toFixed(2)
  if (wait.waitedMs === 0) return `Machine quiet at the start (1-minute load ${load} ≤ ${quietLoad})`
  const waited = `${Math.round(wait.waitedMs / 1000)} s`
  return wait.quiet
    ? `Waited ${waited} for the machine to settle (1-minute load now ${load} ≤ ${quietLoad}; bench/quiet-machine.ts)`
    : `Waited ${waited} and the machine did not settle (1-minute load ${load} > ${quietLoad}): measuring anyway, on a busy machine`
}
