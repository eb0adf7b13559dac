// Compare mode's comparison, made in main where the layers are parsed already (the layer list
// parsed them when the document was opened), and sent to the window in columns
// (core/review/compact-comparison.ts): the layers themselves never cross.
import { compactComparison } from '../../core/review/compact-comparison'
import { compareLayers } from '../../core/review/compare'
import { QuireError } from '../../shared/api'
import { isCurationLayer, type DocumentComparison, type DocumentRecord } from '../../shared/model'
import type { LayerService } from './layer-service'
import type { ProjectService } from './project-service'
import type { ProjectStore } from '../store/project-store'

/** Comparisons kept, newest last: the Review tab asks for one ahead of the click on Compare. */
const KEPT_COMPARISONS = 4

export class CompareService {
  /** By document, annotators and the version of each of their layers: a comparison is reused only while no layer moved. */
  readonly #recent = new Map<string, Promise<DocumentComparison>>()
  #recentFor: object | null = null

  constructor(
    private readonly projects: Pick<ProjectService, 'requireProject'>,
    private readonly layers: LayerService
  ) {}

  async compare(documentId: string, annotators: readonly string[]): Promise<DocumentComparison> {
    const store = this.projects.requireProject()
    if (this.#recentFor !== store) {
      this.#recent.clear()
      this.#recentFor = store
    }
    const record = await store.readRecord(documentId)
    const chosen = [...new Set(annotators)]
    if (chosen.length < 2) {
      throw new QuireError({ code: 'invalid-argument', message: `Comparing needs two layers; ${chosen.length === 1 ? `only ${chosen[0]}'s was chosen` : 'none was chosen'}` })
    }
    const versions = await Promise.all(chosen.map((annotator) => this.layers.versionOf(store, record, annotator)))
    const key = JSON.stringify([documentId, chosen, versions])
    const kept = this.#recent.get(key)
    if (kept) {
      this.#recent.delete(key)
      this.#recent.set(key, kept)
      return kept
    }
    const computing = this.#compute(store, record, chosen)
    this.#recent.set(key, computing)
    computing.catch(() => this.#recent.delete(key))
    for (const oldest of this.#recent.keys()) {
      if (this.#recent.size <= KEPT_COMPARISONS) break
      this.#recent.delete(oldest)
    }
    return computing
  }

  async #compute(store: ProjectStore, record: DocumentRecord, chosen: string[]): Promise<DocumentComparison> {
    const missing: string[] = []
    const layers = await Promise.all(
      chosen.map(async (annotator) => {
        if (!(await this.layers.exists(store, record, annotator))) {
          missing.push(annotator)
          return { annotator, spans: [] }
        }
        return { annotator, spans: (await this.layers.read(store, record, annotator)).annotations }
      })
    )
    const compact = compactComparison(compareLayers(layers))
    return { ...compact, missing: chosen.filter((annotator) => missing.includes(annotator)), hasGold: chosen.some(isCurationLayer) }
  }
}
