// entities.json at the project root, read and written like project.json: validated on read,
// written durably by the process holding the project's lock, recorded as our own write (so the
// watcher tells it from a colleague's synced change) and backed up. A damaged file is reported
// and never overwritten: every change is refused until it is repaired or restored.
import { join } from 'node:path'
import type { EntityFile } from '../../shared/finding-model'
import { emptyEntityFile } from '../../core/entities/entity-set'
import { ENTITIES_FILE } from './file-kinds'
import { DurableJsonFile } from './json-store'
import { ENTITIES_FILE_NAME, type ProjectStore } from './project-store'

export { ENTITIES_FILE_NAME }

export function entitiesPath(store: Pick<ProjectStore, 'dir'>): string {
  return join(store.dir, ENTITIES_FILE_NAME)
}

/** The saved entities; a missing file is no entity yet. Throws a QuireError naming the file when it cannot be read. */
export async function readEntityFile(store: Pick<ProjectStore, 'dir'>): Promise<EntityFile> {
  return (await new DurableJsonFile(entitiesPath(store), ENTITIES_FILE).read()) ?? emptyEntityFile()
}

/** One change at a time per project: two merges arriving together must not both start from the same file. */
const queues = new WeakMap<ProjectStore, Promise<unknown>>()

/**
 * Reads entities.json, applies `change` and writes the result, after the changes queued before
 * it. Refused (the file untouched) when the project is read-only or the file cannot be read.
 */
export function updateEntityFile<T>(store: ProjectStore, change: (file: EntityFile) => { file: EntityFile; result: T }): Promise<T> {
  const previous = queues.get(store) ?? Promise.resolve()
  const next = previous.catch(() => undefined).then(async () => {
    store.assertWritable()
    const path = entitiesPath(store)
    const file = new DurableJsonFile(
      path,
      ENTITIES_FILE,
      (written) => store.backups.recordVersion(path, written),
      (written) => store.ownWrites.record(path, written)
    )
    const current = (await file.read()) ?? emptyEntityFile()
    const { file: updated, result } = change(current)
    await file.write(updated)
    return result
  })
  queues.set(store, next)
  return next
}
