import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { API_METHOD_NAMES } from '../../shared/api.ts'

/**
 * The real app in a real Electron: launch the built out/ (args ['.'] → package.json#main), check the
 * bridge and the sandbox from inside the page, run the workshop demo through the real IPC, and
 * close cleanly. Electron's binary cannot be downloaded on our build machines, so this runs
 * wherever one exists (ELECTRON_EXEC_PATH, ELECTRON_OVERRIDE_DIST_PATH, or an installed
 * node_modules/electron/dist) and otherwise skips, saying why. Never resolve the binary through
 * require('electron'): that starts the download. Playwright is always given executablePath for
 * the same reason.
 */

const root = resolve(import.meta.dirname, '../..')

const EXECUTABLE_IN_DIST: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'electron',
  win32: 'electron.exe',
  darwin: 'Electron.app/Contents/MacOS/Electron'
}

type Found = { readonly executablePath: string } | { readonly skip: string }

function findElectron(): Found {
  const fromEnv = process.env['ELECTRON_EXEC_PATH']
  if (fromEnv) {
    return existsSync(fromEnv)
      ? { executablePath: fromEnv }
      : { skip: `ELECTRON_EXEC_PATH=${fromEnv} does not exist` }
  }
  // The same lookup as electron/index.js, without running it.
  const packageDir = join(root, 'node_modules', 'electron')
  const pathFile = join(packageDir, 'path.txt')
  const inDist = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : (EXECUTABLE_IN_DIST[process.platform] ?? 'electron')
  const dist = process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(packageDir, 'dist')
  const executablePath = join(dist, inDist)
  if (!existsSync(executablePath)) {
    return {
      skip:
        `no Electron binary at ${executablePath}: set ELECTRON_EXEC_PATH or ELECTRON_OVERRIDE_DIST_PATH, ` +
        'or run `npx install-electron --no` on a machine with internet access'
    }
  }
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return { skip: 'Electron found, but there is no display: run under `xvfb-run -a npx playwright test`' }
  }
  return { executablePath }
}

const found = findElectron()
if ('skip' in found) console.log(`electron-smoke: skipped: ${found.skip}`)

test.describe('Electron app smoke', () => {
  test.skip('skip' in found, 'skip' in found ? found.skip : '')

  test('launches, exposes exactly the contract, runs the demo, and closes cleanly', async () => {
    if (!('executablePath' in found)) return
    expect(
      existsSync(join(root, 'out/main/index.js')),
      'out/main/index.js is missing: run `npm run build`'
    ).toBe(true)

    const userData = mkdtempSync(join(tmpdir(), 'crawlboard-smoke-'))
    // The built renderer, never a dev server left over in the environment.
    const env: Record<string, string> = { NODE_ENV: 'test' }
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && key !== 'ELECTRON_RENDERER_URL' && key !== 'NODE_ENV') env[key] = value
    }
    const app = await electron.launch({
      executablePath: found.executablePath,
      args: ['.', `--user-data-dir=${userData}`],
      cwd: root,
      env,
      timeout: 60_000
    })
    try {
      const window = await app.firstWindow()
      await window.waitForLoadState('domcontentloaded')
      expect(window.url()).toMatch(/^file:.*\/out\/renderer\/index\.html/)

      // The page sees the bridge and nothing of Node.
      const surface = await window.evaluate(() => {
        const scope = globalThis as unknown as Record<string, unknown>
        return {
          crawler: Object.keys(scope['crawler'] ?? {}).sort(),
          menu: Object.keys(scope['crawlerMenu'] ?? {}),
          require: typeof scope['require'],
          process: typeof scope['process']
        }
      })
      expect(surface.crawler).toEqual([...API_METHOD_NAMES, 'onEvents'].sort())
      expect(surface.menu).toEqual(['onCommand'])
      expect(surface.require).toBe('undefined')
      expect(surface.process).toBe('undefined')

      // A demo run through the real IPC: subscribe, start, see a batch with results, stop.
      const run = await window.evaluate(async () => {
        type Bridge = {
          getAppInfo(): Promise<{ transport: string; version: string }>
          startDemoTarget(): Promise<{ urlsText: string }>
          startRun(request: { urlsText: string; config: object }): Promise<{ runId: string; total: number }>
          stopRun(runId: string): Promise<void>
          onEvents(listener: (batch: { runId: string; results: { id: number[] } }) => void): () => void
        }
        const api = (globalThis as unknown as { crawler: Bridge }).crawler
        const info = await api.getAppInfo()
        let results = 0
        const off = api.onEvents((batch) => {
          results += batch.results.id.length
        })
        const demo = await api.startDemoTarget()
        const started = await api.startRun({ urlsText: demo.urlsText, config: {} })
        const deadline = Date.now() + 30_000
        while (results === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100))
        await api.stopRun(started.runId)
        off()
        const refused = await api.startRun({ urlsText: 42, config: {} } as never).then(
          () => '',
          (error: unknown) => (error instanceof Error ? error.message : String(error))
        )
        return { info, total: started.total, results, refused }
      })
      expect(run.info.transport).toBe('electron')
      expect(run.total).toBeGreaterThan(0)
      expect(run.results).toBeGreaterThan(0)
      expect(run.refused).toMatch(/^BAD_REQUEST: /)

      // And the UI's own demo button, when the current renderer has one.
      const demoButton = window.getByRole('button', { name: /demo/i }).first()
      if (await demoButton.isVisible().catch(() => false)) await demoButton.click()
    } finally {
      // close() waits for the process to exit: before-quit holds it only until backend.close().
      await app.close()
      rmSync(userData, { recursive: true, force: true })
    }
    expect(app.process().exitCode ?? 0).toBe(0)
  })
})
