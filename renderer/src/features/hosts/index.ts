import './hosts.css'

export { HOSTS_POLL_MS, HostsPanel } from './hosts-panel.tsx'
export { LimitExplanation } from './limit-explanation.tsx'
