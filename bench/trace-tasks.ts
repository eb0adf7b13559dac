// `npx tsx bench/trace-tasks.ts bench/output/reader-trace-5-mb.json [--min-ms 30]`: the long tasks
// of a page's main thread in a Chromium trace (the reader bench's --trace-page), each with its
// thread CPU time, what the bench was doing just before (navigation, click, key, scroll, the
// forced GC of the heap figure) and what it was made of: garbage collection by kind, the
// Network domain's copy of a response body (bench-only), style, layout, paint, the rest being
// mostly script. A freeze without a long task is two such tasks back to back: lower --min-ms.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  tdur?: number
  pid: number
  tid: number
  args?: { name?: string; data?: { type?: string } }
}

/** Parts of a task, each an event whose time is counted once (none of them nests in another of the list). */
const PARTS: Record<string, string> = {
  'V8.GCScavenger': 'minor GC',
  'V8.GCFinalizeMC': 'major GC, final pause',
  'V8.GCIncrementalMarking': 'major GC, marking step',
  'V8.GCCompactor': 'major GC, whole',
  'ResponseBodyLoader::DidFinishLoadingBody': 'response body (Network domain)',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  Paint: 'paint'
}
const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask'])

/** A task on the page's main thread, with what it was made of. Times in microseconds. */
export interface LongTask {
  /** From the thread's first event. */
  at: number
  wall: number
  cpu: number
  /** What the bench did last before it, e.g. "keydown at 10.319 s". */
  after: string
  /** Listed parts (PARTS' labels) with their time; the rest of the task is `other`. */
  parts: Map<string, number>
  other: number
}

/** The tasks of at least `minMs` on the page's main thread, in time order. */
export function longTasksIn(events: readonly TraceEvent[], minMs: number): LongTask[] {
  const thread = mainThreadOf(events)
  const onThread = completeEvents(events.filter((event) => `${event.pid}:${event.tid}` === thread))
  const start = onThread[0]?.ts ?? 0
  const tasks: LongTask[] = []
  let lastMarker = 'start'
  let partsFrom = 0
  for (const event of onThread) {
    const marker = markerOf(event)
    if (marker !== null) lastMarker = `${marker} at ${seconds(event.ts - start)}`
    if (!TASK_NAMES.has(event.name) || (event.dur ?? 0) < minMs * 1000) continue
    const end = event.ts + (event.dur ?? 0)
    const parts = new Map<string, number>()
    while (partsFrom < onThread.length && (onThread[partsFrom] as TraceEvent).ts < event.ts) partsFrom++
    // A part may hold another listed one (a GC inside a layout): only the outermost counts.
    let coveredUntil = -1
    for (let index = partsFrom; index < onThread.length && (onThread[index] as TraceEvent).ts < end; index++) {
      const inner = onThread[index] as TraceEvent
      const part = PARTS[inner.name]
      if (part === undefined || inner.ts < coveredUntil) continue
      parts.set(part, (parts.get(part) ?? 0) + (inner.dur ?? 0))
      coveredUntil = inner.ts + (inner.dur ?? 0)
    }
    const listed = [...parts.values()].reduce((sum, value) => sum + value, 0)
    tasks.push({ at: event.ts - start, wall: event.dur ?? 0, cpu: event.tdur ?? 0, after: lastMarker, parts, other: Math.max(0, (event.dur ?? 0) - listed) })
  }
  return tasks
}

async function main(): Promise<void> {
  const path = process.argv[2]
  if (path === undefined) throw new Error('usage: trace-tasks.ts TRACE.json [--min-ms 30]')
  const minIndex = process.argv.indexOf('--min-ms')
  const minMs = minIndex > 0 ? Number(process.argv[minIndex + 1]) : 30
  const parsed = JSON.parse(await readFile(path, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[]
  for (const task of longTasksIn(Array.isArray(parsed) ? parsed : parsed.traceEvents, minMs)) {
    const described = [...task.parts.entries()].sort((a, b) => b[1] - a[1]).map(([part, us]) => `${part} ${ms(us)}`)
    described.push(`other (mostly script) ${ms(task.other)}`)
    console.log(`${seconds(task.at)}  ${ms(task.wall).padStart(8)} wall, ${ms(task.cpu).padStart(8)} CPU  after ${task.after}: ${described.join(', ')}`)
  }
}

/** The renderer main thread that ran the most script: the measured page's. */
function mainThreadOf(events: readonly TraceEvent[]): string {
  const renderers = new Set(events.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`))
  const calls = new Map<string, number>()
  for (const event of events) {
    const key = `${event.pid}:${event.tid}`
    if (renderers.has(key) && event.name === 'FunctionCall') calls.set(key, (calls.get(key) ?? 0) + 1)
  }
  const busiest = [...calls.entries()].sort((a, b) => b[1] - a[1])[0]
  if (busiest === undefined) throw new Error('no renderer main thread ran script in this trace')
  return busiest[0]
}

/** Begin/end pairs joined into complete events, all in time order (an outer event before those it holds). */
function completeEvents(events: readonly TraceEvent[]): TraceEvent[] {
  const complete: TraceEvent[] = []
  const open: TraceEvent[] = []
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    if (event.ph === 'X') complete.push(event)
    else if (event.ph === 'B') open.push(event)
    else if (event.ph === 'E') {
      const begun = open.pop()
      if (begun !== undefined) complete.push({ ...begun, ph: 'X', dur: event.ts - begun.ts })
    }
  }
  return complete.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
}

function markerOf(event: TraceEvent): string | null {
  if (event.name === 'CommitLoad') return 'navigation'
  if (event.name === 'V8.GCLowMemoryNotification') return 'forced GC'
  const type = event.name === 'EventDispatch' ? event.args?.data?.type : undefined
  return type === 'click' || type === 'keydown' || type === 'scroll' ? type : null
}

const ms = (microseconds: number): string => `${(microseconds / 1000).toFixed(1)} ms`
const seconds = (microseconds: number): string => `${(microseconds / 1e6).toFixed(3)} s`

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main()
