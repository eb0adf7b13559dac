// The project's tag set: changed by the tag editor (the rules are src/core/tag-set.ts) and
// written into project.json, and where each tag is used. A tag that spans use is deleted only
// after its spans moved to another tag, through the same per-layer saves as any annotation
// edit, and only in the layers this session may write: while a colleague's layer uses it, the
// tag stays, and the refusal says whose layer and how many spans.
import { QuireError } from '../../shared/api'
import type { TagSetChange, TagSetResult, TagUsage } from '../../shared/finding-model'
import { CURATION_ANNOTATOR, isCurationLayer, type DocumentRecord, type LayerSummary, type TagDefinition } from '../../shared/model'
import { applyTagSetChanges, describeTagSetProblems, type TagDeletion } from '../../core/tag-set'
import type { ProjectStore } from '../store/project-store'
import type { AnnotationService } from './annotation-service'
import type { LayerService } from './layer-service'
import type { ProjectService } from './project-service'

export interface TagSetServiceOptions {
  projects: ProjectService
  layers: LayerService
  annotations: AnnotationService
  /** Whether this session may write `annotator`'s layer: a name the user has held. */
  isOwnName: (annotator: string) => boolean
}

/** Where one tag is used in one layer. */
interface LayerUse {
  record: DocumentRecord
  annotator: string
  spans: number
}

/** The spans one layer moves from deleted tags (keys) to others (values), in one save. */
interface LayerMove {
  record: DocumentRecord
  annotator: string
  retag: Map<string, string>
}

export class TagSetService {
  /** One change of the tag set at a time: each is based on the set the one before left. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly options: TagSetServiceOptions) {}

  /** Spans per tag and annotator, from the layer summaries the document list keeps anyway. */
  async usage(): Promise<TagUsage[]> {
    const store = this.options.projects.requireProject()
    const byTag = new Map<string, TagUsage>(store.manifest.tags.map((tag) => [tag.id, { tag: tag.id, spans: 0, byAnnotator: {} }]))
    for (const { layers } of await this.#layersOfEveryDocument(store)) {
      for (const layer of layers) {
        if (layer.problem) continue
        for (const [tag, count] of Object.entries(layer.countsByTag)) {
          if (count === 0) continue
          const usage = byTag.get(tag) ?? { tag, spans: 0, byAnnotator: {} }
          usage.spans += count
          usage.byAnnotator[layer.annotator] = (usage.byAnnotator[layer.annotator] ?? 0) + count
          byTag.set(tag, usage)
        }
      }
    }
    return [...byTag.values()]
  }

  update(changes: readonly TagSetChange[]): Promise<TagSetResult> {
    const run = this.#queue.then(() => this.#update(changes))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #update(changes: readonly TagSetChange[]): Promise<TagSetResult> {
    const store = this.options.projects.requireProject()
    store.assertWritable()
    // Based on the file as it is now, not as last noticed: a colleague's change may have just arrived.
    await store.reloadManifest()
    const before = store.manifest.tags.map((tag) => ({ ...tag }))
    const outcome = applyTagSetChanges(before, changes)
    if (!outcome.ok) throw new QuireError({ code: 'invalid-argument', message: describeTagSetProblems(outcome.problems) })

    const moves = await this.#planDeletions(store, outcome.deletions, before)
    const newTagIds = outcome.tags.filter((tag) => !before.some((old) => old.id === tag.id)).map((tag) => tag.id)
    const movedDocuments = new Set<string>()
    let movedSpans = 0
    for (const move of moves) {
      // One save per layer: every span of the deleted tags in it, moved together.
      const layer = await store.annotationLayer(move.record, move.annotator)
      const edits = layer.current.annotations.flatMap((annotation) => {
        const to = move.retag.get(annotation.tag)
        return to === undefined ? [] : [{ op: 'update' as const, id: annotation.id, changes: { tag: to } }]
      })
      if (edits.length === 0) continue
      await this.options.annotations.applyEdits({ documentId: move.record.id, annotator: move.annotator }, edits, newTagIds)
      movedDocuments.add(move.record.id)
      movedSpans += edits.length
    }
    // The spans moved first: stopped in between, the old tag is still in the set, nothing is lost.
    await store.replaceTags(outcome.tags, before)
    const project = this.options.projects.summary()
    if (!project) throw new QuireError({ code: 'no-project', message: 'The project was closed while its tags were saved' })
    return { project, moved: { documents: movedDocuments.size, spans: movedSpans } }
  }

  /**
   * Which layers' spans move where before the deleted tags go; refused (nothing written) while a
   * layer this session may not write uses a deleted tag, or one that may uses it with nowhere to go.
   */
  async #planDeletions(store: ProjectStore, deletions: readonly TagDeletion[], tags: readonly TagDefinition[]): Promise<LayerMove[]> {
    if (deletions.length === 0) return []
    for (const deletion of deletions) {
      if (deletion.moveTo !== undefined && !this.options.isOwnName(deletion.annotator)) {
        throw new QuireError({ code: 'forbidden', message: `The tag set was not changed: spans are moved in your own layer, and ${deletion.annotator} is not your name` })
      }
    }
    const uses = new Map<string, LayerUse[]>(deletions.map((deletion) => [deletion.id, []]))
    const unreadable: string[] = []
    for (const { record, layers } of await this.#layersOfEveryDocument(store)) {
      for (const layer of layers) {
        if (layer.problem) {
          // The annotator of a file that cannot be read is not known: its path (in the message) names it.
          unreadable.push(`on "${record.name}", ${layer.problem.message}`)
          continue
        }
        for (const deletion of deletions) {
          const spans = layer.countsByTag[deletion.id] ?? 0
          if (spans > 0) uses.get(deletion.id)?.push({ record, annotator: layer.annotator, spans })
        }
      }
    }
    if (unreadable.length > 0) {
      throw new QuireError({ code: 'invalid-argument', message: `The tag set was not changed: Quire cannot tell whether a layer it cannot read uses the tags to delete: ${unreadable.join('; ')}` })
    }
    const labelOf = (id: string): string => `"${tags.find((tag) => tag.id === id)?.label ?? id}"`
    const reasons: string[] = []
    const moves = new Map<string, LayerMove>()
    for (const deletion of deletions) {
      const layerUses = uses.get(deletion.id) ?? []
      if (layerUses.length === 0) continue
      if (deletion.moveTo === undefined) {
        reasons.push(`${labelOf(deletion.id)} is used by ${describeUsers(layerUses)}; move its spans to another tag to delete it`)
        continue
      }
      const writable = (annotator: string): boolean => annotator === deletion.annotator || isCurationLayer(annotator)
      const colleagues = layerUses.filter((use) => !writable(use.annotator))
      if (colleagues.length > 0) {
        reasons.push(`${labelOf(deletion.id)} is still used by ${describeUsers(colleagues)}; Quire moves spans only in your own layer and the gold layer, so the tag stays until they move theirs`)
        continue
      }
      for (const use of layerUses) {
        store.assertTextSettled(use.record.id)
        const key = `${use.record.id}\u0000${use.annotator}`
        const move = moves.get(key) ?? { record: use.record, annotator: use.annotator, retag: new Map<string, string>() }
        move.retag.set(deletion.id, deletion.moveTo)
        moves.set(key, move)
      }
    }
    if (reasons.length > 0) throw new QuireError({ code: 'invalid-argument', message: `The tag set was not changed: ${reasons.join('; ')}` })
    return [...moves.values()]
  }

  async #layersOfEveryDocument(store: ProjectStore): Promise<{ record: DocumentRecord; layers: LayerSummary[] }[]> {
    const result: { record: DocumentRecord; layers: LayerSummary[] }[] = []
    for (const listing of await store.listDocuments()) {
      if ('problem' in listing) continue
      result.push({ record: listing.record, layers: await this.options.layers.summarize(store, listing.record) })
    }
    return result
  }
}

/** "Leyla (12 spans in 3 documents) and the gold layer (1 span)". */
function describeUsers(uses: readonly LayerUse[]): string {
  const byAnnotator = new Map<string, { spans: number; documents: number }>()
  for (const use of uses) {
    const total = byAnnotator.get(use.annotator) ?? { spans: 0, documents: 0 }
    total.spans += use.spans
    total.documents += 1
    byAnnotator.set(use.annotator, total)
  }
  const parts = [...byAnnotator].map(([annotator, { spans, documents }]) => {
    const who = annotator === CURATION_ANNOTATOR ? 'the gold layer' : annotator
    const where = documents > 1 ? ` in ${documents} documents` : ''
    return `${who} (${spans} ${spans === 1 ? 'span' : 'spans'}${where})`
  })
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}
