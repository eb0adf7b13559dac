// `quire`: the command line over the same services as the app (see bin/quire.mjs).
// Exit codes: 0 ok, 1 data error (bad file, unreadable project; the message says where),
// 2 usage error (unknown command or option, missing argument).
import { QuireError } from '../shared/api'
import { located, processOutput, type CliOutput } from './output'
import { MAIN_HELP, UsageError } from './usage'

type Command = (argv: string[], output: CliOutput) => Promise<number>

// Each command's code is loaded when it is run: a command pays for its own modules only, not
// for every format, importer and service of the others (zod's schemas among them).
const COMMANDS: Record<string, () => Promise<Command>> = {
  export: async () => (await import('./export-command')).exportCommand,
  import: async () => (await import('./import-command')).importCommand,
  stats: async () => (await import('./stats-command')).statsCommand,
  entities: async () => (await import('./entities-command')).entitiesCommand,
  agreement: async () => (await import('./agreement-command')).agreementCommand,
  curate: async () => (await import('./curate-command')).curateCommand,
  clean: async () => (await import('./clean-command')).cleanCommand,
  sync: async () => (await import('./sync-command')).syncCommand,
  'tag-all': async () => (await import('./tag-all-command')).tagAllCommand
}

export async function runCli(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      output.out(`${MAIN_HELP}\n`)
      return command === undefined ? 2 : 0
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
    if (load === undefined) throw new UsageError(`unknown command "${command}"`, MAIN_HELP)
    const run = await load()
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
