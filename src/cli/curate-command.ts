// quire curate PROJECT --strategy unanimous|majority|none [--annotator NAME]... [--document ID]... [--curator NAME]
import { parseArgs } from 'node:util'
import { disagreementsBetween, startCuration } from '../main/services/curation-service'
import { LayerService } from '../main/services/layer-service'
import { curationRequestSchema, describeSchemaError } from '../shared/api-schemas'
import { QuireError } from '../shared/api'
import { isCurationLayer, type CurationRequest } from '../shared/model'
import { plural } from '../core/quantities'
import type { CliOutput } from './output'
import { openProjectForWriting, resolveAnnotatorName } from './project-access'
import { CURATE_HELP, parsingCommandLine, UsageError } from './usage'

export async function curateCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parsingCommandLine(CURATE_HELP, () =>
    parseArgs({
      args: argv,
      options: {
        strategy: { type: 'string' },
        annotator: { type: 'string', multiple: true },
        document: { type: 'string', multiple: true },
        curator: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: true
    })
  )
  if (values.help) {
    output.out(`${CURATE_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the project folder' : `one project folder, not ${positionals.length}`, CURATE_HELP)
  if (values.strategy === undefined) throw new UsageError('--strategy is required: unanimous, majority or none', CURATE_HELP)
  const chosen = values.annotator ? [...new Set(values.annotator)] : null
  if (chosen && chosen.length < 2) throw new UsageError(`curation compares at least two annotators; --annotator named only ${chosen[0]}`, CURATE_HELP)
  const curator = await resolveAnnotatorName(values.curator)
  // The same schema as the app's startCuration call, checked before the project is touched.
  const check = (annotators: string[]): CurationRequest => {
    const parsed = curationRequestSchema.safeParse({ annotators, strategy: values.strategy, curator })
    if (!parsed.success) throw new UsageError(describeSchemaError('curate', parsed.error).replace('Invalid arguments for curate', 'invalid option'), CURATE_HELP)
    return parsed.data
  }
  check(chosen ?? ['a', 'b'])

  const { store } = await openProjectForWriting(positionals[0] as string, false)
  try {
    const layers = new LayerService({ requireProject: () => store })
    const ids = values.document ?? (await store.listDocuments()).flatMap((listing) => ('record' in listing ? [listing.id] : []))
    let failed = 0
    let started = 0
    for (const documentId of ids) {
      const record = await store.readRecord(documentId)
      try {
        const summaries = await layers.summarize(store, record)
        const unreadable = summaries.find((layer) => layer.problem && (chosen === null || chosen.includes(layer.annotator)))
        if (unreadable?.problem) throw new QuireError(unreadable.problem)
        const annotators = chosen ?? summaries.filter((layer) => !isCurationLayer(layer.annotator)).map((layer) => layer.annotator)
        if (annotators.length < 2) {
          output.out(`${record.name}: skipped, ${annotators.length === 0 ? 'no one has' : `only ${annotators[0]} has`} annotated it\n`)
          continue
        }
        const outcome = await startCuration(store, layers, documentId, check(annotators))
        if (outcome.created) started++
        const disagreements = await disagreementsBetween(store, layers, record, annotators)
        output.out(
          outcome.created
            ? `${record.name}: gold layer started with ${plural(outcome.prefilled, 'span')} (${values.strategy}); ${plural(disagreements, 'disagreement')} to settle in Quire\n`
            : `${record.name}: curation had begun; left as it is (${plural(disagreements, 'disagreement')} between ${annotators.join(', ')})\n`
        )
      } catch (error) {
        failed++
        const problem = QuireError.from(error)
        output.err(`quire: ${record.name}: ${problem.message}\n`)
      }
    }
    output.out(`${plural(started, 'gold layer')} started, curated by ${curator}.\n`)
    return failed > 0 ? 1 : 0
  } finally {
    await store.close()
  }
}
