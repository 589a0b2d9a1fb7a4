import { readFile } from 'node:fs/promises'
import type { CrawlerMenuApi, MenuCommand } from '../../shared/menu.ts'
import { expect, shot, test } from './fixtures.ts'
import { AppShell, DashboardPage } from './pages.ts'

declare global {
  interface Window {
    crawlerMenu?: CrawlerMenuApi
    /** Sends a menu command as Electron's menu would (set up by the test's stand-in bridge). */
    sendMenuCommand?: (command: MenuCommand) => void
  }
}

test('the open run exports from the dashboard, the results page and the Export menu command', async ({
  page,
  app
}) => {
  // The browser host has no native menu: a stand-in bridge lets the test send its commands.
  await page.addInitScript(() => {
    let listener: ((command: MenuCommand) => void) | null = null
    window.crawlerMenu = {
      onCommand(cb) {
        listener = cb
        return () => {
          listener = null
        }
      }
    }
    window.sendMenuCommand = (command) => listener?.(command)
  })
  const { urlsText } = await app.backend.startDemoTarget()
  const started = await app.backend.startRun({
    urlsText: urlsText.split('\n').slice(0, 30).join('\n'),
    config: {},
    name: 'Export me'
  })
  await expect
    .poll(async () => (await app.backend.getSnapshot(started.runId))?.status.kind, { timeout: 30_000 })
    .toBe('completed')
  await page.goto(app.url)
  const shell = new AppShell(page)
  await shell.go('Dashboard')
  const dashboard = new DashboardPage(page)
  await expect(dashboard.main.getByRole('heading', { name: 'Export me' })).toBeVisible()

  const ndjson = page.waitForEvent('download')
  await dashboard.main.getByRole('button', { name: 'Export', exact: true }).click()
  await page.getByRole('menu', { name: 'Export' }).getByRole('menuitem', { name: 'NDJSON' }).click()
  const lines = (await readFile(await (await ndjson).path(), 'utf8')).split('\n').filter((l) => l !== '')
  expect(lines).toHaveLength(30)
  expect(JSON.parse(lines[0]!)).toHaveProperty('url')

  await shell.go('Results')
  const results = page.getByRole('main', { name: 'Results' })
  await expect(results.getByRole('heading', { name: /Export me/ })).toBeVisible()
  const json = page.waitForEvent('download')
  // From the keyboard: ↓ opens the menu on its first item; End goes to the last.
  await results.getByRole('button', { name: 'Export', exact: true }).focus()
  await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('menuitem', { name: 'CSV' })).toBeFocused()
  // The viewport only: a full-page capture resizes the page, and a moved menu button closes its menu.
  await shot(page, 'results-export-menu', { fullPage: false })
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('menuitem', { name: 'JSON', exact: true })).toBeFocused()
  await page.keyboard.press('Enter')
  const document = JSON.parse(await readFile(await (await json).path(), 'utf8')) as { results: unknown[] }
  expect(document.results).toHaveLength(30)

  // Export from the menu asks which format, then delivers the same way.
  await page.evaluate(() => {
    window.sendMenuCommand?.('export')
  })
  const dialog = page.getByRole('dialog', { name: 'Export the run' })
  await expect(dialog).toContainText('Export me')
  await dialog.getByRole('radio', { name: /HTML report/ }).check()
  await shot(page, 'export-format-dialog')
  const html = page.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Export', exact: true }).click()
  expect((await html).suggestedFilename()).toMatch(/\.html$/)
  await expect(dialog).toBeHidden()
})
