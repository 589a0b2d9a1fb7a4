import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { createCrawlerBackend, type CrawlerBackend } from '../../electron/core/api/index.ts'
import { startBrowserHost } from '../../electron/server/browser-host.ts'

/**
 * Each test gets its own app: a fresh data folder, the real backend (engine, demo target) and the
 * browser host serving the built renderer, on a free loopback port.
 */
export interface AppUnderTest {
  /** The current host's address (a restart serves on a new port). */
  readonly url: string
  readonly backend: CrawlerBackend
  readonly dataDir: string
  /**
   * Closes the host and backend (as quitting the app does, mid-run or not) and opens new ones on
   * the same data folder; `prepare` runs in between, while nothing has the folder open.
   */
  restart(prepare?: (dataDir: string) => Promise<void>): Promise<void>
}

export const SCREENSHOT_DIR = join('test-results', 'screens')

interface Running {
  readonly backend: CrawlerBackend
  readonly host: Awaited<ReturnType<typeof startBrowserHost>>
}

async function openApp(dataDir: string): Promise<Running> {
  const backend = createCrawlerBackend({ dataDir, version: '0.1.0-e2e', transport: 'browser' })
  const host = await startBrowserHost({ rendererDir: join('out', 'renderer'), backend, downloads: backend })
  return { backend, host }
}

async function closeApp(app: Running): Promise<void> {
  await app.host.close()
  await app.backend.close()
}

export const test = base.extend<{ app: AppUnderTest }>({
  app: async ({ page: _page }, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'crawlboard-e2e-'))
    let current = await openApp(dataDir)
    try {
      await use({
        get url() {
          return current.host.url
        },
        get backend() {
          return current.backend
        },
        dataDir,
        async restart(prepare) {
          await closeApp(current)
          await prepare?.(dataDir)
          current = await openApp(dataDir)
        }
      })
    } finally {
      await closeApp(current)
      await rm(dataDir, { recursive: true, force: true })
    }
  }
})

export { expect }

/** Saves a screenshot as a test artifact (test-results/screens/NAME.png). */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: opts.fullPage ?? true })
}
