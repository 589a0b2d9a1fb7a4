import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { createCrawlerBackend, type CrawlerBackend } from '../../electron/main/service/index.ts'
import { startBrowserHost } from '../../electron/server/browser-host.ts'

/**
 * Each test gets its own app: a fresh data folder, the real backend (engine, demo target) and the
 * browser host serving the built renderer, on a free loopback port.
 */
export interface AppUnderTest {
  readonly url: string
  readonly backend: CrawlerBackend
  readonly dataDir: string
}

export const SCREENSHOT_DIR = join('test-results', 'screens')

export const test = base.extend<{ app: AppUnderTest }>({
  app: async ({ page: _page }, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'crawlboard-e2e-'))
    const backend = createCrawlerBackend({ dataDir, version: '0.1.0-e2e', transport: 'browser' })
    const host = await startBrowserHost({ rendererDir: join('out', 'renderer'), backend, downloads: backend })
    try {
      await use({ url: host.url, backend, dataDir })
    } finally {
      await host.close()
      await backend.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
})

export { expect }

/** Saves a screenshot as a test artifact (test-results/screens/NAME.png). */
export async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}
