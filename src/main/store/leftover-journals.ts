// Journals a Quire left behind when it stopped before folding them into their layer files (a
// crash, a kill, a power cut). A git sync commits layer files, never journals, so before it
// commits, every journal in the project is folded in: the saves in it were confirmed to the
// user and must reach the team.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { isErrnoCode } from './durable-file'
import { layerPathOfJournal } from './layer-journal'
import { ANNOTATIONS_FOLDER, type ProjectStore } from './project-store'

/**
 * Folds every layer journal in the project into its layer file (loading the layer, so a
 * damaged journal is refused with its name and line, and nothing is written). Returns the
 * layer files rewritten.
 */
export async function foldLeftoverJournals(store: ProjectStore): Promise<string[]> {
  store.assertWritable()
  const folded: string[] = []
  for (const documentId of await store.documentFolderNames()) {
    const folder = join(store.documentFolder(documentId), ANNOTATIONS_FOLDER)
    let names: string[]
    try {
      names = await readdir(folder)
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT') || isErrnoCode(error, 'ENOTDIR')) continue
      throw error
    }
    for (const name of names) {
      const layerPath = layerPathOfJournal(join(folder, name))
      if (layerPath === null) continue
      const layer = await store.annotationLayerAt(await store.readRecord(documentId), layerPath)
      if (!layer.hasJournal) continue
      await layer.compact()
      folded.push(layerPath)
    }
  }
  return folded
}
