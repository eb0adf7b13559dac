// Types for scripts/electronegativity.mjs, so its unit test typechecks.
export interface AllowListEntry {
  check: string
  /** Path under src/, as electronegativity reports it. */
  file: string
  reason: string
  /** 1-based line in docs/SECURITY.md. */
  line: number
}
export interface Finding {
  check: string
  file: string
  line: number
  message: string
}
export const ALLOW_LIST_HEADING: string
export function parseAllowList(markdown: string): AllowListEntry[]
export function findingsFromSarif(sarif: unknown): Finding[]
export function compareFindings(
  findings: readonly Finding[],
  allowList: readonly AllowListEntry[]
): { explained: Finding[]; unexplained: Finding[]; unused: AllowListEntry[] }
