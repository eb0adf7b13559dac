// The "Clean up text" dialog: which steps, what they would change (main's preview, asked again
// whenever the choice changes), and Apply, which makes them one undoable revision.
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type { CleanupPreview, CleanupStepId } from '../../../../shared/model'
import { CLEANUP_STEPS } from '../../../../shared/model'

export const CLEANUP_STEP_LABELS: Record<CleanupStepId, { label: string; hint: string }> = {
  undouble: { label: 'Remove doubled lines', hint: 'A line that is its first half twice ("XX" → "X"), and a line repeating the one before it' },
  unwrap: { label: 'Join hard-wrapped lines', hint: 'Lines inside a paragraph become one line; an empty line ends a paragraph' },
  dehyphenate: { label: 'Join words split at line ends', hint: '"co-⏎operation" becomes "cooperation", or "co-operation" where the project writes it so' },
  'blank-lines': { label: 'Tidy blank lines', hint: 'Lines of only spaces become empty; runs of empty lines become one' },
  spaces: { label: 'Tidy spaces', hint: 'Runs of spaces become one; spaces at line ends go' }
}

export interface CleanupDialogOptions {
  documentId: string
  preview: QuireApi['previewCleanup']
  /** Applies the chosen steps (through edit mode, which saves first); true when done. */
  apply: (steps: CleanupStepId[]) => Promise<boolean>
}

export class CleanupDialogState {
  readonly documentId: string
  chosen = $state<Record<CleanupStepId, boolean>>({ undouble: true, unwrap: true, dehyphenate: true, 'blank-lines': true, spaces: true })
  preview = $state.raw<CleanupPreview | null>(null)
  loading = $state(false)
  applying = $state(false)
  error = $state.raw<QuireError | null>(null)
  readonly #options: CleanupDialogOptions
  #requestSerial = 0

  constructor(options: CleanupDialogOptions) {
    this.documentId = options.documentId
    this.#options = options
  }

  get steps(): CleanupStepId[] {
    return CLEANUP_STEPS.filter((step) => this.chosen[step])
  }

  /** Places the chosen steps would change in all. */
  get totalChanges(): number {
    return this.preview?.steps.reduce((sum, step) => sum + step.count, 0) ?? 0
  }

  async toggle(step: CleanupStepId, on: boolean): Promise<void> {
    this.chosen = { ...this.chosen, [step]: on }
    await this.refresh()
  }

  /** Asks main again what the chosen steps would change; an older answer arriving late is dropped. */
  async refresh(): Promise<void> {
    const serial = ++this.#requestSerial
    const steps = this.steps
    if (steps.length === 0) {
      this.preview = null
      this.loading = false
      return
    }
    this.loading = true
    try {
      const preview = await this.#options.preview(this.documentId, steps)
      if (serial !== this.#requestSerial) return
      this.preview = preview
      this.error = null
    } catch (caught) {
      if (serial === this.#requestSerial) this.error = QuireError.from(caught)
    } finally {
      if (serial === this.#requestSerial) this.loading = false
    }
  }

  async apply(): Promise<boolean> {
    if (this.applying || this.steps.length === 0 || this.totalChanges === 0) return false
    this.applying = true
    try {
      return await this.#options.apply(this.steps)
    } finally {
      this.applying = false
    }
  }
}
