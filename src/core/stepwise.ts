// Long work written as a generator that yields where it may stop for a while (after a slice of
// a long list or layer): the same code runs straight through, or in tasks with pauses between
// them so the window can paint and answer keys meanwhile.

/**
 * Yielded before a step that cannot be cut and takes a slice or more by itself (a long text
 * decoded in one piece): that step then starts a task of its own instead of being added to one
 * that has already worked, so the longest task is the step alone.
 */
export const OWN_TASK_NEXT = Symbol('the next step starts a task of its own')

/** What stepwise work yields: nothing (it may stop here), or OWN_TASK_NEXT. */
export type Step = void | typeof OWN_TASK_NEXT

/** Runs stepwise work without stopping. */
export function runToEnd<Result>(work: Generator<Step, Result>): Result {
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
  }
}

/**
 * Runs stepwise work, calling `pause` at a yield once the current task has worked `taskMs`
 * (0: at every yield), and always at OWN_TASK_NEXT.
 */
export async function runInSlices<Result>(work: Generator<Step, Result>, pause: () => Promise<void>, taskMs = 0): Promise<Result> {
  let until = performance.now() + taskMs
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
    if (step.value === OWN_TASK_NEXT || performance.now() >= until) {
      await pause()
      until = performance.now() + taskMs
    }
  }
}
