// What this process last wrote to each project file. A file watcher sees Quire's own saves as
// changes too; comparing the file's content with what was written tells a colleague's change
// (arriving through a synced folder) from our own.
import { createHash } from 'node:crypto'

export class OwnWrites {
  readonly #digestByPath = new Map<string, string>()
  /**
   * Off until a change tracker follows the project: nothing else asks, and a command-line
   * import of 100,000 documents would otherwise keep 300,000 paths and digests for nobody.
   */
  #remembering = false

  /** Called by whatever compares files with what was written (the change tracker), before it looks. */
  startRemembering(): void {
    this.#remembering = true
  }

  record(path: string, written: string | Uint8Array): void {
    if (this.#remembering) this.#digestByPath.set(path, digest(written))
  }

  /** True when `content` is exactly what this process last wrote to `path`. */
  isOwn(path: string, content: Uint8Array): boolean {
    return this.#digestByPath.get(path) === digest(content)
  }
}

function digest(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
