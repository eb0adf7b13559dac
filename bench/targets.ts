// The targets a benchmark holds its figures to. Each check returns PASS or MISS for the bench
// to print beside its figure and is remembered; at the end the bench prints one line naming
// every miss and exits with TARGETS_MISSED_EXIT_CODE, so `npm run bench` reports it as failed.
// Timings depend on the machine's load, so a miss on a busy machine is worth a rerun before it
// is read as a regression; it still fails, because a miss nobody has to look at goes unseen.

export type Verdict = 'PASS' | 'MISS'

/** A bench's exit code when every figure was measured but some missed their target. */
export const TARGETS_MISSED_EXIT_CODE = 3

interface TargetCheck {
  /** What was measured, e.g. "5 MB open → highlights painted (median)". */
  figure: string
  value: string
  limit: string
  met: boolean
}

const checks: TargetCheck[] = []

/**
 * PASS when `value` is under `limit` (a NaN value, nothing measured, is a MISS).
 * `format` writes the value and the limit in the figure's unit.
 */
export function checkUnder(figure: string, value: number, limit: number, format: (n: number) => string = String): Verdict {
  const met = value < limit
  checks.push({ figure, value: format(value), limit: format(limit), met })
  return met ? 'PASS' : 'MISS'
}

/** Prints the closing line and returns the bench's exit code: 0, or TARGETS_MISSED_EXIT_CODE. */
export function reportTargets(): number {
  const misses = checks.filter((check) => !check.met)
  if (misses.length === 0) {
    console.log(`\nTargets: all ${checks.length} met.`)
    return 0
  }
  const listed = misses.map((miss) => `${miss.figure} ${miss.value} (target < ${miss.limit})`).join('; ')
  console.log(`\nTargets: MISSED ${misses.length} of ${checks.length}: ${listed}`)
  return TARGETS_MISSED_EXIT_CODE
}
