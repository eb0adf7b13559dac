// Additions to FakeApi for the review, rename and live-change tests: saves that wait until the
// test lets them finish (a slow disk), layers whose file cannot be read, colleagues' spans.
import type { QuireErrorInfo } from '../../src/shared/api'
import { QuireError } from '../../src/shared/api'
import type { Annotation, AnnotationEdit, AnnotationEditResult, DocumentContent, LayerContent, LayerRef, LayerSummary } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

/** A span of `annotator`'s layer (makeAnnotation makes Leyla's). */
export function spanBy(annotator: string, text: string, id: string, start: number, end: number, tag: string, note?: string): Annotation {
  return { ...makeAnnotation(text, id, start, end, tag, note), annotator }
}

/** The span of the first occurrence of `words` in `text` (after `from`). */
export function spanOf(annotator: string, text: string, id: string, words: string, tag: string, options: { from?: number; note?: string } = {}): Annotation {
  const start = text.indexOf(words, options.from ?? 0)
  if (start < 0) throw new Error(`"${words}" is not in the text`)
  return spanBy(annotator, text, id, start, start + words.length, tag, options.note)
}

export class ReviewFakeApi extends FakeApi {
  /** Layers the save was asked for while saves were held, in order. */
  heldSaves: { layer: LayerRef; edits: AnnotationEdit[] }[] = []
  /** Layers whose file cannot be read, by "documentId/annotator": listed with the problem, refused by getLayer. */
  layerProblems = new Map<string, QuireErrorInfo>()
  #saveGate: Promise<void> | null = null

  /** Saves wait from now on until the returned function is called (then they all go through). */
  holdSaves(): () => void {
    let release = (): void => {}
    this.#saveGate = new Promise((resolve) => {
      release = resolve
    })
    return () => {
      this.#saveGate = null
      release()
    }
  }

  override async applyAnnotationEdits(layer: LayerRef, edits: AnnotationEdit[]): Promise<AnnotationEditResult> {
    const gate = this.#saveGate
    if (gate) {
      this.heldSaves.push({ layer: { ...layer }, edits: structuredClone(edits) })
      await gate
    }
    return super.applyAnnotationEdits(layer, edits)
  }

  override async listLayers(documentId: string): Promise<LayerSummary[]> {
    return this.#withProblems(documentId, await super.listLayers(documentId))
  }

  override async getDocument(layer: LayerRef): Promise<DocumentContent> {
    const content = await super.getDocument(layer)
    return { ...content, layers: this.#withProblems(layer.documentId, content.layers) }
  }

  override async getLayer(layer: LayerRef): Promise<LayerContent> {
    const content = await super.getLayer(layer)
    const problem = this.layerProblems.get(`${layer.documentId}/${layer.annotator}`)
    if (problem) throw new QuireError(problem)
    return content
  }

  #withProblems(documentId: string, layers: LayerSummary[]): LayerSummary[] {
    return layers.map((summary) => {
      const problem = this.layerProblems.get(`${documentId}/${summary.annotator}`)
      return problem ? { ...summary, problem } : summary
    })
  }
}
