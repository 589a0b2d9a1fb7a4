import type { BrowserWindowConstructorOptions } from 'electron'
import type { RendererTarget } from './app-paths.ts'
import type { WindowState } from './window-state.ts'

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const
export const MIN_WINDOW_SIZE = { width: 1024, height: 640 } as const

/** Matches the renderer's page background so the window does not flash white before paint. */
const BACKGROUND = { dark: '#111318', light: '#ffffff' } as const

/**
 * The main window's options: the remembered geometry (already fitted to the displays) and the
 * security checklist's web preferences, every one set explicitly even where it is the default.
 */
export function mainWindowOptions(options: {
  readonly preload: string
  readonly state: WindowState | null
  readonly isDev: boolean
  readonly dark: boolean
}): BrowserWindowConstructorOptions {
  const { state } = options
  const position = state?.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}
  return {
    width: Math.max(state?.width ?? DEFAULT_WINDOW_SIZE.width, MIN_WINDOW_SIZE.width),
    height: Math.max(state?.height ?? DEFAULT_WINDOW_SIZE.height, MIN_WINDOW_SIZE.height),
    ...position,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    // Shown on ready-to-show, after the first paint.
    show: false,
    title: 'Crawlboard',
    backgroundColor: options.dark ? BACKGROUND.dark : BACKGROUND.light,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A file dropped outside the import area must not replace the app with the file.
      navigateOnDragDrop: false,
      // URL lists are not prose, and the spellchecker fetches dictionaries from Google's CDN,
      // which workshops run without.
      spellcheck: false,
      devTools: options.isDev,
      safeDialogs: true
    }
  }
}

export interface MainWindowLike {
  once(event: 'ready-to-show', listener: () => void): unknown
  show(): void
  maximize(): void
  loadFile(path: string): Promise<void>
  loadURL(url: string): Promise<void>
}

/** Loads the renderer and shows the window once it has painted (maximized if it was). */
export async function showAndLoad(
  window: MainWindowLike,
  target: RendererTarget,
  maximized: boolean
): Promise<void> {
  window.once('ready-to-show', () => {
    if (maximized) window.maximize()
    window.show()
  })
  try {
    if (target.kind === 'file') await window.loadFile(target.path)
    else await window.loadURL(target.url)
  } catch (error) {
    console.error(
      `window: could not load the renderer from ${target.kind === 'file' ? target.path : target.url}`,
      error
    )
  }
}
