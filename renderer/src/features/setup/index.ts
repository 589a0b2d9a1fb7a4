import './setup.css'

export { SetupView, type SetupViewProps } from './setup-view.tsx'
