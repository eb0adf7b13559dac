// How long the window's main thread was ready to run and waited for a core: Linux's per-thread
// scheduler statistics (/proc/PID/task/TID/schedstat: time on a CPU, time waiting on a run
// queue, in ns). On two cores a freeze the reader bench measures can be the app's work or the
// window's thread waiting behind the raster thread, the GPU process, the server and the bench's
// own driver; traced, one 5 MB open's 49 ms task held 6 ms of the thread's CPU time. This tells
// the two apart without a trace, which inflates every timing. Printed, not judged (issue 12).
//
// Every main thread of a renderer this process started (through Chromium) is read (the thread
// whose id is its process's), since a navigation may move the page to another renderer process;
// renderers that did nothing add nothing, and another program's Chromium is left out.
import { readdirSync, readFileSync } from 'node:fs'

/** Per renderer process id: its main thread's ns on a CPU and ns waiting for one, so far. */
export type RendererSchedule = Map<number, { runNs: number; waitNs: number }>

export interface CoreWait {
  /** ms the renderers' main threads ran between two readings. */
  ranMs: number
  /** ms they were ready to run and waited for a core. */
  waitedMs: number
}

/** null where the kernel gives no such statistics (not Linux, or schedstats compiled out). */
export function readRendererSchedule(): RendererSchedule | null {
  if (process.platform !== 'linux') return null
  const schedule: RendererSchedule = new Map()
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return null
  }
  const parentOf = new Map<number, number>()
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // "pid (comm) state ppid …": the name may hold spaces and parentheses, so read after its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1')
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // Gone since the listing.
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parentOf.get(at)) if (at === process.pid) return true
    return false
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || !isOurs(Number(entry))) continue
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes('--type=renderer')) continue
      const [runNs, waitNs] = readFileSync(`/proc/${entry}/task/${entry}/schedstat`, 'latin1').trim().split(/\s+/).map(Number)
      if (Number.isFinite(runNs) && Number.isFinite(waitNs)) schedule.set(Number(entry), { runNs: runNs as number, waitNs: waitNs as number })
    } catch {
      // Gone between the listing and the read, or not ours to read.
    }
  }
  return schedule
}

/** What the renderers' main threads did between two readings (a renderer started since counts whole). */
export function coreWaitBetween(before: RendererSchedule | null, after: RendererSchedule | null): CoreWait | null {
  if (before === null || after === null) return null
  let runNs = 0
  let waitNs = 0
  for (const [pid, now] of after) {
    const then = before.get(pid)
    runNs += now.runNs - (then?.runNs ?? 0)
    waitNs += now.waitNs - (then?.waitNs ?? 0)
  }
  return { ranMs: runNs / 1e6, waitedMs: waitNs / 1e6 }
}

/** "waited 12 ms (ran 230)", or "–" where not measured. */
export function describeCoreWait(wait: CoreWait | null): string {
  if (wait === null) return '–'
  const ms = (value: number): string => (value < 10 ? value.toFixed(1) : String(Math.round(value)))
  return `waited ${ms(wait.waitedMs)} ms (ran ${ms(wait.ranMs)})`
}

/** Both together (null when either is not measured). */
export function addCoreWait(a: CoreWait | null, b: CoreWait | null): CoreWait | null {
  return a === null || b === null ? null : { ranMs: a.ranMs + b.ranMs, waitedMs: a.waitedMs + b.waitedMs }
}
