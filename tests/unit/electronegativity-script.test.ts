// The allow-list logic of scripts/electronegativity.mjs: which findings docs/SECURITY.md
// explains, and that a row without a reason can never allow anything.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareFindings, findingsFromSarif, parseAllowList } from '../../scripts/electronegativity.mjs'

const SECURITY_MD = join(import.meta.dirname, '..', '..', 'docs', 'SECURITY.md')

const sampleMarkdown = [
  '# Security',
  '',
  '## Electronegativity findings',
  '',
  'Some words.',
  '',
  '| Check | File | Why it is acceptable |',
  '|---|---|---|',
  '| PRELOAD_JS_CHECK | main/window.ts | The preload exposes named functions only. |',
  '| `OPEN_EXTERNAL_JS_CHECK` | `main/window.ts` | Only http(s) links reach openExternal. |',
  '',
  '| Check | File | Why |',
  '|---|---|---|',
  '| CSP_GLOBAL_CHECK | renderer/index.html | This second table is not the allow-list. |',
  '',
  '## Next section',
  '| CSP_GLOBAL_CHECK | main/window.ts | Nor is a table in another section. |'
].join('\n')

function sarifOf(findings: Array<[check: string, file: string, line: number]>): unknown {
  return {
    runs: [
      {
        results: findings.map(([ruleId, uri, startLine]) => ({
          ruleId,
          message: { text: `${ruleId} message` },
          locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine, startColumn: 1 } } }]
        }))
      }
    ]
  }
}

describe('parseAllowList', () => {
  it('reads the first table of the section, with backticks and line numbers', () => {
    expect(parseAllowList(sampleMarkdown)).toEqual([
      { check: 'PRELOAD_JS_CHECK', file: 'main/window.ts', reason: 'The preload exposes named functions only.', line: 9 },
      { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'main/window.ts', reason: 'Only http(s) links reach openExternal.', line: 10 }
    ])
  })

  it('refuses a row without a reason, a file or a check id', () => {
    const table = (row: string): string => `## Electronegativity findings\n\n| Check | File | Why |\n|---|---|---|\n${row}\n`
    expect(() => parseAllowList(table('| PRELOAD_JS_CHECK | main/window.ts | |'))).toThrow(/line 5: an allow-list row needs/)
    expect(() => parseAllowList(table('| PRELOAD_JS_CHECK | | A perfectly good reason. |'))).toThrow(/needs a check id, a file and a reason/)
    expect(() => parseAllowList(table('| preload check | main/window.ts | A perfectly good reason. |'))).toThrow(/needs a check id/)
  })

  it('refuses a document without the section', () => {
    expect(() => parseAllowList('# Security\n\nNothing here.\n')).toThrow(/no "## Electronegativity findings" section/)
  })

  it('reads docs/SECURITY.md: every row names a check, a file under src/ and a reason', async () => {
    const entries = parseAllowList(await readFile(SECURITY_MD, 'utf8'))
    expect(entries.length).toBeGreaterThan(0)
    for (const entry of entries) {
      expect(entry.check).toMatch(/^[A-Z0-9_]+_CHECK$/)
      expect(entry.file).toMatch(/^(main|preload|renderer|server|shared|core|cli)\//)
      expect(entry.reason.length).toBeGreaterThan(40)
    }
  })
})

describe('findingsFromSarif and compareFindings', () => {
  const allowList = parseAllowList(sampleMarkdown)

  it('explains a finding only for the same check in the same file', () => {
    const findings = findingsFromSarif(
      sarifOf([
        ['PRELOAD_JS_CHECK', 'main/window.ts', 35],
        ['PRELOAD_JS_CHECK', 'main/other-window.ts', 3],
        ['NODE_INTEGRATION_JS_CHECK', 'main/window.ts', 30],
        ['CSP_GLOBAL_CHECK', 'renderer/index.html', 5]
      ])
    )
    const { explained, unexplained, unused } = compareFindings(findings, allowList)
    expect(explained.map((finding) => `${finding.check} ${finding.file}`)).toEqual(['PRELOAD_JS_CHECK main/window.ts'])
    expect(unexplained.map((finding) => `${finding.check} ${finding.file}:${finding.line}`)).toEqual([
      'PRELOAD_JS_CHECK main/other-window.ts:3',
      'NODE_INTEGRATION_JS_CHECK main/window.ts:30',
      'CSP_GLOBAL_CHECK renderer/index.html:5'
    ])
    expect(unused.map((entry) => entry.check)).toEqual(['OPEN_EXTERNAL_JS_CHECK'])
  })

  it('normalises Windows separators and refuses output without results', () => {
    expect(findingsFromSarif(sarifOf([['PRELOAD_JS_CHECK', 'main\\window.ts', 1]]))[0]?.file).toBe('main/window.ts')
    expect(() => findingsFromSarif({})).toThrow(/no SARIF results/)
  })

  it('explains nothing with an empty allow-list', () => {
    const findings = findingsFromSarif(sarifOf([['PRELOAD_JS_CHECK', 'main/window.ts', 35]]))
    expect(compareFindings(findings, []).unexplained).toHaveLength(1)
  })
})
