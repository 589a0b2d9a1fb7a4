import { describe, expect, it } from 'vitest'
import { refusedByFence } from '../helpers/lint-fence.ts'

/**
 * Raw IPC is bound in two modules only (electron/main/ipc.ts, electron/preload/bridge.ts); the
 * entry files may import ipcMain/ipcRenderer solely to inject them. Checked against the real lint
 * config, as desktop/desktop fences its IPC.
 */
const refused = refusedByFence

describe('raw IPC fence', () => {
  it.each([
    ['electron/main/window.ts', "import { ipcMain } from 'electron'"],
    ['electron/main/fence.ts', "import * as electron from 'electron'"],
    ['electron/main/fence.ts', "declare const ipcMain: any; ipcMain.handle('x', () => 1)"],
    ['electron/main/fence.ts', "declare const e: any; e.ipcMain.on('x', () => 1)"],
    ['electron/main/index.ts', "import { ipcMain } from 'electron'; ipcMain.on('x', () => 1)"],
    ['electron/preload/fence.ts', "import { ipcRenderer } from 'electron'"],
    ['electron/preload/index.ts', "import { ipcRenderer } from 'electron'; ipcRenderer.send('x')"]
  ])('%s refuses %s', async (file, code) => {
    expect(await refused(file, code)).toBe(true)
  })

  it.each([
    ['electron/main/index.ts', "import { ipcMain } from 'electron'; registerIpc({ ipcMain })"],
    ['electron/main/ipc.ts', "declare const ipcMain: any; ipcMain.handle('x', () => 1)"],
    ['electron/main/window.ts', "import { BrowserWindow } from 'electron'"],
    [
      'electron/preload/index.ts',
      "import { contextBridge, ipcRenderer } from 'electron'; bridge(ipcRenderer)"
    ],
    ['electron/preload/bridge.ts', "declare const ipcRenderer: any; ipcRenderer.invoke('x')"]
  ])('%s allows %s', async (file, code) => {
    expect(await refused(file, code)).toBe(false)
  })
})
