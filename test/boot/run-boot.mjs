// Boot test of the built app without the Electron binary (issue 3, "Tests"): runs the BUILT main
// bundle (out/main/index.js) under Node with 'electron' resolved to a recording fake, then checks
// the wiring unit tests cannot see — the window's web preferences, that the preload and renderer
// it points at exist in out/, that every contract channel is registered and answers, that the
// security handlers deny, that quitting waits for the backend. Run after `npm run build`.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules, registerHooks } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '../..')
const mainBundle = join(root, 'out/main/index.js')
const fakeUrl = pathToFileURL(join(import.meta.dirname, 'fake-electron.mjs')).href
const BOOT_TIMEOUT_MS = 10_000

if (!existsSync(mainBundle)) {
  console.error(`boot: FAIL: ${relative(root, mainBundle)} is missing; run \`npm run build\` first`)
  process.exit(1)
}
if (typeof registerHooks !== 'function') {
  console.error(
    `boot: FAIL: needs Node >= 22.15 for module.registerHooks (this is ${process.version}); use npm run boot`
  )
  process.exit(1)
}

// Every import of 'electron' (or 'electron/…') from here on gets the fake, never the real package.
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron' || specifier.startsWith('electron/'))
      return { url: fakeUrl, shortCircuit: true }
    return nextResolve(specifier, context)
  }
})

const { record, app, WebContents } = await import(fakeUrl)
const { API_METHOD_NAMES, channelOf, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL } = await import(
  pathToFileURL(join(root, 'shared/api.ts')).href
)
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

const results = []
function check(name, fn) {
  try {
    const detail = fn()
    results.push({ name, ok: true, detail })
  } catch (error) {
    results.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) })
  }
}
async function checkAsync(name, fn) {
  try {
    const detail = await fn()
    results.push({ name, ok: true, detail })
  } catch (error) {
    results.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) })
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message)
}
const sleep = (ms) => new Promise((done) => setTimeout(done, ms))
async function waitFor(predicate, what, timeoutMs = BOOT_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(10)
  }
}

// Static, before booting: the packaged app has only production dependencies in its asar, so every
// package the main bundle imports at runtime must be listed in "dependencies".
check('every package out/main imports is a production dependency', () => {
  const files = readdirSync(join(root, 'out/main'), { recursive: true }).filter((file) =>
    /\.(c|m)?js$/.test(file)
  )
  const imported = new Set()
  for (const file of files) {
    const source = readFileSync(join(root, 'out/main', file), 'utf8')
    const specifiers = source.matchAll(
      // A module specifier has no spaces, commas or parentheses; that keeps prose such as
      // "delete a run from" followed by a string from reading as an import.
      /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s*)["']([^"'\s,()]+)["']/gm
    )
    for (const [, specifier] of specifiers) {
      if (/^(\.|\/|node:)/.test(specifier) || builtinModules.includes(specifier) || specifier === 'electron')
        continue
      const parts = specifier.split('/')
      imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0])
    }
  }
  const missing = [...imported].filter((name) => !Object.hasOwn(manifest.dependencies ?? {}, name))
  assert(missing.length === 0, `imported but not in dependencies: ${missing.join(', ')}`)
  return [...imported].sort().join(', ')
})

// The app's own warnings (each denied navigation/permission logs one) are kept for a failure report.
const appLog = []
const originalConsole = { warn: console.warn, error: console.error }
for (const level of ['warn', 'error']) {
  console[level] = (...args) =>
    appLog.push(`${level}: ${args.map((arg) => (arg instanceof Error ? arg.stack : String(arg))).join(' ')}`)
}

delete process.env.ELECTRON_RENDERER_URL
let booted = false
try {
  await import(pathToFileURL(mainBundle).href)
  await waitFor(
    () => record.windows.length > 0 && record.windows[0].shown,
    'the main window to load and show'
  )
  booted = true
} catch (error) {
  results.push({
    name: 'main bundle boots',
    ok: false,
    detail: error instanceof Error ? error.stack : String(error)
  })
}
if (record.errorBoxes.length > 0) {
  results.push({ name: 'no startup error box', ok: false, detail: JSON.stringify(record.errorBoxes) })
}

if (booted) {
  const window = record.windows[0]
  const prefs = window.options.webPreferences ?? {}
  const outDir = join(root, 'out')
  const appFrame = () => ({ url: pathToFileURL(window.loads[0].path).href })
  const invoke = (channel, frame, ...args) => {
    const handler = record.handlers.get(channel)
    if (!handler) return Promise.reject(new Error(`no handler for ${channel}`))
    return Promise.resolve().then(() => handler({ sender: window.webContents, senderFrame: frame }, ...args))
  }

  check('one main window is created', () => {
    assert(record.windows.length === 1, `${record.windows.length} windows`)
    return `${window.options.width}×${window.options.height}, min ${window.options.minWidth}×${window.options.minHeight}`
  })
  check('window size: 1280×800 default, 1024×640 minimum', () => {
    const { width, height, minWidth, minHeight } = window.options
    assert(width === 1280 && height === 800, `got ${width}×${height}`)
    assert(minWidth === 1024 && minHeight === 640, `got min ${minWidth}×${minHeight}`)
  })
  check('secure web preferences', () => {
    const expected = { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true }
    for (const [key, value] of Object.entries(expected)) {
      assert(prefs[key] === value, `${key} is ${String(prefs[key])}, expected ${value}`)
    }
    assert(prefs.webviewTag !== true, 'webviewTag is on')
    assert(prefs.devTools === false, `devTools is ${String(prefs.devTools)} in a packaged app`)
    return Object.entries(expected)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ')
  })
  check('the preload exists in out/ and is one sandbox-safe CommonJS file', () => {
    assert(
      typeof prefs.preload === 'string' && isAbsolute(prefs.preload),
      `preload is ${String(prefs.preload)}`
    )
    assert(existsSync(prefs.preload), `${prefs.preload} does not exist`)
    assert(
      relative(outDir, prefs.preload) === join('preload', 'index.cjs'),
      `unexpected preload ${prefs.preload}`
    )
    const source = readFileSync(prefs.preload, 'utf8')
    const requires = [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])
    assert(
      !/^\s*(import|export)\s/m.test(source),
      'the preload has ESM syntax; sandboxed preloads must be CommonJS'
    )
    assert(
      requires.length > 0 && requires.every((name) => name === 'electron'),
      `the preload requires ${JSON.stringify(requires)}; a sandboxed preload may only require 'electron'`
    )
    return `${relative(root, prefs.preload)} (${source.length} bytes, requires only 'electron')`
  })
  check('the renderer it loads exists in out/ and carries the CSP', () => {
    assert(window.loads.length === 1, `loads: ${JSON.stringify(window.loads)}`)
    const [load] = window.loads
    assert(load.kind === 'file', `loaded a URL (${load.url}) in a packaged app`)
    assert(relative(outDir, load.path) === join('renderer', 'index.html'), `unexpected renderer ${load.path}`)
    assert(existsSync(load.path), `${load.path} does not exist`)
    const html = readFileSync(load.path, 'utf8')
    assert(/http-equiv="Content-Security-Policy"/.test(html), 'no Content-Security-Policy meta tag')
    for (const script of html.matchAll(/<script[^>]*src="([^"]+)"/g)) {
      assert(existsSync(join(dirname(load.path), script[1])), `script ${script[1]} is missing`)
    }
    return relative(root, load.path)
  })
  check('every contract channel is registered with ipcMain.handle', () => {
    const expected = [...API_METHOD_NAMES.map(channelOf), SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL]
    const missing = expected.filter((channel) => !record.handlers.has(channel))
    const extra = [...record.handlers.keys()].filter((channel) => !expected.includes(channel))
    assert(missing.length === 0, `missing: ${missing.join(', ')}`)
    assert(extra.length === 0, `not in the contract: ${extra.join(', ')}`)
    assert(
      record.rawListeners.length === 0,
      `raw ipcMain.on listeners: ${record.rawListeners.map((l) => l.channel)}`
    )
    return `${expected.length} channels`
  })
  check('permission requests and checks are denied', () => {
    assert(typeof record.permissionRequestHandler === 'function', 'no permission request handler')
    assert(typeof record.permissionCheckHandler === 'function', 'no permission check handler')
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      let granted
      record.permissionRequestHandler(window.webContents, permission, (value) => (granted = value), {})
      assert(granted === false, `request for ${permission} answered ${String(granted)}`)
      assert(
        record.permissionCheckHandler(window.webContents, permission, 'file://', {}) === false,
        `check ${permission}`
      )
    }
  })
  check('new windows are denied (setWindowOpenHandler)', () => {
    assert(typeof window.webContents.windowOpenHandler === 'function', 'no window open handler')
    const answer = window.webContents.windowOpenHandler({ url: 'https://example.com/' })
    assert(answer?.action === 'deny', `answered ${JSON.stringify(answer)}`)
  })
  check('navigation away from the app is denied, the app itself allowed', () => {
    const contents = window.webContents
    assert(contents.navigate('will-navigate', 'https://example.com/'), 'will-navigate to https not prevented')
    assert(
      contents.navigate('will-navigate', 'file:///etc/passwd'),
      'will-navigate to another file not prevented'
    )
    assert(contents.navigate('will-redirect', 'https://example.com/'), 'will-redirect not prevented')
    assert(
      !contents.navigate('will-navigate', `${appFrame().url}#/history`),
      'the app URL itself was prevented'
    )
  })
  check('any other webContents is hardened too (web-contents-created)', () => {
    const other = new WebContents()
    app.emit('web-contents-created', { preventDefault() {} }, other)
    assert(typeof other.windowOpenHandler === 'function', 'no window open handler on a new webContents')
    assert(other.navigate('will-navigate', 'https://example.com/'), 'navigation not prevented')
  })
  check('the application menu is set, without devtools or reload when packaged', () => {
    const template = record.applicationMenu?.template
    assert(Array.isArray(template), 'no application menu')
    const labels = template.map((item) => item.label ?? item.role)
    for (const label of ['File', 'Edit', 'Run', 'View']) assert(labels.includes(label), `no ${label} menu`)
    const roles = JSON.stringify(template)
    assert(
      !roles.includes('toggleDevTools') && !roles.includes('"reload"'),
      'devtools/reload in a packaged app'
    )
    return labels.join(' · ')
  })

  check('a menu command reaches the renderer (File → New Run)', () => {
    const find = (items) =>
      items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? find(item.submenu) : [])])
    const item = find(record.applicationMenu.template).find((entry) => entry.label === 'New Run')
    assert(item && typeof item.click === 'function', 'no clickable New Run item')
    const before = window.webContents.sent.length
    item.click()
    const sent = window.webContents.sent.slice(before)
    assert(
      sent.length === 1 && sent[0].channel === 'crawler:menu' && sent[0].args[0] === 'new-run',
      `sent ${JSON.stringify(sent)}`
    )
    return `${item.accelerator} → crawler:menu new-run`
  })

  await checkAsync('a trusted call reaches the backend (getAppInfo)', async () => {
    const info = await invoke(channelOf('getAppInfo'), appFrame())
    assert(info?.version === manifest.version, `version ${info?.version}, expected ${manifest.version}`)
    assert(info?.transport === 'electron', `transport ${info?.transport}`)
    return JSON.stringify(info)
  })
  await checkAsync('a call from a foreign frame is refused', async () => {
    const error = await invoke(channelOf('listRuns'), { url: 'https://evil.example/' }).then(
      () => null,
      (e) => e
    )
    assert(error instanceof Error, 'the call was answered')
    assert(/Refused: IPC from an untrusted frame/.test(error.message), error.message)
    return error.message
  })
  await checkAsync('a bad payload is refused with a clear error', async () => {
    const error = await invoke(channelOf('pauseRun'), appFrame(), 42).then(
      () => null,
      (e) => e
    )
    assert(error instanceof Error, 'the call was answered')
    assert(/^BAD_REQUEST: pauseRun argument 1/.test(error.message), error.message)
    return error.message
  })
  await checkAsync('runs are recorded in the run database in userData', async () => {
    const status = await invoke(channelOf('getStoreStatus'), appFrame())
    const expected = join(record.userData, 'crawlboard.db')
    assert(status?.kind === 'ok', `store status ${JSON.stringify(status)}`)
    assert(status.path === expected, `database at ${status.path}, expected ${expected}`)
    assert(existsSync(expected), `${expected} was not created`)
    const runs = await invoke(channelOf('listRuns'), appFrame())
    assert(Array.isArray(runs) && runs.length === 0, `runs ${JSON.stringify(runs)}`)
    return expected
  })
  await checkAsync('subscribe and unsubscribe answer', async () => {
    await invoke(SUBSCRIBE_CHANNEL, appFrame())
    await invoke(UNSUBSCRIBE_CHANNEL, appFrame())
  })
  check('the window state is saved to userData on close', () => {
    window.emit('close', { preventDefault() {} })
    const file = join(record.userData, 'window-state.json')
    assert(existsSync(file), `${file} was not written`)
    const state = JSON.parse(readFileSync(file, 'utf8'))
    assert(state.width === 1280 && state.height === 800, `saved ${JSON.stringify(state)}`)
    return JSON.stringify(state)
  })
  await checkAsync(
    'SIGTERM quits as the menu does: it waits for backend.close(), then exits 143',
    async () => {
      // The signal's handler asks the app to quit; the quit is held until the backend has closed
      // (runs interrupted, resumable, the signal as the reason), then the process exits as shells expect.
      process.emit('SIGTERM')
      assert(record.quitRequests >= 1, 'SIGTERM did not ask the app to quit')
      assert(
        record.exitCode === undefined && !record.quitCompleted,
        'quit went through without waiting for the backend'
      )
      await waitFor(() => record.exitCode !== undefined, 'the exit after backend.close()', 7_000)
      assert(record.exitCode === 143, `exit code ${record.exitCode}, expected 143`)
      return `${record.quitRequests} quit requests, exit ${record.exitCode}`
    }
  )
}

Object.assign(console, originalConsole)
rmSync(record.userData, { recursive: true, force: true })
const failed = results.filter((result) => !result.ok)
if (failed.length > 0 && appLog.length > 0) console.log(`boot: the app logged:\n  ${appLog.join('\n  ')}`)
for (const result of results) {
  const detail = result.detail === undefined ? '' : `: ${result.detail}`
  console.log(`boot: ${result.ok ? 'PASS' : 'FAIL'} ${result.name}${detail}`)
}
console.log(
  failed.length === 0
    ? `boot: PASS (${results.length} checks on ${relative(root, mainBundle)})`
    : `boot: FAIL (${failed.length} of ${results.length} checks failed)`
)
process.exit(failed.length === 0 ? 0 : 1)
