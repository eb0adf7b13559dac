// quire agreement PROJECT [--annotator A]... [--document ID]... [--json]
import { parseArgs } from 'node:util'
import { computeAgreement } from '../main/services/agreement-service'
import { agreementScopeSchema, describeSchemaError } from '../shared/api-schemas'
import { QuireError } from '../shared/api'
import type { AgreementScope } from '../shared/model'
import { formatAgreement } from './agreement-format'
import type { CliOutput } from './output'
import { openProjectForReading } from './project-access'
import { AGREEMENT_HELP, parsingCommandLine, UsageError } from './usage'

export async function agreementCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parsingCommandLine(AGREEMENT_HELP, () =>
    parseArgs({
      args: argv,
      options: {
        annotator: { type: 'string', multiple: true },
        document: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: true
    })
  )
  if (values.help) {
    output.out(`${AGREEMENT_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the project folder' : `one project folder, not ${positionals.length}`, AGREEMENT_HELP)
  const annotators = values.annotator ? [...new Set(values.annotator)] : 'all'
  if (annotators !== 'all' && annotators.length < 2) {
    throw new UsageError(`agreement needs at least two annotators; --annotator named only ${annotators[0]}`, AGREEMENT_HELP)
  }
  // The same schema as the app's computeAgreement call.
  const parsed = agreementScopeSchema.safeParse({ documentIds: values.document ?? 'all', annotators } satisfies AgreementScope)
  if (!parsed.success) throw new UsageError(describeSchemaError('agreement', parsed.error).replace('Invalid arguments for agreement', 'invalid option'), AGREEMENT_HELP)

  const store = await openProjectForReading(positionals[0] as string)
  if (store.readOnlyReason !== null) output.err(`note: the project is open in Quire; using what it has saved. (${store.readOnlyReason})\n`)
  try {
    const { report, problems } = await computeAgreement(store, parsed.data as AgreementScope)
    for (const problem of problems) output.err(`warning: ${problem.message}\n`)
    if (report.annotators.length < 2) {
      throw new QuireError({
        code: 'invalid-argument',
        path: store.dir,
        message: `Agreement needs two annotators with layers; ${report.annotators.length === 0 ? 'no one has annotated' : `only ${report.annotators[0]} has annotated`} the chosen documents of ${store.manifest.name}`
      })
    }
    output.out(values.json ? `${JSON.stringify({ project: store.manifest.name, report, problems }, null, 2)}\n` : formatAgreement(store.manifest.name, report))
    return 0
  } finally {
    await store.close()
  }
}
