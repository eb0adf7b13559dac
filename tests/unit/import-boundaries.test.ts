// The layer rules of docs/ARCHITECTURE.md ("Boundaries") hold over the real src/, and the check
// that enforces them reports a planted violation of each, with its file, line and rule.
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { API_METHODS } from '../../src/shared/api-methods'
import { checkImportBoundaries, describeViolations, importsOf, scriptOf, type SourceFile } from '../helpers/import-boundaries'

const ROOT = join(import.meta.dirname, '..', '..')

async function sourceFiles(): Promise<SourceFile[]> {
  const entries = await readdir(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
  const paths = entries.filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs|svelte)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name))
  return Promise.all(paths.map(async (path) => ({ path: relative(ROOT, path).split(sep).join('/'), text: await readFile(path, 'utf8') })))
}

describe('import boundaries over src/', () => {
  it('has no violation', async () => {
    const files = await sourceFiles()
    expect(files.length).toBeGreaterThan(100)
    const violations = checkImportBoundaries(files)
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it('sees the imports of .svelte script blocks', async () => {
    const files = await sourceFiles()
    const app = files.find((file) => file.path === 'src/renderer/src/App.svelte')
    expect(app).toBeDefined()
    expect(importsOf(app!).map((found) => found.specifier)).toContain('./lib/state/app-state.svelte')
  })
})

describe('the boundary check', () => {
  const planted: SourceFile[] = [
    { path: 'src/renderer/src/lib/components/Leak.svelte', text: "<script lang=\"ts\">\n  import { ipcMain } from 'electron'\n</script>\n<p>ipcMain</p>\n" },
    { path: 'src/renderer/src/lib/state/leak.svelte.ts', text: "// reads the store directly\nimport type { ProjectStore } from '../../../../main/store/project-store'\n" },
    { path: 'src/renderer/src/lib/fs-leak.ts', text: "export async function read() {\n  const fs = await import('node:fs/promises')\n  return fs\n}\n" },
    { path: 'src/core/formats/leak.ts', text: "import { readFileSync } from 'node:fs'\nconst path = require('path')\n" },
    { path: 'src/core/dom-leak.ts', text: "import { mount } from 'svelte'\nexport { serve } from '../server/http-server'\n" },
    { path: 'src/shared/leak.ts', text: "import { app } from 'electron'\n\n\nimport { QuireBackend } from '../main/backend'\n" },
    { path: 'src/main/services/leak.ts', text: "import { ipcMain } from 'electron'\nipcMain.handle('x', () => 1)\n" },
    { path: 'src/main/menu-leak.ts', text: "import electron from 'electron'\nelectron.ipcRenderer.send('x')\n" }
  ]
  const violations = checkImportBoundaries(planted)
  const reported = violations.map((violation) => `${violation.where} ${violation.rule} [${violation.found}]`)

  it('reports each planted violation with file:line and the rule broken', () => {
    expect(reported).toEqual([
      'src/renderer/src/lib/components/Leak.svelte:2 the renderer imports no Electron (it talks to QuireApi only) [electron]',
      'src/renderer/src/lib/components/Leak.svelte:2 only src/main/ipc.ts touches ipcMain [ipcMain]',
      'src/renderer/src/lib/state/leak.svelte.ts:2 the renderer imports nothing from src/main, src/server, src/preload or src/cli [../../../../main/store/project-store]',
      'src/renderer/src/lib/fs-leak.ts:2 the renderer imports no Node built-in [node:fs/promises]',
      'src/core/formats/leak.ts:1 src/core imports no Node built-in [node:fs]',
      'src/core/formats/leak.ts:2 src/core imports no Node built-in [path]',
      'src/core/dom-leak.ts:1 src/core imports no DOM-only package [svelte]',
      'src/core/dom-leak.ts:2 src/core imports only src/core and src/shared [../server/http-server]',
      'src/shared/leak.ts:1 src/shared imports no Electron [electron]',
      'src/shared/leak.ts:4 src/shared imports only src/shared and src/core [../main/backend]',
      'src/main/services/leak.ts:1 only src/main/ipc.ts touches ipcMain [ipcMain]',
      'src/main/services/leak.ts:2 only src/main/ipc.ts touches ipcMain [ipcMain]',
      'src/main/menu-leak.ts:2 only src/preload touches ipcRenderer [ipcRenderer]'
    ])
  })

  it('ignores words in comments, strings and markup', () => {
    const quiet: SourceFile[] = [
      { path: 'src/main/window.ts', text: "// only ipc.ts touches ipcMain\nconst note = 'ipcRenderer is the preload\\'s'\n" },
      { path: 'src/renderer/src/lib/components/Note.svelte', text: "<script lang=\"ts\">\n  const where = 'node:fs'\n</script>\n<p>import fs from 'node:fs'; ipcMain</p>\n" }
    ]
    expect(checkImportBoundaries(quiet)).toEqual([])
  })

  it('keeps the lines of a .svelte file when it blanks its markup', () => {
    const file = { path: 'src/renderer/src/X.svelte', text: '<p>a</p>\n<script>\nlet x = 1\n</script>\n' }
    expect(scriptOf(file).split('\n')).toHaveLength(file.text.split('\n').length)
    expect(scriptOf(file).split('\n')[2]).toBe('let x = 1')
  })

  it('lets the owners touch what they own', () => {
    const owners: SourceFile[] = [
      { path: 'src/main/ipc.ts', text: "import { ipcMain } from 'electron'\nipcMain.handle('x', () => 1)\n" },
      { path: 'src/preload/index.ts', text: "import { contextBridge, ipcRenderer } from 'electron'\nimport { API_METHODS } from '../shared/api-methods'\n" },
      { path: 'src/core/ok.ts', text: "import { z } from 'zod'\nimport type { Span } from '../shared/model'\nimport { ChangeSet } from '@codemirror/state'\n" }
    ]
    expect(checkImportBoundaries(owners)).toEqual([])
  })
})

describe('one list of API method names', () => {
  const TRANSPORTS = ['src/preload/index.ts', 'src/main/ipc.ts', 'src/renderer/src/lib/http-api.ts']

  it.each(TRANSPORTS)('%s builds its calls from API_METHODS', async (path) => {
    const text = await readFile(join(ROOT, path), 'utf8')
    expect(importsOf({ path, text }).map((found) => found.specifier)).toContainEqual(expect.stringMatching(/shared\/api-methods$/))
    // Iterated, not merely imported: every method gets its bridge, handler or HTTP call from the list.
    expect(text).toMatch(/API_METHODS\.map\(|of API_METHODS\)/)
  })

  it('is written nowhere else in src/ as a list of names in code', async () => {
    expect(handWrittenMethodLists(await sourceFiles())).toEqual([])
  })

  it('notices a planted hand-written list, and lets types name calls', () => {
    const planted: SourceFile[] = [
      { path: 'src/server/routes.ts', text: "export const ROUTES = ['getAppInfo', 'getSettings', 'listDocuments']\n" },
      { path: 'src/renderer/src/lib/state/calls.ts', text: "type Calls = Pick<QuireApi, 'getAppInfo' | 'getSettings' | 'listDocuments'>\n" }
    ]
    expect(handWrittenMethodLists(planted)).toEqual(['src/server/routes.ts: getAppInfo, getSettings, listDocuments'])
  })
})

/** Files other than api-methods.ts naming three or more API calls as strings in code (not in types). */
function handWrittenMethodLists(files: readonly SourceFile[]): string[] {
  const methods = new Set<string>(API_METHODS)
  const lists: string[] = []
  for (const file of files) {
    if (file.path === 'src/shared/api-methods.ts') continue
    const source = ts.createSourceFile(file.path, scriptOf(file), ts.ScriptTarget.Latest, true)
    const quoted = new Set<string>()
    // Names in types (Pick<QuireApi, 'a' | 'b'>) are checked against the contract by the compiler.
    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node)) return
      if (ts.isStringLiteral(node) && methods.has(node.text)) quoted.add(node.text)
      ts.forEachChild(node, visit)
    }
    visit(source)
    // A call named once or twice (a special case, a test of one call) is fine; a table is not.
    if (quoted.size >= 3) lists.push(`${file.path}: ${[...quoted].join(', ')}`)
  }
  return lists
}
