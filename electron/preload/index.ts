import { contextBridge, ipcRenderer } from 'electron'
import { createCrawlerBridge, createMenuBridge } from './bridge.ts'

// The narrow bridge: named operations only, never ipcRenderer or a generic invoke. Sandboxed,
// so this builds to one CommonJS file whose only require is 'electron' (the boot test checks).
contextBridge.exposeInMainWorld('crawler', createCrawlerBridge(ipcRenderer))
contextBridge.exposeInMainWorld('crawlerMenu', createMenuBridge(ipcRenderer))
