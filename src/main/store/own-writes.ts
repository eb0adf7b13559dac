// What this process last wrote to each project file. A file watcher sees Quire's own saves as
// changes too; comparing the file's content with what was written tells a colleague's change
// (arriving through a synced folder) from our own.
import { createHash } from 'node:crypto'

export class OwnWrites {
  readonly #digestByPath = new Map<string, string>()

  record(path: string, written: string | Uint8Array): void {
    this.#digestByPath.set(path, digest(written))
  }

  /** True when `content` is exactly what this process last wrote to `path`. */
  isOwn(path: string, content: Uint8Array): boolean {
    return this.#digestByPath.get(path) === digest(content)
  }
}

function digest(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
