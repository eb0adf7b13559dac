#!/usr/bin/env node
// Rasterises resources/icon.svg into the PNGs the installers, the window and the browser
// edition use, with Debian's Chromium (the one the end-to-end tests drive). Each size is drawn
// from the SVG, not scaled down from the largest, so small icons stay sharp. The PNGs are
// committed: packaging never needs a browser. Run after changing the SVG:
//   node scripts/make-icons.mjs
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const CHROMIUM_PATH = '/usr/bin/chromium'

/** Every icon Quire ships (electron-builder.config.mjs and tests/unit/packaging-config.test.ts name them too). */
const ICON_OUTPUTS = [
  // Linux (AppImage, deb) and macOS (dmg: electron-builder makes the .icns from it).
  { path: 'resources/icon.png', size: 1024 },
  // Windows (NSIS: electron-builder makes the .ico from it) and the Linux window icon.
  { path: 'resources/icon-256.png', size: 256 },
  // The browser edition's tab.
  { path: 'src/renderer/public/favicon.png', size: 64 }
]

async function main() {
  const svg = await readFile(join(appRoot, 'resources', 'icon.svg'), 'utf8')
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] })
  try {
    for (const { path, size } of ICON_OUTPUTS) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 })
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`
      )
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
      await writeFile(join(appRoot, path), png)
      console.log(`${path}: ${size}×${size}`)
      await page.close()
    }
  } finally {
    await browser.close()
  }
}

main().catch((error) => {
  console.error(`make-icons: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
