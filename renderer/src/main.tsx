import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles/theme.css'
import './styles/base.css'
import './styles/app.css'
import { App } from './app/app.tsx'
import { createServices } from './app/services.ts'
import { applyCachedTheme } from './app/theme.ts'

applyCachedTheme()
const container = document.getElementById('root')
if (!container) throw new Error('Crawlboard: #root element missing from index.html')
const services = createServices()
createRoot(container).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>
)
