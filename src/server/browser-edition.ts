// Starts the browser edition: a QuireBackend without native dialogs, served over HTTP on
// 127.0.0.1 with a fresh token. Used by `npm run web`, `npm start` without Electron, the
// end-to-end tests and the bench.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { QuireBackend } from '../main/backend'
import type { ProjectSummary } from '../shared/model'
import { APP_ROOT, currentOsUserName, RENDERER_BUILD_DIR, SAMPLE_TEXTS_DIR } from './app-paths'
import { startQuireHttpServer } from './http-server'

export interface BrowserEditionOptions {
  userDataDir: string
  /** Opened, or created when missing or empty. Null starts on Quire's start screen. */
  projectDir: string | null
  /** 0 or absent: a free port chosen by the system. */
  port?: number
  rendererDir?: string
  sampleTextsDir?: string
  maxImportBytes?: number
  maxBodyBytes?: number
  startDocumentMaxCharacters?: number
}

export interface RunningBrowserEdition {
  /** The one address to open, with this launch's token. */
  url: string
  port: number
  token: string
  backend: QuireBackend
  project: ProjectSummary | null
  /** Stops the server and closes the project (releasing its lock). */
  close(): Promise<void>
}

/** 32 random bytes: unguessable by any page probing localhost, new on every launch. */
export function createLaunchToken(): string {
  return randomBytes(32).toString('base64url')
}

async function readAppVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(APP_ROOT, 'package.json'), 'utf8')) as { version?: string }
  return manifest.version ?? '0.0.0'
}

export async function startBrowserEdition(options: BrowserEditionOptions): Promise<RunningBrowserEdition> {
  const backendOptions: ConstructorParameters<typeof QuireBackend>[0] = {
    userDataDir: options.userDataDir,
    sampleTextsDir: options.sampleTextsDir ?? SAMPLE_TEXTS_DIR,
    edition: 'browser',
    version: await readAppVersion(),
    osUserName: currentOsUserName(),
    dialogs: null
  }
  if (options.maxImportBytes !== undefined) backendOptions.maxImportBytes = options.maxImportBytes
  const backend = new QuireBackend(backendOptions)
  const project = options.projectDir === null ? null : await backend.openOrCreateProject(options.projectDir)
  const token = createLaunchToken()
  const server = await startQuireHttpServer({
    backend,
    rendererDir: options.rendererDir ?? RENDERER_BUILD_DIR,
    token,
    port: options.port ?? 0,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.startDocumentMaxCharacters !== undefined ? { startDocumentMaxCharacters: options.startDocumentMaxCharacters } : {})
  }).catch(async (error: unknown) => {
    // Release the project's lock: nothing will serve it.
    await backend.closeProject().catch(() => undefined)
    throw error
  })
  return {
    url: `http://127.0.0.1:${server.port}/?token=${token}`,
    port: server.port,
    token,
    backend,
    project,
    async close() {
      await server.close()
      await backend.closeProject()
    }
  }
}
