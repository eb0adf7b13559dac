// Writes bench corpora as a real Quire project folder, through the same code the app uses:
// QuireBackend creates the project, sets the annotator and imports the texts; the project
// store writes each annotation layer (validated again when the app reads it).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { QuireBackend } from '../src/main/backend'
import { ProjectStore } from '../src/main/store/project-store'
import { SAMPLE_TEXTS_DIR } from '../src/server/app-paths'
import type { Annotation } from '../src/shared/model'

export interface BenchDocument {
  /** Display name in the document list (the imported file is this name + ".txt"). */
  name: string
  text: string
  annotations: Annotation[]
  /** Other people's layers on the document (colleagues whose files arrived in the project). */
  otherLayers?: readonly { annotator: string; annotations: Annotation[] }[]
}

export interface WrittenBenchProject {
  projectDir: string
  userDataDir: string
  /** Document id by the name it was given. */
  documentIds: Map<string, string>
}

/** The sample project's texts, in file-name order: the raw material of every bench corpus. */
export async function readSampleTexts(dir: string = SAMPLE_TEXTS_DIR): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.txt')).sort()
  if (names.length === 0) throw new Error(`No sample texts (*.txt) in ${dir}`)
  return Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')))
}

export async function writeBenchProject(
  rootDir: string,
  annotator: string,
  documents: readonly BenchDocument[]
): Promise<WrittenBenchProject> {
  const projectDir = join(rootDir, 'project')
  const userDataDir = join(rootDir, 'user-data')
  const backend = new QuireBackend({
    userDataDir,
    sampleTextsDir: SAMPLE_TEXTS_DIR,
    edition: 'browser',
    version: 'bench',
    osUserName: annotator,
    dialogs: null
  })
  await backend.setAnnotatorName(annotator)
  await backend.createProject(projectDir, 'Reader bench')
  const encoder = new TextEncoder()
  const report = await backend.importTexts(documents.map((document) => ({ name: `${document.name}.txt`, bytes: encoder.encode(document.text) })))
  await backend.closeProject()
  const problems = [...report.refused.map((refused) => refused.reason), ...report.duplicates.map((duplicate) => `${duplicate.fileName} is a duplicate`)]
  if (problems.length > 0) throw new Error(`The bench texts did not import: ${problems.join('; ')}`)

  const documentIds = new Map<string, string>()
  const store = await ProjectStore.open(projectDir)
  try {
    for (const document of documents) {
      const imported = report.imported.find((entry) => entry.fileName === `${document.name}.txt`)
      if (!imported) throw new Error(`${document.name} is missing from the import report`)
      documentIds.set(document.name, imported.documentId)
      const layers = [{ annotator, annotations: document.annotations }, ...(document.otherLayers ?? [])]
      for (const { annotator: owner, annotations } of layers) {
        if (annotations.length === 0) continue
        const record = await store.readRecord(imported.documentId)
        const layer = await store.annotationLayer(record, owner)
        await layer.update((draft) => {
          draft.status = 'in-progress'
          draft.annotations = annotations
        })
      }
    }
  } finally {
    await store.close()
  }
  return { projectDir, userDataDir, documentIds }
}
