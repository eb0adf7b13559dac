// TEI P5 XML: each document's text with its spans inline,
//   PERSON → <persName>, ORG → <orgName>, EVENT → <rs type="event">, PROGRAM → <rs type="program">,
//   any other label → <rs type="label-in-lower-case">,
// each element pointing at its annotator (@resp → a <respStmt> in the header); notes go to the
// header's <notesStmt>, each <note @target> pointing at its span's @xml:id. A span linked to an
// entity carries @ref: the entity's identifier as SOURCE:ID ("Wikidata:Q1630451", or
// "Quire:<entity id>" for an entity without one), on every part of a span written in parts.
//
// The text is kept exact: it sits in one <ab xml:space="preserve"> with its own line breaks
// (no <lb/>, no <p> guessed from blank lines), and CR is written as &#13; because XML parsers
// turn a literal CR or CRLF into LF. Characters XML 1.0 forbids (C0 controls other than tab, LF
// and CR, such as \f \v \x1c-\x1f and NUL; lone surrogates; U+FFFE/U+FFFF) cannot be written
// even as references, so each becomes <g ref="#d1-U000C"/>, TEI's element for a character the
// encoding cannot hold (Guidelines 5, "Characters, Glyphs, and Writing Modes"), pointing at a
// <char> declared in the header's <encodingDesc><charDecl>, whose id ends in the code point.
// So the text is the string value of <ab> with each <g> read as the code point its @ref names,
// and it rebuilds exactly (its SHA-256 is in the header to check). In header fields (names,
// notes) such characters are left out.
//
// Crossing spans (overlapping without one containing the other) cannot both be elements. We
// split the later-opened span at the boundary into parts that each carry an @xml:id and point at
// one another with @prev/@next, the TEI mechanism for one virtual element written in pieces
// (Guidelines 16.7, "Aggregation"). Dropping would lose the user's work; standoff markup would
// move every span out of the text and lose the inline reading. Nesting is kept as is.
import { plural } from '../quantities'
import { linkReference } from '../entities/entity-ref'
import { createOffsetConverter } from '../offsets'
import { ExportTally } from './export-tally'
import { prepareSpans, type PreparedSpan } from './prepared-spans'
import type { ExportDocument, ExportGenerator, ExportOptions, ExportSummary } from './types'

export const TEI_NAMESPACE = 'http://www.tei-c.org/ns/1.0'

export interface TeiExportOptions extends ExportOptions {
  /** Title of the corpus header; default "Quire export". */
  corpusTitle?: string
}

/** One <teiCorpus> holding a <TEI> per document, streamed document by document. */
export function* exportTeiCorpus(documents: Iterable<ExportDocument>, options: TeiExportOptions = {}): ExportGenerator {
  const tally = new ExportTally(options)
  const title = escapeText(removeForbiddenCharacters(options.corpusTitle ?? 'Quire export').text)
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus xmlns="${TEI_NAMESPACE}">\n` +
    `<teiHeader><fileDesc><titleStmt><title>${title}</title></titleStmt>` +
    `<publicationStmt><p>Exported from Quire.</p></publicationStmt>` +
    `<sourceDesc><p>Texts annotated with Quire.</p></sourceDesc></fileDesc></teiHeader>\n`
  let documentNumber = 0
  for (const document of documents) {
    documentNumber++
    yield renderTei(document, `d${documentNumber}`, tally, false)
  }
  yield '</teiCorpus>\n'
  return tally.result()
}

/** A standalone TEI file for one document. */
export function exportTeiDocument(document: ExportDocument, options: ExportOptions = {}): { xml: string; summary: ExportSummary } {
  const tally = new ExportTally(options)
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${renderTei(document, 'd1', tally, true)}`
  return { xml, summary: tally.result() }
}

function renderTei(document: ExportDocument, idPrefix: string, tally: ExportTally, standalone: boolean): string {
  const spans = prepareSpans(document, createOffsetConverter(document.text), tally)
  const annotators = [...new Set(spans.map((span) => span.annotator))].sort()
  const respIds = new Map(annotators.map((annotator, index) => [annotator, `${idPrefix}-a${index + 1}`]))
  const pieces = layOut(document.text, spans)
  const partCounts = new Array<number>(spans.length).fill(0)
  for (const piece of pieces) if (piece.kind === 'open') partCounts[piece.span] = (partCounts[piece.span] ?? 0) + 1
  const spanId = (span: number, part: number): string =>
    (partCounts[span] as number) > 1 ? `${idPrefix}-s${span + 1}-p${part}` : `${idPrefix}-s${span + 1}`

  const glyphs = new Set<string>()
  const glyphId = (character: string): string => `${idPrefix}-U${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`
  const body: string[] = []
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      const escaped = escapeText(document.text.slice(piece.start, piece.end)).replace(FORBIDDEN_IN_XML, (character) => {
        glyphs.add(character)
        return `<g ref="#${glyphId(character)}"/>`
      })
      body.push(escaped)
    } else if (piece.kind === 'close') {
      body.push(`</${elementFor((spans[piece.span] as PreparedSpan).label).name}>`)
    } else {
      const span = spans[piece.span] as PreparedSpan
      const parts = partCounts[piece.span] as number
      const element = elementFor(span.label)
      let attributes = element.type === undefined ? '' : ` type="${escapeAttribute(removeForbiddenCharacters(element.type).text)}"`
      if (parts > 1 || span.note !== undefined) attributes += ` xml:id="${spanId(piece.span, piece.part)}"`
      if (piece.part > 1) attributes += ` prev="#${spanId(piece.span, piece.part - 1)}"`
      if (piece.part < parts) attributes += ` next="#${spanId(piece.span, piece.part + 1)}"`
      attributes += ` resp="#${respIds.get(span.annotator) as string}"`
      if (span.entity !== undefined) attributes += ` ref="${escapeAttribute(removeForbiddenCharacters(linkReference(span.entity)).text)}"`
      body.push(`<${element.name}${attributes}>`)
    }
  }
  const split = partCounts.filter((count) => count > 1).length
  if (split > 0) {
    tally.adjusted(split)
    tally.warn(
      document.id,
      split === 1
        ? '1 span crosses another span without nesting; it was written in parts linked with @prev/@next'
        : `${plural(split, 'span')} cross another span without nesting; each was written in parts linked with @prev/@next`
    )
  }
  tally.written(spans.length)
  tally.document()

  const name = escapeText(removeForbiddenCharacters(document.name).text)
  const respStatements = annotators
    .map((annotator) => `<respStmt xml:id="${respIds.get(annotator) as string}"><resp>named-entity annotation</resp><name>${escapeText(removeForbiddenCharacters(annotator).text)}</name></respStmt>`)
    .join('')
  const notes = spans
    .map((span, index) =>
      span.note === undefined
        ? ''
        : `<note target="#${spanId(index, 1)}">${escapeText(removeForbiddenCharacters(span.note).text)}</note>`
    )
    .join('')
  return (
    `<TEI${standalone ? ` xmlns="${TEI_NAMESPACE}"` : ''}>\n` +
    `<teiHeader><fileDesc>` +
    `<titleStmt><title>${name}</title>${respStatements}</titleStmt>` +
    `<publicationStmt><p>Exported from Quire.</p></publicationStmt>` +
    (notes === '' ? '' : `<notesStmt>${notes}</notesStmt>`) +
    `<sourceDesc><bibl><title>${name}</title>` +
    `<idno type="quire-document">${escapeText(removeForbiddenCharacters(document.id).text)}</idno>` +
    `<idno type="sha256">${escapeText(document.sha256)}</idno></bibl></sourceDesc>` +
    `</fileDesc>` +
    (glyphs.size === 0 ? '' : `<encodingDesc><charDecl>${[...glyphs].sort().map((character) => charDeclaration(glyphId(character), character)).join('')}</charDecl></encodingDesc>`) +
    `</teiHeader>\n` +
    `<text><body><ab xml:space="preserve">${body.join('')}</ab></body></text>\n</TEI>\n`
  )
}

type Piece = { kind: 'text'; start: number; end: number } | { kind: 'open'; span: number; part: number } | { kind: 'close'; span: number }

/**
 * The sequence of text runs and element boundaries. Spans come sorted by start, longest first,
 * so an enclosing span opens before the spans it contains. When a span ends while spans opened
 * after it are still open, those are closed with it and reopened as their next part.
 */
function layOut(text: string, spans: readonly PreparedSpan[]): Piece[] {
  const pieces: Piece[] = []
  const positions = [...new Set(spans.flatMap((span) => [span.start as number, span.end as number]))].sort((a, b) => a - b)
  const openStack: number[] = []
  const partsSoFar = new Array<number>(spans.length).fill(0)
  const open = (span: number): void => {
    partsSoFar[span] = (partsSoFar[span] ?? 0) + 1
    pieces.push({ kind: 'open', span, part: partsSoFar[span] as number })
    openStack.push(span)
  }
  let cursor = 0
  let nextToOpen = 0
  for (const position of positions) {
    if (position > cursor) pieces.push({ kind: 'text', start: cursor, end: position })
    cursor = position
    const lowestEnding = openStack.findIndex((span) => (spans[span] as PreparedSpan).end === position)
    if (lowestEnding !== -1) {
      const toReopen: number[] = []
      while (openStack.length > lowestEnding) {
        const span = openStack.pop() as number
        pieces.push({ kind: 'close', span })
        if ((spans[span] as PreparedSpan).end > position) toReopen.unshift(span)
      }
      for (const span of toReopen) open(span)
    }
    while (nextToOpen < spans.length && (spans[nextToOpen] as PreparedSpan).start === position) open(nextToOpen++)
  }
  if (cursor < text.length) pieces.push({ kind: 'text', start: cursor, end: text.length })
  return pieces
}

function charDeclaration(id: string, character: string): string {
  const codePoint = `U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`
  return `<char xml:id="${id}"><desc>${codePoint}, a character XML 1.0 cannot hold; each &lt;g&gt; pointing here stands for it in the text</desc></char>`
}

function elementFor(label: string): { name: string; type?: string } {
  switch (label) {
    case 'PERSON':
      return { name: 'persName' }
    case 'ORG':
      return { name: 'orgName' }
    default:
      return { name: 'rs', type: label.toLowerCase() }
  }
}

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// With the u flag, a lone surrogate is matched as a code point of its own.
const FORBIDDEN_IN_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu

export function removeForbiddenCharacters(text: string): { text: string; dropped: number } {
  let dropped = 0
  const cleaned = text.replace(FORBIDDEN_IN_XML, () => {
    dropped++
    return ''
  })
  return { text: cleaned, dropped }
}

/** Character data: & < > escaped (">" for "]]>"), CR as a reference so parsers keep it. */
export function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (character) => TEXT_ESCAPES[character] as string)
}

/** Attribute values: quotes too, and whitespace as references so attribute normalization keeps it. */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"'\t\n\r]/g, (character) => ATTRIBUTE_ESCAPES[character] as string)
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;'
}
