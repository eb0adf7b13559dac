import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { collectExport } from '../../src/core/formats/export-tally'
import { escapeAttribute, escapeText, exportTeiCorpus, exportTeiDocument, TEI_NAMESPACE } from '../../src/core/formats/tei'
import type { ExportWarning } from '../../src/core/formats/types'
import { documentArbitrary, find, makeDocument } from '../fixtures/formats/documents'

// The unit project has no DOM types and jsdom ships none: describe the little this test uses.
interface XmlNode {
  readonly nodeType: number
  readonly TEXT_NODE: number
  readonly textContent: string | null
  readonly childNodes: { forEach(callback: (node: XmlNode) => void): void }
}
interface XmlElement extends XmlNode {
  readonly localName: string
  readonly namespaceURI: string | null
  getAttribute(name: string): string | null
  hasAttribute(name: string): boolean
  getElementsByTagName(name: string): ArrayLike<XmlElement>
  querySelector(selector: string): XmlElement | null
  querySelectorAll(selector: string): Iterable<XmlElement>
}
interface XmlDocument {
  readonly documentElement: XmlElement
  getElementsByTagName(name: string): ArrayLike<XmlElement>
  querySelector(selector: string): XmlElement | null
  querySelectorAll(selector: string): Iterable<XmlElement>
}
interface JsdomModule {
  JSDOM: new (html: string) => { window: { DOMParser: new () => { parseFromString(xml: string, type: string): XmlDocument } } }
}
const { JSDOM } = createRequire(import.meta.url)('jsdom') as JsdomModule
const { DOMParser } = new JSDOM('').window

function parseXml(xml: string): XmlDocument {
  const parsed = new DOMParser().parseFromString(xml, 'application/xml')
  const problem = parsed.getElementsByTagName('parsererror')[0]
  if (problem !== undefined) throw new Error(`not well-formed: ${problem.textContent ?? ''}`)
  return parsed
}

interface ReadSpan {
  start: number
  end: number
  label: string
}

/** Spans read back from an <ab>: element offsets in its string value, parts joined through @next. */
function spansOf(ab: XmlElement): ReadSpan[] {
  const parts = new Map<string, { start: number; end: number; label: string; prev: string | null }>()
  const whole: ReadSpan[] = []
  let offset = 0
  const walk = (node: XmlNode): void => {
    if (node.nodeType === node.TEXT_NODE) {
      offset += (node.textContent ?? '').length
      return
    }
    const element = node as XmlElement
    const start = offset
    node.childNodes.forEach(walk)
    if (element === ab) return
    const label = element.localName === 'persName' ? 'PERSON' : element.localName === 'orgName' ? 'ORG' : (element.getAttribute('type') ?? '').toUpperCase()
    const id = element.getAttribute('xml:id')
    if (element.hasAttribute('next') || element.hasAttribute('prev')) {
      parts.set(id as string, { start, end: offset, label, prev: element.getAttribute('prev')?.slice(1) ?? null })
    } else whole.push({ start, end: offset, label })
  }
  walk(ab)
  for (const [id, part] of parts) {
    if (part.prev !== null) continue
    let end = part.end
    let current = id
    for (;;) {
      const next = [...parts.entries()].find(([, candidate]) => candidate.prev === current)
      if (next === undefined) break
      ;[current] = next
      end = next[1].end
    }
    whole.push({ start: part.start, end, label: part.label })
  }
  return whole
}

const key = (span: ReadSpan): string => `${span.start}-${span.end}:${span.label}`

describe('exportTeiCorpus', () => {
  const text = 'Dr. Emin Amrullayev & "ISESCO" <met>\r\nthe ICESCO Program 😀 in Bakı.'
  const document = makeDocument('doc-1', text, [
    [...find(text, 'Emin Amrullayev'), 'PERSON', { note: 'minister & <host>' }],
    [...find(text, 'ISESCO'), 'ORG'],
    [...find(text, 'ICESCO Program'), 'PROGRAM', { annotator: 'bo "b"' }],
    [...find(text, 'ICESCO'), 'ORG']
  ])

  it('writes a well-formed corpus with header, inline elements and the exact text', () => {
    const { output, summary } = collectExport(exportTeiCorpus([document, makeDocument('doc-2', 'plain', [])], { corpusTitle: 'Q&A' }))
    const xml = parseXml(output)
    expect(xml.documentElement.localName).toBe('teiCorpus')
    expect(xml.documentElement.namespaceURI).toBe(TEI_NAMESPACE)
    const tei = xml.getElementsByTagName('TEI')
    expect(tei).toHaveLength(2)
    const first = tei[0] as XmlElement
    const ab = first.getElementsByTagName('ab')[0] as XmlElement
    expect(ab.textContent).toBe(text)
    expect(first.querySelector('titleStmt > title')?.textContent).toBe('doc-1')
    expect([...first.querySelectorAll('respStmt > name')].map((name) => name.textContent)).toEqual(['ayla', 'bo "b"'])
    expect(first.querySelector('idno[type="sha256"]')?.textContent).toBe(document.sha256)
    expect(first.querySelector('notesStmt > note')?.textContent).toBe('minister & <host>')
    expect(first.querySelector('notesStmt > note')?.getAttribute('target')).toBe(`#${first.querySelector('persName')?.getAttribute('xml:id')}`)
    expect(output).toContain('<rs type="program" resp="#d1-a2"><orgName resp="#d1-a1">ICESCO</orgName> Program</rs>')
    expect(spansOf(ab).map(key).sort()).toEqual(document.spans.map(key).sort())
    expect(summary).toEqual({ documents: 2, spans: 4, dropped: 0, adjusted: 0, warnings: 0 })
  })

  it('splits a crossing span into parts linked by @prev/@next, with a warning', () => {
    const crossingText = 'Alpha Beta Gamma'
    const crossing = makeDocument('doc-1', crossingText, [
      [...find(crossingText, 'Alpha Beta'), 'ORG'],
      [...find(crossingText, 'Beta Gamma'), 'EVENT']
    ])
    const warnings: ExportWarning[] = []
    const { xml, summary } = exportTeiDocument(crossing, { onWarning: (warning) => warnings.push(warning) })
    expect(xml).toContain(
      '<orgName resp="#d1-a1">Alpha <rs type="event" xml:id="d1-s2-p1" next="#d1-s2-p2" resp="#d1-a1">Beta</rs></orgName>' +
        '<rs type="event" xml:id="d1-s2-p2" prev="#d1-s2-p1" resp="#d1-a1"> Gamma</rs>'
    )
    expect(summary.adjusted).toBe(1)
    expect(warnings[0]?.message).toMatch(/^1 span crosses another span without nesting; it was written in parts/)
    const ab = parseXml(xml).getElementsByTagName('ab')[0] as XmlElement
    expect(spansOf(ab).map(key).sort()).toEqual(crossing.spans.map(key).sort())
  })

  it('keeps every span, nested or crossing, and the exact text, for random documents', () => {
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const { xml } = exportTeiDocument(document)
        const ab = parseXml(xml).getElementsByTagName('ab')[0] as XmlElement
        expect(ab.textContent).toBe(document.text)
        expect(spansOf(ab).map(key).sort()).toEqual(document.spans.map(key).sort())
      }),
      { numRuns: 150 }
    )
  })

  it('writes each character XML 1.0 forbids as a <g> naming its code point, so the text rebuilds exactly', () => {
    const controlText = 'a\u0000b\u0007c\ud800d\uffffe\u000bf\u000cg\u001ch\u001fi'
    const warnings: ExportWarning[] = []
    const { xml } = exportTeiDocument(
      { ...makeDocument('doc-1', controlText, [[0, 3, 'ORG']]), name: 'bad\u0001name' },
      { onWarning: (warning) => warnings.push(warning) }
    )
    const parsed = parseXml(xml)
    const ab = parsed.getElementsByTagName('ab')[0] as XmlElement
    const rebuild = (node: XmlNode): string => {
      if (node.nodeType === node.TEXT_NODE) return node.textContent ?? ''
      const element = node as XmlElement
      if (element.localName === 'g') return String.fromCharCode(Number.parseInt((element.getAttribute('ref') ?? '').replace(/^#d1-U/, ''), 16))
      let text = ''
      element.childNodes.forEach((child) => (text += rebuild(child)))
      return text
    }
    expect(rebuild(ab)).toBe(controlText)
    expect(xml).toContain('<orgName resp="#d1-a1">a<g ref="#d1-U0000"/>b</orgName>')
    // Every @ref points at a declared <char>.
    const declared = [...parsed.querySelectorAll('charDecl > char')].map((char) => char.getAttribute('xml:id'))
    expect(declared).toEqual(['d1-U0000', 'd1-U0007', 'd1-U000B', 'd1-U000C', 'd1-U001C', 'd1-U001F', 'd1-UD800', 'd1-UFFFF'])
    expect(parsed.querySelector('title')?.textContent).toBe('badname')
    expect(warnings).toEqual([])
  })

  it('escapes text and attribute values', () => {
    expect(escapeText('a & b < c > d\r\n"\'')).toBe('a &amp; b &lt; c &gt; d&#13;\n"\'')
    expect(escapeAttribute('a&"\'<>\t\n\r')).toBe('a&amp;&quot;&apos;&lt;&gt;&#9;&#10;&#13;')
  })
})

describe('TEI export read by Python', () => {
  let folder: string | undefined
  afterEach(async () => {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true })
  })

  it('parses with xml.etree and the <ab> string value equals the document text, CRLF included', async () => {
    folder = await mkdtemp(join(tmpdir(), 'quire-tei-'))
    const text = 'Line one\r\nLine & <two> 🇦🇿 وزير\r\n\r\nend'
    const { output } = collectExport(exportTeiCorpus([makeDocument('doc-1', text, [[...find(text, 'Line & <two>'), 'EVENT'], [...find(text, '🇦🇿 وزير'), 'PERSON']])]))
    await writeFile(join(folder, 'corpus.xml'), output, 'utf8')
    await writeFile(join(folder, 'expected.txt'), text, 'utf8')
    const script = `
import sys, xml.etree.ElementTree as ET
ns = {'tei': 'http://www.tei-c.org/ns/1.0'}
root = ET.parse(sys.argv[1] + '/corpus.xml').getroot()
ab = root.find('.//tei:ab', ns)
with open(sys.argv[1] + '/expected.txt', encoding='utf-8', newline='') as f:
    expected = f.read()
print('same' if ''.join(ab.itertext()) == expected else 'different: %r' % ''.join(ab.itertext()))
`
    expect(execFileSync('python3', ['-c', script, folder], { encoding: 'utf8' }).trim()).toBe('same')
  })
})
