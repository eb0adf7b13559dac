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
// An .ann line cannot hold a line break, and brat cannot draw a fragment across one, so a span
// crossing line breaks is written as a discontinuous span whose fragments are the pieces
// between the breaks (`T1<TAB>ORG 0 5;6 10<TAB>first second`, brat joins fragment texts with a
// space). The parser merges fragments separated only by whitespace back into one span, so the
// round trip is exact unless the span itself starts or ends with a line break (those breaks are
// trimmed, with a warning).
import { DEFAULT_TAGS, type Utf16Offset } from '../../shared/model'
import { linkReference, readLinkReference } from '../entities/entity-ref'
import { createOffsetConverter, type OffsetConverter } from '../offsets'
import { plural } from '../quantities'
import { ExportTally } from './export-tally'
import { ErrorList, numberedLines } from './lines'
import { clip, prepareSpans, type PreparedSpan } from './prepared-spans'
import type { ExportDocument, ExportOptions, ExportSummary, FormatError, ParsedEntityLink, ParsedSpan, ParseResult } from './types'

/** Characters that end a line for Python's str.splitlines(); none may appear inside an .ann line. */
const LINE_BREAK = /[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]/
const LINE_BREAK_GLOBAL = new RegExp(LINE_BREAK.source, 'g')

export interface BratDocumentFiles {
  documentId: string
  /** File name without extension, unique (case-insensitively) within this export and safe on every OS. */
  baseName: string
  /** Content of BASE.txt: exactly the document text (write it as UTF-8 without BOM). */
  txt: string
  /** Content of BASE.ann. */
  ann: string
}

/** Yields the two files of each document; the caller writes them into one folder. */
export function* exportBrat(
  documents: Iterable<ExportDocument>,
  options: ExportOptions = {}
): Generator<BratDocumentFiles, ExportSummary, undefined> {
  const tally = new ExportTally(options)
  const usedNames = new Set<string>()
  for (const document of documents) {
    const converter = createOffsetConverter(document.text)
    const lines: string[] = []
    let entityNumber = 0
    let noteNumber = 0
    let normalizationNumber = 0
    for (const span of prepareSpans(document, converter, tally)) {
      if (/[\s;]/u.test(span.label)) {
        tally.dropped()
        tally.warn(document.id, `${span.label} span ${JSON.stringify(clip(span.text))}: a brat type cannot contain spaces, tabs or ";"; left out`)
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
      lines.push(`T${entityNumber}\t${span.label} ${offsets.join(';')}\t${covered}\n`)
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
  /** Allowed entity types; default the project's default tags. */
  knownLabels?: readonly string[]
}

const ENTITY_LINE = /^(T[^\t]*)\t([^\t]*)\t(.*)$/s
const NOTE_LINE = /^(#[^\t]*)\t([^\t]*)\t(.*)$/s
const NORMALIZATION_LINE = /^(N\w+)\t([^\t]*)(?:\t(.*))?$/s
const UNSUPPORTED_KINDS: Record<string, string> = {
  R: 'relation',
  E: 'event',
  A: 'attribute',
  M: 'attribute',
  '*': 'equivalence'
}

/**
 * Reads an .ann file against its text. Every line is checked; problems are reported with the
 * file and 1-based line and the spans of a file with errors must not be applied.
 */
export function parseBratAnn(ann: string, options: BratParseOptions): ParseResult<ParsedSpan[]> {
  const knownLabels = options.knownLabels ?? DEFAULT_TAGS.map((tag) => tag.id)
  const converter = createOffsetConverter(options.text)
  const errors = new ErrorList<FormatError>()
  const warnings = new ErrorList<FormatError>()
  const error = (line: number, message: string): void => errors.add({ file: options.file, line, message })
  const spansById = new Map<string, ParsedSpan>()
  const idLines = new Map<string, number>()
  const notes: Array<{ target: string; note: string; line: number }> = []
  const normalizations: Array<{ target: string; link: ParsedEntityLink; line: number }> = []

  for (const { text: lineText, number } of numberedLines(ann)) {
    if (lineText.trim() === '') continue
    const kind = lineText[0] as string
    if (kind === 'T') {
      const entity = ENTITY_LINE.exec(lineText)
      if (entity === null) {
        error(number, `malformed entity line (expected "T1<TAB>TYPE START END<TAB>text"): ${JSON.stringify(clip(lineText))}`)
        continue
      }
      const [, id = '', typeAndOffsets = '', coveredText = ''] = entity
      if (!/^T\w+$/.test(id)) {
        error(number, `malformed entity id ${JSON.stringify(clip(id))}`)
        continue
      }
      const earlier = idLines.get(id)
      if (earlier !== undefined) {
        error(number, `duplicate id ${id} (first used on line ${earlier})`)
        continue
      }
      idLines.set(id, number)
      const span = parseEntity(typeAndOffsets, coveredText, number, converter, options.text, knownLabels, (message) =>
        error(number, `${id}: ${message}`)
      )
      if (span !== null) spansById.set(id, span)
    } else if (kind === '#') {
      const note = NOTE_LINE.exec(lineText)
      const [, id = '', typeAndTarget = '', noteText = ''] = note ?? []
      const target = /^AnnotatorNotes (\S+)$/.exec(typeAndTarget)
      if (note === null) {
        error(number, `malformed note line (expected "#1<TAB>AnnotatorNotes T1<TAB>note"): ${JSON.stringify(clip(lineText))}`)
      } else if (target === null) {
        warnings.add({ file: options.file, line: number, message: `comment ${JSON.stringify(clip(typeAndTarget))} is not an AnnotatorNotes line; skipped` })
      } else if (idLines.has(id)) {
        error(number, `duplicate id ${id} (first used on line ${idLines.get(id)})`)
      } else {
        idLines.set(id, number)
        notes.push({ target: target[1] as string, note: noteText, line: number })
      }
    } else if (kind === 'N') {
      const normalization = readNormalization(lineText, idLines, (message) => error(number, message), (message) => warnings.add({ file: options.file, line: number, message }))
      if (normalization !== null) {
        idLines.set(normalization.id, number)
        normalizations.push({ target: normalization.target, link: normalization.link, line: number })
      }
    } else if (UNSUPPORTED_KINDS[kind] !== undefined && Object.hasOwn(UNSUPPORTED_KINDS, kind)) {
      warnings.add({ file: options.file, line: number, message: `${UNSUPPORTED_KINDS[kind]} annotations are not supported by Quire; line skipped` })
    } else {
      error(number, `malformed line: it should start with T (entity) or # (note), not ${JSON.stringify(clip(lineText, 20))}`)
    }
  }

  for (const { target, note, line } of notes) {
    const span = spansById.get(target)
    if (span !== undefined) {
      span.note = span.note === undefined ? note : `${span.note}\n${note}`
    } else if (!idLines.has(target)) {
      error(line, `note refers to ${target}, which is not an entity in this file`)
    }
  }

  for (const { target, link, line } of normalizations) {
    const span = spansById.get(target)
    if (span === undefined) {
      if (!idLines.has(target)) error(line, `normalization refers to ${target}, which is not an entity in this file`)
      else if (!target.startsWith('T')) error(line, `normalization refers to ${target}: Quire links only entities (T lines) to entries`)
      continue
    }
    if (span.entity !== undefined && (span.entity.ref !== link.ref || span.entity.id !== link.id)) {
      error(line, `${target} is linked twice, to ${describeLink(span.entity)} and to ${describeLink(link)}; a Quire span mentions one entity`)
      continue
    }
    span.entity = link
  }

  const summarize = (omitted: number): FormatError => ({ file: options.file, line: 0, message: `${omitted} more not listed` })
  return { value: [...spansById.values()], errors: errors.finish(summarize), warnings: warnings.finish(summarize) }
}

function parseEntity(
  typeAndOffsets: string,
  coveredText: string,
  lineNumber: number,
  converter: OffsetConverter,
  text: string,
  knownLabels: readonly string[],
  fail: (message: string) => void
): ParsedSpan | null {
  const separator = typeAndOffsets.indexOf(' ')
  const label = separator === -1 ? typeAndOffsets : typeAndOffsets.slice(0, separator)
  if (separator === -1 || label === '') {
    fail(`expected "TYPE START END", found ${JSON.stringify(clip(typeAndOffsets))}`)
    return null
  }
  if (!knownLabels.includes(label)) {
    fail(`unknown type ${JSON.stringify(clip(label))} (known: ${knownLabels.join(', ')})`)
    return null
  }
  const fragments: Fragment[] = []
  for (const fragmentText of typeAndOffsets.slice(separator + 1).split(';')) {
    const match = /^(\d{1,15}) (\d{1,15})$/.exec(fragmentText)
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
    if (end <= start) {
      fail(`end ${end} must be greater than start ${start}`)
      return null
    }
    const previous = fragments[fragments.length - 1]
    const fragment = { start: converter.fromUnit(start, 'codepoint'), end: converter.fromUnit(end, 'codepoint') }
    if (previous !== undefined && fragment.start < previous.end) {
      fail(`fragment ${start} ${end} overlaps or precedes the one before it`)
      return null
    }
    fragments.push(fragment)
  }
  const expectedText = fragments.map((fragment) => text.slice(fragment.start, fragment.end)).join(' ')
  if (coveredText !== expectedText) {
    fail(`covered text ${JSON.stringify(clip(coveredText))} does not match the text at those offsets, which reads ${JSON.stringify(clip(expectedText))}`)
    return null
  }
  const first = fragments[0] as Fragment
  const last = fragments[fragments.length - 1] as Fragment
  for (let index = 1; index < fragments.length; index++) {
    const gap = text.slice((fragments[index - 1] as Fragment).end, (fragments[index] as Fragment).start)
    if (/\S/u.test(gap)) {
      fail(`discontinuous span whose fragments are separated by ${JSON.stringify(clip(gap))}: Quire spans are continuous`)
      return null
    }
  }
  return { start: first.start, end: last.end, label, text: text.slice(first.start, last.end), line: lineNumber }
}

/** An N line "N1<TAB>Reference T1 SOURCE:ID<TAB>name"; null (reported) when it is malformed or says nothing Quire keeps. */
function readNormalization(
  lineText: string,
  idLines: ReadonlyMap<string, number>,
  fail: (message: string) => void,
  skip: (message: string) => void
): { id: string; target: string; link: ParsedEntityLink } | null {
  const match = NORMALIZATION_LINE.exec(lineText)
  const fields = match?.[2]?.split(' ') ?? []
  if (match === null || fields.length !== 3) {
    fail(`malformed normalization line (expected "N1<TAB>Reference T1 SOURCE:ID<TAB>name"): ${JSON.stringify(clip(lineText))}`)
    return null
  }
  const [, id = ''] = match
  const [type = '', target = '', reference = ''] = fields
  const earlier = idLines.get(id)
  if (earlier !== undefined) {
    fail(`duplicate id ${id} (first used on line ${earlier})`)
    return null
  }
  if (type !== 'Reference') {
    skip(`normalization type ${JSON.stringify(clip(type))} is not "Reference"; line skipped`)
    return null
  }
  const read = readLinkReference(reference)
  if (read === null) {
    skip(`${JSON.stringify(clip(reference))} is not an identifier Quire reads (SOURCE:ID, e.g. Wikidata:Q1630451); the link of ${target} is skipped`)
    return null
  }
  const name = (match[3] ?? '').trim()
  const link: ParsedEntityLink = 'quireId' in read ? { id: read.quireId, name } : { ref: read.ref, name }
  return { id, target, link }
}

function describeLink(link: ParsedEntityLink): string {
  return link.ref ?? `Quire:${link.id ?? '?'}`
}
