// An import the window follows while its call runs: main writes it in batches and says how far
// it is when asked (getImportProgress, polled: the same over IPC and HTTP), and stops it after
// the batch being written when cancelled. The call itself still answers with the report.
import type { QuireApi } from '../../../../shared/api'
import type { ImportProgress } from '../../../../shared/model'
import { count, plural } from '../text/quantities'

const POLL_MS = 250
/** An import answered sooner shows no progress at all: a dialog flashing by is noise. */
const SHOW_AFTER_MS = 400

export class ImportJob {
  readonly jobId = crypto.randomUUID()
  progress = $state.raw<ImportProgress | null>(null)
  /** Shown once the import has run a moment. */
  shown = $state(false)
  cancelling = $state(false)
  readonly #api: Pick<QuireApi, 'getImportProgress' | 'cancelImport'>
  #running = false

  constructor(api: Pick<QuireApi, 'getImportProgress' | 'cancelImport'>) {
    this.#api = api
  }

  /** Runs the import call named by this job's id, following its progress until it answers. */
  async run<T>(start: (jobId: string) => Promise<T>): Promise<T> {
    this.#running = true
    const poll = setInterval(() => void this.#poll(), POLL_MS)
    const show = setTimeout(() => (this.shown = true), SHOW_AFTER_MS)
    try {
      return await start(this.jobId)
    } finally {
      this.#running = false
      clearInterval(poll)
      clearTimeout(show)
    }
  }

  /** "Imported 3,500 of 10,000 documents"; before the first batch, what main is doing. */
  get description(): string {
    const progress = this.progress
    if (this.cancelling) return progress === null ? 'Cancelling…' : `Cancelling after the batch being written (${count(progress.done)} of ${plural(progress.total, 'document')} imported)…`
    if (progress === null || progress.total === 0) return 'Checking the files…'
    return `Imported ${count(progress.done)} of ${plural(progress.total, 'document')}`
  }

  async cancel(): Promise<void> {
    if (this.cancelling || !this.#running) return
    this.cancelling = true
    await this.#api.cancelImport(this.jobId)
  }

  async #poll(): Promise<void> {
    try {
      const progress = await this.#api.getImportProgress(this.jobId)
      if (this.#running && progress !== null) this.progress = progress
    } catch {
      // A poll that fails says nothing about the import, which answers for itself.
    }
  }
}

/** What a cancelled import kept, for its report: "Cancelled: 3,500 documents were imported and are in the project; 6,500 were not." */
export function describeCancelledImport(imported: number, notImported: number): string {
  return `Cancelled: ${plural(imported, 'document')} ${imported === 1 ? 'was' : 'were'} imported and ${imported === 1 ? 'is' : 'are'} in the project; ${count(notImported)} ${notImported === 1 ? 'was' : 'were'} not.`
}
