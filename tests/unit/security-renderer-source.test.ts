// A guard behind e2e/hostile-text.test.ts: the renderer never turns strings into markup or
// code, so no text, note or name can become a script however it reaches the screen.
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const RENDERER = join(import.meta.dirname, '..', '..', 'src', 'renderer')

const MARKUP_SINKS: Array<[string, RegExp]> = [
  ['{@html}', /\{@html\b/],
  ['innerHTML / outerHTML', /\.(inner|outer)HTML\b/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['document.write', /document\.write(ln)?\s*\(/],
  ['eval', /(^|[^.\w])eval\s*\(/],
  ['new Function', /new\s+Function\s*\(/],
  ['string timers', /set(Timeout|Interval)\s*\(\s*['"`]/],
  ['createContextualFragment', /createContextualFragment/],
  ['DOMParser', /DOMParser/],
  ['srcdoc', /srcdoc/]
]

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && /\.(svelte|ts|js|html)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
}

describe('renderer source', () => {
  it('has no markup or code sinks', async () => {
    const files = await sourceFiles(RENDERER)
    expect(files.length).toBeGreaterThan(10)
    const found: string[] = []
    for (const file of files) {
      const lines = (await readFile(file, 'utf8')).split('\n')
      lines.forEach((line, index) => {
        for (const [name, pattern] of MARKUP_SINKS) {
          if (pattern.test(line)) found.push(`${relative(RENDERER, file)}:${index + 1} ${name}: ${line.trim()}`)
        }
      })
    }
    expect(found).toEqual([])
  })
})
