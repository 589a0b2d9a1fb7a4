/// <reference types="vite/client" />
import type { CrawlerApi } from '../../shared/api.ts'
import type { CrawlerMenuApi } from '../../shared/menu.ts'

declare global {
  interface Window {
    /** The preload's bridge; absent in the browser host, where the WebSocket transport stands in. */
    crawler?: CrawlerApi
    /** Electron's application menu commands (the accelerators live in the menu); absent in a browser. */
    crawlerMenu?: CrawlerMenuApi
  }
}
