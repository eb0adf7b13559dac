// The CLI's code bundled once per change of its sources, so a command starts in a fraction of
// the second that compiling ~150 TypeScript files through tsx takes on every run.
//
// The bundle lives in node_modules/.cache/quire-cli/ (node_modules, so the packages it leaves
// out, zod and lowdb, resolve as they do for the sources). A stamp beside it lists every file
// the bundle was made from (esbuild's metafile) with its content's hash; a run rehashes those
// files (a few milliseconds) and rebuilds when any differs, so an edit, a checkout or a pull is
// never answered by stale code, whatever the files' modification times say. A new file can
// only enter the bundle through an import added to a listed file, which changes that file.
//
// Builds go to a folder of their own and the stamp is replaced atomically, so commands started
// at once (tests run in parallel) never see half a bundle; the loser of a race leaves a folder
// that a later build removes. Anything going wrong (no esbuild, a syntax error in the sources)
// returns null and the caller runs the sources through tsx, which reports errors as before.
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const QUIRE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The CLI and the worker threads it starts; worker-pool.ts finds `<name>.js` beside its own chunk. */
export const CLI_ENTRIES = {
  main: 'src/cli/main.ts',
  'export-worker': 'src/main/services/export-worker.ts',
  'agreement-worker': 'src/main/services/agreement-worker.ts',
  'search-worker': 'src/main/services/search-worker.ts'
}

/** Files that shape the output without being imported (esbuild reads the tsconfig files). */
const BUILD_SETTINGS = ['package.json', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.node.json']

/** Changing how bundles are made makes every earlier one stale. */
const BUILDER_VERSION = 1
/** Builds no stamp names are removed once this old (a command may still be running from one). */
const ABANDONED_AFTER_MS = 60 * 60 * 1000

/**
 * The file URL of the bundled entry `main` for the sources under `root`, built now if the last
 * build is missing or stale; null when it cannot be built.
 */
export async function cliBundle({ root = QUIRE_ROOT, entries = CLI_ENTRIES, cacheDir = join(root, 'node_modules', '.cache', 'quire-cli') } = {}) {
  try {
    // Worktrees of one clone may share node_modules: each root has its own stamp.
    const rootKey = createHash('sha256').update(root).digest('hex').slice(0, 16)
    const stampPath = join(cacheDir, `${rootKey}.json`)
    const fresh = freshBuild(stampPath, root, cacheDir)
    if (fresh !== null) return pathToFileURL(join(fresh, 'main.js')).href
    const built = await build(root, entries, cacheDir, rootKey, stampPath)
    return built === null ? null : pathToFileURL(join(built, 'main.js')).href
  } catch {
    return null
  }
}

/** The folder of the build the stamp names, if every file it was made from is unchanged. */
function freshBuild(stampPath, root, cacheDir) {
  let stamp
  try {
    stamp = JSON.parse(readFileSync(stampPath, 'utf8'))
  } catch {
    return null
  }
  if (stamp.builder !== BUILDER_VERSION || typeof stamp.folder !== 'string' || typeof stamp.inputs !== 'object') return null
  for (const [path, hash] of Object.entries(stamp.inputs)) {
    if (contentHash(join(root, path)) !== hash) return null
  }
  const folder = join(cacheDir, stamp.folder)
  return statSync(join(folder, 'main.js'), { throwIfNoEntry: false })?.isFile() ? folder : null
}

async function build(root, entries, cacheDir, rootKey, stampPath) {
  let esbuild
  try {
    esbuild = await import('esbuild')
  } catch {
    return null
  }
  const folderName = `${rootKey}-${randomBytes(6).toString('hex')}`
  const folder = join(cacheDir, folderName)
  let result
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(root, path)])),
      outdir: folder,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Packages load from node_modules as they do for the sources.
      packages: 'external',
      // No keepNames: it wraps every function and class in a defineProperty call run each time
      // the function is created, and closures made per document (offset converters, revision
      // graphs) then cost an export's workers ~6 % of their time. Nothing reads a function's name.
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      metafile: true,
      logLevel: 'silent'
    })
  } catch {
    rmSync(folder, { recursive: true, force: true })
    return null
  }
  const inputs = {}
  for (const path of [...Object.keys(result.metafile.inputs), ...BUILD_SETTINGS]) {
    const relativePath = relative(root, resolve(root, path)).split(sep).join('/')
    inputs[relativePath] = contentHash(join(root, relativePath))
  }
  // The launcher itself: its build options are part of what a bundle is.
  inputs[relative(root, fileURLToPath(import.meta.url)).split(sep).join('/')] = contentHash(fileURLToPath(import.meta.url))
  const temporary = `${stampPath}.${folderName}.tmp`
  writeFileSync(temporary, JSON.stringify({ builder: BUILDER_VERSION, esbuild: esbuild.version, folder: folderName, inputs }))
  renameSync(temporary, stampPath)
  removeAbandonedBuilds(cacheDir, rootKey, folderName)
  return folder
}

function contentHash(path) {
  try {
    return createHash('sha1').update(readFileSync(path)).digest('base64url')
  } catch {
    return null
  }
}

function removeAbandonedBuilds(cacheDir, rootKey, current) {
  const now = Date.now()
  for (const name of readdirSync(cacheDir)) {
    if (!name.startsWith(`${rootKey}-`) || name === current) continue
    const path = join(cacheDir, name)
    const info = statSync(path, { throwIfNoEntry: false })
    if (info && now - info.mtimeMs > ABANDONED_AFTER_MS) rmSync(path, { recursive: true, force: true })
  }
}

