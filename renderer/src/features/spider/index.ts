import './spider.css'

export { DecisionLog } from './decision-log.tsx'
export { FrontierStrip } from './frontier-strip.tsx'
export { HOSTS_POLL_MS, HostsPanel } from './hosts-panel.tsx'
export { SafeguardBanner } from './safeguard-banner.tsx'
