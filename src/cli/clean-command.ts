// quire clean PROJECT [--document ID]... [--steps undouble,unwrap,...] [--dry-run] [--annotator NAME]
// The same TextEditService as the app's cleanup dialog: each document's steps are previewed,
// then (unless --dry-run) applied as one revision that every layer follows.
import { parseArgs } from 'node:util'
import { QuireError } from '../shared/api'
import { cleanupRequestSchema, describeSchemaError } from '../shared/api-schemas'
import { CLEANUP_STEPS, type CleanupStepId, type CleanupStepPreview } from '../shared/model'
import { DocumentService } from '../main/services/document-service'
import { LayerService } from '../main/services/layer-service'
import type { ProjectService } from '../main/services/project-service'
import { TextEditService } from '../main/services/text-edit-service'
import type { ProjectStore } from '../main/store/project-store'
import { plural } from '../core/quantities'
import type { CliOutput } from './output'
import { openProjectForReading, openProjectForWriting, resolveAnnotatorName } from './project-access'
import { CLEAN_HELP, parsingCommandLine, UsageError } from './usage'

export async function cleanCommand(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parsingCommandLine(CLEAN_HELP, () =>
    parseArgs({
      args: argv,
      options: {
        document: { type: 'string', multiple: true },
        steps: { type: 'string' },
        'dry-run': { type: 'boolean' },
        annotator: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: true
    })
  )
  if (values.help) {
    output.out(`${CLEAN_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the project folder' : `one project folder, not ${positionals.length}`, CLEAN_HELP)
  const steps = parseSteps(values.steps)
  const dryRun = values['dry-run'] === true
  const author = await resolveAnnotatorName(values.annotator)
  // The same schema as the app's applyCleanup call, checked before the project is touched.
  const checked = cleanupRequestSchema.safeParse({ documentId: values.document?.[0] ?? 'document', author, baseRevision: 'original', steps })
  if (!checked.success) throw new UsageError(describeSchemaError('clean', checked.error).replace('Invalid arguments for clean', 'invalid option'), CLEAN_HELP)

  const store = dryRun ? await openProjectForReading(positionals[0] as string) : (await openProjectForWriting(positionals[0] as string, false)).store
  try {
    const textEdits = textEditServiceFor(store, author)
    const ids = values.document ?? (await store.listDocuments()).flatMap((listing) => ('record' in listing ? [listing.id] : []))
    let failed = 0
    let changed = 0
    for (const documentId of ids) {
      let name = documentId
      try {
        name = (await store.readRecord(documentId)).name
        const preview = await textEdits.previewCleanup(documentId, steps)
        const changing = preview.steps.filter((step) => step.count > 0)
        if (changing.length === 0) {
          output.out(`${name}: nothing to clean\n`)
          continue
        }
        changed++
        for (const step of changing) output.out(`${name}: ${describeStep(step)}\n`)
        if (dryRun) continue
        const result = await textEdits.applyCleanup({ documentId, author, baseRevision: preview.baseRevision, steps })
        const revision = result.revision
        output.out(
          revision
            ? `${name}: saved as revision ${revision.id} by ${author}; ${plural(result.layersMapped, 'layer')} moved with the text\n`
            : `${name}: nothing changed\n`
        )
      } catch (error) {
        failed++
        output.err(`quire: ${name}: ${QuireError.from(error).message}\n`)
      }
    }
    const documents = plural(changed, 'document')
    output.out(dryRun ? `Dry run: ${documents} would change; nothing was written.\n` : `${documents} cleaned.\n`)
    return failed > 0 ? 1 : 0
  } finally {
    await store.close()
  }
}

function parseSteps(option: string | undefined): CleanupStepId[] {
  if (option === undefined) return [...CLEANUP_STEPS]
  const names = option.split(',').map((name) => name.trim()).filter((name) => name !== '')
  if (names.length === 0) throw new UsageError('--steps names no step', CLEAN_HELP)
  for (const name of names) {
    if (!(CLEANUP_STEPS as readonly string[]).includes(name)) {
      throw new UsageError(`--steps: "${name}" is not a cleanup step (${CLEANUP_STEPS.join(', ')})`, CLEAN_HELP)
    }
  }
  // Steps always run in their own order, whatever order they were named in.
  return CLEANUP_STEPS.filter((step) => names.includes(step))
}

function textEditServiceFor(store: ProjectStore, author: string): TextEditService {
  const projects = { requireProject: () => store } as unknown as ProjectService
  const documents = new DocumentService(projects, new LayerService(projects))
  return new TextEditService(projects, documents, () => [author])
}

function describeStep(step: CleanupStepPreview): string {
  const example = step.examples[0]
  const shown = example ? ` (e.g. ${JSON.stringify(clip(example.before))} → ${JSON.stringify(clip(example.after))}${example.rule ? `, ${example.rule}` : ''})` : ''
  return `${step.step}: ${step.summary}${shown}`
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
