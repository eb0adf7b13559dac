// The real `quire` command (bin/quire.mjs), spawned as a user would run it.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { snapshotFolder } from '../fixtures/corpus-project'
import { runQuire, type CliRun } from '../helpers/cli-run'
import { makeTempFolder } from '../fixtures/temp-folder'
import { DocumentIndexFile } from '../../src/main/store/document-index-file'

const text = 'Emin 😀 Əmrullayev met ISESCO in Bakı.\r\nThe Youth Program opened.\r\n'

function quire(args: string[], cwd: string, userData: string): Promise<CliRun> {
  return runQuire(args, cwd, userData)
}

async function workspace() {
  const dir = await makeTempFolder('quire-cli-')
  await writeFile(join(dir, 'news.txt'), text)
  return { dir, run: (...args: string[]) => quire(args, dir, join(dir, 'user-data')) }
}

describe('quire command line', { timeout: 90_000 }, () => {
  it('prints help for itself and each command (exit 0), and usage errors exit 2', async () => {
    const { run } = await workspace()
    const [main, exportHelp, importHelp, statsHelp, none, unknown, badOption, noFormat, badScheme] = await Promise.all([
      run('--help'),
      run('export', '--help'),
      run('import', '--help'),
      run('stats', '--help'),
      run(),
      run('frobnicate'),
      run('stats', 'P', '--colour'),
      run('export', 'P', '--out', 'x.jsonl'),
      run('export', 'P', '--format', 'conll', '--out', 'x.conll', '--scheme', 'iob3')
    ])
    expect(main).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: quire <command>') })
    expect(exportHelp).toMatchObject({ code: 0, stdout: expect.stringContaining('--format FORMAT      brat, conll, jsonl, tei, csv, doccano or label-studio') })
    expect(importHelp).toMatchObject({ code: 0, stdout: expect.stringContaining('quire import PROJECT FILE...') })
    expect(statsHelp).toMatchObject({ code: 0, stdout: expect.stringContaining('quire stats PROJECT [--json]') })
    expect(none.code).toBe(2)
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') })
    expect(badOption).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--colour'") })
    expect(noFormat).toMatchObject({ code: 2, stderr: expect.stringContaining('--format is required') })
    expect(badScheme).toMatchObject({ code: 2, stderr: expect.stringContaining('--scheme must be iob1, iob2 or bioes') })
  })

  it('imports texts into a new project, then annotations; exports, and counts them', async () => {
    const { dir, run } = await workspace()
    expect(await run('import', 'P', 'news.txt', '--annotator', 'Leyla')).toMatchObject({ code: 0, stdout: 'Imported 1 text.\n' })
    await writeFile(join(dir, 'news.ann'), 'T1\tPERSON 0 17\tEmin 😀 Əmrullayev\nT2\tORG 22 28\tISESCO\n')
    const imported = await run('import', 'P', 'news.ann', 'news.txt', '--annotator', 'Leyla')
    expect(imported).toMatchObject({ code: 0, stdout: 'Imported 2 spans into 1 document (0 new).\n' })

    const exported = await run('export', 'P', '--format', 'jsonl', '--out', 'out/corpus.jsonl', '--offsets', 'utf16')
    expect(exported).toMatchObject({ code: 0, stdout: expect.stringContaining('Exported 1 document and 2 spans as jsonl') })
    const line = JSON.parse(await readFile(join(dir, 'out', 'corpus.jsonl'), 'utf8'))
    expect(line.offsets).toBe('utf16')
    expect(line.spans.map((span: { start: number; end: number; annotator: string }) => [span.start, span.end, span.annotator])).toEqual([
      [0, 18, 'Leyla'],
      [23, 29, 'Leyla']
    ])

    expect((await run('export', 'P', '--format', 'brat', '--out', 'brat')).code).toBe(0)
    expect(await readdir(join(dir, 'brat'))).toEqual(['annotation.conf', 'manifest.json', 'news.ann', 'news.txt'])

    const stats = await run('stats', 'P', '--json')
    expect(stats.code).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject({ documents: 1, spans: 2, spansByTag: { PERSON: 1, ORG: 1, EVENT: 0 }, spansByAnnotator: { Leyla: 2 } })
    expect((await run('stats', 'P')).stdout).toMatch(/P: 1 document, 2 spans\n/)
  })

  it('a data error exits 1 naming the file and line, and imports nothing', async () => {
    const { dir, run } = await workspace()
    expect((await run('import', 'P', 'news.txt')).code).toBe(0)
    await writeFile(join(dir, 'news.ann'), 'T1\tPERSON 0 4\tEmin\nT2\tPERSON 0 4000\tEmin\n')
    await writeFile(join(dir, 'tags.ann'), 'T1\tLOC 32 36\tBakı\n')
    await writeFile(join(dir, 'tags.txt'), text)
    const before = await snapshotFolder(join(dir, 'P'))
    const indexedBefore = await indexedDocuments(join(dir, 'P'))
    const failed = await run('import', 'P', 'news.ann', 'news.txt')
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('news.ann:2: T2: offset 4000 is past the end of the text')
    expect(failed.stderr).toContain('Nothing was imported')
    const unknown = await run('import', 'P', 'tags.ann', 'tags.txt')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('tags.ann:1: unknown tag "LOC"')
    expect(unknown.stderr).toContain('--add-unknown-tags')
    // The document index is a cache, as is the head kept beside it: closing may add the folders'
    // stamps it could not take while the first import's folders were still changing. Its
    // documents and their figures stay as they were.
    const after = await snapshotFolder(join(dir, 'P'))
    const INDEX = '.quire/document-index.bin'
    const HEAD = '.quire/document-index-head.json'
    expect({ ...after, [INDEX]: null, [HEAD]: null }).toEqual({ ...before, [INDEX]: null, [HEAD]: null })
    expect(await indexedDocuments(join(dir, 'P'))).toEqual(indexedBefore)
    expect((await run('export', 'missing-project', '--format', 'csv', '--out', 'x.csv')).code).toBe(1)

    const added = await run('import', 'P', 'tags.ann', 'tags.txt', '--add-unknown-tags')
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining('Added the tag LOC') })
  })

  it('imports a brat collection folder (README, LICENSE, .conf, events, relations, mixed-case types) with --add-unknown-tags', async () => {
    const { dir, run } = await workspace()
    const collection = join(__dirname, '..', 'fixtures', 'brat-collection')
    const refused = await run('import', 'P', collection)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('bio-1.ann:1: unknown tag "Protein" (3 spans)')
    expect(refused.stderr).toContain('--add-unknown-tags')
    const imported = await run('import', 'P', collection, '--add-unknown-tags')
    expect(imported.stderr).toContain('warning: skipped 4 files that are not brat annotations (NAME.ann with its NAME.txt): LICENSE, README, annotation.conf, visual.conf')
    expect(imported.stderr).toContain('warning: not imported (Quire keeps entity spans, event triggers included, with their notes and entity links): 4 events, 1 relation')
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringContaining('Imported 17 spans into 2 documents (2 new).') })
    expect(imported.stdout).toContain('Added the tags PROTEIN, GENE_EXPRESSION, ENTITY_TYPE, POSITIVE_REGULATION, BINDING, GPE, TRANSFER_MONEY, MONEY to the project.')
    expect(await readdir(join(dir, 'P', 'documents'))).toHaveLength(2)
  })

  it('a failed first import leaves no project behind: the new folder, or what was added to an empty one, is removed', async () => {
    const { dir, run } = await workspace()
    await writeFile(join(dir, 'bad.ann'), 'T1\tPERSON 0 4000\tEmin\n')
    await writeFile(join(dir, 'bad.txt'), text)
    const intoNewFolder = await run('import', join('new', 'P'), 'bad.ann', 'bad.txt')
    expect(intoNewFolder.code).toBe(1)
    expect(intoNewFolder.stderr).toContain('bad.ann:1: T1: offset 4000 is past the end of the text')
    expect(intoNewFolder.stderr).not.toContain('Created the project')
    expect(await readdir(dir)).not.toContain('new')

    await mkdir(join(dir, 'Empty'))
    await writeFile(join(dir, 'Empty', '.DS_Store'), 'litter')
    await writeFile(join(dir, 'empty.jsonl'), `${JSON.stringify({ id: 'd1', name: 'Interview 3', text: '', spans: [] })}\n`)
    const emptyText = await run('import', 'Empty', 'empty.jsonl')
    expect(emptyText.code).toBe(1)
    expect(emptyText.stderr).toContain('empty.jsonl:1: document "Interview 3" has an empty text')
    expect(await readdir(join(dir, 'Empty'))).toEqual(['.DS_Store'])

    const refusedText = await run('import', 'T', 'bad.ann')
    expect(refusedText.code).toBe(1)
    expect(await readdir(dir)).not.toContain('T')
  })

  it('imports a WebAnno TSV 3 file with its labels matched or added as tags, and exports doccano back', async () => {
    const { dir, run } = await workspace()
    const tsv = ['#FORMAT=WebAnno TSV 3.3', '#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value', '', '', '#Text=Emin 😀 met Bakı', '1-1\t0-4\tEmin\tPerson', '1-2\t5-7\t😀\t_', '1-3\t8-11\tmet\t_', '1-4\t12-16\tBakı\tCity', ''].join('\n')
    await writeFile(join(dir, 'visit.tsv'), tsv)
    const refused = await run('import', 'P', 'visit.tsv', '--annotator', 'Leyla')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('visit.tsv:9: unknown tag "City" (1 span)')
    expect(refused.stderr).toContain('--add-unknown-tags')
    const added = await run('import', 'P', 'visit.tsv', '--annotator', 'Leyla', '--add-unknown-tags')
    expect(added).toMatchObject({ code: 0, stdout: 'Added the tag CITY to the project.\nImported 2 spans into 1 document (1 new).\n' })
    expect((await run('export', 'P', '--format', 'doccano', '--out', 'back.jsonl')).code).toBe(0)
    const line = JSON.parse(await readFile(join(dir, 'back.jsonl'), 'utf8'))
    expect(line).toEqual({ text: 'Emin 😀 met Bakı\n', label: [[0, 4, 'PERSON'], [11, 15, 'CITY']], name: 'visit', annotator: 'Leyla' })
  })

  it('refuses to write to a project another Quire has open, but still exports it', async () => {
    const { dir, run } = await workspace()
    expect((await run('import', 'P', 'news.txt')).code).toBe(0)
    await mkdir(join(dir, 'P', '.quire'), { recursive: true })
    // The test runner stands in for a running Quire holding the lock.
    const lock = join(dir, 'P', '.quire', `lock-${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}.json`)
    await writeFile(lock, JSON.stringify({ pid: process.pid, hostname: hostname(), openedAt: '2026-01-01T00:00:00.000Z' }))
    await writeFile(join(dir, 'other.txt'), 'Another text.')
    const before = await snapshotFolder(join(dir, 'P'))
    const refused = await run('import', 'P', 'other.txt')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/Nothing was changed in .*Another Quire \(process \d+\)/)
    expect(await snapshotFolder(join(dir, 'P'))).toEqual(before)
    const exported = await run('export', 'P', '--format', 'csv', '--out', 'spans.csv')
    expect(exported).toMatchObject({ code: 0, stderr: expect.stringContaining('note: the project is open in Quire') })
  })
})

/** The document index's entries without their folders' stamps (a cache detail that may be filled in later). */
async function indexedDocuments(projectDir: string): Promise<unknown[]> {
  const index = await new DocumentIndexFile(join(projectDir, '.quire')).read()
  if ('refused' in index) throw new Error(index.detail)
  return [...index.entries.values()].map(({ folders: _folders, ...entry }) => entry)
}
