// quire entities PROJECT [--json]
import { parseArgs } from 'node:util'
import { QuireError } from '../shared/api'
import type { EntityList, EntitySummary } from '../shared/finding-model'
import { EntityService } from '../main/services/entity-service'
import type { CliOutput } from './output'
import { openProjectForReading } from './project-access'
import { ENTITIES_HELP, parsingCommandLine, UsageError } from './usage'

export async function entitiesCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parsingCommandLine(ENTITIES_HELP, () =>
    parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true })
  )
  if (values.help) {
    output.out(`${ENTITIES_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the project folder' : `one project folder, not ${positionals.length}`, ENTITIES_HELP)
  const store = await openProjectForReading(positionals[0] as string)
  if (store.readOnlyReason !== null) output.err(`note: the project is open in Quire; using what it has saved. (${store.readOnlyReason})\n`)
  try {
    const list = await new EntityService({ requireProject: () => store }).list()
    // Listing without the saved entities would present merged aliases as strangers: a data error.
    if (list.problem !== null) throw new QuireError({ code: 'corrupt-store', message: list.problem })
    output.out(values.json ? `${JSON.stringify(list, null, 2)}\n` : formatEntities(store.manifest.name, list))
    return 0
  } finally {
    await store.close()
  }
}

function formatEntities(projectName: string, list: EntityList): string {
  const saved = list.entities.filter((entity) => entity.saved).length
  const mentions = list.entities.reduce((sum, entity) => sum + entity.mentions, 0)
  const lines = [`${projectName}: ${count(list.entities.length, 'entity', 'entities')} (${saved} saved), ${count(mentions, 'mention', 'mentions')}`]
  if (list.entities.length === 0) return `${lines[0] as string}\n`
  const rows = list.entities.map((entity) => [nameCell(entity), entity.ref ?? '', String(entity.mentions), String(entity.documents.length), aliasesCell(entity)])
  const header = ['Name', 'Identifier', 'Mentions', 'Documents', 'Aliases']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)))
  const render = (row: string[]): string =>
    row
      .map((cell, column) => (column === 2 || column === 3 ? cell.padStart(widths[column] as number) : column === row.length - 1 ? cell : cell.padEnd(widths[column] as number)))
      .join('  ')
  lines.push('', render(header), ...rows.map(render), '', '* saved in entities.json; the others are equal texts not yet merged or named.')
  return `${lines.join('\n')}\n`
}

function nameCell(entity: EntitySummary): string {
  return entity.saved ? `${entity.name} *` : entity.name
}

/** Every text seen, most frequent first ("ICESCO, ISESCO, Isesco"). */
function aliasesCell(entity: EntitySummary): string {
  const texts = entity.aliases.flatMap((alias) => (alias.texts.length > 0 ? alias.texts : [alias.key]))
  return texts.join(', ')
}

function count(value: number, one: string, many: string): string {
  return `${value} ${value === 1 ? one : many}`
}
