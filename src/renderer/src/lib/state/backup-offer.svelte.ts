// When a project file cannot be read (a 'corrupt-store' error naming its path), the editor is
// offered the newest good backup of that file. (A restore is then said in a notice: AppState.)
import type { QuireApi } from '../../../../shared/api'
import type { QuireError } from '../../../../shared/api'
import type { BackupSummary } from '../../../../shared/model'

export class BackupOffer {
  /** The newest good backup of the file the current error is about; null when there is none (yet). */
  newest = $state.raw<BackupSummary | null>(null)
  #lookup = 0

  constructor(private readonly api: Pick<QuireApi, 'listBackups'>) {}

  /** Looks up backups for `error` (called whenever the app's error changes); any earlier lookup is dropped. */
  async offerFor(error: QuireError | null): Promise<void> {
    const lookup = ++this.#lookup
    this.newest = null
    if (error?.code !== 'corrupt-store' || error.path === undefined) return
    try {
      const backups = await this.api.listBackups(error.path)
      if (lookup === this.#lookup) this.newest = backups[0] ?? null
    } catch {
      // No backups to offer (e.g. not a project file); the error itself is already shown.
    }
  }
}
