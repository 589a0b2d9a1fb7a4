import { contextBridge } from 'electron'

// The narrow bridge: named operations only. The full CrawlerApi arrives with the dashboard.
contextBridge.exposeInMainWorld('crawler', Object.freeze({ platform: 'electron' as const }))
