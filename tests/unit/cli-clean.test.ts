// `quire clean`, spawned as a user would run it, over the sample project's PDF-extracted text
// with two annotators' spans: the dry run writes nothing, the real run saves one revision and
// every layer's spans still cover their names when exported afterwards.
import { copyFile, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runQuire, type CliRun } from '../helpers/cli-run'
import { makeTempFolder } from '../fixtures/temp-folder'

const SAMPLE = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')
const FIRST_PARAGRAPH =
  'On October 4, Azerbaijani Science and Education Minister Emin Amrullayev met with a delegation from the Islamic World Education, Scientific, and Cultural Organization (ISESCO) led by Director General Salim bin Muhammad al-Malik.'

type Run = CliRun

function quire(args: string[], cwd: string): Promise<Run> {
  return runQuire(args, cwd, join(cwd, 'user-data'))
}

async function sampleProject(): Promise<{ dir: string; run: (...args: string[]) => Promise<Run> }> {
  const dir = await makeTempFolder('quire-cli-clean-')
  for (const name of ['isesco-education-meeting.txt', 'icesco-science-cooperation.txt', 'annotations.jsonl']) await copyFile(join(SAMPLE, name), join(dir, name))
  const run = (...args: string[]): Promise<Run> => quire(args, dir)
  const texts = await run('import', 'project', 'isesco-education-meeting.txt', 'icesco-science-cooperation.txt', '--annotator', 'Leyla')
  expect(texts.code, texts.stderr).toBe(0)
  const spans = await run('import', 'project', 'annotations.jsonl')
  expect(spans.code, spans.stderr).toBe(0)
  return { dir, run }
}

async function revisionFiles(dir: string): Promise<string[]> {
  const documents = join(dir, 'project', 'documents')
  const found: string[] = []
  for (const id of await readdir(documents)) {
    const names = await readdir(join(documents, id, 'revisions')).catch(() => [] as string[])
    found.push(...names.map((name) => `${id}/${name}`))
  }
  return found
}

describe('quire clean', { timeout: 90_000 }, () => {
  it('previews each step with --dry-run and writes nothing', async () => {
    const { dir, run } = await sampleProject()
    const dry = await run('clean', 'project', '--dry-run', '--annotator', 'Leyla')
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/isesco-education-meeting: undouble: \d+ doubled lines halved/)
    expect(dry.stdout).toMatch(/isesco-education-meeting: dehyphenate: 1 hyphenated word joined/)
    expect(dry.stdout).toContain('icesco-science-cooperation: nothing to clean')
    expect(dry.stdout).toContain('Dry run: 1 document would change; nothing was written.')
    expect(await revisionFiles(dir)).toEqual([])
  })

  it('saves the steps as one revision; exported spans of both annotators still cover their names', async () => {
    const { dir, run } = await sampleProject()
    const cleaned = await run('clean', 'project', '--annotator', 'Leyla')
    expect(cleaned.code, cleaned.stderr).toBe(0)
    expect(cleaned.stdout).toMatch(/isesco-education-meeting: saved as revision r1-[0-9a-f]{12} by Leyla/)
    expect(await revisionFiles(dir)).toHaveLength(1)

    const exported = await run('export', 'project', '--format', 'jsonl', '--out', 'after.jsonl')
    expect(exported.code, exported.stderr).toBe(0)
    const records = (await readFile(join(dir, 'after.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as ExportedDocument)
    const meeting = records.find((record) => record.text.startsWith('On October 4'))
    expect(meeting?.text.split('\n')[0]).toBe(FIRST_PARAGRAPH)
    const annotators = new Set<string>()
    for (const spanRecord of meeting?.spans ?? []) {
      annotators.add(spanRecord.annotator)
      const covered = [...meeting!.text].slice(spanRecord.start, spanRecord.end).join('')
      expect(covered).toBe(spanRecord.text)
    }
    expect([...annotators].sort()).toEqual(['Leyla', 'Rashad'])
    const names = meeting!.spans.map((spanRecord) => spanRecord.text)
    expect(names).toContain('Emin Amrullayev')
    expect(names.some((name) => name.includes('\n'))).toBe(false)

    const again = await run('clean', 'project', '--annotator', 'Leyla')
    expect(again.stdout).toContain('isesco-education-meeting: nothing to clean')
    expect(await revisionFiles(dir)).toHaveLength(1)
  })

  it('refuses an unknown step as a usage error, before touching the project', async () => {
    const { dir, run } = await sampleProject()
    const wrong = await run('clean', 'project', '--steps', 'undouble,tidy')
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('"tidy" is not a cleanup step')
    expect(await revisionFiles(dir)).toEqual([])
  })
})

interface ExportedDocument {
  text: string
  spans: { start: number; end: number; text: string; annotator: string }[]
}
