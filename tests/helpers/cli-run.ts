// The real `quire` command (bin/quire.mjs), spawned as a user would run it, with its own
// user-data folder so no test reads the machine's settings.
import { spawn } from 'node:child_process'
import { join } from 'node:path'

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quire.mjs')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

export function runQuire(args: readonly string[], cwd: string, userData: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, QUIRE_USER_DATA: userData }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
