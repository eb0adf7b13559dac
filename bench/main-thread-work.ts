// The work the window's main thread did, in CPU time: Chromium's Performance domain with thread
// ticks. The reader bench's timings are wall-clock, as the harness measured them, and on
// a two-core machine they grow whenever another process takes a core (the same code's 100 KB
// open measured 153–246 ms in one hour); the thread's CPU time moves less (still with the machine's
// own speed), so it shows whether a change made the window's work smaller (issue 12's bench:
// printed beside the targets, not one).
import type { CDPSession, Page } from 'playwright-core'
import { coreWaitBetween, readRendererSchedule, type CoreWait } from './core-wait'

export interface MainThreadWork {
  /** Every task the thread ran. */
  taskMs: number
  scriptMs: number
  styleMs: number
  layoutMs: number
}

const METRICS: Record<keyof MainThreadWork, string> = {
  taskMs: 'TaskDuration',
  scriptMs: 'ScriptDuration',
  styleMs: 'RecalcStyleDuration',
  layoutMs: 'LayoutDuration'
}

export const NO_WORK: MainThreadWork = { taskMs: 0, scriptMs: 0, styleMs: 0, layoutMs: 0 }

export class MainThreadWorkMeter {
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page): Promise<MainThreadWorkMeter> {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
    return new MainThreadWorkMeter(cdp)
  }

  /** The work since the page's document began: the counters start again at each navigation. */
  async read(): Promise<MainThreadWork> {
    const { metrics } = await this.cdp.send('Performance.getMetrics')
    const value = (name: string): number => (metrics.find((metric) => metric.name === name)?.value ?? Number.NaN) * 1000
    return eachFigure((key) => value(METRICS[key]))
  }

  /**
   * The work `action` made the thread do (within one document), divided by `per` (e.g. the presses
   * it made), and how long the window's thread waited for a core meanwhile (core-wait.ts; whole).
   */
  async measure<T>(action: () => Promise<T>, per = 1): Promise<{ result: T; work: MainThreadWork; coreWait: CoreWait | null }> {
    const scheduleBefore = readRendererSchedule()
    const before = await this.read()
    const result = await action()
    const after = await this.read()
    const coreWait = coreWaitBetween(scheduleBefore, readRendererSchedule())
    return { result, work: scaleWork(subtractWork(after, before), 1 / per), coreWait }
  }
}

function subtractWork(after: MainThreadWork, before: MainThreadWork): MainThreadWork {
  return eachFigure((key) => after[key] - before[key])
}

export function addWork(a: MainThreadWork, b: MainThreadWork): MainThreadWork {
  return eachFigure((key) => a[key] + b[key])
}

export function scaleWork(work: MainThreadWork, factor: number): MainThreadWork {
  return eachFigure((key) => work[key] * factor)
}

function eachFigure(figure: (key: keyof MainThreadWork) => number): MainThreadWork {
  return { taskMs: figure('taskMs'), scriptMs: figure('scriptMs'), styleMs: figure('styleMs'), layoutMs: figure('layoutMs') }
}

/** "84 ms (script 25, style 7, layout 4)". */
export function describeWork(work: MainThreadWork): string {
  const ms = (value: number): string => (value < 10 ? value.toFixed(1) : String(Math.round(value)))
  return `${ms(work.taskMs)} ms (script ${ms(work.scriptMs)}, style ${ms(work.styleMs)}, layout ${ms(work.layoutMs)})`
}
