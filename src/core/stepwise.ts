// Long work written as a generator that yields where it may stop for a while (after a slice of
// a long list or layer): the same code runs straight through, or in tasks with pauses between
// them so the window can paint and answer keys meanwhile.

/** Runs stepwise work without stopping. */
export function runToEnd<Result>(work: Generator<void, Result>): Result {
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
  }
}

/**
 * Runs stepwise work, calling `pause` at a yield once the current task has worked `taskMs`
 * (0: at every yield).
 */
export async function runInSlices<Result>(work: Generator<void, Result>, pause: () => Promise<void>, taskMs = 0): Promise<Result> {
  let until = performance.now() + taskMs
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
    if (performance.now() >= until) {
      await pause()
      until = performance.now() + taskMs
    }
  }
}
