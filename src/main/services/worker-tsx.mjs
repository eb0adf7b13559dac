// Starts a worker (export-worker, agreement-worker, search-worker, poll-worker, lexicon-worker) from the TypeScript sources: CLI,
// tests and benchmarks all run under tsx. A worker thread does not inherit tsx's loader, and in
// Node 20 `--import tsx` in a worker's execArgv does not apply to its entry, so the entry is
// loaded through tsx's API instead; the pool names it as the worker's last argument.
// The built app (electron-vite) runs out/main/<name>.js directly and never uses this.
import { tsImport } from 'tsx/esm/api'

const name = process.argv.at(-1)
if (name !== 'export-worker' && name !== 'agreement-worker' && name !== 'search-worker' && name !== 'poll-worker' && name !== 'lexicon-worker') throw new Error(`no worker named ${name}`)
await tsImport(`./${name}.ts`, import.meta.url)
