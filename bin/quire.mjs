#!/usr/bin/env node
// The `quire` command (package.json "bin"). It runs the TypeScript sources through tsx, so it
// works straight after `npm install` with no build step (install scripts are off, see .npmrc).
import { register } from 'tsx/esm/api'

register()
const { runCli } = await import('../src/cli/main.ts')
process.exitCode = await runCli(process.argv.slice(2))
