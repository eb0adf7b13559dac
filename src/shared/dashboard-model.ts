// The project dashboard's numbers, as main computes them and the window draws them.
// Draft from the contract commit: the dashboard's author may reshape it (keep the name).
import type { DocumentStatus } from './model'

export interface ProjectDashboard {
  projectName: string
  documents: number
  /** Filled in by the dashboard's author. */
  statusByAnnotator: Record<string, Record<DocumentStatus, number>>
}
