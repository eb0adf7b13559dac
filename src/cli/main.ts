// `quire`: the command line over the same services as the app (see bin/quire.mjs).
// Exit codes: 0 ok, 1 data error (bad file, unreadable project; the message says where),
// 2 usage error (unknown command or option, missing argument).
import { QuireError } from '../shared/api'
import { exportCommand } from './export-command'
import { importCommand } from './import-command'
import { located, processOutput, type CliOutput } from './output'
import { statsCommand } from './stats-command'
import { entitiesCommand } from './entities-command'
import { agreementCommand } from './agreement-command'
import { cleanCommand } from './clean-command'
import { curateCommand } from './curate-command'
import { syncCommand } from './sync-command'
import { tagAllCommand } from './tag-all-command'
import { MAIN_HELP, UsageError } from './usage'

const COMMANDS: Record<string, (argv: string[], output: CliOutput) => Promise<number>> = {
  export: exportCommand,
  import: importCommand,
  stats: statsCommand,
  entities: entitiesCommand,
  agreement: agreementCommand,
  curate: curateCommand,
  clean: cleanCommand,
  sync: syncCommand,
  'tag-all': tagAllCommand
}

export async function runCli(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      output.out(`${MAIN_HELP}\n`)
      return command === undefined ? 2 : 0
    }
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
    if (run === undefined) throw new UsageError(`unknown command "${command}"`, MAIN_HELP)
    return await run(rest, output)
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`quire: ${error.message}\n\n${error.usage}\n`)
      return 2
    }
    const problem = QuireError.from(error)
    const where = problem.path !== undefined && !problem.message.includes(problem.path) ? located(problem.path, problem.line ?? 0, '') : ''
    output.err(`quire: ${where}${problem.message}\n`)
    return 1
  }
}
