// The reader bench's trace reader: it must find the page's own main thread, count a GC nested in
// a layout once, and say what the bench did before a task, or it would blame the wrong work.
import { describe, expect, it } from 'vitest'
import { longTasksIn, type TraceEvent } from '../../bench/trace-tasks'

const PAGE = { pid: 7, tid: 1 }
const OTHER_PAGE = { pid: 9, tid: 1 }

function thread(ids: { pid: number; tid: number }, name: string): TraceEvent {
  return { name: 'thread_name', ph: 'M', ts: 0, ...ids, args: { name } }
}

function complete(name: string, ts: number, dur: number, extra: Partial<TraceEvent> = {}): TraceEvent {
  return { name, ph: 'X', ts, dur, ...PAGE, ...extra }
}

const events: TraceEvent[] = [
  thread(PAGE, 'CrRendererMain'),
  thread(OTHER_PAGE, 'CrRendererMain'),
  // The other renderer runs less script: its long task is not the page's.
  { name: 'ThreadControllerImpl::RunTask', ph: 'X', ts: 1_000, dur: 90_000, ...OTHER_PAGE },
  complete('FunctionCall', 1_000, 10),
  complete('FunctionCall', 2_000, 10),
  complete('EventDispatch', 10_000, 500, { args: { data: { type: 'keydown' } } }),
  // 60 ms: a script with a minor GC in it, then a layout holding a minor GC of its own.
  complete('ThreadControllerImpl::RunTask', 20_000, 60_000, { tdur: 41_000 }),
  complete('FunctionCall', 20_100, 30_000),
  complete('V8.GCScavenger', 25_000, 12_000),
  complete('Layout', 51_000, 20_000),
  complete('V8.GCScavenger', 55_000, 5_000),
  // Too short to list.
  complete('ThreadControllerImpl::RunTask', 90_000, 4_000),
  // Begin and end halves are joined into one task.
  { name: 'CommitLoad', ph: 'X', ts: 100_000, dur: 100, ...PAGE },
  { name: 'ThreadControllerImpl::RunTask', ph: 'B', ts: 110_000, ...PAGE },
  complete('ResponseBodyLoader::DidFinishLoadingBody', 111_000, 30_000),
  { name: 'ThreadControllerImpl::RunTask', ph: 'E', ts: 150_000, ...PAGE }
]

describe('trace tasks', () => {
  const tasks = longTasksIn(events, 30)

  it("lists the page's tasks over the threshold, with the bench's last step before each", () => {
    expect(tasks.map((task) => [task.at, task.wall, task.after])).toEqual([
      [19_000, 60_000, 'keydown at 0.009 s'],
      [109_000, 40_000, 'navigation at 0.099 s']
    ])
    expect(tasks[0]?.cpu).toBe(41_000)
  })

  it('counts a part held in another listed part once', () => {
    const [first, second] = tasks
    expect(Object.fromEntries(first?.parts ?? [])).toEqual({ 'minor GC': 12_000, layout: 20_000 })
    expect(first?.other).toBe(28_000)
    expect(Object.fromEntries(second?.parts ?? [])).toEqual({ 'response body (Network domain)': 30_000 })
  })
})
