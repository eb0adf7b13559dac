// axe-core's WCAG 2.1 A and AA rules over what a page shows, as the accessibility and
// colour-scheme tests run them: a violation fails with the rule, the element and why.
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

export const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

export interface AxeCheckOptions {
  /** Only this part of the page (a CSS selector), e.g. an open dialog. */
  include?: string
}

/** Runs axe on the page as it is and describes each violation, one node per line (empty when none). */
export async function axeViolations(page: Page, options: AxeCheckOptions = {}): Promise<string[]> {
  // Quire draws no frames, so axe.run in the page itself checks the same as the default
  // (runPartial per frame, then finishRun in a new blank page) for a fraction of the time.
  let builder = new AxeBuilder({ page }).withTags(WCAG_21_AA_TAGS).setLegacyMode()
  if (options.include) builder = builder.include(options.include)
  const results = await builder.analyze()
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact ?? 'n/a'}): ${node.target.join(' ')} — ${node.failureSummary?.replace(/\s+/g, ' ') ?? violation.help}`)
  )
}

/** Throws, naming the screen, when axe finds any WCAG 2.1 AA violation. */
export async function expectNoAxeViolations(page: Page, screen: string, options: AxeCheckOptions = {}): Promise<void> {
  const violations = await axeViolations(page, options)
  if (violations.length > 0) {
    throw new Error(`axe: ${violations.length === 1 ? '1 WCAG 2.1 AA violation' : `${violations.length} WCAG 2.1 AA violations`} on ${screen}:\n${violations.join('\n')}`)
  }
}
