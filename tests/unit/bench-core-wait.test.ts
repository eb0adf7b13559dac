// The reader bench's figure for how long the window's thread waited for a core (bench/core-wait.ts).
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { addCoreWait, coreWaitBetween, describeCoreWait, readRendererSchedule, type RendererSchedule } from '../../bench/core-wait'

describe('coreWaitBetween', () => {
  it('adds up what each renderer ran and waited between two readings, a renderer started since counting whole', () => {
    const before: RendererSchedule = new Map([
      [10, { runNs: 5e6, waitNs: 1e6 }],
      [11, { runNs: 2e6, waitNs: 0 }]
    ])
    const after: RendererSchedule = new Map([
      [10, { runNs: 25e6, waitNs: 4e6 }],
      [12, { runNs: 3e6, waitNs: 2e6 }]
    ])
    expect(coreWaitBetween(before, after)).toEqual({ ranMs: 23, waitedMs: 5 })
    expect(describeCoreWait(coreWaitBetween(before, after))).toBe('waited 5.0 ms (ran 23)')
  })

  it('is not measured where either reading is missing, and says so', () => {
    expect(coreWaitBetween(null, new Map())).toBeNull()
    expect(addCoreWait({ ranMs: 1, waitedMs: 1 }, null)).toBeNull()
    expect(describeCoreWait(null)).toBe('–')
  })
})

describe.runIf(process.platform === 'linux')('readRendererSchedule', () => {
  it("reads the main thread of each renderer this process started, and no other process's", async () => {
    const script = 'const end = Date.now() + 150; while (Date.now() < end); setTimeout(() => {}, 10_000)'
    const renderer = spawn(process.execPath, ['-e', script, '--', '--type=renderer'], { stdio: 'ignore' })
    // Another program's renderer: started through a shell that exits at once, so it is no longer our descendant.
    const shell = spawn('sh', ['-c', `"${process.execPath}" -e '${script}' -- --type=renderer >/dev/null 2>&1 & echo $!`], { stdio: ['ignore', 'pipe', 'ignore'] })
    let orphanPid = 0
    shell.stdout.on('data', (chunk: Buffer) => (orphanPid = Number(chunk.toString().trim())))
    await new Promise((resolve) => shell.once('exit', resolve))
    try {
      await new Promise((resolve) => setTimeout(resolve, 600))
      const schedule = readRendererSchedule()
      expect(schedule).not.toBeNull()
      const own = schedule?.get(renderer.pid as number)
      // It spun for 150 ms: at least most of that on a core.
      expect(own?.runNs).toBeGreaterThan(50e6)
      expect(own?.waitNs).toBeGreaterThanOrEqual(0)
      expect(orphanPid).toBeGreaterThan(0)
      expect(schedule?.has(orphanPid)).toBe(false)
    } finally {
      renderer.kill('SIGKILL')
      if (orphanPid > 0) process.kill(orphanPid, 'SIGKILL')
    }
  })
})
