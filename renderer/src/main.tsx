import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/app.tsx'

const container = document.getElementById('root')
if (!container) throw new Error('Crawlboard: #root element missing from index.html')
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>
)
