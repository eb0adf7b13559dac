// The reader bench's driver yields the cores to the app it measures (bench/driver-priority.ts),
// and never takes the app down with it: what it starts runs at normal priority.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { DRIVER_NICE, grantsSysNice, ownProcessStatus } from '../../bench/driver-priority'

const APP_ROOT = join(__dirname, '..', '..')

describe('grantsSysNice', () => {
  it('reads CAP_SYS_NICE (bit 23) from the effective capability set', () => {
    expect(grantsSysNice('Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n')).toBe(true)
    expect(grantsSysNice('CapEff:\t0000000000800000\n')).toBe(true)
    // Every bit but 23.
    expect(grantsSysNice('CapEff:\t000001ffff7fffff\n')).toBe(false)
    expect(grantsSysNice('CapEff:\t0000000000000000\n')).toBe(false)
    expect(grantsSysNice('Name:\tnode\n')).toBe(false)
  })
})

const mayRaisePriority = grantsSysNice(ownProcessStatus() ?? '')

// In a process of its own: lowering the test's thread would slow every test after it.
const CHILD_SCRIPT = `
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { getPriority } from 'node:os'
import { atNormalPriority, lowerDriverPriority, restoreDriverPriority } from './bench/driver-priority.ts'
// Field 19 of /proc/PID/stat, counted after the command's closing parenthesis.
const niceOf = (pid) => Number(readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ')[16])
const line = lowerDriverPriority()
const started = atNormalPriority(() => spawn('sleep', ['5']))
const lowered = spawn('sleep', ['5'])
const driver = getPriority()
restoreDriverPriority()
const figures = { line, driver, restored: getPriority(), started: niceOf(started.pid), lowered: niceOf(lowered.pid) }
started.kill(); lowered.kill()
console.log(JSON.stringify(figures))
`

describe('lowerDriverPriority', () => {
  it.skipIf(!mayRaisePriority)('lowers the driving thread, starts processes at normal priority and puts the thread back (needs CAP_SYS_NICE: skipped without it)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD_SCRIPT], { cwd: APP_ROOT })
    const figures = JSON.parse(stdout.trim()) as { line: string; driver: number; restored: number; started: number; lowered: number }
    expect(figures.line).toContain(`nice ${DRIVER_NICE}`)
    expect(figures.driver).toBe(DRIVER_NICE)
    expect(figures.restored).toBe(0)
    expect(figures.started).toBe(0)
    // A spawn outside atNormalPriority inherits the driver's value: why the bench's spawns go through it.
    expect(figures.lowered).toBe(DRIVER_NICE)
  }, 60_000)
})
