import './spider.css'

export { DecisionLog } from './decision-log.tsx'
export { FrontierStrip } from './frontier-strip.tsx'
export { SafeguardBanner } from './safeguard-banner.tsx'
