// Imports the window follows by a job id of its own: progress while the call runs, a cancel
// that reaches the import (even one overtaking its start), nothing kept once it has answered.
import { describe, expect, it } from 'vitest'
import { ImportJobs } from '../../src/main/services/import-jobs'

describe('ImportJobs', () => {
  it('says how far a running import is, passes a cancel on, and forgets the job once it answers', async () => {
    const jobs = new ImportJobs()
    let release = (): void => undefined
    const running = jobs.run('job-1', async (control) => {
      control.onProgress?.(500, 2000)
      await new Promise<void>((resolve) => (release = resolve))
      return control.signal?.aborted
    })
    await Promise.resolve()
    expect(jobs.progress('job-1')).toEqual({ done: 500, total: 2000 })
    expect(jobs.progress('another')).toBeNull()
    jobs.cancel('job-1')
    release()
    expect(await running).toBe(true)
    expect(jobs.progress('job-1')).toBeNull()
  })

  it('starts an import already cancelled when the cancel arrived first', async () => {
    const jobs = new ImportJobs()
    jobs.cancel('early')
    expect(await jobs.run('early', async (control) => control.signal?.aborted)).toBe(true)
    expect(await jobs.run('early', async (control) => control.signal?.aborted)).toBe(false)
  })

  it('runs an import without a job id unfollowed', async () => {
    expect(await new ImportJobs().run(undefined, async (control) => control)).toEqual({})
  })
})
