// `quire agreement`, `quire curate` and `quire sync`, spawned as a user would run them, over a
// project with two annotators' layers imported from JSONL.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runQuire, type CliRun } from '../helpers/cli-run'
import { makeTempFolder } from '../fixtures/temp-folder'

const TEXT = 'Emin 😀 Amrullayev met ISESCO in Baku and the Youth Program.\n'

type Run = CliRun

function quire(args: string[], cwd: string): Promise<Run> {
  return runQuire(args, cwd, join(cwd, 'user-data'))
}

/** Code-point offsets of `words` in TEXT, as JSONL carries them. */
function span(words: string, label: string, annotator: string): object {
  const at = TEXT.indexOf(words)
  const start = [...TEXT.slice(0, at)].length
  return { start, end: start + [...words].length, label, text: words, annotator }
}

async function teamProject(): Promise<{ dir: string; run: (...args: string[]) => Promise<Run> }> {
  const dir = await makeTempFolder('quire-cli-review-')
  const spans = [
    span('Emin 😀 Amrullayev', 'PERSON', 'Leyla'),
    span('Emin 😀 Amrullayev', 'PERSON', 'Rashad'),
    span('ISESCO', 'ORG', 'Leyla'),
    span('ISESCO', 'PROGRAM', 'Rashad'),
    span('Youth Program', 'PROGRAM', 'Leyla'),
    span('the Youth Program', 'PROGRAM', 'Rashad'),
    span('Baku', 'EVENT', 'Rashad')
  ]
  await writeFile(join(dir, 'team.jsonl'), `${JSON.stringify({ id: 'meeting', name: 'meeting', text: TEXT, offsets: 'codepoint', spans })}\n`)
  const run = (...args: string[]): Promise<Run> => quire(args, dir)
  const imported = await run('import', 'project', 'team.jsonl')
  expect(imported.code, imported.stderr).toBe(0)
  return { dir, run }
}

describe('quire agreement, curate and sync', { timeout: 90_000 }, () => {
  it('prints the agreement figures with the token rule, as text and as JSON', async () => {
    const { run } = await teamProject()
    const text = await run('agreement', 'project')
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain('annotators Leyla, Rashad')
    expect(text.stdout).toContain('κ and α count word tokens')
    expect(text.stdout).toMatch(/Leyla – Rashad\s+0\.286\s+0\.571/)
    const json = await run('agreement', 'project', '--json', '--annotator', 'Leyla', '--annotator', 'Rashad')
    expect(json.code, json.stderr).toBe(0)
    const parsed = JSON.parse(json.stdout) as { report: { pairs: { strict: { f1: { value: number } }; overlap: { f1: { value: number } } }[]; tokens: number } }
    // Exact: only Emin matches of 3 and 4 spans (P 1/4, R 1/3); overlap adds the Youth Program.
    expect(parsed.report.pairs[0]?.strict.f1.value).toBeCloseTo(2 / 7, 5)
    expect(parsed.report.pairs[0]?.overlap.f1.value).toBeCloseTo(4 / 7, 5)
    // Emin Amrullayev met ISESCO in Baku and the Youth Program: the emoji and the full stop are not tokens.
    expect(parsed.report.tokens).toBe(10)
  })

  it('refuses fewer than two annotators as a usage error, a project with one annotator as a data error, an unknown document by name', async () => {
    const { dir, run } = await teamProject()
    const one = await run('agreement', 'project', '--annotator', 'Leyla')
    expect(one.code).toBe(2)
    expect(one.stderr).toContain('at least two annotators')
    const unknown = await run('agreement', 'project', '--document', 'no-such-doc')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no-such-doc')
    await writeFile(join(dir, 'solo.txt'), 'Solo text by one person.\n')
    const solo = await run('import', 'solo-project', 'solo.txt')
    expect(solo.code, solo.stderr).toBe(0)
    const alone = await run('agreement', 'solo-project')
    expect(alone.code).toBe(1)
    expect(alone.stderr).toMatch(/needs two annotators/)
    expect(alone.stdout).not.toContain('NaN')
  })

  it('starts gold layers pre-filled by the strategy, leaves begun curation alone, and the gold layer is an annotator like any other', async () => {
    const { dir, run } = await teamProject()
    const usage = await run('curate', 'project')
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--strategy is required')
    const first = await run('curate', 'project', '--strategy', 'unanimous', '--curator', 'Ayla')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain('meeting: gold layer started with 1 span (unanimous); 3 disagreements to settle in Quire')
    const again = await run('curate', 'project', '--strategy', 'majority', '--curator', 'Ayla')
    expect(again.stdout).toContain('curation had begun; left as it is')
    const [documentId] = await readdir(join(dir, 'project', 'documents'))
    const files = await readdir(join(dir, 'project', 'documents', documentId as string, 'annotations'))
    const goldFile = files.find((name) => name.startsWith('curation-')) as string
    const gold = JSON.parse(await readFile(join(dir, 'project', 'documents', documentId as string, 'annotations', goldFile), 'utf8'))
    expect(gold).toMatchObject({ annotator: 'curation', status: 'in-progress', curators: ['Ayla'] })
    expect(gold.annotations).toEqual([
      expect.objectContaining({ text: 'Emin 😀 Amrullayev', tag: 'PERSON', provenance: { source: 'curation', detail: 'pre-filled (unanimous)', annotators: ['Leyla', 'Rashad'], curator: 'Ayla' } })
    ])
    const stats = await run('stats', 'project')
    expect(stats.stdout).toMatch(/curation\s+1/)
    const exported = await run('export', 'project', '--format', 'jsonl', '--out', 'gold.jsonl', '--annotator', 'curation')
    expect(exported.code, exported.stderr).toBe(0)
    const line = JSON.parse((await readFile(join(dir, 'gold.jsonl'), 'utf8')).trim()) as { spans: { start: number; end: number; annotator: string }[] }
    expect(line.spans).toEqual([expect.objectContaining({ start: 0, end: 17, annotator: 'curation' })])
  })

  it('says plainly when the project is not in a git repository', async () => {
    const { run } = await teamProject()
    const sync = await run('sync', 'project', '--annotator', 'Ayla')
    expect(sync.code).toBe(1)
    expect(sync.stderr).toContain('is not in a git repository')
    const help = await run('sync', '--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('pull')
  })
})
