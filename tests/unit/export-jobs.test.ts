// Export jobs (start, poll, cancel, forget) against a scripted exporter, then the backend's
// export and import-annotation calls against a real project in a temp folder.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { QuireBackend, type DesktopDialogs } from '../../src/main/backend'
import { ExportJobs, type CorpusExporter } from '../../src/main/services/export-jobs'
import { suggestOutPaths } from '../../src/main/services/export-choices'
import { QuireError } from '../../src/shared/api'
import { asUtf16, type ExportJobStatus, type ExportProgress, type ExportRequest, type ExportResult } from '../../src/shared/model'
import { makeTempFolder } from '../fixtures/temp-folder'

const request: ExportRequest = { format: 'jsonl', outPath: '/tmp/out.jsonl', documentIds: 'all', annotators: 'all' }

function resultFor(outPath: string, cancelled = false): ExportResult {
  return { outPath, files: cancelled ? [] : [outPath], documents: 2, spans: 5, dropped: 0, adjusted: 0, warnings: [], cancelled }
}

/** An exporter that reports progress and then waits until the test lets it finish (or it is aborted). */
function steppedExporter() {
  let finish: () => void = () => undefined
  const exporter: CorpusExporter = {
    export: (req, options) =>
      new Promise<ExportResult>((resolve) => {
        options.onProgress?.({ documentsDone: 1, documentsTotal: 2, spansWritten: 3 })
        // Like the real service, a cancel that came before the export started is honoured at once.
        if (options.signal?.aborted) resolve(resultFor(req.outPath, true))
        options.signal?.addEventListener('abort', () => resolve(resultFor(req.outPath, true)))
        finish = () => resolve(resultFor(req.outPath))
      })
  }
  return { exporter, finish: () => finish() }
}

async function settle(jobs: ExportJobs, jobId: string): Promise<ExportJobStatus> {
  await vi.waitFor(() => expect(jobs.status(jobId).state).not.toBe('running'))
  return jobs.status(jobId)
}

describe('ExportJobs', () => {
  it('reports progress while running and the result when finished', async () => {
    const stepped = steppedExporter()
    const jobs = new ExportJobs(async () => stepped.exporter)
    const { jobId } = jobs.start(request)
    await vi.waitFor(() => expect(jobs.status(jobId).progress).toEqual<ExportProgress>({ documentsDone: 1, documentsTotal: 2, spansWritten: 3 }))
    expect(jobs.status(jobId).state).toBe('running')
    expect(jobs.wrote('/tmp/out.jsonl')).toBe(false)
    stepped.finish()
    const status = await settle(jobs, jobId)
    expect(status).toMatchObject({ state: 'finished', result: resultFor('/tmp/out.jsonl') })
    expect(jobs.wrote('/tmp/out.jsonl')).toBe(true)
    expect(jobs.wrote('/etc/passwd')).toBe(false)
  })

  it('cancels through the abort signal and refuses a second export to the same path while one runs', async () => {
    const stepped = steppedExporter()
    const jobs = new ExportJobs(async () => stepped.exporter)
    const { jobId } = jobs.start(request)
    expect(() => jobs.start({ ...request, format: 'csv' })).toThrow(/already running/)
    jobs.cancel(jobId)
    expect((await settle(jobs, jobId)).result?.cancelled).toBe(true)
    expect(jobs.wrote('/tmp/out.jsonl')).toBe(false)
    // Finished: the path is free again.
    expect(() => jobs.start(request)).not.toThrow()
  })

  it('keeps a failure as QuireError info, path included', async () => {
    const jobs = new ExportJobs(async () => ({
      export: async () => {
        throw new QuireError({ code: 'invalid-argument', message: '/tmp/x holds other files', path: '/tmp/x' })
      }
    }))
    const { jobId } = jobs.start(request)
    expect(await settle(jobs, jobId)).toMatchObject({ state: 'failed', error: { code: 'invalid-argument', message: '/tmp/x holds other files', path: '/tmp/x' } })
  })

  it('forgets finished jobs after a while, and says so for unknown ids', async () => {
    let now = 1_000
    const jobs = new ExportJobs(async () => ({ export: async (req) => resultFor(req.outPath) }), { keepFinishedMs: 60_000, now: () => now })
    const { jobId } = jobs.start(request)
    await settle(jobs, jobId)
    now += 59_000
    expect(jobs.status(jobId).state).toBe('finished')
    now += 2_000
    expect(() => jobs.status(jobId)).toThrow(/no export/)
    expect(() => jobs.cancel('nope')).toThrow(QuireError)
  })

  it('cancelAll stops every running export and waits for it', async () => {
    const stepped = steppedExporter()
    const jobs = new ExportJobs(async () => stepped.exporter)
    const first = jobs.start(request)
    const second = jobs.start({ ...request, outPath: '/tmp/other.jsonl' })
    await jobs.cancelAll()
    expect(jobs.status(first.jobId).result?.cancelled).toBe(true)
    expect(jobs.status(second.jobId).result?.cancelled).toBe(true)
  })
})

describe('suggestOutPaths', () => {
  it('puts every destination beside the project folder, named after it', () => {
    expect(suggestOutPaths('/data/interviews')).toEqual({
      jsonl: '/data/interviews-export.jsonl',
      brat: '/data/interviews-export-brat',
      conll: '/data/interviews-export.conll',
      tei: '/data/interviews-export-tei',
      csv: '/data/interviews-export.csv',
      doccano: '/data/interviews-export-doccano.jsonl',
      'label-studio': '/data/interviews-export-label-studio.json'
    })
  })
})

describe('QuireBackend export and annotation import', () => {
  async function projectWithSpan(dialogs: DesktopDialogs | null = null) {
    const root = await makeTempFolder()
    const backend = new QuireBackend({ userDataDir: join(root, 'user'), sampleTextsDir: join(root, 'none'), edition: 'desktop', version: '1', osUserName: 'tester', dialogs })
    await backend.setAnnotatorName('Ayla')
    await backend.createProject(join(root, 'project'), 'Project')
    const text = 'Emin 😀 met ISESCO in Baku.\n'
    const report = await backend.importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(text) }])
    const documentId = report.imported[0]!.documentId
    await backend.applyAnnotationEdits({ documentId, annotator: 'Ayla' }, [{ op: 'add', annotation: { id: 'a1', start: asUtf16(12), end: asUtf16(18), tag: 'ORG' } }])
    return { root, backend, documentId, text }
  }

  it('lists annotators, exports through a job, and reveals only what it wrote', async () => {
    const shown: string[] = []
    const { root, backend, documentId } = await projectWithSpan({
      chooseFolder: async () => null,
      chooseTextFiles: async () => null,
      showItemInFolder: (path) => shown.push(path)
    })
    const choices = await backend.getExportChoices()
    expect(choices.annotators).toEqual([{ name: 'Ayla', documents: 1, spans: 1 }])
    expect(choices.suggestedOutPaths.jsonl).toBe(join(root, 'project-export.jsonl'))

    const { jobId } = await backend.startExport({ format: 'jsonl', outPath: choices.suggestedOutPaths.jsonl, documentIds: [documentId], annotators: ['Ayla'] })
    let status = await backend.getExportProgress(jobId)
    while (status.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 10))
      status = await backend.getExportProgress(jobId)
    }
    expect(status.result).toMatchObject({ documents: 1, spans: 1, cancelled: false })
    const line = JSON.parse((await readFile(choices.suggestedOutPaths.jsonl, 'utf8')).trim()) as { spans: { start: number; end: number; text: string }[] }
    // Code points: the emoji counts once.
    expect(line.spans).toEqual([expect.objectContaining({ start: 11, end: 17, text: 'ISESCO' })])

    await expect(backend.showExportInFolder(choices.suggestedOutPaths.jsonl)).resolves.toBe(true)
    expect(shown).toEqual([choices.suggestedOutPaths.jsonl])
    await expect(backend.showExportInFolder(join(root, 'user'))).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('says false for show-in-folder and null for native choosers in the browser edition', async () => {
    const { backend } = await projectWithSpan(null)
    await expect(backend.showExportInFolder('/tmp')).resolves.toBe(false)
    await expect(backend.chooseExportDestination('brat', '/tmp/x')).resolves.toBeNull()
    await expect(backend.chooseAnnotationFiles()).resolves.toBeNull()
  })

  it('reads the annotation files chosen natively, and imports them all or nothing', async () => {
    const { root, backend, documentId, text } = await projectWithSpan()
    const good = join(root, 'good.jsonl')
    const bad = join(root, 'bad.jsonl')
    const sha = (await backend.getDocument({ documentId, annotator: 'Ayla' })).document.sha256
    await writeFile(good, `${JSON.stringify({ id: 'x', name: 'meeting', text, sha256: sha, offsets: 'codepoint', spans: [{ start: 21, end: 25, label: 'EVENT', text: 'Baku' }] })}\n`)
    await writeFile(bad, `${JSON.stringify({ id: 'x', name: 'meeting', text, sha256: sha, offsets: 'codepoint', spans: [{ start: 21, end: 99, label: 'EVENT', text: 'Baku' }] })}\n`)
    const dialogs: DesktopDialogs = { chooseFolder: async () => null, chooseTextFiles: async () => null, chooseAnnotationFiles: async () => [good, bad] }
    const desktop = new QuireBackend({ userDataDir: join(root, 'user2'), sampleTextsDir: root, edition: 'desktop', version: '1', osUserName: 't', dialogs })
    await backend.closeProject()
    await desktop.setAnnotatorName('Rashad')
    await desktop.openProject(join(root, 'project'))
    const files = await desktop.chooseAnnotationFiles()
    expect(files?.map((file) => file.name)).toEqual(['good.jsonl', 'bad.jsonl'])

    const refused = await desktop.importAnnotations(files!, { annotator: 'Rashad' })
    expect(refused.imported).toBe(false)
    expect(refused.errors).toEqual([expect.objectContaining({ file: 'bad.jsonl', line: 1, message: expect.stringContaining('past the end') })])
    // Nothing written: still only Ayla's one span, no layer for Rashad.
    expect((await desktop.getExportChoices()).annotators).toEqual([{ name: 'Ayla', documents: 1, spans: 1 }])
    expect((await desktop.getDocument({ documentId, annotator: 'Rashad' })).annotations).toEqual([])

    const accepted = await desktop.importAnnotations([files![0]!], { annotator: 'Rashad' })
    expect(accepted).toMatchObject({ imported: true, spans: 1 })
    expect((await desktop.getExportChoices()).annotators.map((a) => a.name)).toEqual(['Ayla', 'Rashad'])
    expect((await desktop.getDocument({ documentId, annotator: 'Rashad' })).annotations.map((a) => [a.text, a.tag])).toEqual([['Baku', 'EVENT']])
    await desktop.closeProject()
  })
})
