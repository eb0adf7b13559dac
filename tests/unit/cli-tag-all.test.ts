// `quire tag-all`, spawned as a user would run it, over the sample project's texts: the dry run
// writes nothing, the real run tags every occurrence once, a second run skips them all, and
// bad input exits 2 (usage) or 1 (data) with the reason.
import { copyFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runQuire, type CliRun } from '../helpers/cli-run'
import { makeTempFolder } from '../fixtures/temp-folder'

const SAMPLE = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')

async function sampleProject(): Promise<{ dir: string; run: (...args: string[]) => Promise<CliRun> }> {
  const dir = await makeTempFolder('quire-cli-tag-all-')
  for (const name of ['isesco-education-meeting.txt', 'icesco-science-cooperation.txt']) await copyFile(join(SAMPLE, name), join(dir, name))
  const run = (...args: string[]): Promise<CliRun> => runQuire(args, dir, join(dir, 'user-data'))
  const texts = await run('import', 'project', 'isesco-education-meeting.txt', 'icesco-science-cooperation.txt', '--annotator', 'Leyla')
  expect(texts.code, texts.stderr).toBe(0)
  return { dir, run }
}

describe('quire tag-all', { timeout: 90_000 }, () => {
  it('previews with --dry-run, tags every occurrence, and skips them the second time', async () => {
    const { run } = await sampleProject()
    const dry = await run('tag-all', 'project', 'ISESCO', '--tag', 'ORG', '--whole-word', '--annotator', 'Leyla', '--dry-run')
    expect(dry.code, dry.stderr).toBe(0)
    const wouldTag = Number(/isesco-education-meeting: would tag (\d+) spans/.exec(dry.stdout)?.[1])
    expect(wouldTag).toBeGreaterThan(1)
    expect(dry.stdout).toContain(`Dry run: ${wouldTag} spans would be tagged ORG for Leyla, 0 occurrences skipped; nothing was written.`)
    const stats = await run('stats', 'project', '--json')
    expect(JSON.parse(stats.stdout).spans ?? 0).toBe(0)

    const real = await run('tag-all', 'project', 'ISESCO', '--tag', 'ORG', '--whole-word', '--annotator', 'Leyla')
    expect(real.code, real.stderr).toBe(0)
    expect(real.stdout).toContain(`isesco-education-meeting: tagged ${wouldTag} spans`)
    expect(real.stdout).toContain(`${wouldTag} spans tagged ORG for Leyla in 1 document, 0 occurrences skipped.`)

    const again = await run('tag-all', 'project', 'isesco', '--whole-word', '--tag', 'ORG', '--annotator', 'Leyla')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/isesco-education-meeting: skipped "ISESCO" at \d+–\d+: Leyla's ORG span overlaps it/)
    expect(again.stdout).toContain(`0 spans would be tagged ORG for Leyla, ${wouldTag} occurrences skipped.`)
  })

  it('finds by a regular expression, in one document only', async () => {
    const { dir, run } = await sampleProject()
    const icesco = (await readdir(join(dir, 'project', 'documents'))).find((id) => id.startsWith('icesco-'))
    const result = await run('tag-all', 'project', 'I[CS]ESCO', '--regex', '--match-case', '--tag', 'ORG', '--annotator', 'Rashad', '--document', icesco as string)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^icesco-science-cooperation: tagged \d+ spans$/m)
    expect(result.stdout).not.toContain('isesco-education-meeting')
  })

  it('exits 2 for bad usage and 1 for an unknown tag, with the reason', async () => {
    const { run } = await sampleProject()
    const noTag = await run('tag-all', 'project', 'ISESCO')
    expect(noTag.code).toBe(2)
    expect(noTag.stderr).toContain('give the tag with --tag TAG')
    const badExpression = await run('tag-all', 'project', '(ISESCO', '--regex', '--tag', 'ORG', '--annotator', 'Leyla')
    expect(badExpression.code).toBe(2)
    expect(badExpression.stderr).toContain('Not a valid regular expression')
    const unknownTag = await run('tag-all', 'project', 'ISESCO', '--tag', 'NOPE', '--annotator', 'Leyla')
    expect(unknownTag.code).toBe(1)
    expect(unknownTag.stderr).toContain('There is no tag "NOPE" in this project')
    const help = await run('tag-all', '--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: quire tag-all PROJECT TEXT --tag TAG')
  })
})
