// The bench's own driving (Playwright's client, the DevTools messages, the bench's bookkeeping)
// is not the app's work, yet on two cores it competes with the window it measures: 60–90 ms of
// CPU per open and 310–380 ms over twelve tags (stop 50, per-thread /proc figures), while the
// window's thread waited for a core about as long as it ran. A user's machine has no driver, so
// the bench's driving thread yields the cores: nice 10.
//
// On Linux a nice value belongs to a thread (setpriority with pid 0 changes only the calling
// one: the bench's other threads, V8's helpers and libuv's pool, keep theirs; the driving and its
// DevTools messages are all on this one), and a process started from it inherits it. So whatever the bench starts after lowering
// (a browser-edition server, a second Chromium) is started at normal priority: the thread goes
// back to 0 for the spawn and down again after it. Going back up needs CAP_SYS_NICE (root has
// it); without it the driver is not lowered at all, so nothing of the app's ever runs below
// normal priority.
import { readFileSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'

/** The driving thread's nice value while lowered: a tenth or so of a normal thread's share when both want a core. */
export const DRIVER_NICE = 10
const NORMAL_NICE = 0
/** Bit of CAP_SYS_NICE in a capability mask (linux/capability.h). */
const CAP_SYS_NICE_BIT = 23n

let lowered = false

/** Whether a /proc/PID/status text grants CAP_SYS_NICE in its effective set ("CapEff:\t000001ffffffffff"). */
export function grantsSysNice(procStatus: string): boolean {
  const mask = /^CapEff:\s*([0-9a-f]+)\s*$/im.exec(procStatus)?.[1]
  return mask !== undefined && ((BigInt(`0x${mask}`) >> CAP_SYS_NICE_BIT) & 1n) === 1n
}

/** This process's /proc/self/status (its capabilities among it); null where there is none (not Linux). */
export function ownProcessStatus(): string | null {
  try {
    return readFileSync('/proc/self/status', 'utf8')
  } catch {
    return null
  }
}

/**
 * Lowers the calling thread (the bench's driver) to DRIVER_NICE when it can be raised again for
 * the processes the bench starts; returns the line to print either way. Call it after launching
 * the browser, which must run at normal priority.
 */
export function lowerDriverPriority(): string {
  const status = ownProcessStatus()
  if (status === null) return 'Bench driver at normal priority (no /proc/self/status to read its capabilities: not Linux?)'
  if (!grantsSysNice(status)) return 'Bench driver at normal priority: without CAP_SYS_NICE it could not start the app\'s processes at normal priority after lowering itself'
  setPriority(DRIVER_NICE)
  lowered = true
  return `Bench driver at nice ${getPriority()} (bench/driver-priority.ts): the window and the server get the cores first; what it starts runs at normal priority`
}

/** Puts the driving thread back to normal priority, for a bench's work after its browser part (measured in its own process). */
export function restoreDriverPriority(): void {
  if (!lowered) return
  setPriority(NORMAL_NICE)
  lowered = false
}

/**
 * Runs `work` with the calling thread at normal priority: a spawn, so the process it starts is not
 * lowered with the driver, or the machine-speed workload, so its figure compares with other runs'.
 */
export function atNormalPriority<T>(work: () => T): T {
  if (!lowered) return work()
  setPriority(NORMAL_NICE)
  try {
    return work()
  } finally {
    setPriority(DRIVER_NICE)
  }
}
