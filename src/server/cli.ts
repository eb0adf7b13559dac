// `npm run web -- [--project DIR] [--port N] [--user-data DIR] [--no-open]`
// Starts the browser edition and prints exactly one line on stdout: the URL to open.
import { spawn } from 'node:child_process'
import { ensureBuilt, RENDERER_BUILD } from './app-build'
import { startBrowserEdition } from './browser-edition'
import { parseWebCommandArguments } from './web-command'

/** Best effort: a machine without a desktop simply has the printed URL. */
function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No opener on this machine.
  }
}

async function main(): Promise<void> {
  const options = parseWebCommandArguments(process.argv.slice(2))
  if (await ensureBuilt(RENDERER_BUILD)) process.stderr.write('Quire: built the app.\n')
  const edition = await startBrowserEdition({
    userDataDir: options.userDataDir,
    projectDir: options.projectDir,
    port: options.port
  })
  process.stdout.write(`${edition.url}\n`)
  if (options.openBrowser) openInBrowser(edition.url)

  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    edition.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Quire: could not shut down cleanly: ${(error as Error).message}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  // Started with an IPC channel (the benches do), it goes when the process that started it goes,
  // however that one ended: a bench killed mid-run left its server holding the project's lock.
  if (process.connected) process.on('disconnect', stop)
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  const path = typeof error === 'object' && error !== null && 'path' in error && error.path ? String(error.path) : ''
  const where = path && !message.includes(path) ? ` (${path})` : ''
  process.stderr.write(`Quire: ${message}${where}\n`)
  process.exit(1)
})
