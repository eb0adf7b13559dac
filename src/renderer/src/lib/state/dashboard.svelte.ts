// The dashboard: the project's numbers (one call to main, which counts layers without reading
// texts, so it is quick even on big projects) and, only when asked, the agreement summary,
// which reads and tokenises every shared document's text and may take a while.
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type { ProjectDashboard } from '../../../../shared/dashboard-model'
import type { AgreementOutcome, TagDefinition } from '../../../../shared/model'
import { dashboardCharts, type DashboardCharts } from '../charts/dashboard-charts'

export interface DashboardOptions {
  tags: readonly TagDefinition[]
  /** Waits for the open document's saves, so its latest spans are counted. */
  beforeLoad?: () => Promise<void>
}

export class DashboardState {
  dashboard = $state.raw<ProjectDashboard | null>(null)
  loading = $state(false)
  error = $state.raw<QuireError | null>(null)
  agreement = $state.raw<AgreementOutcome | null>(null)
  measuring = $state(false)
  agreementError = $state.raw<QuireError | null>(null)
  readonly #api: QuireApi
  readonly #options: DashboardOptions
  readonly charts: DashboardCharts | null

  constructor(api: QuireApi, options: DashboardOptions) {
    this.#api = api
    this.#options = options
    this.charts = $derived(this.dashboard ? dashboardCharts(this.dashboard, options.tags) : null)
  }

  async load(): Promise<void> {
    this.loading = true
    this.error = null
    try {
      await this.#options.beforeLoad?.()
      this.dashboard = await this.#api.getDashboard()
      // Figures measured before a recount may no longer be the project's.
      this.agreement = null
    } catch (error) {
      this.error = QuireError.from(error)
    } finally {
      this.loading = false
    }
  }

  /** Agreement can be measured once two people have layers on one document. */
  get canMeasureAgreement(): boolean {
    return (this.dashboard?.sharedDocuments ?? 0) > 0
  }

  /** The whole project's agreement between every person with a layer (the gold layer left out, as the agreement screen does). */
  async measureAgreement(): Promise<void> {
    if (!this.canMeasureAgreement || this.measuring) return
    this.measuring = true
    this.agreementError = null
    try {
      this.agreement = await this.#api.computeAgreement({ documentIds: 'all', annotators: 'all' })
    } catch (error) {
      this.agreementError = QuireError.from(error)
    } finally {
      this.measuring = false
    }
  }
}
