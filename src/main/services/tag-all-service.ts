// Annotate all: every occurrence of a query in the chosen documents (or the project) tagged in
// the annotator's own layer. The preview lists them all, with those it would skip (a span of
// the same tag in that layer overlaps them); apply tags the occurrences the user left chosen,
// with one save per document through the annotation service, so every journal and durability
// rule of a save holds. Each document's result lists the spans added: deleting those ids
// undoes its share.
import { newAnnotationId } from '../../core/ids'
import { compileSearch, findMatches } from '../../core/search/find-matches'
import { taggingOfMatches } from '../../core/search/concordance'
import { QuireError } from '../../shared/api'
import type { TagAllChoice, TagAllDocumentResult, TagAllOccurrence, TagAllPreview, TagAllRequest, TagAllResult } from '../../shared/finding-model'
import { asUtf16, type AnnotationEdit, type Provenance } from '../../shared/model'
import type { AnnotationService } from './annotation-service'
import { mapInParallel } from './map-in-parallel'
import type { LayerService } from './layer-service'
import { runSearch, searchedRecords, type SearchRunOptions } from './project-search-runner'
import type { ProjectService } from './project-service'

/** Documents saved at once: each save is its own file and journal, and mostly waits on the disk. */
const SAVES_IN_FLIGHT = 16

export class TagAllService {
  constructor(
    private readonly projects: Pick<ProjectService, 'requireProject'>,
    private readonly layers: LayerService,
    private readonly annotations: AnnotationService,
    private readonly options: SearchRunOptions = {}
  ) {}

  async preview(request: TagAllRequest): Promise<TagAllPreview> {
    const compiled = compileSearch(request.query)
    if (!compiled.ok) return { occurrences: [], toTag: 0, skipped: 0, timedOut: false, problem: compiled.problem }
    this.#assertTag(request.tag)
    const store = this.projects.requireProject()
    const { records } = await searchedRecords(store, request.documentIds)
    const run = await runSearch(store, this.layers, records, request.query, true, { ...this.options, onlyAnnotator: request.annotator })
    const occurrences: TagAllOccurrence[] = []
    for (const document of run.documents) {
      document.tagging.forEach((tagging, index) => {
        const skip = tagging?.some((entry) => entry.annotator === request.annotator && entry.tag === request.tag) ? 'overlaps-same-tag' : null
        const context = document.context?.[index] ?? { left: '', match: '', right: '' }
        occurrences.push({
          documentId: document.documentId,
          documentName: document.documentName,
          start: asUtf16(document.offsets[index * 2] as number),
          end: asUtf16(document.offsets[index * 2 + 1] as number),
          ...context,
          skip
        })
      })
    }
    const skipped = occurrences.filter((occurrence) => occurrence.skip !== null).length
    return { occurrences, toTag: occurrences.length - skipped, skipped, timedOut: run.timedOut, problem: null }
  }

  /**
   * Tags the chosen occurrences. Each is checked against the text as it now is: one that is no
   * longer an occurrence of the query (the text changed since the preview), or that a span of
   * the same tag in the layer now overlaps, is skipped and counted.
   */
  async apply(request: TagAllRequest, chosen: readonly TagAllChoice[]): Promise<TagAllResult> {
    const compiled = compileSearch(request.query)
    if (!compiled.ok) throw new QuireError({ code: 'invalid-argument', message: `Nothing was tagged: ${compiled.problem}` })
    this.#assertTag(request.tag)
    const store = this.projects.requireProject()
    store.assertWritable()
    const chosenByDocument = new Map<string, TagAllChoice[]>()
    for (const choice of chosen) {
      if (request.documentIds !== 'all' && !request.documentIds.includes(choice.documentId)) {
        throw new QuireError({ code: 'invalid-argument', message: `Nothing was tagged: document ${choice.documentId} is not among the documents of this tag-all` })
      }
      const list = chosenByDocument.get(choice.documentId) ?? []
      list.push(choice)
      chosenByDocument.set(choice.documentId, list)
    }
    const { records } = await searchedRecords(store, [...chosenByDocument.keys()])
    // A regular expression is checked again on workers (it could run away on a changed text);
    // plain text is found again here, document by document, as each is saved.
    let found: Map<string, Int32Array> | null = null
    if (request.query.regex) {
      const run = await runSearch(store, this.layers, records, request.query, false, { ...this.options, onlyAnnotator: request.annotator })
      if (run.timedOut) throw new QuireError({ code: 'invalid-argument', message: 'Nothing was tagged: the regular expression ran past the time limit' })
      found = new Map(run.documents.map((document) => [document.documentId, document.offsets]))
    }
    const provenance: Provenance = { source: 'manual', detail: `tag-all "${request.query.text.slice(0, 100)}"` }
    const results = await mapInParallel(records, SAVES_IN_FLIGHT, async (record): Promise<TagAllDocumentResult> => {
      const choices = chosenByDocument.get(record.id) ?? []
      const offsets = found ? (found.get(record.id) ?? null) : findMatches((await store.textState(record.id)).text, compiled).offsets
      const edits = await this.#editsFor(store, record, request, choices, offsets, provenance)
      const saved = edits.length > 0 ? (await this.annotations.applyEdits({ documentId: record.id, annotator: request.annotator }, edits)).saved : []
      return { documentId: record.id, documentName: record.name, added: saved, skipped: choices.length - edits.length }
    })
    const documents = results.filter((result) => result.added.length > 0 || result.skipped > 0)
    return {
      documents,
      added: documents.reduce((sum, result) => sum + result.added.length, 0),
      skipped: documents.reduce((sum, result) => sum + result.skipped, 0)
    }
  }

  async #editsFor(
    store: ReturnType<ProjectService['requireProject']>,
    record: Awaited<ReturnType<typeof searchedRecords>>['records'][number],
    request: TagAllRequest,
    choices: readonly TagAllChoice[],
    found: Int32Array | null,
    provenance: Provenance
  ): Promise<AnnotationEdit[]> {
    if (found === null) return []
    const occurrences = new Set<string>()
    for (let index = 0; index < found.length; index += 2) occurrences.add(`${found[index]}:${found[index + 1]}`)
    const current = choices
      .filter((choice) => occurrences.has(`${choice.start}:${choice.end}`))
      .sort((a, b) => a.start - b.start)
      .filter((choice, index, sorted) => index === 0 || (sorted[index - 1] as TagAllChoice).start !== choice.start)
    if (current.length === 0) return []
    const layer = await this.layers.read(store, record, request.annotator)
    const offsets = Int32Array.from(current.flatMap((choice) => [choice.start, choice.end]))
    const tagging = taggingOfMatches(offsets, [layer])
    return current
      .filter((_choice, index) => !tagging[index]?.some((entry) => entry.tag === request.tag))
      .map((choice): AnnotationEdit => ({ op: 'add', annotation: { id: newAnnotationId(), start: choice.start, end: choice.end, tag: request.tag, provenance } }))
  }

  #assertTag(tag: string): void {
    const store = this.projects.requireProject()
    if (!store.manifest.tags.some((definition) => definition.id === tag)) {
      const known = store.manifest.tags.map((definition) => definition.id).join(', ')
      throw new QuireError({ code: 'invalid-argument', message: `There is no tag "${tag}" in this project; its tags are ${known}` })
    }
  }
}
