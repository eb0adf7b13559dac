import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

function contentHashedName(stem: string, source: string | Buffer): string {
  return `assets/${stem}-${createHash('sha256').update(source).digest('base64url').slice(0, 8)}.js`
}

/**
 * Emits src/renderer/early-start.js and the worker it starts (fetch-worker.js) as they are
 * (outside the bundle, so they run before the bundle has arrived) under names made of their
 * content's hash, points index.html at the one and early-start.js at the other: like every other
 * built file, the browser may then keep them for good (http-server.ts) and the page's parser
 * never waits for them to be asked for again (issue 12).
 */
function earlyStartWithContentHash(): Plugin {
  const workerSource = readFileSync(resolve('src/renderer/fetch-worker.js'), 'utf8')
  const workerFileName = contentHashedName('fetch-worker', workerSource)
  const plainSource = readFileSync(resolve('src/renderer/early-start.js'), 'utf8')
  const workerReference = "'./fetch-worker.js'"
  if (plainSource.split(workerReference).length !== 2) throw new Error(`src/renderer/early-start.js must name ${workerReference} once: the build points it at the worker's hashed name`)
  const source = plainSource.replace(workerReference, `'./${workerFileName.slice('assets/'.length)}'`)
  const fileName = contentHashedName('early-start', source)
  return {
    name: 'quire-early-start-with-content-hash',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('src="./early-start.js"', `src="./${fileName}"`),
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: workerFileName, source: workerSource })
      this.emitFile({ type: 'asset', fileName, source })
    }
  }
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // Each worker is an entry of its own: out/main/<name>.js beside index.js, where
        // src/main/services/worker-pool.ts looks for it.
        input: {
          index: resolve('src/main/index.ts'),
          'export-worker': resolve('src/main/services/export-worker.ts'),
          'agreement-worker': resolve('src/main/services/agreement-worker.ts'),
          'search-worker': resolve('src/main/services/search-worker.ts'),
          'poll-worker': resolve('src/main/services/poll-worker.ts'),
          'lexicon-worker': resolve('src/main/services/lexicon-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot load ES modules: emit one self-contained CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    // The renderer's root is src/renderer: the compiler options are named, not looked for there.
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), earlyStartWithContentHash()],
    build: {
      // The window parses and compiles the whole first bundle before it can show anything:
      // minified, 336 KB instead of 744 KB, compiled in half the time (issue 12).
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
