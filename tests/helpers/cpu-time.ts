// How long a piece of synchronous work keeps the processor busy, for tests that guard against an
// accidental quadratic path. Wall time is the wrong measure there: on a shared two-core machine
// with a load of 20 a test waits for the processor far longer than it runs, and a bound on wall
// time fails for reasons of its neighbours. The process's CPU time counts only its own running
// (with the garbage collector's helper threads, which belong to the work anyway).

/** Runs `work` and returns its result with the CPU time it took, in milliseconds. */
export function withCpuTime<T>(work: () => T): { result: T; cpuMs: number } {
  const before = process.cpuUsage()
  const result = work()
  const { user, system } = process.cpuUsage(before)
  return { result, cpuMs: (user + system) / 1000 }
}
