// Counts read as words ("1 span", "3 spans", through plural() in src/core/quantities.ts), never
// "span(s)": no string, template or .svelte markup in src/ may write "(s)" after a word.
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { count, formatSize, plural } from '../../src/core/quantities'
import { scriptOf, type SourceFile } from '../helpers/import-boundaries'

const ROOT = join(import.meta.dirname, '..', '..')
const HEDGED_PLURAL = /\w\(s\)/

async function sourceFiles(): Promise<SourceFile[]> {
  const entries = await readdir(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
  const paths = entries.filter((entry) => entry.isFile() && /\.(ts|svelte|html)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name))
  return Promise.all(paths.map(async (path) => ({ path: relative(ROOT, path).split(sep).join('/'), text: await readFile(path, 'utf8') })))
}

/** "file:line text" for each string, template part or markup line that hedges a plural. */
function hedgedPlurals(file: SourceFile): string[] {
  const found: string[] = []
  const script = scriptOf(file)
  if (file.path.endsWith('.svelte') || file.path.endsWith('.html')) {
    // The markup is what the blanked script is not.
    const markup = file.path.endsWith('.html') ? file.text : [...file.text].map((char, i) => (script[i] === char && char !== ' ' && char !== '\n' ? ' ' : char)).join('')
    markup.split('\n').forEach((line, index) => {
      if (HEDGED_PLURAL.test(line)) found.push(`${file.path}:${index + 1} ${line.trim()}`)
    })
    if (file.path.endsWith('.html')) return found
  }
  const source = ts.createSourceFile(file.path, script, ts.ScriptTarget.Latest, true)
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) && HEDGED_PLURAL.test(node.text)) {
      found.push(`${file.path}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.text}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('counts in words', () => {
  it('plural() says "1 span", "3 spans", "2,500 spans" and takes an irregular plural', () => {
    expect(plural(1, 'span')).toBe('1 span')
    expect(plural(0, 'span')).toBe('0 spans')
    expect(plural(3, 'file')).toBe('3 files')
    expect(plural(2500, 'span')).toBe('2,500 spans')
    expect(plural(2, 'entity', 'entities')).toBe('2 entities')
    expect(count(4_999_999)).toBe('4,999,999')
    expect(formatSize(2560)).toBe('2.5 KB')
    // Never "1024.0 KB": just under a megabyte is written in megabytes.
    expect(formatSize(1_048_574)).toBe('1.0 MB')
    expect(formatSize(1024 * 1023.9)).toBe('1023.9 KB')
  })

  it('no user-facing text in src/ writes "(s)"', async () => {
    const files = await sourceFiles()
    expect(files.length).toBeGreaterThan(100)
    expect(files.flatMap(hedgedPlurals)).toEqual([])
  })

  it('finds a planted "(s)" in a string, a template, and .svelte markup, not in comments or code', () => {
    const planted: SourceFile[] = [
      { path: 'src/cli/x.ts', text: "// 3 file(s) is fine in a comment\nconst a = 'Imported 1 text(s).'\nconst b = `${n} span(s) left out`\nconst f = (s) => s\n" },
      { path: 'src/renderer/src/X.svelte', text: "<script lang=\"ts\">\n  const f = (s: string) => s\n</script>\n<p>{n} document(s)</p>\n" }
    ]
    // A template is read in parts: the part after ${n} is " span(s) left out".
    expect(planted.flatMap(hedgedPlurals)).toEqual(['src/cli/x.ts:2 Imported 1 text(s).', 'src/cli/x.ts:3  span(s) left out', 'src/renderer/src/X.svelte:4 <p>{n} document(s)</p>'])
  })
})
