// Starts an export worker from the TypeScript sources (CLI, tests, bench, all run under tsx).
// A worker thread does not inherit tsx's loader, and in Node 20 `--import tsx` in a worker's
// execArgv does not apply to its entry, so the entry is loaded through tsx's API instead.
// The built app (electron-vite) runs out/main/export-worker.js directly and never uses this.
import { tsImport } from 'tsx/esm/api'

await tsImport('./export-worker.ts', import.meta.url)
