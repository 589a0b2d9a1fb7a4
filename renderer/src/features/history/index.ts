import './history.css'

export { HistoryView } from './history-view.tsx'
