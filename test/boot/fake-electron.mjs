// A recording stand-in for the 'electron' module, for booting the built main bundle under plain
// Node (run-boot.mjs resolves the specifier 'electron' here). It imitates just enough of Electron's
// behaviour for main to start — whenReady resolves at once, a BrowserWindow's webContents fires
// app 'web-contents-created' during construction as in Electron, loadFile resolves and emits
// ready-to-show — and records everything main asks of it for the boot test's assertions.
// It never touches the real 'electron' package, whose index.js would download the binary.
import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const userData = mkdtempSync(join(tmpdir(), 'crawlboard-boot-'))
const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'))

export const record = {
  userData,
  windows: [],
  /** Every webContents announced through app 'web-contents-created'. */
  createdContents: [],
  handlers: new Map(),
  /** Raw ipcMain.on / once listeners: main should have none (everything goes through handle). */
  rawListeners: [],
  menus: [],
  applicationMenu: undefined,
  permissionRequestHandler: undefined,
  permissionCheckHandler: undefined,
  quitRequests: 0,
  quitCompleted: false,
  exitCode: undefined,
  errorBoxes: [],
  messageBoxes: []
}

let nextContentsId = 1

class FakeEvent {
  defaultPrevented = false
  preventDefault() {
    this.defaultPrevented = true
  }
}

class WebContents extends EventEmitter {
  constructor() {
    super()
    this.id = nextContentsId++
    this.sent = []
    this.windowOpenHandler = undefined
    this.destroyed = false
  }
  send(channel, ...args) {
    if (this.destroyed) throw new Error('Object has been destroyed')
    this.sent.push({ channel, args })
  }
  isDestroyed() {
    return this.destroyed
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler
  }
  destroy() {
    this.destroyed = true
    this.emit('destroyed')
  }
  /** Emits a navigation-like event as Electron does; returns whether main prevented it. */
  navigate(event, url) {
    const details = Object.assign(new FakeEvent(), { url })
    this.emit(event, details, url)
    return details.defaultPrevented
  }
}

class AppFake extends EventEmitter {
  name = manifest.productName ?? manifest.name
  isPackaged = process.env.BOOT_PACKAGED !== '0'
  whenReady() {
    return Promise.resolve()
  }
  isReady() {
    return true
  }
  getPath(name) {
    if (name === 'userData' || name === 'appData' || name === 'temp' || name === 'logs') return userData
    return join(userData, name)
  }
  getAppPath() {
    return process.cwd()
  }
  getVersion() {
    return manifest.version
  }
  requestSingleInstanceLock() {
    return true
  }
  setAboutPanelOptions() {}
  quit() {
    record.quitRequests++
    const event = new FakeEvent()
    this.emit('before-quit', event)
    if (event.defaultPrevented) return
    record.quitCompleted = true
    this.emit('will-quit', new FakeEvent())
    this.emit('quit', new FakeEvent(), 0)
  }
  exit(code = 0) {
    record.exitCode = code
  }
}

export const app = new AppFake()

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return record.windows.filter((window) => !window.destroyed)
  }
  static getFocusedWindow() {
    return null
  }
  constructor(options = {}) {
    super()
    this.options = options
    this.loads = []
    this.shown = false
    this.destroyed = false
    this.webContents = new WebContents()
    record.windows.push(this)
    app.emit('web-contents-created', new FakeEvent(), this.webContents)
  }
  loadFile(path) {
    this.loads.push({ kind: 'file', path })
    setImmediate(() => this.emit('ready-to-show'))
    return Promise.resolve()
  }
  loadURL(url) {
    this.loads.push({ kind: 'url', url })
    setImmediate(() => this.emit('ready-to-show'))
    return Promise.resolve()
  }
  show() {
    this.shown = true
  }
  maximize() {}
  isMaximized() {
    return false
  }
  isMinimized() {
    return false
  }
  restore() {}
  focus() {}
  getNormalBounds() {
    return {
      x: this.options.x ?? 100,
      y: this.options.y ?? 80,
      width: this.options.width,
      height: this.options.height
    }
  }
}

export const ipcMain = {
  handle(channel, listener) {
    // Electron throws on a second handler for a channel; so does the fake.
    if (record.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    record.handlers.set(channel, listener)
  },
  handleOnce(channel, listener) {
    this.handle(channel, listener)
  },
  removeHandler(channel) {
    record.handlers.delete(channel)
  },
  on(channel, listener) {
    record.rawListeners.push({ channel, listener })
    return this
  },
  once(channel, listener) {
    return this.on(channel, listener)
  },
  removeListener() {
    return this
  },
  removeAllListeners() {
    return this
  }
}

export const Menu = {
  buildFromTemplate(template) {
    const menu = { template }
    record.menus.push(menu)
    return menu
  },
  setApplicationMenu(menu) {
    record.applicationMenu = menu
  },
  getApplicationMenu() {
    return record.applicationMenu ?? null
  }
}

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      record.permissionRequestHandler = handler
    },
    setPermissionCheckHandler(handler) {
      record.permissionCheckHandler = handler
    },
    setDevicePermissionHandler() {},
    webRequest: { onHeadersReceived() {}, onBeforeRequest() {} },
    on() {}
  }
}

const workArea = { x: 0, y: 0, width: 1920, height: 1040 }
export const screen = {
  getAllDisplays: () => [{ id: 1, bounds: { ...workArea, height: 1080 }, workArea, scaleFactor: 1 }],
  getPrimaryDisplay: () => screen.getAllDisplays()[0]
}

export const nativeTheme = Object.assign(new EventEmitter(), {
  shouldUseDarkColors: false,
  themeSource: 'system'
})

export const dialog = {
  showErrorBox(title, content) {
    record.errorBoxes.push({ title, content })
  },
  showMessageBox(...args) {
    record.messageBoxes.push(args)
    return Promise.resolve({ response: 0, checkboxChecked: false })
  }
}

export const shell = {
  openExternal(url) {
    throw new Error(`boot: main must not open external URLs (${url})`)
  }
}

export { WebContents }

export default { app, BrowserWindow, ipcMain, Menu, session, screen, nativeTheme, dialog, shell }
