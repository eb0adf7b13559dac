import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // Each batch worker is an entry of its own: out/main/<name>.js beside index.js, where
        // src/main/services/worker-pool.ts looks for it.
        input: {
          index: resolve('src/main/index.ts'),
          'export-worker': resolve('src/main/services/export-worker.ts'),
          'agreement-worker': resolve('src/main/services/agreement-worker.ts'),
          'search-worker': resolve('src/main/services/search-worker.ts')
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
    plugins: [svelte()],
    build: {
      // The window parses and compiles the whole first bundle before it can show anything:
      // minified, 336 KB instead of 744 KB, compiled in half the time (issue 12).
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
