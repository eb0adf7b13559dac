// The browser edition's command, started by another process with an IPC channel (as the benches
// start it), stops cleanly when that channel closes: a parent killed mid-run must not leave a
// server holding the project's lock. Started from a terminal (no channel) it is unaffected.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { QuireBackend } from '../../src/main/backend'
import { makeTempFolder } from '../fixtures/temp-folder'

const APP_ROOT = join(__dirname, '..', '..')
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

function backendFor(userDataDir: string): QuireBackend {
  return new QuireBackend({ userDataDir, sampleTextsDir: userDataDir, edition: 'browser', version: 'test', osUserName: 'leyla', dialogs: null })
}

function startServer(projectDir: string, userDataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--project', projectDir, '--user-data', userDataDir, '--no-open'], {
    cwd: APP_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('\n')) resolve(child)
    })
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before printing its link: ${output}`)))
  })
}

describe('npm run web, started by another process', () => {
  it('closes the project and exits when the channel to the process that started it closes', async () => {
    const root = await makeTempFolder()
    const projectDir = join(root, 'project')
    const mine = backendFor(join(root, 'mine'))
    await mine.setAnnotatorName('Leyla Aliyeva')
    await mine.createProject(projectDir, 'Interviews')
    await mine.closeProject()

    const server = await startServer(projectDir, join(root, 'server'))
    expect((await mine.openProject(projectDir)).readOnly).toBe(true)
    await mine.closeProject()

    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)))
    // What a parent's death does to the channel.
    server.disconnect()
    expect(await exited).toBe(0)
    // Closed, not abandoned: its lock is gone, so the project opens for writing at once.
    expect((await mine.openProject(projectDir)).readOnly).toBe(false)
    await mine.closeProject()
  }, 60_000)
})
