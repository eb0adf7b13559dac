// Quire's layer rules as a check over the import graph (see docs/ARCHITECTURE.md, "Boundaries"):
// which folder of src/ may import what, and which files alone may touch ipcMain / ipcRenderer.
// It reads imports with the TypeScript compiler's own scanner (ts.preProcessFile), so static,
// type-only, re-exported, dynamic import() and require() imports all count, and a word in a
// comment or a string never does.
import { builtinModules } from 'node:module'
import { posix } from 'node:path'
import ts from 'typescript'

/** A source file, its path relative to the repository root with forward slashes (src/core/ids.ts). */
export interface SourceFile {
  path: string
  text: string
}

export interface BoundaryViolation {
  /** file:line, e.g. src/core/ids.ts:3 */
  where: string
  rule: string
  /** What was imported or touched. */
  found: string
}

type Area = 'core' | 'shared' | 'main' | 'preload' | 'renderer' | 'server' | 'cli'

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))

/** Packages that need a DOM (or Svelte's runtime) to mean anything: never in core or shared. */
const DOM_PACKAGES = [/^svelte(\/|$)/, /^@codemirror\/view$/, /^@codemirror\/search$/, /^@codemirror\/commands$/, /^@testing-library\//, /^playwright/]

interface ImportRule {
  rule: string
  forbids: (target: ImportTarget) => boolean
}

type ImportTarget = { kind: 'area'; area: Area | 'outside-src' } | { kind: 'node'; name: string } | { kind: 'package'; name: string }

const isNode = (target: ImportTarget): boolean => target.kind === 'node'
const isElectron = (target: ImportTarget): boolean => target.kind === 'package' && /^electron(\/|$)/.test(target.name)
const isDomPackage = (target: ImportTarget): boolean => target.kind === 'package' && DOM_PACKAGES.some((pattern) => pattern.test(target.name))
const isArea =
  (...areas: Array<Area | 'outside-src'>) =>
  (target: ImportTarget): boolean =>
    target.kind === 'area' && areas.includes(target.area)

const RULES: Partial<Record<Area, ImportRule[]>> = {
  core: [
    { rule: 'src/core imports no Node built-in', forbids: isNode },
    { rule: 'src/core imports no Electron', forbids: isElectron },
    { rule: 'src/core imports no DOM-only package', forbids: isDomPackage },
    { rule: 'src/core imports only src/core and src/shared', forbids: isArea('main', 'preload', 'renderer', 'server', 'cli', 'outside-src') }
  ],
  shared: [
    { rule: 'src/shared imports no Node built-in', forbids: isNode },
    { rule: 'src/shared imports no Electron', forbids: isElectron },
    { rule: 'src/shared imports no DOM-only package', forbids: isDomPackage },
    { rule: 'src/shared imports only src/shared and src/core', forbids: isArea('main', 'preload', 'renderer', 'server', 'cli', 'outside-src') }
  ],
  renderer: [
    { rule: 'the renderer imports no Node built-in', forbids: isNode },
    { rule: 'the renderer imports no Electron (it talks to QuireApi only)', forbids: isElectron },
    { rule: 'the renderer imports nothing from src/main, src/server, src/preload or src/cli', forbids: isArea('main', 'preload', 'server', 'cli', 'outside-src') }
  ],
  // The sandboxed preload runs without Node's modules; main parses whatever it sends.
  preload: [
    { rule: 'the preload imports no Node built-in', forbids: isNode },
    { rule: 'the preload imports only src/shared and electron', forbids: isArea('core', 'main', 'renderer', 'server', 'cli', 'outside-src') }
  ],
  main: [{ rule: 'src/main imports nothing from the renderer', forbids: isArea('renderer') }],
  cli: [{ rule: 'the CLI imports no Electron', forbids: isElectron }]
}

/** Identifiers that only one place may name. */
const OWNED_IDENTIFIERS: Array<{ identifier: string; owner: (path: string) => boolean; rule: string }> = [
  { identifier: 'ipcMain', owner: (path) => path === 'src/main/ipc.ts', rule: 'only src/main/ipc.ts touches ipcMain' },
  { identifier: 'ipcRenderer', owner: (path) => path.startsWith('src/preload/'), rule: 'only src/preload touches ipcRenderer' }
]

export function areaOf(path: string): Area | 'outside-src' {
  const match = /^src\/(core|shared|main|preload|renderer|server|cli)\//.exec(path)
  return match ? (match[1] as Area) : 'outside-src'
}

function targetOf(importer: string, specifier: string): ImportTarget {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    return { kind: 'area', area: areaOf(posix.normalize(posix.join(posix.dirname(importer), specifier))) }
  }
  if (NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0] ?? '')) return { kind: 'node', name: specifier }
  return { kind: 'package', name: specifier }
}

/** The TypeScript of a file: all of a .ts, the <script> blocks of a .svelte (the rest blanked, so lines stay). */
export function scriptOf(file: SourceFile): string {
  if (!file.path.endsWith('.svelte')) return file.text
  const kept = file.text.replace(/[^\n]/g, ' ').split('')
  for (const block of file.text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    const start = (block.index ?? 0) + block[0].indexOf('>') + 1
    const body = block[1] ?? ''
    for (let i = 0; i < body.length; i += 1) kept[start + i] = body[i] ?? ' '
  }
  return kept.join('')
}

/** position -> 1-based line, by a binary search over the line starts. */
function lineFinder(text: string): (position: number) => number {
  const starts = [0]
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) starts.push(i + 1)
  return (position) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = Math.ceil((low + high) / 2)
      if ((starts[middle] ?? 0) <= position) low = middle
      else high = middle - 1
    }
    return low + 1
  }
}

/** Every import of a file (static, type-only, export-from, import(), require()), with its line. */
export function importsOf(file: SourceFile): Array<{ specifier: string; line: number }> {
  const script = scriptOf(file)
  const lineAt = lineFinder(script)
  return ts.preProcessFile(script, true, true).importedFiles.map((imported) => ({ specifier: imported.fileName, line: lineAt(imported.pos) }))
}

/** Identifiers (not words in comments or strings) of a file, with their lines. */
export function identifiersOf(file: SourceFile): Array<{ name: string; line: number }> {
  const script = scriptOf(file)
  const lineAt = lineFinder(script)
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, script)
  const found: Array<{ name: string; line: number }> = []
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.Identifier) found.push({ name: scanner.getTokenValue(), line: lineAt(scanner.getTokenStart()) })
  }
  return found
}

export function checkImportBoundaries(files: readonly SourceFile[]): BoundaryViolation[] {
  const violations: BoundaryViolation[] = []
  for (const file of files) {
    const area = areaOf(file.path)
    const rules = area === 'outside-src' ? [] : (RULES[area] ?? [])
    for (const { specifier, line } of importsOf(file)) {
      const target = targetOf(file.path, specifier)
      for (const { rule, forbids } of rules) {
        if (forbids(target)) violations.push({ where: `${file.path}:${line}`, rule, found: specifier })
      }
    }
    for (const { name, line } of identifiersOf(file)) {
      const owned = OWNED_IDENTIFIERS.find((candidate) => candidate.identifier === name)
      if (owned && !owned.owner(file.path)) violations.push({ where: `${file.path}:${line}`, rule: owned.rule, found: name })
    }
  }
  return violations
}

/** One line per violation, for a failing test's message. */
export function describeViolations(violations: readonly BoundaryViolation[]): string {
  return violations.map((violation) => `${violation.where}: ${violation.rule} (found ${violation.found})`).join('\n')
}
