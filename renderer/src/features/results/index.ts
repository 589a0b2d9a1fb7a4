import './results.css'
import './multi-select.css'
import './detail-panel.css'
import './failure-groups.css'

export type { ResultsApi } from './types.ts'
export { ResultsView, type ResultsViewProps } from './results-view.tsx'
export { FailureGroupsPanel, type FailureGroupsPanelProps } from './failure-groups-panel.tsx'
