// brat's own server is Python: it reads NAME.txt as UTF-8 and slices it by code points. This
// test lets Python (standard library only) check every T line of a Quire brat export.
import { spawnSync } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CorpusExportService } from '../../src/main/services/corpus-export-service'
import { makeCorpusProject, type DocumentSpec } from '../fixtures/corpus-project'
import { boundaries, LABELS, textArbitrary } from '../fixtures/formats/documents'

const CHECK_BRAT = String.raw`
import os, sys
folder = sys.argv[1]
checked = 0
for name in sorted(os.listdir(folder)):
    if not name.endswith('.ann'):
        continue
    with open(os.path.join(folder, name[:-4] + '.txt'), encoding='utf-8', newline='') as handle:
        text = handle.read()
    with open(os.path.join(folder, name), encoding='utf-8', newline='') as handle:
        lines = handle.read().split('\n')
    for number, line in enumerate(lines, 1):
        if not line.startswith('T'):
            continue
        ident, type_and_offsets, covered = line.split('\t', 2)
        fragments = [tuple(int(n) for n in part.split(' ')) for part in type_and_offsets.split(' ', 1)[1].split(';')]
        actual = ' '.join(text[start:end] for start, end in fragments)
        if actual != covered:
            print('%s:%d: %r != %r' % (name, number, actual, covered))
            sys.exit(1)
        checked += 1
print(checked)
`

const hasPython = spawnSync('python3', ['--version']).status === 0

function randomDocuments(): DocumentSpec[] {
  const documents = fc.sample(textArbitrary, { seed: 7, numRuns: 12 }).map((body, index): DocumentSpec => {
    const text = `Text ${index}: ${body} ${'Leyla 🇦🇿 é وزير 👩‍💻\r\n'.repeat(index % 3)}`
    const points = boundaries(text)
    const spans = fc
      .sample(fc.tuple(fc.nat({ max: points.length - 1 }), fc.nat({ max: points.length - 1 }), fc.constantFrom(...LABELS)), { seed: index, numRuns: 10 })
      .map(([a, b, tag]) => ({ start: points[Math.min(a, b)] as number, end: points[Math.max(a, b)] as number, tag }))
      .filter((span, position, all) => span.end > span.start && all.findIndex((other) => other.start === span.start && other.end === span.end) === position)
    return { name: `text-${index}`, text, spans }
  })
  return documents
}

describe('brat export read by Python', () => {
  it.skipIf(!hasPython)('every T line quotes the code-point slice of its .txt (python3 standard library)', async () => {
    const project = await makeCorpusProject(randomDocuments())
    const outPath = join(project.root, 'brat')
    const result = await new CorpusExportService(project.projects).export({ format: 'brat', outPath, documentIds: 'all', annotators: 'all' })
    expect((await readdir(outPath)).filter((name) => name.endsWith('.ann'))).toHaveLength(12)
    const python = spawnSync('python3', ['-c', CHECK_BRAT, outPath], { encoding: 'utf8' })
    expect(python.stderr).toBe('')
    expect(python.status).toBe(0)
    // Every span written was checked, and there were plenty.
    expect(Number(python.stdout.trim())).toBe(result.spans)
    expect(result.spans).toBeGreaterThan(50)
  })

  it.runIf(!hasPython)('is skipped: python3 is not installed on this machine', () => {
    console.warn('brat-python.test.ts: python3 not found; the Python check of brat offsets did not run')
  })
})
