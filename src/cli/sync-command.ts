// quire sync PROJECT [--annotator NAME]
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { syncProject } from '../main/services/git-sync-service'
import { foldLeftoverJournals } from '../main/store/leftover-journals'
import { personNameSchema } from '../shared/api-schemas'
import type { CliOutput } from './output'
import { openProjectForWriting, resolveAnnotatorName } from './project-access'
import { parsingCommandLine, SYNC_HELP, UsageError } from './usage'

export async function syncCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parsingCommandLine(SYNC_HELP, () =>
    parseArgs({ args: argv, options: { annotator: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true })
  )
  if (values.help) {
    output.out(`${SYNC_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the project folder' : `one project folder, not ${positionals.length}`, SYNC_HELP)
  const annotator = personNameSchema.safeParse(await resolveAnnotatorName(values.annotator))
  if (!annotator.success) throw new UsageError(`--annotator: ${annotator.error.issues[0]?.message ?? 'invalid name'}`, SYNC_HELP)
  // Taking the project's lock keeps an open Quire from saving while git rewrites its files.
  const { store } = await openProjectForWriting(resolve(positionals[0] as string), false)
  try {
    // Saves a Quire left in layer journals (it stopped before folding them in) must be committed too.
    await foldLeftoverJournals(store)
    const result = await syncProject(store.dir, { annotator: annotator.data })
    output.out(`${result.message}\n`)
    return 0
  } finally {
    await store.close()
  }
}
