// The renderer's content-hashed files (assets/index-Cf7O6b5C.js and the like), read into memory
// as the server starts. A file streamed from disk took a turn of the event loop per 64 KB read:
// while the server read a 100,000-document project's index, the window's 400 KB bundle waited
// ~0.7 s for its ten turns. Held in memory it is one write. Such a file never changes under its
// name (the build names it after its content), so what was read stays right; under a megabyte.
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'

export interface BuiltAsset {
  bytes: Buffer
  /** As a file read from disk is tagged: its size and modification time. */
  etag: string
}

export const ASSETS_FOLDER = 'assets'

/** The files of `rendererDir`/assets by URL path ("/assets/…"); empty when there is no build. */
export async function readBuiltAssets(rendererDir: string, isContentHashed: (pathname: string) => boolean): Promise<Map<string, BuiltAsset>> {
  const assets = new Map<string, BuiltAsset>()
  const folder = join(rendererDir, ASSETS_FOLDER)
  const names = await readdir(folder).catch(() => [] as string[])
  await Promise.all(
    names.map(async (name) => {
      const pathname = `/${ASSETS_FOLDER}/${name}`
      if (!isContentHashed(pathname)) return
      const path = join(folder, name)
      const [bytes, fileStat] = await Promise.all([readFile(path), stat(path)])
      assets.set(pathname, { bytes, etag: fileEtag(fileStat.size, fileStat.mtimeMs) })
    })
  )
  return assets
}

export function fileEtag(size: number, mtimeMs: number): string {
  return `"${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}"`
}
