#!/usr/bin/env node
// The `quire` command (package.json "bin"). It runs straight from the TypeScript sources after
// `npm install`, with no build step (install scripts are off, see .npmrc): the first run after
// the sources change bundles them with esbuild into a cache (cli-bundle.mjs), later runs load
// that bundle. When it cannot be built, tsx runs the sources, as QUIRE_CLI_FROM_SOURCES=1 asks.
import { cliBundle } from './cli-bundle.mjs'

const bundle = process.env.QUIRE_CLI_FROM_SOURCES === '1' ? null : await cliBundle()
const { runCli } = bundle !== null ? await import(bundle) : await fromSources()
process.exitCode = await runCli(process.argv.slice(2))

async function fromSources() {
  const { register } = await import('tsx/esm/api')
  register()
  return import('../src/cli/main.ts')
}
