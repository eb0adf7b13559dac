// quire export PROJECT --format F --out PATH [--scheme] [--offsets] [--annotator NAME]... [--document ID]...
import { parseArgs } from 'node:util'
import { CONLL_SCHEMES, type ConllScheme, type CorpusFormat } from '../core/formats'
import { EXPORT_FORMATS } from '../shared/annotation-formats'
import { count, plural } from '../core/quantities'
import { isOffsetUnit, OFFSET_UNITS } from '../core/offsets'
import { CorpusExportService } from '../main/services/corpus-export-service'
import type { CliOutput } from './output'
import { openProjectForReading } from './project-access'
import { EXPORT_HELP, parsingCommandLine, UsageError } from './usage'

const FORMATS: readonly CorpusFormat[] = EXPORT_FORMATS

export async function exportCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parseCommand(argv)
  if (values.help) {
    output.out(`${EXPORT_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the project folder' : `one project folder, not ${positionals.length}: ${positionals.join(' ')}`, EXPORT_HELP)
  const format = values.format
  if (format === undefined) throw new UsageError('--format is required', EXPORT_HELP)
  if (!FORMATS.includes(format as CorpusFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`, EXPORT_HELP)
  if (values.out === undefined || values.out.trim() === '') throw new UsageError('--out is required', EXPORT_HELP)
  let scheme: ConllScheme | undefined
  if (values.scheme !== undefined) {
    scheme = CONLL_SCHEMES.find((candidate) => candidate.toLowerCase() === values.scheme?.toLowerCase())
    if (scheme === undefined) throw new UsageError(`--scheme must be iob1, iob2 or bioes, not "${values.scheme}"`, EXPORT_HELP)
    if (format !== 'conll') throw new UsageError('--scheme applies to --format conll only', EXPORT_HELP)
  }
  if (values.offsets !== undefined) {
    if (!isOffsetUnit(values.offsets)) throw new UsageError(`--offsets must be one of ${OFFSET_UNITS.join(', ')}, not "${values.offsets}"`, EXPORT_HELP)
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--offsets applies to jsonl and csv; ${format} offsets are always code points`, EXPORT_HELP)
  }

  const store = await openProjectForReading(positionals[0] as string)
  if (store.readOnlyReason !== null) output.err(`note: the project is open in Quire; using what it has saved. (${store.readOnlyReason})\n`)
  try {
    const exporter = new CorpusExportService({ requireProject: () => store })
    const showProgress = output.interactive && !values.quiet
    const result = await exporter.export(
      {
        format: format as CorpusFormat,
        outPath: values.out,
        documentIds: values.document ?? 'all',
        annotators: values.annotator ?? 'all',
        ...(scheme !== undefined ? { scheme } : {}),
        ...(values.offsets !== undefined && isOffsetUnit(values.offsets) ? { offsets: values.offsets } : {})
      },
      showProgress ? { onProgress: (progress) => output.err(`\r${progress.documentsDone}/${progress.documentsTotal} documents, ${progress.spansWritten} spans`) } : {}
    )
    if (showProgress) output.err('\n')
    for (const warning of result.warnings) {
      output.err(`warning: ${warning.documentName ? `${warning.documentName}: ` : ''}${warning.message}\n`)
    }
    if (!values.quiet) {
      const changes = [result.dropped > 0 ? `${count(result.dropped)} left out` : '', result.adjusted > 0 ? `${count(result.adjusted)} adjusted` : ''].filter(Boolean)
      output.out(
        `Exported ${plural(result.documents, 'document')} and ${plural(result.spans, 'span')} as ${format} to ${result.outPath}` +
          `${changes.length > 0 ? ` (${changes.join(', ')}; see the warnings)` : ''}\n`
      )
    }
    return 0
  } finally {
    await store.close()
  }
}

function parseCommand(argv: string[]) {
  return parsingCommandLine(EXPORT_HELP, () =>
    parseArgs({
      args: argv,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        scheme: { type: 'string' },
        offsets: { type: 'string' },
        annotator: { type: 'string', multiple: true },
        document: { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: true
    })
  )
}
