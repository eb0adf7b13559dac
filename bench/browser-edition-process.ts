// Runs the browser edition as its own process, exactly as `npm run web` does, so the server's
// work (reading, serializing a 27 MB answer) never shares an event loop with the bench's
// Playwright driver: the figures are those of the app, not of the harness.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { atNormalPriority } from './driver-priority'

const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

export interface BrowserEditionProcess {
  /** The printed link, with its token. */
  url: string
  /** Stops the server (SIGTERM: it closes the project and releases its lock). */
  stop(): Promise<void>
}

export function startBrowserEditionProcess(projectDir: string, userDataDir: string, timeoutMs = 120_000): Promise<BrowserEditionProcess> {
  // Node with tsx's loader, as `npm run web` runs it (tsx's own command would kill a server still
  // busy 60 ms after the SIGTERM below, and leave the project not closed cleanly for the next run).
  // The app's main process: at normal priority even when the bench's driver has lowered its own.
  const child = atNormalPriority(() =>
    spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--project', projectDir, '--user-data', userDataDir, '--no-open'], {
      cwd: APP_ROOT,
      // The IPC channel is never written to: the server stops when it closes, so a bench killed
      // mid-run (where stop() below is never called) does not leave its server running.
      stdio: ['ignore', 'pipe', 'inherit', 'ipc']
    })
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`The browser edition printed no link within ${timeoutMs / 1000} s`))
    }, timeoutMs)
    // Piped above; with an 'ipc' entry Node's types no longer know that.
    const stdout = child.stdout as NodeJS.ReadableStream
    stdout.setEncoding('utf8')
    stdout.on('data', (chunk: string) => {
      output += chunk
      const line = output.split('\n')[0]?.trim()
      if (output.includes('\n') && line) {
        clearTimeout(timer)
        if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(line)) {
          void stop()
          reject(new Error(`The browser edition printed "${line}" instead of its link`))
          return
        }
        resolve({ url: line, stop })
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`The browser edition stopped before printing its link (exit ${code ?? signal})`))
    })
  })
}
