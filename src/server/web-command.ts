// Arguments of `npm run web` (src/server/cli.ts), kept apart so they are unit-tested.
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultUserDataDir } from '../main/user-data'

/** The project `npm start` and `npm run web` open when no --project is given. */
export const DEFAULT_PROJECT_FOLDER = 'My Quire project'

export interface WebCommandOptions {
  projectDir: string
  port: number
  userDataDir: string
  openBrowser: boolean
}

export const WEB_USAGE = 'Usage: npm run web -- [--project DIR] [--port N] [--user-data DIR] [--no-open]'

/** Throws an Error with a message fit for the terminal on any bad argument. */
export function parseWebCommandArguments(argv: string[], environment: NodeJS.ProcessEnv = process.env): WebCommandOptions {
  let values: { project?: string; port?: string; 'user-data'?: string; 'no-open'?: boolean; help?: boolean }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        project: { type: 'string' },
        port: { type: 'string' },
        'user-data': { type: 'string' },
        'no-open': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: false
    }))
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${WEB_USAGE}`)
  }
  if (values.help) throw new Error(WEB_USAGE)
  let port = 0
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
      throw new Error(`--port must be a number from 0 to 65535 (0 picks a free port), not "${values.port}"`)
    }
    port = Number(values.port)
  }
  for (const name of ['project', 'user-data'] as const) {
    if (values[name] !== undefined && values[name].trim() === '') throw new Error(`--${name} needs a folder`)
  }
  const userDataDir = values['user-data'] ?? defaultUserDataDir(environment)
  return {
    projectDir: values.project ?? join(userDataDir, DEFAULT_PROJECT_FOLDER),
    port,
    userDataDir,
    openBrowser: !values['no-open']
  }
}
