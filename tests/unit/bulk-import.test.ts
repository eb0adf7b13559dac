// Bulk import: batches written whole or not at all, progress after each batch, cancel between
// batches, and the command line's progress line only on a terminal.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { ImportService } from '../../src/main/services/import-service'
import { injectDurableWriteFault } from '../../src/main/store/durable-file'
import { IMPORT_BATCH_FILE_NAME } from '../../src/main/store/document-batch'
import { ProjectStore } from '../../src/main/store/project-store'
import type { ImportFile } from '../../src/shared/model'
import { makeTempFolder } from '../fixtures/temp-folder'

const texts = (count: number, from = 0): ImportFile[] =>
  Array.from({ length: count }, (_, index) => ({ name: `news-${from + index}.txt`, bytes: new TextEncoder().encode(`News item ${from + index}: ICESCO met in Baku.`) }))

async function newProject(): Promise<ProjectStore> {
  return ProjectStore.create(join(await makeTempFolder('quire-bulk-'), 'project'), 'Bulk')
}

afterEach(() => injectDurableWriteFault(null))

describe('bulk import', () => {
  it('writes in batches and says how far it is after each', async () => {
    const store = await newProject()
    const progress: [number, number][] = []
    const report = await new ImportService({ requireProject: () => store }, MAX_IMPORT_BYTES).importTexts(texts(25), 'Ayla', { batchSize: 10, onProgress: (done, total) => progress.push([done, total]) })
    expect(report.imported).toHaveLength(25)
    expect(progress).toEqual([[10, 25], [20, 25], [25, 25]])
    expect(await store.documentFolderNames()).toHaveLength(25)
    await store.close()
  })

  it('a batch whose commit fails leaves nothing of it; the batches before stay', async () => {
    const store = await newProject()
    let commits = 0
    injectDurableWriteFault((step, path) => {
      if (step === 'rename' && path.endsWith(IMPORT_BATCH_FILE_NAME) && ++commits === 2) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' })
    })
    const report = await new ImportService({ requireProject: () => store }, MAX_IMPORT_BYTES).importTexts(texts(30), 'Ayla', { batchSize: 10 })
    expect(report.imported.map((imported) => imported.fileName)).toEqual([...texts(10).map((file) => file.name), ...texts(10, 20).map((file) => file.name)])
    expect(report.refused.map((refused) => refused.fileName)).toEqual(texts(10, 10).map((file) => file.name))
    expect(report.refused[0]?.reason).toContain('could not be saved')
    expect((await store.listDocuments()).map((listing) => listing.id).sort()).toEqual(report.imported.map((imported) => imported.documentId).sort())
    await store.close()
  })

  it('a batch committed but cut off before its last folder is written whole when the project opens again', async () => {
    const store = await newProject()
    await new ImportService({ requireProject: () => store }, MAX_IMPORT_BYTES).importTexts(texts(3), 'Ayla')
    const ids = await store.documentFolderNames()
    const dir = store.dir
    await store.close()
    // As a crash leaves it: the batch file committed, two of its three folders gone or half-written.
    const batch = { format: 'quire-import-batch', documents: [] as unknown[] }
    for (const id of ids) {
      const folder = join(dir, 'documents', id)
      const files = await Promise.all(['text.txt', 'document.json'].map(async (name) => [name, await readFile(join(folder, name), 'utf8')]))
      batch.documents.push({ id, files })
    }
    await writeFile(join(dir, '.quire', IMPORT_BATCH_FILE_NAME), JSON.stringify(batch))
    await rm(join(dir, 'documents', ids[0] as string), { recursive: true })
    await rm(join(dir, 'documents', ids[1] as string, 'document.json'))
    const reopened = await ProjectStore.open(dir)
    expect((await reopened.listDocuments()).map((listing) => ('record' in listing ? listing.id : listing.problem.message)).sort()).toEqual([...ids].sort())
    for (const id of ids) expect(await reopened.readText(id)).toMatch(/^News item/)
    expect(await readdir(join(dir, '.quire'))).not.toContain(IMPORT_BATCH_FILE_NAME)
    await reopened.close()
  })

  it('stops between batches when cancelled, keeping the batches written', async () => {
    const store = await newProject()
    const abort = new AbortController()
    const report = await new ImportService({ requireProject: () => store }, MAX_IMPORT_BYTES).importTexts(texts(35), 'Ayla', {
      batchSize: 10,
      signal: abort.signal,
      onProgress: (done) => {
        if (done === 20) abort.abort()
      }
    })
    expect(report.imported).toHaveLength(20)
    expect(report.cancelled).toEqual({ notImported: 15 })
    expect(await store.documentFolderNames()).toHaveLength(20)
    await store.close()
  })

  it('shows a progress line on a terminal and nothing when piped', async () => {
    const root = await makeTempFolder('quire-bulk-cli-')
    const folder = join(root, 'texts')
    await mkdir(folder)
    for (const file of texts(501)) await writeFile(join(folder, file.name), file.bytes)
    const run = async (interactive: boolean, project: string): Promise<{ out: string; err: string; code: number }> => {
      let out = ''
      let err = ''
      const code = await runCli(['import', join(root, project), folder, '--annotator', 'Ayla'], { out: (text) => (out += text), err: (text) => (err += text), interactive })
      return { out, err, code }
    }
    const terminal = await run(true, 'on-terminal')
    expect(terminal).toMatchObject({ code: 0, out: 'Imported 501 texts.\n' })
    expect(terminal.err).toContain('\rImporting: 500 of 501 documents')
    expect(terminal.err).toContain('\rImporting: 501 of 501 documents\n')
    const piped = await run(false, 'piped')
    expect(piped).toMatchObject({ code: 0, out: 'Imported 501 texts.\n' })
    expect(piped.err).not.toContain('Importing')
  }, 120_000)
})
