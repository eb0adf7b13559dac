// brat standoff: NAME.txt (the document text, byte for byte) and NAME.ann beside it, with
//   T1<TAB>PERSON 10 25<TAB>covered text
//   #1<TAB>AnnotatorNotes T1<TAB>note
//   N1<TAB>Reference T1 Wikidata:Q1630451<TAB>ICESCO
// Offsets are code points, as brat (Python) slices the text.
//
// A span linked to an entity gets a normalization line (brat 1.3, "Normalization annotations"):
// the entity's identifier as SOURCE:ID and its name. An entity without an identifier is written
// as "Quire:<entity id>", so its mentions still read back as one entity.
//
// An .ann line cannot hold a line break (any of Python's: brat reads .ann files with
// readlines(), which also ends lines at \v \f \x1c-\x1e \x85 \u2028 \u2029), and brat cannot draw
// a fragment across one, so a span crossing line breaks is written as a discontinuous span whose
// fragments are the pieces between the breaks (`T1<TAB>ORG 0 5;6 10<TAB>first second`, brat
// joins fragment texts with a space). The parser merges fragments separated only by whitespace
// or those breaks back into one span, so the round trip is exact unless the span itself starts
// or ends with a line break (those breaks are trimmed, with a warning).
//
// Tags made from a brat type by an import are written with that type (`bratTypes`), so
// "Gene_expression" comes back as "Gene_expression", not as the tag id GENE_EXPRESSION.
import { DEFAULT_TAGS, type Utf16Offset } from '../../shared/model'
import { linkReference, readLinkReference } from '../entities/entity-ref'
import { createOffsetConverter, type OffsetConverter } from '../offsets'
import { plural } from '../quantities'
import { PYTHON_LINE_BREAK, PYTHON_LINE_BREAK_GLOBAL } from './breaking-characters'
import { ExportTally } from './export-tally'
import { ErrorList, numberedLines } from './lines'
import { clip, prepareSpans, type PreparedSpan } from './prepared-spans'
import type { ExportDocument, ExportOptions, ExportSummary, FormatError, ParsedEntityLink, ParsedSpan, ParseResult } from './types'

// brat reads an .ann with Python's readlines(), which ends a line at every one of these.
const LINE_BREAK = PYTHON_LINE_BREAK
const LINE_BREAK_GLOBAL = PYTHON_LINE_BREAK_GLOBAL

export interface BratDocumentFiles {
  documentId: string
  /** File name without extension, unique (case-insensitively) within this export and safe on every OS. */
  baseName: string
  /** Content of BASE.txt: exactly the document text (write it as UTF-8 without BOM). */
  txt: string
  /** Content of BASE.ann. */
  ann: string
}

export interface BratExportOptions extends ExportOptions {
  /**
   * The brat type to write for a tag id, for tags made from a brat type by an import
   * ("GENE_EXPRESSION" → "Gene_expression"), so a round trip gives the collection's own types.
   */
  bratTypes?: Readonly<Record<string, string>>
}

/** Yields the two files of each document; the caller writes them into one folder. */
export function* exportBrat(
  documents: Iterable<ExportDocument>,
  options: BratExportOptions = {}
): Generator<BratDocumentFiles, ExportSummary, undefined> {
  const bratTypes = options.bratTypes ?? {}
  const typeOf = (label: string): string => (Object.hasOwn(bratTypes, label) ? (bratTypes[label] as string) : label)
  const tally = new ExportTally(options)
  const usedNames = new Set<string>()
  for (const document of documents) {
    const converter = createOffsetConverter(document.text)
    const lines: string[] = []
    let entityNumber = 0
    let noteNumber = 0
    let normalizationNumber = 0
    for (const span of prepareSpans(document, converter, tally)) {
      const type = typeOf(span.label)
      if (/[\s;]/u.test(type)) {
        tally.dropped()
        tally.warn(document.id, `${type} span ${JSON.stringify(clip(span.text))}: a brat type cannot contain spaces, tabs or ";"; left out`)
        continue
      }
      const fragments = lineFragments(document.text, span)
      if (fragments.length === 0) {
        tally.dropped()
        tally.warn(document.id, `${span.label} span at ${span.start}-${span.end} covers only line breaks; brat cannot show it, left out`)
        continue
      }
      const first = fragments[0] as Fragment
      const last = fragments[fragments.length - 1] as Fragment
      if (fragments.length > 1 || first.start !== span.start || last.end !== span.end) {
        tally.adjusted()
        const trimmed = first.start !== span.start || last.end !== span.end
        tally.warn(
          document.id,
          `${span.label} span ${JSON.stringify(clip(span.text))} crosses a line break: written as ${plural(fragments.length, 'brat fragment')}${trimmed ? ', leading/trailing line breaks left out' : ''}`
        )
      }
      entityNumber++
      const offsets = fragments.map((fragment) => `${converter.toCodePoint(fragment.start)} ${converter.toCodePoint(fragment.end)}`)
      const covered = fragments.map((fragment) => document.text.slice(fragment.start, fragment.end)).join(' ')
      lines.push(`T${entityNumber}\t${type} ${offsets.join(';')}\t${covered}\n`)
      if (span.note !== undefined && span.note !== '') {
        noteNumber++
        let note = span.note
        if (LINE_BREAK.test(note)) {
          note = note.replace(/\r\n/g, ' ').replace(LINE_BREAK_GLOBAL, ' ')
          tally.warn(document.id, `note on ${span.label} span ${JSON.stringify(clip(span.text))} had line breaks; written on one line`)
        }
        lines.push(`#${noteNumber}\tAnnotatorNotes T${entityNumber}\t${note}\n`)
      }
      if (span.entity !== undefined) {
        normalizationNumber++
        const name = span.entity.name.replace(/\r\n/g, ' ').replace(LINE_BREAK_GLOBAL, ' ').replace(/\t/g, ' ')
        lines.push(`N${normalizationNumber}\tReference T${entityNumber} ${linkReference(span.entity)}\t${name}\n`)
      }
      tally.written()
    }
    tally.document()
    yield { documentId: document.id, baseName: uniqueBaseName(document.name || document.id, usedNames), txt: document.text, ann: lines.join('') }
  }
  return tally.result()
}

/** annotation.conf for the collection, so brat knows the entity types. */
export function bratAnnotationConf(labels: readonly string[] = DEFAULT_TAGS.map((tag) => tag.id)): string {
  return ['[entities]', ...labels, '', '[relations]', '', '[events]', '', '[attributes]', ''].join('\n')
}

interface Fragment {
  start: Utf16Offset
  end: Utf16Offset
}

function lineFragments(text: string, span: PreparedSpan): Fragment[] {
  const fragments: Fragment[] = []
  let fragmentStart = span.start
  for (let index = span.start; index <= span.end; index++) {
    if (index === span.end || LINE_BREAK.test(text[index] as string)) {
      if (index > fragmentStart) fragments.push({ start: fragmentStart, end: index as Utf16Offset })
      fragmentStart = (index + 1) as Utf16Offset
    }
  }
  return fragments
}

// Windows forbids these in file names, and names like CON or NUL (also with an extension, as in
// "con.txt"); dots and spaces at the end vanish. Bidi controls would let a name such as
// "report\u202Etxt.exe" show up as "reportexe.txt" in a file manager.
const UNSAFE_FILE_CHARACTERS = /[<>:"/\\|?*\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const WINDOWS_RESERVED_STEM = /^(con|prn|aux|nul|com\d|lpt\d)(?=[ .]|$)/i
const MAX_BASE_NAME_CODE_POINTS = 150

/**
 * A file name (without extension) for `name`, safe on every OS and unique among `usedNames`,
 * which it joins. Compared in NFC and lower case, because macOS and Windows file systems treat
 * names differing only in case or normalization as one file.
 */
export function uniqueBaseName(name: string, usedNames: Set<string>): string {
  // Unpaired surrogates (from a broken name) cannot be written as file names at all.
  const cleaned = name.normalize('NFC').replace(UNSAFE_FILE_CHARACTERS, '_').replace(/[\uD800-\uDFFF]/gu, '_')
  // Cut by code points so a surrogate pair is never split into an unwritable name.
  let base = Array.from(cleaned).slice(0, MAX_BASE_NAME_CODE_POINTS).join('').replace(/[. ]+$/, '')
  if (base === '' || base.startsWith('.')) base = `document${base}`
  base = base.replace(WINDOWS_RESERVED_STEM, '$1_')
  let candidate = base
  for (let suffix = 2; usedNames.has(candidate.toLowerCase()); suffix++) candidate = `${base}-${suffix}`
  usedNames.add(candidate.toLowerCase())
  return candidate
}

export interface BratParseOptions {
  /** The .ann file's name, for error messages. */
  file: string
  /** The document text the .ann refers to (the .txt, or the project's copy of it). */
  text: string
}

/** What an .ann holds that Quire does not keep, counted per kind ("event", "relation", …). */
export type BratNotImported = Map<BratSkippedKind, number>
export type BratSkippedKind = 'event' | 'relation' | 'equivalence' | 'attribute' | 'normalization' | 'note' | 'comment' | 'empty span'

export interface BratParseResult extends ParseResult<ParsedSpan[]> {
  notImported: BratNotImported
  /** Discontinuous spans with text between their fragments, imported as one span per fragment. */
  splitSpans: number
}

// brat's own id rule (server/src/annotation.py, __split_annotation_id): letters (or "#" and
// letters), a number, then anything: "T1", "T1-a", "#12". "*" alone is an equivalence.
const BRAT_ID = /^([A-Za-z]+|#[A-Za-z]*)([0-9]+)(.*)$/s
const SKIPPED_KINDS: Record<string, BratSkippedKind> = { E: 'event', R: 'relation', A: 'attribute', M: 'attribute', '*': 'equivalence' }

/**
 * Reads an .ann file against its text, accepting every T line brat itself accepts. Entities
 * (T lines, event triggers included) become spans with the brat type as label; notes on them
 * and Reference normalizations are kept; everything else (events, relations, attributes,
 * equivalences, notes on those) is counted in `notImported`, never an error. Errors are what
 * makes the file wrong for its text (offsets, covered text, duplicate ids, unreadable lines, a
 * note or normalization naming an id the file does not have),
 * reported with the file and 1-based line; the spans of a file with errors must not be applied.
 */
export function parseBratAnn(ann: string, options: BratParseOptions): BratParseResult {
  const converter = createOffsetConverter(options.text)
  const errors = new ErrorList<FormatError>()
  const warnings = new ErrorList<FormatError>()
  const notImported: BratNotImported = new Map()
  const skip = (kind: BratSkippedKind): void => {
    notImported.set(kind, (notImported.get(kind) ?? 0) + 1)
  }
  const error = (line: number, message: string): void => errors.add({ file: options.file, line, message })
  const spansById = new Map<string, ParsedSpan[]>()
  const idLines = new Map<string, number>()
  const notes: Array<{ target: string; note: string; line: number }> = []
  const normalizations: Array<{ target: string; link: ParsedEntityLink; line: number }> = []
  let splitSpans = 0

  for (const { text: lineText, number } of numberedLines(ann)) {
    if (lineText.trim() === '') continue
    const tab = lineText.indexOf('\t')
    const id = tab === -1 ? lineText : lineText.slice(0, tab)
    if (tab === -1 || (id !== '*' && !BRAT_ID.test(id))) {
      error(number, `malformed line: expected an id such as T1, E1, R1, A1, N1, #1 or *, then a tab; found ${JSON.stringify(clip(lineText, 40))}`)
      continue
    }
    const rest = lineText.slice(tab + 1)
    if (id !== '*') {
      const earlier = idLines.get(id)
      if (earlier !== undefined) {
        error(number, `duplicate id ${id} (first used on line ${earlier})`)
        continue
      }
      idLines.set(id, number)
    }
    const kind = id[0] as string
    if (kind === 'T') {
      const entity = readEntity(rest, converter, options.text, (message) => error(number, `${id}: ${message}`))
      if (entity === null) continue
      if (entity.fragments.length === 0) {
        skip('empty span')
        continue
      }
      if (entity.fragments.length > 1) splitSpans++
      spansById.set(
        id,
        entity.fragments.map((fragment) => ({ start: fragment.start, end: fragment.end, label: entity.type, text: options.text.slice(fragment.start, fragment.end), line: number }))
      )
    } else if (kind === '#') {
      const separator = rest.indexOf('\t')
      const fields = (separator === -1 ? rest : rest.slice(0, separator)).trim().split(/\s+/)
      if (fields.length !== 2 || fields[0] !== 'AnnotatorNotes') {
        skip('comment')
        continue
      }
      notes.push({ target: fields[1] as string, note: separator === -1 ? '' : rest.slice(separator + 1), line: number })
    } else if (kind === 'N') {
      const normalization = readNormalization(rest)
      if (normalization === null) skip('normalization')
      else normalizations.push({ ...normalization, line: number })
    } else if (Object.hasOwn(SKIPPED_KINDS, kind)) {
      skip(SKIPPED_KINDS[kind] as BratSkippedKind)
    } else {
      error(number, `malformed line: ${JSON.stringify(clip(id, 20))} is not a brat annotation id (T, E, R, A, M, N, # or *)`)
    }
  }

  for (const { target, note, line } of notes) {
    const spans = spansById.get(target)
    if (spans === undefined) {
      // A note on an event, relation or attribute is not kept; one on an id the file lacks means the file is broken.
      if (idLines.has(target)) skip('note')
      else error(line, `note refers to ${target}, which is not in this file`)
      continue
    }
    for (const span of spans) span.note = span.note === undefined ? note : `${span.note}\n${note}`
  }

  for (const { target, link, line } of normalizations) {
    const spans = spansById.get(target)
    const first = spans?.[0]
    if (spans === undefined || first === undefined) {
      if (idLines.has(target) || spansById.has(target)) skip('normalization')
      else error(line, `normalization refers to ${target}, which is not in this file`)
      continue
    }
    if (first.entity !== undefined && (first.entity.ref !== link.ref || first.entity.id !== link.id)) {
      warnings.add({ file: options.file, line, message: `${target} is already linked to ${describeLink(first.entity)}; a Quire span mentions one entity, so the link to ${describeLink(link)} is not imported` })
      skip('normalization')
      continue
    }
    for (const span of spans) span.entity = link
  }

  const summarize = (omitted: number): FormatError => ({ file: options.file, line: 0, message: `${omitted} more not listed` })
  return { value: [...spansById.values()].flat(), errors: errors.finish(summarize), warnings: warnings.finish(summarize), notImported, splitSpans }
}

/** "3 events, 2 relations and 1 note on an annotation other than an entity", or "" when nothing was skipped. */
export function describeNotImported(counts: ReadonlyMap<BratSkippedKind, number>): string {
  const phrases: string[] = []
  for (const kind of ['event', 'relation', 'equivalence', 'attribute', 'normalization', 'note', 'comment', 'empty span'] as const) {
    const number = counts.get(kind) ?? 0
    if (number === 0) continue
    if (kind === 'note') phrases.push(`${plural(number, 'AnnotatorNotes line')} on events, relations or other non-entities`)
    else if (kind === 'comment') phrases.push(`${plural(number, 'comment')} other than AnnotatorNotes`)
    else if (kind === 'normalization') phrases.push(`${plural(number, 'normalization')} Quire cannot turn into an entity link`)
    else if (kind === 'empty span') phrases.push(`${plural(number, 'empty text-bound annotation')} (START = END)`)
    else phrases.push(plural(number, kind))
  }
  if (phrases.length <= 1) return phrases.join('')
  return `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1] as string}`
}

/**
 * The rest of a T line after its id, read as brat reads it: "TYPE START END[;START END]…", then
 * a tab and the covered text (fragments joined by one space, or by nothing as brat before 1.3
 * wrote them), which may be missing and may be followed by whitespace and a comment.
 * Fragments may come in any order but not overlap; an empty fragment (START = END) is allowed.
 * Fragments separated only by whitespace or line breaks become one span (Quire's own export
 * splits a span at line breaks that way); other gaps give one span per piece.
 */
function readEntity(
  rest: string,
  converter: OffsetConverter,
  text: string,
  fail: (message: string) => void
): { type: string; fragments: Fragment[] } | null {
  const tab = rest.indexOf('\t')
  const typeAndOffsets = tab === -1 ? rest : rest.slice(0, tab)
  const tail = tab === -1 ? '' : rest.slice(tab + 1)
  const separator = typeAndOffsets.indexOf(' ')
  const type = separator === -1 ? typeAndOffsets : typeAndOffsets.slice(0, separator)
  if (separator === -1 || type === '') {
    fail(`expected "TYPE START END", found ${JSON.stringify(clip(typeAndOffsets))}`)
    return null
  }
  const fragments: Fragment[] = []
  for (const fragmentText of typeAndOffsets.slice(separator + 1).split(';')) {
    const match = /^(\d{1,15}) (\d{1,15})\s*$/.exec(fragmentText)
    if (match === null) {
      fail(`offsets ${JSON.stringify(clip(fragmentText))} should be two whole numbers "START END"`)
      return null
    }
    const start = Number(match[1])
    const end = Number(match[2])
    const length = converter.codePointLength
    if (start > length || end > length) {
      fail(`offset ${Math.max(start, end)} is past the end of the text (${length} code points)`)
      return null
    }
    if (end < start) {
      fail(`end ${end} must not be less than start ${start}`)
      return null
    }
    const fragment = { start: converter.fromUnit(start, 'codepoint'), end: converter.fromUnit(end, 'codepoint') }
    if (fragments.some((other) => fragment.start < other.end && other.start < fragment.end)) {
      fail(`fragment ${start} ${end} overlaps another fragment of the same annotation`)
      return null
    }
    fragments.push(fragment)
  }
  if (tail.trim() !== '') {
    const pieces = fragments.map((fragment) => text.slice(fragment.start, fragment.end))
    const covered = [pieces.join(' '), pieces.join('')].find((candidate) => tail.startsWith(candidate) && (tail.length === candidate.length || /^\s/u.test(tail.slice(candidate.length))))
    if (covered === undefined) {
      fail(`covered text ${JSON.stringify(clip(tail))} does not match the text at those offsets, which reads ${JSON.stringify(clip(pieces.join(' ')))}`)
      return null
    }
  }
  const merged: Fragment[] = []
  for (const fragment of [...fragments].sort((a, b) => a.start - b.start)) {
    if (fragment.end === fragment.start) continue
    const previous = merged[merged.length - 1]
    if (previous !== undefined && isLineGap(text.slice(previous.end, fragment.start))) previous.end = fragment.end
    else merged.push({ ...fragment })
  }
  return { type, fragments: merged }
}

/** Whitespace and the line breaks Quire's export splits fragments at: a gap that joins fragments back into one span. */
function isLineGap(gap: string): boolean {
  return /^[\s\u001c-\u001e\u0085]*$/u.test(gap)
}

/** The rest of an N line "Reference T1 SOURCE:ID<TAB>name" as an entity link; null when it says nothing Quire keeps. */
function readNormalization(rest: string): { target: string; link: ParsedEntityLink } | null {
  const tab = rest.indexOf('\t')
  const fields = (tab === -1 ? rest : rest.slice(0, tab)).trim().split(/\s+/)
  const [type = '', target = '', reference = ''] = fields
  if (fields.length !== 3 || type !== 'Reference') return null
  const read = readLinkReference(reference)
  if (read === null) return null
  const name = (tab === -1 ? '' : rest.slice(tab + 1)).trim()
  const link: ParsedEntityLink = 'quireId' in read ? { id: read.quireId, name } : { ref: read.ref, name }
  return { target, link }
}

function describeLink(link: ParsedEntityLink): string {
  return link.ref ?? `Quire:${link.id ?? '?'}`
}
