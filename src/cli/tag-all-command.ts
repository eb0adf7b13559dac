// quire tag-all PROJECT TEXT --tag TAG [--regex] [--whole-word] [--match-case] [--match-diacritics]
//   [--document ID]... [--annotator NAME] [--dry-run]
// The same TagAllService as the app's "Tag all N occurrences" dialog: every occurrence is
// previewed (with the ones a span of the same tag in the annotator's layer already overlaps
// skipped), then, unless --dry-run, tagged in the annotator's layer with one save per document.
import { parseArgs } from 'node:util'
import { describeSchemaError, tagAllRequestSchema } from '../shared/api-schemas'
import type { TagAllOccurrence, TagAllRequest } from '../shared/finding-model'
import { AnnotationService } from '../main/services/annotation-service'
import { LayerService } from '../main/services/layer-service'
import type { ProjectService } from '../main/services/project-service'
import { TagAllService } from '../main/services/tag-all-service'
import type { ProjectStore } from '../main/store/project-store'
import { plural } from '../core/quantities'
import type { CliOutput } from './output'
import { openProjectForReading, openProjectForWriting, resolveAnnotatorName } from './project-access'
import { parsingCommandLine, TAG_ALL_HELP, UsageError } from './usage'

export async function tagAllCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parsingCommandLine(TAG_ALL_HELP, () =>
    parseArgs({
      args: argv,
      options: {
        tag: { type: 'string' },
        regex: { type: 'boolean' },
        'whole-word': { type: 'boolean' },
        'match-case': { type: 'boolean' },
        'match-diacritics': { type: 'boolean' },
        document: { type: 'string', multiple: true },
        annotator: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: true
    })
  )
  if (values.help) {
    output.out(`${TAG_ALL_HELP}\n`)
    return 0
  }
  if (positionals.length !== 2) throw new UsageError(positionals.length < 2 ? 'give the project folder and the text to tag' : `a project folder and one text, not ${positionals.length} arguments (quote a text with spaces)`, TAG_ALL_HELP)
  if (values.tag === undefined) throw new UsageError('give the tag with --tag TAG', TAG_ALL_HELP)
  const annotator = await resolveAnnotatorName(values.annotator)
  // The same schema as the app's tag-all calls, checked before the project is touched.
  const checked = tagAllRequestSchema.safeParse({
    query: { text: positionals[1], regex: values.regex === true, wholeWord: values['whole-word'] === true, matchCase: values['match-case'] === true, matchDiacritics: values['match-diacritics'] === true },
    tag: values.tag,
    annotator,
    documentIds: values.document ?? 'all'
  })
  if (!checked.success) throw new UsageError(describeSchemaError('tag-all', checked.error).replace('Invalid arguments for tag-all', 'invalid option'), TAG_ALL_HELP)
  const request: TagAllRequest = checked.data as TagAllRequest
  const dryRun = values['dry-run'] === true

  const store = dryRun ? await openProjectForReading(positionals[0] as string) : (await openProjectForWriting(positionals[0] as string, false)).store
  try {
    const service = tagAllServiceFor(store)
    const preview = await service.preview(request)
    if (preview.problem !== null) throw new UsageError(preview.problem, TAG_ALL_HELP)
    if (preview.timedOut) {
      output.err('quire: the regular expression ran past the time limit; nothing was tagged\n')
      return 1
    }
    const skipped = preview.occurrences.filter((occurrence) => occurrence.skip !== null)
    for (const occurrence of skipped) output.out(`${occurrence.documentName}: skipped ${describeOccurrence(occurrence)}: ${annotator}'s ${request.tag} span overlaps it\n`)
    const chosen = preview.occurrences.filter((occurrence) => occurrence.skip === null)
    if (dryRun || chosen.length === 0) {
      for (const [name, count] of countByDocument(chosen)) output.out(`${name}: would tag ${plural(count, 'span')}\n`)
      output.out(`${dryRun ? 'Dry run: ' : ''}${plural(chosen.length, 'span')} would be tagged ${request.tag} for ${annotator}, ${plural(skipped.length, 'occurrence')} skipped${dryRun ? '; nothing was written' : ''}.\n`)
      return 0
    }
    const result = await service.apply(request, chosen.map(({ documentId, start, end }) => ({ documentId, start, end })))
    for (const document of result.documents) {
      const changed = document.skipped > 0 ? `; ${plural(document.skipped, 'occurrence')} changed meanwhile, skipped` : ''
      output.out(`${document.documentName}: tagged ${plural(document.added.length, 'span')}${changed}\n`)
    }
    output.out(`${plural(result.added, 'span')} tagged ${request.tag} for ${annotator} in ${plural(result.documents.filter((document) => document.added.length > 0).length, 'document')}, ${plural(skipped.length + result.skipped, 'occurrence')} skipped.\n`)
    return 0
  } finally {
    await store.close()
  }
}

function tagAllServiceFor(store: ProjectStore): TagAllService {
  const projects = { requireProject: () => store } as unknown as ProjectService
  return new TagAllService(projects, new LayerService(projects), new AnnotationService(projects))
}

function describeOccurrence(occurrence: TagAllOccurrence): string {
  return `"${occurrence.match}" at ${occurrence.start}–${occurrence.end}`
}

function countByDocument(occurrences: readonly TagAllOccurrence[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const occurrence of occurrences) counts.set(occurrence.documentName, (counts.get(occurrence.documentName) ?? 0) + 1)
  return counts
}
