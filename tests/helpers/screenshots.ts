// Screenshots an end-to-end test takes: kept in a temp folder while it runs, copied to
// $QUIRE_SCREENSHOTS when that is set (so a person can look at them), then removed.
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'

export interface Screenshots {
  shoot(page: Page, name: string): Promise<void>
  /** Copies them to $QUIRE_SCREENSHOTS (if set) and removes the temp folder. */
  finish(): Promise<void>
}

export async function screenshotsFor(prefix: string): Promise<Screenshots> {
  const folder = await mkdtemp(join(tmpdir(), `quire-${prefix}-shots-`))
  return {
    shoot: async (page, name) => {
      await page.screenshot({ path: join(folder, `${prefix}-${name}.png`) })
    },
    finish: async () => {
      const keep = process.env.QUIRE_SCREENSHOTS
      if (keep) {
        await mkdir(keep, { recursive: true })
        for (const name of await readdir(folder)) await copyFile(join(folder, name), join(keep, name))
      }
      await rm(folder, { recursive: true, force: true })
    }
  }
}
