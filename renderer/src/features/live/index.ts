import './live.css'

export { LiveView, type LiveViewProps } from './live-view.tsx'
