// How fast this machine is, for reading a bench's figures against another machine's. Load
// average says whether other processes competed; it does not say the machine itself is slow.
// Two machines of the same "2 cores" kind measured the same tree at 162 and 692 ms for the
// 5 MB open: the second's virtual memory cost ~17 µs at each first touch of a page (a
// desktop's costs well under 1 µs) and its plain script ran about half as fast. Every figure
// that allocates pays the first; the fixed script workload shows the second.

/** Fresh memory touched by the probe: enough pages (16,384) for a steady figure, little enough to take well under a second. */
const PROBE_BYTES = 64 * 1024 * 1024
const PAGE_BYTES = 4096

export interface MachineSpeed {
  /** Median ms of a fixed script workload (objects, JSON, sorting strings): the same work everywhere. */
  scriptMs: number
  /** µs for the first touch of one 4 KB page of memory just allocated. */
  firstTouchUsPerPage: number
}

export function measureMachineSpeed(): MachineSpeed {
  const runs = [scriptWorkload(), scriptWorkload(), scriptWorkload()].sort((a, b) => a - b)
  return { scriptMs: runs[1] as number, firstTouchUsPerPage: firstTouchCost() }
}

export function describeMachineSpeed(speed: MachineSpeed): string {
  return `Machine speed: a fixed script workload ${speed.scriptMs.toFixed(0)} ms; first touch of fresh memory ${speed.firstTouchUsPerPage.toFixed(1)} µs per 4 KB page (bench/machine-speed.ts: compare these before comparing figures across machines)`
}

/** About what opening a large document does in script: objects made, written as JSON, parsed back, strings sorted. */
function scriptWorkload(): number {
  const started = performance.now()
  const spans = Array.from({ length: 100_000 }, (_, index) => ({ id: `a-${index.toString(36)}`, start: index * 60, end: index * 60 + 11, tag: ['PERSON', 'ORG', 'EVENT', 'PROGRAM'][index % 4] }))
  const parsed = JSON.parse(JSON.stringify(spans)) as typeof spans
  const ids = parsed.map((span) => `${span.tag}:${span.id}`).sort()
  if (ids.length !== spans.length) throw new Error('the speed probe lost spans')
  return performance.now() - started
}

function firstTouchCost(): number {
  const started = performance.now()
  // allocUnsafeSlow: new memory from the system, not Node's pool, and not zeroed by Node (which would touch it first).
  const buffer = Buffer.allocUnsafeSlow(PROBE_BYTES)
  for (let at = 0; at < buffer.length; at += PAGE_BYTES) buffer[at] = 1
  return ((performance.now() - started) * 1000) / (PROBE_BYTES / PAGE_BYTES)
}
