// Cleanup plans for a document's current text. Dehyphenation keeps a hyphen only when the
// hyphenated form occurs elsewhere in the project's texts, so it needs evidence gathered over
// every text: kept here, rebuilt only when some text moved to another revision.
import type { CleanupStepId } from '../../shared/model'
import { buildHyphenationEvidence, planCleanup } from '../../core/text-edit/cleanup'
import type { DocumentText } from '../store/document-texts'
import type { ProjectStore } from '../store/project-store'

type Evidence = ReturnType<typeof buildHyphenationEvidence>

export class CleanupPlanner {
  #evidence: { store: ProjectStore; heads: string; evidence: Evidence } | null = null

  async plan(store: ProjectStore, state: DocumentText, steps: readonly CleanupStepId[]): Promise<ReturnType<typeof planCleanup>> {
    const hyphenation = steps.includes('dehyphenate') ? await this.#hyphenationEvidence(store) : buildHyphenationEvidence([])
    return planCleanup(state.text, [...steps], { hyphenation })
  }

  /** Evidence from every readable document's current text; the heads' ids say when it is stale. */
  async #hyphenationEvidence(store: ProjectStore): Promise<Evidence> {
    const listings = (await store.listDocuments()).flatMap((listing) => ('record' in listing ? [listing.record.id] : []))
    const heads: string[] = []
    for (const id of listings) {
      const graph = await store.texts.graph(id).catch(() => null)
      heads.push(`${id}@${graph?.head.id ?? 'unreadable'}`)
    }
    const signature = heads.join('\n')
    if (this.#evidence?.store === store && this.#evidence.heads === signature) return this.#evidence.evidence
    const texts: string[] = []
    for (const id of listings) {
      const text = await store.readText(id).catch(() => null)
      if (text !== null) texts.push(text)
    }
    const evidence = buildHyphenationEvidence(texts)
    this.#evidence = { store, heads: signature, evidence }
    return evidence
  }
}
