// The child of the import crash torture (import-torture.ts): imports the JSONL file it is given
// into the project through the real annotation import, in small batches, and says "batch N"
// after each batch is written, until it is killed.
import { readFile } from 'node:fs/promises'
import { AnnotationImportService } from '../src/main/services/annotation-import-service'
import { ProjectStore } from '../src/main/store/project-store'

const [projectDir, jsonlPath, batchSize] = process.argv.slice(2) as [string, string, string]
const store = await ProjectStore.open(projectDir)
const bytes = new Uint8Array(await readFile(jsonlPath))
const importer = new AnnotationImportService({ requireProject: () => store }, () => 'Torture')
let batches = 0
const report = await importer.importAnnotations([{ name: 'corpus.jsonl', bytes }], { format: 'jsonl', annotator: 'Torture' }, {
  batchSize: Number(batchSize),
  onProgress: () => process.stdout.write(`batch ${++batches}\n`)
})
await store.close()
process.stdout.write(report.imported ? 'done\n' : `failed ${JSON.stringify(report.errors.slice(0, 3))}\n`)
