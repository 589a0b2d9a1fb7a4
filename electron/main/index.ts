import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, screen, session } from 'electron'
import type { MenuCommand } from '../../shared/menu.ts'
import { appPaths, isAppUrl, rendererTarget } from './app-paths.ts'
import { registerIpc, sendMenuCommand } from './ipc.ts'
import { menuTemplate } from './menu.ts'
import { guardAllWebContents, hardenSession, hardenWebContents } from './security.ts'
import {
  createApiDispatcher,
  createCrawlerBackend,
  onStopSignals,
  SIGNAL_EXIT_CODES,
  SIGNAL_REASONS,
  toWireError,
  type CrawlerBackend,
  type StopSignal
} from '../core/index.ts'
import { mainWindowOptions, showAndLoad } from './window.ts'
import {
  fitToDisplays,
  loadWindowState,
  saveWindowState,
  trackWindowState,
  WINDOW_STATE_FILE
} from './window-state.ts'

/**
 * The Electron shell: one window, the IPC binding to the backend, the menu, and an orderly quit.
 * Everything with logic lives in the small modules imported above (unit-tested with fakes); this
 * file only wires Electron's objects into them, and test/boot/run-boot.mjs runs its build output
 * against a recording stand-in for 'electron'.
 */

/** backend.close() cancels runs and flushes; a stuck socket must still not keep the app alive. */
const QUIT_TIMEOUT_MS = 5_000

const paths = appPaths(import.meta.dirname)
const target = rendererTarget({
  rendererIndex: paths.rendererIndex,
  devUrl: process.env['ELECTRON_RENDERER_URL'],
  isPackaged: app.isPackaged
})
const isTrustedUrl = isAppUrl(target)
const isDev = !app.isPackaged
const isMac = process.platform === 'darwin'

let mainWindow: BrowserWindow | null = null
/** Set when SIGINT or SIGTERM asked the app to quit (a terminal's Ctrl-C, the session ending). */
let signalled: StopSignal | null = null

async function openMainWindow(): Promise<BrowserWindow> {
  const stateFile = join(app.getPath('userData'), WINDOW_STATE_FILE)
  const saved = await loadWindowState(stateFile)
  const workAreas = screen.getAllDisplays().map((display) => display.workArea)
  const state = saved === null ? null : fitToDisplays(saved, workAreas)
  const window = new BrowserWindow(
    mainWindowOptions({ preload: paths.preload, state, isDev, dark: nativeTheme.shouldUseDarkColors })
  )
  hardenWebContents(window.webContents, isTrustedUrl)
  trackWindowState(window, (next) => {
    saveWindowState(stateFile, next)
  })
  window.webContents.on('render-process-gone', (_event, details) => {
    console.error(`renderer gone: ${details.reason} (exit code ${details.exitCode})`)
  })
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  mainWindow = window
  void showAndLoad(window, target, state?.maximized ?? false)
  return window
}

function sendToFocusedWindow(command: MenuCommand): void {
  sendMenuCommand((BrowserWindow.getFocusedWindow() ?? mainWindow)?.webContents, command)
}

function showAbout(): void {
  const options = {
    type: 'info' as const,
    title: `About ${app.name}`,
    message: `${app.name} ${app.getVersion()}`,
    detail: `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    buttons: ['OK']
  }
  const parent = BrowserWindow.getFocusedWindow()
  void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options))
}

/** Holds the quit until the backend has closed (or the timeout passed), then quits for real. */
function closeBackendBeforeQuit(backend: CrawlerBackend): void {
  let phase: 'running' | 'closing' | 'closed' = 'running'
  app.on('before-quit', (event) => {
    if (phase === 'closed') return
    event.preventDefault()
    if (phase === 'closing') return
    phase = 'closing'
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.warn(`quit: backend did not close within ${QUIT_TIMEOUT_MS} ms; quitting anyway`)
        resolve()
      }, QUIT_TIMEOUT_MS)
    })
    // A signal ends runs as quitting does (interrupted, resumable), naming the signal as the reason.
    Promise.race([backend.close(signalled === null ? undefined : SIGNAL_REASONS[signalled]), timeout])
      .catch((error: unknown) => {
        console.error('quit: closing the backend failed', error)
      })
      .finally(() => {
        clearTimeout(timer)
        phase = 'closed'
        if (signalled === null) app.quit()
        else app.exit(SIGNAL_EXIT_CODES[signalled])
      })
  })
}

/** The native save dialog for exports, starting in Downloads with the suggested name. */
async function chooseExportPath(suggestedName: string): Promise<string | null> {
  const options = { defaultPath: join(app.getPath('downloads'), suggestedName) }
  const result = mainWindow
    ? await dialog.showSaveDialog(mainWindow, options)
    : await dialog.showSaveDialog(options)
  return result.canceled || !result.filePath ? null : result.filePath
}

async function start(): Promise<void> {
  await app.whenReady()
  hardenSession(session.defaultSession)

  const backend = createCrawlerBackend({
    dataDir: app.getPath('userData'),
    version: app.getVersion(),
    platform: process.platform,
    transport: 'electron',
    chooseSavePath: chooseExportPath
  })
  closeBackendBeforeQuit(backend)
  onStopSignals((signal) => {
    // A second signal does not wait for the runs to be saved.
    if (signalled !== null) app.exit(SIGNAL_EXIT_CODES[signal])
    signalled = signal
    app.quit()
  })
  // Before the window exists, so the renderer's first call finds its handler.
  registerIpc({
    ipcMain,
    dispatch: createApiDispatcher(backend),
    backend,
    isTrustedSender: (frame) => frame !== null && isTrustedUrl(frame.url),
    toWireError
  })
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({ isMac, isDev, appName: app.name, send: sendToFocusedWindow, showAbout })
    )
  )
  await openMainWindow()

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length > 0) return
    openMainWindow().catch((error: unknown) => {
      console.error('could not reopen the window', error)
    })
  })
}

// One instance: a second launch focuses the first instead of running a second engine on the
// same data directory.
if (app.requestSingleInstanceLock()) {
  guardAllWebContents(app, isTrustedUrl)
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => {
    if (!isMac) app.quit()
  })
  start().catch((error: unknown) => {
    console.error('Crawlboard could not start', error)
    dialog.showErrorBox('Crawlboard could not start', error instanceof Error ? error.message : String(error))
    app.exit(1)
  })
} else {
  app.quit()
}
