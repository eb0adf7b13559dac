// quire import PROJECT FILE... [--format txt|brat|conll|jsonl|doccano|label-studio|webanno-tsv|prodigy] [--annotator NAME] [--scheme] [--add-unknown-tags]
import { parseArgs } from 'node:util'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { CONLL_SCHEMES, type ConllScheme } from '../core/formats'
import { count, plural } from '../core/quantities'
import { MAX_IMPORT_BYTES } from '../core/text-decode'
import { AnnotationImportService, type AnnotationImportFormat } from '../main/services/annotation-import-service'
import { documentIndexOf } from '../main/services/document-index'
import { ImportService, type ImportControl } from '../main/services/import-service'
import type { NamedPath } from '../main/services/import-input'
import type { ProjectStore } from '../main/store/project-store'
import { QuireError } from '../shared/api'
import { ANNOTATION_IMPORT_FORMATS } from '../shared/annotation-formats'
import type { ImportFile } from '../shared/model'
import type { DocumentIndexEntry } from '../core/document-index/entry'
import { located, type CliOutput } from './output'
import { discardCreatedProject, openProjectForWriting, resolveAnnotatorName } from './project-access'
import { IMPORT_HELP, parsingCommandLine, UsageError } from './usage'

type ImportFormat = 'txt' | AnnotationImportFormat
const FORMATS: readonly ImportFormat[] = ['txt', ...ANNOTATION_IMPORT_FORMATS]

export async function importCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parseCommand(argv)
  if (values.help) {
    output.out(`${IMPORT_HELP}\n`)
    return 0
  }
  const [projectDir, ...paths] = positionals
  if (projectDir === undefined) throw new UsageError('give the project folder and the files to import', IMPORT_HELP)
  if (paths.length === 0) throw new UsageError('give at least one file to import', IMPORT_HELP)
  const format = values.format as ImportFormat | undefined
  if (format !== undefined && !FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`, IMPORT_HELP)
  let scheme: ConllScheme | undefined
  if (values.scheme !== undefined) {
    scheme = CONLL_SCHEMES.find((candidate) => candidate.toLowerCase() === values.scheme?.toLowerCase())
    if (scheme === undefined) throw new UsageError(`--scheme must be iob1, iob2 or bioes, not "${values.scheme}"`, IMPORT_HELP)
  }

  // Find every file before touching the project, so a missing file changes nothing. Texts are
  // read now; annotation files as the import goes (a JSONL of 100,000 documents a line at a time).
  const found = await findInputFiles(paths)
  const annotator = await resolveAnnotatorName(values.annotator)
  const isText = format === 'txt' || (format === undefined && found.every((file) => /\.txt$/i.test(file.name)))
  const { store, creation } = await openProjectForWriting(projectDir, true)
  const progress = new ImportProgress(output)
  let imported = false
  try {
    // Ready before the import: each batch's documents then go into the index (its journal) as
    // written, and the index is saved as the project closes, so the next opening reads none of them.
    const index = documentIndexOf(store, { keepsImportedEntries: false })
    await index.entries()
    if (isText) {
      const status = await importTexts(store, () => index.entries(), await readInputFiles(found), annotator, output, progress)
      imported = status.importedAny
      return status.exitCode
    }
    const importer = new AnnotationImportService({ requireProject: () => store }, () => annotator)
    // Counted, not listed: the summary below is all the command prints of them.
    const written = { documents: 0, created: 0 }
    const report = await importer.importAnnotations(
      found,
      {
        ...(format !== undefined ? { format: format as AnnotationImportFormat } : {}),
        annotator,
        addUnknownTags: values['add-unknown-tags'] === true,
        ...(scheme !== undefined ? { scheme } : {})
      },
      {
        ...progress.control,
        listDocuments: false,
        onDocumentWritten: (document) => {
          written.documents++
          if (document.created) written.created++
        }
      }
    )
    progress.end()
    if (report.cancelled) {
      imported = written.documents > 0
      output.err(`Cancelled: ${plural(written.documents, 'document')} imported (in the project now), ${count(report.cancelled.notImported)} not.\n`)
      return CANCELLED_EXIT_CODE
    }
    for (const warning of report.warnings) output.err(`warning: ${located(warning.file, warning.line, warning.message)}\n`)
    if (!report.imported) {
      for (const error of report.errors) output.err(`${located(error.file, error.line, error.message)}\n`)
      if (report.unknownTags.length > 0 && !values['add-unknown-tags']) {
        output.err('To add the unknown tags to the project, run the same command with --add-unknown-tags.\n')
      }
      output.err(`Nothing was imported (${plural(report.errors.length, 'error')}).\n`)
      return 1
    }
    imported = true
    if (report.addedTags.length > 0) output.out(`Added ${report.addedTags.length === 1 ? 'the tag' : 'the tags'} ${report.addedTags.join(', ')} to the project.\n`)
    output.out(
      `Imported ${plural(report.spans, 'span')} into ${plural(written.documents, 'document')} (${count(written.created)} new)` +
        `${report.spansAlreadyPresent > 0 ? `; ${count(report.spansAlreadyPresent)} ${report.spansAlreadyPresent === 1 ? 'was' : 'were'} already there` : ''}.\n`
    )
    return 0
  } finally {
    progress.end()
    await store.close()
    if (creation !== null) {
      // A first import that failed must not leave an empty project where there was none.
      if (!imported) await discardCreatedProject(projectDir, creation)
      else output.err(`Created the project ${store.dir}\n`)
    }
  }
}

/** The exit code of a command stopped by Ctrl+C (128 + SIGINT), as shells report it. */
const CANCELLED_EXIT_CODE = 130

/**
 * A progress line on a terminal (rewritten in place; nothing when piped), and Ctrl+C asking the
 * import to stop after the batch being written. A second Ctrl+C stops the process at once.
 */
class ImportProgress {
  readonly #abort = new AbortController()
  readonly #onInterrupt = (): void => {
    this.#abort.abort()
    this.#endLine()
    this.output.err('Stopping after the batch being written (Ctrl+C again to stop at once)…\n')
  }
  #shown = false
  readonly control: ImportControl

  constructor(private readonly output: CliOutput) {
    process.once('SIGINT', this.#onInterrupt)
    this.control = {
      signal: this.#abort.signal,
      ...(output.interactive
        ? {
            onProgress: (done: number, total: number) => {
              this.#shown = true
              output.err(`\rImporting: ${count(done)} of ${plural(total, 'document')}`)
            }
          }
        : {})
    }
  }

  /** Ends the progress line (idempotent) and lets Ctrl+C stop the process again. */
  end(): void {
    process.off('SIGINT', this.#onInterrupt)
    this.#endLine()
  }

  #endLine(): void {
    if (this.#shown) this.output.err('\n')
    this.#shown = false
  }
}

async function importTexts(
  store: ProjectStore,
  indexedDocuments: () => Promise<readonly DocumentIndexEntry[]>,
  files: readonly ImportFile[],
  annotator: string,
  output: CliOutput,
  progress: ImportProgress
): Promise<{ exitCode: number; importedAny: boolean }> {
  const report = await new ImportService({ requireProject: () => store }, MAX_IMPORT_BYTES, indexedDocuments).importTexts(files, annotator, progress.control)
  progress.end()
  for (const duplicate of report.duplicates) {
    output.err(`${duplicate.fileName}: already in the project as "${duplicate.existingName}"; not imported again\n`)
  }
  for (const refused of report.refused) output.err(`${refused.fileName}: ${refused.reason}\n`)
  output.out(`Imported ${plural(report.imported.length, 'text')}.\n`)
  const importedAny = report.imported.length > 0
  if (report.cancelled) {
    output.err(`Cancelled: ${count(report.cancelled.notImported)} not imported; the texts imported so far are in the project.\n`)
    return { exitCode: CANCELLED_EXIT_CODE, importedAny }
  }
  return { exitCode: report.refused.length > 0 ? 1 : 0, importedAny }
}

async function readInputFiles(files: readonly NamedPath[]): Promise<ImportFile[]> {
  return Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await readFile(file.path)) })))
}

/** The files named, a folder standing for the files in it (not its subfolders or hidden files). */
async function findInputFiles(paths: readonly string[]): Promise<NamedPath[]> {
  const files: NamedPath[] = []
  for (const path of paths) {
    let info
    try {
      info = await stat(path)
    } catch {
      throw new QuireError({ code: 'not-found', path, message: `${path}: no such file` })
    }
    if (info.isDirectory()) {
      for (const name of (await readdir(path)).sort()) {
        if (name.startsWith('.')) continue
        const child = join(path, name)
        if ((await stat(child)).isFile()) files.push({ name, path: child })
      }
    } else {
      files.push({ name: path, path })
    }
  }
  return files
}

function parseCommand(argv: string[]) {
  return parsingCommandLine(IMPORT_HELP, () =>
    parseArgs({
      args: argv,
      options: {
        format: { type: 'string' },
        annotator: { type: 'string' },
        scheme: { type: 'string' },
        'add-unknown-tags': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: true
    })
  )
}
