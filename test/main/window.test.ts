import { describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_WINDOW_SIZE,
  MIN_WINDOW_SIZE,
  mainWindowOptions,
  showAndLoad,
  type MainWindowLike
} from '../../electron/main/window.ts'

const preload = '/app/out/preload/index.cjs'

describe('mainWindowOptions', () => {
  it('applies the security checklist', () => {
    const options = mainWindowOptions({ preload, state: null, isDev: false, dark: false })
    expect(options.webPreferences).toMatchObject({
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false
    })
    expect(options.show).toBe(false)
  })

  it('allows devtools in development only', () => {
    expect(
      mainWindowOptions({ preload, state: null, isDev: true, dark: false }).webPreferences?.devTools
    ).toBe(true)
  })

  it('opens at the default size, centred, without a saved state', () => {
    const options = mainWindowOptions({ preload, state: null, isDev: false, dark: true })
    expect(options).toMatchObject({ ...DEFAULT_WINDOW_SIZE, minWidth: 1024, minHeight: 640 })
    expect(options).not.toHaveProperty('x')
    expect(options.backgroundColor).not.toBe(
      mainWindowOptions({ preload, state: null, isDev: false, dark: false }).backgroundColor
    )
  })

  it('restores a saved geometry, never below the minimum size', () => {
    const restored = mainWindowOptions({
      preload,
      state: { x: 40, y: 50, width: 1500, height: 950, maximized: false },
      isDev: false,
      dark: false
    })
    expect(restored).toMatchObject({ x: 40, y: 50, width: 1500, height: 950 })
    const tiny = mainWindowOptions({
      preload,
      state: { width: 300, height: 200, maximized: false },
      isDev: false,
      dark: false
    })
    expect(tiny).toMatchObject(MIN_WINDOW_SIZE)
    expect(tiny).not.toHaveProperty('x')
  })
})

describe('showAndLoad', () => {
  function fakeWindow(load: () => Promise<void> = () => Promise.resolve()) {
    let ready: (() => void) | undefined
    const calls: string[] = []
    const window: MainWindowLike = {
      once: (_event, listener) => {
        ready = listener
      },
      show: () => calls.push('show'),
      maximize: () => calls.push('maximize'),
      loadFile: (path) => {
        calls.push(`loadFile ${path}`)
        return load()
      },
      loadURL: (url) => {
        calls.push(`loadURL ${url}`)
        return load()
      }
    }
    return { window, calls, ready: () => ready?.() }
  }

  it('loads the built file and shows on ready-to-show, maximized if it was', async () => {
    const fake = fakeWindow()
    await showAndLoad(fake.window, { kind: 'file', path: '/app/out/renderer/index.html' }, true)
    expect(fake.calls).toEqual(['loadFile /app/out/renderer/index.html'])
    fake.ready()
    expect(fake.calls).toEqual(['loadFile /app/out/renderer/index.html', 'maximize', 'show'])
  })

  it('loads the dev server URL in development', async () => {
    const fake = fakeWindow()
    await showAndLoad(fake.window, { kind: 'url', url: 'http://localhost:5173' }, false)
    fake.ready()
    expect(fake.calls).toEqual(['loadURL http://localhost:5173', 'show'])
  })

  it('logs a failed load instead of leaving an unhandled rejection', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const fake = fakeWindow(() => Promise.reject(new Error('ERR_FILE_NOT_FOUND (-6)')))
    await showAndLoad(fake.window, { kind: 'file', path: '/missing.html' }, false)
    expect(error).toHaveBeenCalledOnce()
    error.mockRestore()
  })
})
