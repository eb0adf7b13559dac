// Bulk import under SIGKILL (the longer run is part of `npm run bench -- torture`): a child
// imports a JSONL in batches of 10 and is killed at seeded random moments; after each kill the
// project must hold whole batches only, the first of the file, every document complete.
import { describe, expect, it } from 'vitest'
import { runImportTorture } from '../../bench/import-torture'

describe('bulk import under SIGKILL', () => {
  it('leaves whole batches only across 8 kills', async () => {
    const report = await runImportTorture({ seed: 1313, kills: 8, documents: 120, batchSize: 10 })
    expect(report.failures).toEqual([])
    expect(report.survived).toBe(8)
    // Kills that came after the import finished would prove nothing.
    expect(report.midImport).toBeGreaterThanOrEqual(6)
  }, 180_000)
})
