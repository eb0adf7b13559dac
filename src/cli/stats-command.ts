// quire stats PROJECT [--json]
import { parseArgs } from 'node:util'
import { plural } from '../core/quantities'
import { computeCorpusStats, type CorpusStats } from '../main/services/corpus-stats-service'
import type { CliOutput } from './output'
import { openProjectForReading } from './project-access'
import { parsingCommandLine, STATS_HELP, UsageError } from './usage'

export async function statsCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parsingCommandLine(STATS_HELP, () =>
    parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true })
  )
  if (values.help) {
    output.out(`${STATS_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the project folder' : `one project folder, not ${positionals.length}`, STATS_HELP)
  const store = await openProjectForReading(positionals[0] as string)
  if (store.readOnlyReason !== null) output.err(`note: the project is open in Quire; using what it has saved. (${store.readOnlyReason})\n`)
  try {
    const stats = await computeCorpusStats(store)
    output.out(values.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats))
    for (const problem of stats.problems) output.err(`warning: ${problem.message}\n`)
    return 0
  } finally {
    await store.close()
  }
}

function formatStats(stats: CorpusStats): string {
  const lines = [`${stats.projectName}: ${plural(stats.documents, 'document')}, ${plural(stats.spans, 'span')}`, '', 'Spans by tag:']
  lines.push(...table(Object.entries(stats.spansByTag)))
  lines.push('', 'Spans by annotator:')
  const annotators = Object.keys(stats.statusByAnnotator).sort((a, b) => a.localeCompare(b))
  if (annotators.length === 0) lines.push('  (none yet)')
  const width = Math.max(0, ...annotators.map((name) => name.length))
  for (const annotator of annotators) {
    const status = stats.statusByAnnotator[annotator] as Record<string, number>
    const byTag = Object.entries(stats.spansByAnnotatorAndTag[annotator] ?? {})
      .map(([tag, count]) => `${tag} ${count}`)
      .join(', ')
    lines.push(
      `  ${annotator.padEnd(width)}  ${String(stats.spansByAnnotator[annotator] ?? 0).padStart(8)}  ` +
        `(documents: ${status.done} done, ${status['in-progress']} in progress, ${status['not-started']} not started)${byTag ? `  ${byTag}` : ''}`
    )
  }
  return `${lines.join('\n')}\n`
}

function table(rows: [string, number][]): string[] {
  const width = Math.max(0, ...rows.map(([name]) => name.length))
  return rows.map(([name, count]) => `  ${name.padEnd(width)}  ${String(count).padStart(8)}`)
}
