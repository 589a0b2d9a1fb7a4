import './live.css'

export { LiveView, STATE_LABELS, type LiveViewProps } from './live-view.tsx'
