// `npm run package` where Electron's binary is missing and cannot be downloaded: one line that
// says so, a non-zero exit, and no build started; and the .deb's missing homepage said early. The binary is hidden with Electron's own
// ELECTRON_OVERRIDE_DIST_PATH (an empty folder) and its download pointed at a closed local
// port with an empty cache, so the test behaves the same with or without Electron installed.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linuxMetadataProblem } from '../../scripts/package.mjs'

const APP_ROOT = join(import.meta.dirname, '..', '..')
let scratchDir: string

beforeAll(async () => {
  scratchDir = await mkdtemp(join(tmpdir(), 'quire-package-'))
})
afterAll(async () => {
  await rm(scratchDir, { recursive: true, force: true })
})

function runPackageScript(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(APP_ROOT, 'scripts', 'package.mjs')], { cwd: APP_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('npm run package without Electron’s binary', () => {
  it('says so in one line and exits non-zero before building anything', async () => {
    const { code, stdout, stderr } = await runPackageScript({
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: join(scratchDir, 'no-electron-here'),
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: join(scratchDir, 'empty-cache')
    })
    expect(code).not.toBe(0)
    expect(stdout).toBe('')
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Quire cannot be packaged here: Electron \d+\.\d+\.\d+'s binary is not installed and could not be downloaded; run `node node_modules\/electron\/install\.js` where the network allows/)
  })
})

describe('linuxMetadataProblem', () => {
  it('asks for a homepage before building a .deb, in one line', () => {
    const problem = linuxMetadataProblem('linux', {})
    expect(problem).toMatch(/^Quire cannot be packaged as a \.deb yet: package\.json has no "homepage"/)
    expect(problem).not.toContain('\n')
  })

  it('is satisfied by a homepage, and asks nothing on macOS and Windows', () => {
    expect(linuxMetadataProblem('linux', { homepage: 'https://example.org/quire' })).toBeNull()
    expect(linuxMetadataProblem('darwin', {})).toBeNull()
    expect(linuxMetadataProblem('win32', {})).toBeNull()
  })
})
