import './compare.css'

export { CompareView, type CompareApi } from './compare-view.tsx'
export { runLabelShort } from './run-pickers.tsx'
