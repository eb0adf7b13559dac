// Counts and warnings for one export run, shared by every format's generator.
import type { ExportOptions, ExportSummary, ExportWarning } from './types'

export class ExportTally {
  private readonly summary: ExportSummary = { documents: 0, spans: 0, dropped: 0, adjusted: 0, warnings: 0 }
  private readonly onWarning: ((warning: ExportWarning) => void) | undefined

  constructor(options: ExportOptions = {}) {
    this.onWarning = options.onWarning
  }

  warn(documentId: string, message: string): void {
    this.summary.warnings++
    this.onWarning?.({ documentId, message })
  }

  document(): void {
    this.summary.documents++
  }

  written(count = 1): void {
    this.summary.spans += count
  }

  dropped(count = 1): void {
    this.summary.dropped += count
  }

  adjusted(count = 1): void {
    this.summary.adjusted += count
  }

  result(): ExportSummary {
    return { ...this.summary }
  }
}

/** Runs an export to completion in memory: for tests and small exports. */
export function collectExport(generator: Generator<string, ExportSummary, undefined>): {
  output: string
  summary: ExportSummary
} {
  const chunks: string[] = []
  for (;;) {
    const step = generator.next()
    if (step.done) return { output: chunks.join(''), summary: step.value }
    chunks.push(step.value)
  }
}
