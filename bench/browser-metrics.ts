// Node-side measuring helpers for browser benches: heap and DOM size through the Chrome
// DevTools Protocol, small statistics, and the broken-measurement check. Targets: targets.ts.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CDPSession, Page } from 'playwright-core'
import type { OpenTiming } from './browser-probe'

export interface PageMemory {
  /** Live JS heap after a forced garbage collection, MB (10^6 bytes). */
  heapUsedMb: number
  heapTotalMb: number
  domNodes: number
}

/** Forces a full GC in the page, then reads the heap: what stays alive, not what awaits collection. */
export async function measurePageMemory(page: Page): Promise<PageMemory> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('HeapProfiler.enable')
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
    const usage = await cdp.send('Runtime.getHeapUsage')
    await cdp.send('Performance.enable')
    const { metrics } = await cdp.send('Performance.getMetrics')
    const nodes = metrics.find((metric) => metric.name === 'Nodes')?.value ?? Number.NaN
    return { heapUsedMb: usage.usedSize / 1e6, heapTotalMb: usage.totalSize / 1e6, domNodes: nodes }
  } finally {
    await cdp.detach().catch(() => undefined)
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

/** A bench's broken measurement (as opposed to a missed target): the bench exits non-zero. */
export class BrokenMeasurement extends Error {
  override name = 'BrokenMeasurement'
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new BrokenMeasurement(message)
}

/** The page probe's open from navigation (browser-probe.ts), checked to have shown `name`'s heading. */
export async function openedFromNavigation(page: Page, name: string): Promise<OpenTiming> {
  const timing = await page.evaluate(() => (globalThis as unknown as { __quireBenchProbe: { openedFromNavigation: Promise<OpenTiming> } }).__quireBenchProbe.openedFromNavigation)
  check(timing.heading === name, `the app opened "${timing.heading}" at load, not "${name}"`)
  return timing
}

/** Where benches write screenshots and profiles (bench/output, not committed). */
export const BENCH_OUTPUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'output')

/** Starts sampling the page's CPU profile (a bench's --profile-page). */
export async function startPageProfile(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  await cdp.send('Profiler.start')
  return cdp
}

/** Stops the profile and writes it to bench/output/`fileName` (open it in Chromium's DevTools). */
export async function stopPageProfile(cdp: CDPSession, fileName: string): Promise<void> {
  const { profile } = await cdp.send('Profiler.stop')
  await mkdir(BENCH_OUTPUT_DIR, { recursive: true })
  await writeFile(join(BENCH_OUTPUT_DIR, fileName), JSON.stringify(profile))
  await cdp.detach()
  console.log(`  page profile: bench/output/${fileName}`)
}
