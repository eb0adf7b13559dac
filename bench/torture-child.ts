// The process the torture test kills. It opens the project with the real services, reads
// commands (one JSON line each) from stdin and applies them; "ack <id>" is written only after
// the service's promise resolved, i.e. after the store reported the change durably saved.
//
//   node torture-child.mjs <projectDir> <userDataRoot> <annotator>...
//
// QUIRE_TORTURE_JOURNAL_LIMIT (bytes) makes layers compact their journals that often, so
// kills land in compactions as well as in appends. QUIRE_TORTURE_TEAR_AT=n makes the n-th
// journal append of this life write half its line, say "frozen" and freeze there until it is
// killed: a crash mid-append, which a SIGKILL alone almost never catches (a line is one write).
// QUIRE_TORTURE_WAIT_FOR_OPEN=1 makes it say "loaded" once its code is loaded and wait for an
// "open" line before it opens the project: the parent starts the next life's child early, so
// a life's time goes to the store rather than to Node loading a megabyte of code.
import { appendFileSync, writeSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { AnnotationService } from '../src/main/services/annotation-service'
import { DocumentService } from '../src/main/services/document-service'
import { LayerService } from '../src/main/services/layer-service'
import { ProjectService } from '../src/main/services/project-service'
import { SettingsService } from '../src/main/services/settings-service'
import { setJournalLimitBytes } from '../src/main/store/annotation-layer-file'
import { injectJournalFault } from '../src/main/store/journal-append'
import type { TortureCommand } from './torture-model'

// writeSync, not console.log: the line must be in the pipe before the next change starts, so a
// kill can never lose an acknowledgement that the parent should have seen (or invent one).
const report = (line: string): void => {
  writeSync(1, `${line}\n`)
}

async function main(): Promise<void> {
  const [projectDir, userDataRoot, ...annotators] = process.argv.slice(2)
  if (!projectDir || !userDataRoot || annotators.length === 0) throw new Error('usage: torture-child <projectDir> <userDataRoot> <annotator>...')
  const lines = createInterface({ input: process.stdin })
  if (process.env.QUIRE_TORTURE_WAIT_FOR_OPEN === '1') {
    report('loaded')
    const [first] = (await once(lines, 'line')) as [string]
    if (first !== 'open') throw new Error(`expected "open" first, got ${JSON.stringify(first)}`)
  }
  const journalLimit = Number(process.env.QUIRE_TORTURE_JOURNAL_LIMIT)
  if (journalLimit > 0) setJournalLimitBytes(journalLimit)
  const tearAt = Number(process.env.QUIRE_TORTURE_TEAR_AT)
  if (tearAt > 0) {
    let appends = 0
    injectJournalFault((step, path, line) => {
      if (step !== 'write' || ++appends !== tearAt) return
      appendFileSync(path, line.slice(0, Math.ceil(line.length / 2)))
      // Frozen mid-append until the parent's SIGKILL, which it sends on this line (waiting on a
      // timer instead, a slow machine would kill before the tear and a fast one wait for nothing).
      report('frozen')
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
    })
  }

  const servicesByAnnotator = new Map<string, { annotations: AnnotationService; documents: DocumentService }>()
  let projects: ProjectService | null = null
  for (const [index, annotator] of annotators.entries()) {
    const settings = await SettingsService.open(join(userDataRoot, `annotator-${index}`))
    if (settings.annotatorName !== annotator) await settings.setAnnotatorName(annotator)
    if (!projects) {
      projects = new ProjectService(settings)
      const summary = await projects.open(projectDir)
      if (summary.readOnly) throw new Error(`the project opened read-only: ${summary.readOnlyReason}`)
    }
    servicesByAnnotator.set(annotator, {
      annotations: new AnnotationService(projects),
      documents: new DocumentService(projects, new LayerService(projects))
    })
  }
  report('ready')

  // One chain per annotation file, like the renderer's save queue: a file's changes are sent
  // one after another, files are saved concurrently.
  const chains = new Map<string, Promise<void>>()
  lines.on('line', (line) => {
    const command = JSON.parse(line) as TortureCommand
    const services = servicesByAnnotator.get(command.annotator)
    if (!services) throw new Error(`unknown annotator ${command.annotator}`)
    const key = `${command.documentId}\n${command.annotator}`
    const run = async (): Promise<void> => {
      try {
        const layer = { documentId: command.documentId, annotator: command.annotator }
        if (command.change.kind === 'edits') await services.annotations.applyEdits(layer, command.change.edits)
        else if (command.change.kind === 'status') await services.documents.setStatus(layer, command.change.status)
        else await (projects as ProjectService).requireProject().settleWrites()
        report(`ack ${command.id}`)
      } catch (error) {
        report(`fail ${command.id} ${JSON.stringify(error instanceof Error ? error.message : String(error))}`)
      }
    }
    chains.set(key, (chains.get(key) ?? Promise.resolve()).then(run))
  })
}

main().catch((error: unknown) => {
  report(`crash ${JSON.stringify(error instanceof Error ? error.message : String(error))}`)
  process.exit(1)
})
