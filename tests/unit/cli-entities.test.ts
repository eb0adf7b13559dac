// `quire entities`, spawned as a user runs it, on a project made by `quire import` from a JSONL
// file whose spans carry entity links.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runQuire } from '../helpers/cli-run'
import { makeTempFolder } from '../fixtures/temp-folder'

const TEXT = 'ISESCO, now ICESCO, met İlham Əliyev and Ilham  Aliyev in Rabat.'
const ICESCO = { id: 'e-icesco-1a2b3c4d', name: 'ICESCO', ref: 'Wikidata:Q1630451' }

function span(words: string, label: string, entity: object | null = null, from = 0) {
  const start = TEXT.indexOf(words, from)
  return { start, end: start + words.length, label, text: words, annotator: 'Leyla', entity }
}

describe('quire entities', { timeout: 90_000 }, () => {
  it('lists saved entities and groups as a table or JSON; help exits 0, misuse 2, a damaged entities.json 1', async () => {
    const dir = await makeTempFolder('quire-cli-entities-')
    const run = (...args: string[]) => runQuire(args, dir, join(dir, 'user-data'))
    const line = { id: 'rabat', name: 'rabat', text: TEXT, spans: [span('ISESCO', 'ORG', ICESCO), span('ICESCO', 'ORG', ICESCO), span('İlham Əliyev', 'PERSON'), span('Ilham  Aliyev', 'PERSON'), span('Rabat', 'EVENT')] }
    await writeFile(join(dir, 'rabat.jsonl'), `${JSON.stringify(line)}\n`)
    const imported = await run('import', 'P', 'rabat.jsonl')
    expect(imported.stderr).not.toContain('warning')
    expect(imported.code).toBe(0)

    const table = await run('entities', 'P')
    expect(table.code).toBe(0)
    const rows = table.stdout.split('\n')
    expect(rows[0]).toBe('P: 3 entities (1 saved), 5 mentions')
    expect(rows[2]).toMatch(/^Name\s+Identifier\s+Mentions\s+Documents\s+Aliases$/)
    expect(rows.find((row) => row.startsWith('ICESCO *'))).toMatch(/^ICESCO \*\s+Wikidata:Q1630451\s+2\s+1\s+ICESCO, ISESCO$/)
    // One group for both spellings of the name.
    expect(rows.find((row) => row.startsWith('İlham Əliyev'))).toMatch(/\s2\s+1\s+İlham Əliyev, Ilham {2}Aliyev$/)

    const json = await run('entities', 'P', '--json')
    expect(json.code).toBe(0)
    const list = JSON.parse(json.stdout) as { problem: null; entities: { id: string; saved: boolean; mentions: number }[] }
    expect(list.problem).toBeNull()
    expect(list.entities[0]).toMatchObject({ id: ICESCO.id, saved: true, mentions: 2 })

    expect(await run('entities', '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: quire entities PROJECT [--json]') })
    expect(await run('entities')).toMatchObject({ code: 2, stderr: expect.stringContaining('give the project folder') })
    expect(await run('entities', 'P', '--csv')).toMatchObject({ code: 2 })
    expect((await run('--help')).stdout).toContain('entities PROJECT [--json]')

    await writeFile(join(dir, 'P', 'entities.json'), '{ "format": "quire-entities", "schemaVersion": 1, "entities": [')
    const damaged = await run('entities', 'P')
    expect(damaged.code).toBe(1)
    expect(damaged.stderr).toContain(join(dir, 'P', 'entities.json'))
    expect(damaged.stdout).toBe('')
  })
})
