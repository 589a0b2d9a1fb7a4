import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/**
 * Raw IPC is bound in two modules only (electron/main/ipc.ts, electron/preload/bridge.ts); the
 * entry files may import ipcMain/ipcRenderer solely to inject them. Checked against the real lint
 * config, as desktop/desktop fences its IPC.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-syntax'
})

async function refused(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).some(
    (m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax'
  )
}

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
