// nextTask (src/renderer/src/lib/next-task.ts) in Chromium, whose scheduler is what it answers
// to: work split into slices joined by nextTask must let the page's timers run between every two
// slices. Joined by a message alone, Chromium ran the next slice before timers that fell due
// meanwhile, and a 10 ms timer waited two to four slices (the reader bench's "longest freeze").
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/quire'

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

/** next-task.ts as a script for a page, exposing its exports as window.quireNextTask. */
async function nextTaskScript(): Promise<string> {
  const built = await build({
    entryPoints: [join(import.meta.dirname, '../../src/renderer/src/lib/next-task.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'quireNextTask',
    write: false
  })
  return built.outputFiles[0]?.text ?? ''
}

describe('nextTask in Chromium', () => {
  it('lets a repeating timer run between every two slices of a chain', async () => {
    const page = await browser.newPage()
    try {
      await page.addScriptTag({ content: await nextTaskScript() })
      const ticksBeforeSlices = await page.evaluate(async () => {
        const { nextTask } = (globalThis as unknown as { quireNextTask: { nextTask: () => Promise<void> } }).quireNextTask
        let ticks = 0
        const interval = setInterval(() => ticks++, 2)
        const seen: number[] = []
        for (let slice = 0; slice < 20; slice++) {
          seen.push(ticks)
          const until = performance.now() + 6
          while (performance.now() < until);
          await nextTask()
        }
        clearInterval(interval)
        return seen
      })
      const slicesWithoutTick = ticksBeforeSlices.slice(1).filter((ticks, slice) => ticks === ticksBeforeSlices[slice])
      expect(slicesWithoutTick).toEqual([])
    } finally {
      await page.close()
    }
  })
})
