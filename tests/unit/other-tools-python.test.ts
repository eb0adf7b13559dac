// doccano's and Label Studio's servers are Python: they slice a text by code points. Python
// (standard library only) reads Quire's doccano and Label Studio exports here and says what
// each span covers; it must be exactly what the span covers in Quire, whatever the text holds
// (emoji, flags, CRLF, and the characters str.splitlines() breaks lines at).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CorpusExportService } from '../../src/main/services/corpus-export-service'
import { makeCorpusProject, spansByDocumentName, type DocumentSpec } from '../fixtures/corpus-project'
import { boundaries, LABELS, textArbitrary } from '../fixtures/formats/documents'

const READ_WITH_PYTHON = String.raw`
import json, sys
path, form = sys.argv[1], sys.argv[2]
with open(path, encoding='utf-8', newline='') as handle:
    content = handle.read()
covered = []
if form == 'doccano':
    for line in content.splitlines():
        record = json.loads(line)
        for start, end, label in record['label']:
            covered.append([record['name'], record['annotator'], record['text'][start:end], label])
else:
    for task in json.loads(content):
        text = task['data']['text']
        for annotation in task['annotations']:
            for region in annotation['result']:
                value = region['value']
                if text[value['start']:value['end']] != value['text']:
                    sys.exit('region text %r is not the slice %r' % (value['text'], text[value['start']:value['end']]))
                covered.append([task['data']['name'], annotation['completed_by']['first_name'], value['text'], value['labels'][0]])
print(json.dumps(covered))
`

const hasPython = spawnSync('python3', ['--version']).status === 0

function randomDocuments(): DocumentSpec[] {
  return fc.sample(textArbitrary, { seed: 11, numRuns: 8 }).map((body, index): DocumentSpec => {
    const text = `Text ${index}: ${body} ${'Leyla 🇦🇿 é\u2028وزير 👩‍💻\u0085\r\n'.repeat(1 + (index % 3))}`
    const points = boundaries(text)
    const spans = fc
      .sample(fc.tuple(fc.nat({ max: points.length - 1 }), fc.nat({ max: points.length - 1 }), fc.constantFrom(...LABELS)), { seed: index, numRuns: 8 })
      .map(([a, b, tag]) => ({ start: points[Math.min(a, b)] as number, end: points[Math.max(a, b)] as number, tag }))
      .filter((span, position, all) => span.end > span.start && all.findIndex((other) => other.start === span.start && other.end === span.end) === position)
    return { name: `text-${index}`, text, spans }
  })
}

describe('doccano and Label Studio exports read by Python', () => {
  for (const [format, file] of [
    ['doccano', 'export.jsonl'],
    ['label-studio', 'export.json']
  ] as const) {
    it.skipIf(!hasPython)(`${format}: every span covers in Python what it covers in Quire`, async () => {
      const project = await makeCorpusProject(randomDocuments())
      const outPath = join(project.root, file)
      const result = await new CorpusExportService(project.projects).export({ format, outPath, documentIds: 'all', annotators: 'all' })
      const python = spawnSync('python3', ['-c', READ_WITH_PYTHON, outPath, format], { encoding: 'utf8' })
      expect(python.stderr).toBe('')
      expect(python.status).toBe(0)
      const read = (JSON.parse(python.stdout) as string[][]).map((row) => row.join('|')).sort()
      const inQuire = Object.entries(await spansByDocumentName(project))
        .flatMap(([name, spans]) => spans.map((span) => [name, span.annotator, span.text, span.tag].join('|')))
        .sort()
      expect(read).toEqual(inQuire)
      expect(result.spans).toBe(read.length)
      expect(read.length).toBeGreaterThan(30)
    })
  }

  it.runIf(!hasPython)('is skipped: python3 is not installed on this machine', () => {
    console.warn('other-tools-python.test.ts: python3 not found; the Python check of doccano and Label Studio offsets did not run')
  })
})
