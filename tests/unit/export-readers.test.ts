// Exports read by third-party readers, on a text holding every character some reader takes as a
// line break or whitespace where JavaScript does not: U+0085, U+2028, U+2029, \x1c-\x1f, \f, \v,
// a lone \r and NUL. NLTK's ConllCorpusReader (Debian python3-nltk) reads the CoNLL export;
// Python's codecs readlines(), the way brat's server reads an .ann, reads the brat export;
// xmllint (libxml2-utils) checks the TEI export is well-formed and Python's xml.etree rebuilds
// its text. .ci/run installs both packages: in CI (CI set) a missing reader fails the test;
// elsewhere the test is skipped with the reason printed.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportBrat, parseBratAnn, type BratDocumentFiles } from '../../src/core/formats/brat'
import { exportConll, parseConll } from '../../src/core/formats/conll'
import { collectExport } from '../../src/core/formats/export-tally'
import { exportTeiDocument } from '../../src/core/formats/tei'
import type { ExportDocument } from '../../src/core/formats/types'
import { makeTempFolder } from '../fixtures/temp-folder'
import { makeDocument } from '../fixtures/formats/documents'

const BREAKING = ['\u0085', '\u2028', '\u2029', '\u001c', '\u001d', '\u001e', '\u001f', '\f', '\v', '\r', '\u0000']

/** Each character between two words of one span, then alone between words, then at a span's edge. */
function breakingDocument(): ExportDocument {
  let text = 'Leyla Məmmədova met ISESCO.\n'
  const spans: Array<[number, number, string]> = []
  const labels = ['PERSON', 'ORG', 'EVENT', 'PROGRAM']
  BREAKING.forEach((character, index) => {
    const start = text.length
    text += `Word${index}${character}Next${index}`
    spans.push([start, text.length, labels[index % labels.length] as string])
    text += ` loose${character}alone ${character} edge${index}${character}`
    spans.push([text.length - `edge${index}${character}`.length, text.length - 1, 'ORG'])
    text += ` x${index}\n`
  })
  return { ...makeDocument('breaking', text, spans), sha256: createHash('sha256').update(text, 'utf8').digest('hex') }
}

function python(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(pythonWithNltk ?? 'python3', ['-c', script, ...args], { encoding: 'utf8' })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

// Debian's python3-nltk belongs to /usr/bin/python3, which a pyenv or venv python3 on PATH may hide.
const pythonWithNltk = ['python3', '/usr/bin/python3'].find((candidate) => spawnSync(candidate, ['-c', 'import nltk.corpus.reader.conll']).status === 0)
const hasNltk = pythonWithNltk !== undefined
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0
const hasPython = spawnSync('python3', ['--version']).status === 0

/** A test that needs `tool`: run when present; failing in CI and skipped (with the reason printed) elsewhere when missing. */
function withReader(tool: string, available: boolean, name: string, test: () => Promise<void>): void {
  if (available) it(name, test, 30_000)
  else if (process.env.CI) it(name, () => expect.fail(`${tool} is not installed; .ci/run installs it (apt-get install -y python3-nltk libxml2-utils)`))
  else {
    console.warn(`export-readers.test.ts: skipped "${name}": ${tool} is not installed here (apt-get install -y python3-nltk libxml2-utils)`)
    it.skip(name, test)
  }
}

const NLTK_READ = String.raw`
import sys
from nltk.corpus.reader.conll import ConllCorpusReader
reader = ConllCorpusReader(sys.argv[1], [sys.argv[2]], ('words', 'pos', 'ignore', 'ne'))
words = reader.words()
for word in words:
    if word == '' or any(c.isspace() or ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in word):
        sys.exit('bad token %r' % word)
with open(sys.argv[1] + '/' + sys.argv[2], encoding='utf-8', newline='') as handle:
    content = handle.read()
token_lines = [line for line in content.split('\n') if line and not line.startswith('-DOCSTART-')]
if content.splitlines() != content.split('\n')[:-1]:
    sys.exit('str.splitlines() sees other lines than the file has')
if any(len(line.split()) != 4 for line in token_lines):
    sys.exit('a line does not split() into 4 columns')
print(len(words), len(token_lines))
`

// Reads the .ann the way brat's server does (codecs readlines, which is str.splitlines) and
// checks each T line as brat's _parse_textbound_annotation does.
const BRAT_READ = String.raw`
import codecs, sys
folder, base = sys.argv[1], sys.argv[2]
with open(folder + '/' + base + '.txt', encoding='utf-8', newline='') as handle:
    text = handle.read()
with codecs.open(folder + '/' + base + '.ann', 'r', encoding='utf8') as handle:
    lines = handle.readlines()
with open(folder + '/' + base + '.ann', encoding='utf-8', newline='') as handle:
    if len(lines) != handle.read().count('\n'):
        sys.exit('readlines() splits the .ann into %d lines' % len(lines))
checked = 0
for line in lines:
    line = line.rstrip('\n')
    if not line.startswith('T'):
        continue
    ident, data, covered = line.split('\t', 2)
    kind, offsets = data.split(' ', 1)
    spans = [tuple(int(n) for n in part.split(' ')) for part in offsets.split(';')]
    expected = ' '.join(text[s:e] for s, e in spans)
    if covered != expected:
        sys.exit('%s: %r != %r' % (ident, covered, expected))
    checked += 1
print(checked)
`

const TEI_REBUILD = String.raw`
import hashlib, sys
import xml.etree.ElementTree as ET
TEI = '{http://www.tei-c.org/ns/1.0}'
root = ET.parse(sys.argv[1]).getroot()
chars = {char.get('{http://www.w3.org/XML/1998/namespace}id') for char in root.iter(TEI + 'char')}
def rebuild(element):
    out = element.text or ''
    for child in element:
        if child.tag == TEI + 'g':
            ref = child.get('ref')[1:]
            if ref not in chars:
                sys.exit('g points at an undeclared char: ' + ref)
            out += chr(int(ref.rsplit('-U', 1)[1], 16))
        else:
            out += rebuild(child)
        out += child.tail or ''
    return out
text = rebuild(root.find('.//' + TEI + 'ab'))
declared = [idno.text for idno in root.iter(TEI + 'idno') if idno.get('type') == 'sha256'][0]
actual = hashlib.sha256(text.encode('utf-8')).hexdigest()
print(actual == declared, len(text))
`

describe('exports read by third-party readers, with line-breaking and control characters', () => {
  const document = breakingDocument()

  withReader('NLTK (python3-nltk)', hasNltk, "CoNLL: NLTK's ConllCorpusReader reads every token, none of them a control character, and Quire reads the spans back", async () => {
    const folder = await makeTempFolder('quire-conll-readers-')
    const { output: conll, summary } = collectExport(exportConll([document]))
    await writeFile(join(folder, 'corpus.conll'), conll, 'utf8')
    const read = python(NLTK_READ, folder, 'corpus.conll')
    expect(read.stderr).toBe('')
    const [words, tokenLines] = read.stdout.trim().split(' ').map(Number)
    expect(words).toBe(tokenLines)
    expect(words).toBeGreaterThan(60)
    expect(summary.spans).toBe(document.spans.length)
    const parsed = parseConll(conll, { file: 'corpus.conll', documents: [{ id: document.id, text: document.text }] })
    expect(parsed.errors).toEqual([])
    const key = (span: { start: number; end: number; label: string }): string => `${span.start}-${span.end} ${span.label}`
    expect(parsed.value[0]?.spans.map(key)).toEqual(document.spans.map(key))
  })

  withReader('python3', hasPython, "brat: read as brat's server reads it, every line stays one line and every T line quotes its text; Quire reads the spans back exactly", async () => {
    const folder = await makeTempFolder('quire-brat-readers-')
    const files: BratDocumentFiles[] = [...exportBrat([document])]
    const [file] = files as [BratDocumentFiles]
    await writeFile(join(folder, `${file.baseName}.txt`), file.txt, 'utf8')
    await writeFile(join(folder, `${file.baseName}.ann`), file.ann, 'utf8')
    const read = python(BRAT_READ, folder, file.baseName)
    expect(read.stderr).toBe('')
    expect(Number(read.stdout.trim())).toBe(document.spans.length)
    const parsed = parseBratAnn(file.ann, { file: 'breaking.ann', text: document.text })
    expect(parsed.errors).toEqual([])
    const key = (span: { start: number; end: number; label: string }): string => `${span.start}-${span.end} ${span.label}`
    expect(parsed.value.map(key).sort()).toEqual(document.spans.map(key).sort())
  })

  withReader('xmllint (libxml2-utils)', hasXmllint && hasPython, 'TEI: well-formed for xmllint, and the text rebuilt by Python from <ab> and its <g> elements has the SHA-256 the header declares', async () => {
    const folder = await makeTempFolder('quire-tei-readers-')
    const { xml, summary } = exportTeiDocument(document)
    expect(summary.warnings).toBe(0)
    const path = join(folder, 'breaking.xml')
    await writeFile(path, xml, 'utf8')
    const lint = spawnSync('xmllint', ['--noout', path], { encoding: 'utf8' })
    expect(lint.stderr).toBe('')
    expect(lint.status).toBe(0)
    const rebuilt = python(TEI_REBUILD, path)
    expect(rebuilt.stderr).toBe('')
    expect(rebuilt.stdout.trim()).toBe(`True ${Array.from(document.text).length}`)
  })
})
