import { randomBytes } from 'node:crypto'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, shot, test } from './fixtures.ts'
import { AppShell, HistoryPage } from './pages.ts'

const DB_FILE = 'crawlboard.db'

test('a damaged run database is reported on every view; a fresh one replaces it and the old file is kept', async ({
  page,
  app
}) => {
  // The app was closed; meanwhile the database file was overwritten with noise.
  const noise = randomBytes(64 * 1024)
  await app.restart(async (dataDir) => {
    const path = join(dataDir, DB_FILE)
    await Promise.all([path, `${path}-wal`, `${path}-shm`].map((p) => rm(p, { force: true })))
    await writeFile(path, noise)
  })
  await page.goto(app.url)
  const shell = new AppShell(page)
  const banner = shell.storeAlert
  await expect(banner).toContainText(`The run database at ${join(app.dataDir, DB_FILE)} could not be opened`)
  await expect(banner).toContainText('Runs are kept in memory only until a fresh database is started')
  await shell.go('History')
  await expect(banner).toBeVisible()
  await shot(page, 'store-unavailable-banner')
  // The file was not touched.
  expect(Buffer.compare(await readFile(join(app.dataDir, DB_FILE)), noise)).toBe(0)

  await banner.getByRole('button', { name: 'Start a fresh database (keep the old file)' }).click()
  await expect(banner).toBeHidden()
  const replaced = page.getByRole('status').filter({ hasText: 'The old database was kept as' })
  await expect(replaced).toBeVisible()
  await shot(page, 'store-replaced-notice')
  const keptAs = ((await replaced.locator('code').textContent()) ?? '').trim()
  expect(keptAs).not.toBe(join(app.dataDir, DB_FILE))
  expect(Buffer.compare(await readFile(keptAs), noise)).toBe(0)
  expect((await stat(join(app.dataDir, DB_FILE))).size).toBeGreaterThan(0)
  expect(await app.backend.getStoreStatus()).toMatchObject({ kind: 'replaced', keptAs })

  // Runs are recorded again: one started now is listed by a restarted app.
  const { urlsText } = await app.backend.startDemoTarget()
  const started = await app.backend.startRun({
    urlsText: urlsText.split('\n').slice(0, 5).join('\n'),
    config: {},
    name: 'After the fresh start'
  })
  await expect
    .poll(async () => (await app.backend.getSnapshot(started.runId))?.status.kind, { timeout: 20_000 })
    .toBe('completed')
  await app.restart()
  await page.goto(app.url)
  await expect(shell.storeAlert).toHaveCount(0)
  await shell.go('History')
  await expect(new HistoryPage(page).row('After the fresh start')).toBeVisible()
})
