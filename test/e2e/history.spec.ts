import { readFile } from 'node:fs/promises'
import { csvHeader, UTF8_BOM } from '../../shared/result-rows.ts'
import { expect, shot, test } from './fixtures.ts'
import { AppShell, DashboardPage, HistoryPage } from './pages.ts'

test('History: rename, note, export as CSV and HTML, delete with confirmation', async ({ page, app }) => {
  test.setTimeout(180_000)
  await page.goto(app.url)
  await page.getByRole('button', { name: 'Run the workshop demo' }).click()
  const dashboard = new DashboardPage(page)
  await dashboard.waitForDone(90_000)

  const shell = new AppShell(page)
  const history = new HistoryPage(page)
  await shell.go('History')
  await expect(history.row('Workshop demo')).toBeVisible()
  expect(await history.state('Workshop demo')).toBe('Completed')
  expect(await history.urls('Workshop demo')).toBe('500')

  // Rename: an empty name is refused with a message; Escape keeps the name; Enter saves.
  await history.more('Workshop demo', 'Rename')
  await history.nameField.fill('   ')
  await history.nameField.press('Enter')
  await expect(history.main.getByRole('alert')).toContainText('A run needs a name')
  await shot(page, 'history-rename-refused')
  await history.nameField.fill('Something else')
  await history.nameField.press('Escape')
  await expect(history.nameField).toBeHidden()
  await expect(history.row('Workshop demo')).toBeVisible()
  await history.rename('Workshop demo', 'Demo baseline')
  await expect(history.row('Demo baseline')).toBeVisible()
  // Focus lands back on the row, not the page.
  await expect(history.button('Demo baseline', 'Open')).toBeFocused()

  await history.button('Demo baseline', 'More').click()
  await expect(
    page.getByRole('menu', { name: 'More' }).getByRole('menuitem', { name: 'Rename' })
  ).toBeFocused()
  await shot(page, 'history-more-menu', { fullPage: false })
  await page.keyboard.press('Escape')
  await history.setNote('Demo baseline', 'Before the CDN switch.\nThree hosts, one with Retry-After.')
  await expect(history.row('Demo baseline')).toContainText('Before the CDN switch.')
  const [stored] = await app.backend.listRuns()
  expect(stored).toMatchObject({
    name: 'Demo baseline',
    note: 'Before the CDN switch.\nThree hosts, one with Retry-After.'
  })

  await shell.theme('Light')
  await shot(page, 'history-light')
  await shell.theme('Dark')
  await shot(page, 'history-dark')
  await shell.theme('Light')

  // Exports arrive as downloads named for the run.
  const csvDownload = page.waitForEvent('download')
  await history.export('Demo baseline', 'CSV')
  const csv = await csvDownload
  expect(csv.suggestedFilename()).toMatch(/\.csv$/)
  const csvText = await readFile(await csv.path(), 'utf8')
  expect(csvText.startsWith(UTF8_BOM)).toBe(true)
  const lines = csvText
    .slice(UTF8_BOM.length)
    .split(/\r?\n/)
    .filter((l) => l !== '')
  expect(lines[0]).toBe(csvHeader().trimEnd())
  expect(lines).toHaveLength(501)

  const htmlDownload = page.waitForEvent('download')
  await history.export('Demo baseline', 'HTML report')
  const html = await htmlDownload
  expect(html.suggestedFilename()).toMatch(/\.html$/)
  const report = await readFile(await html.path(), 'utf8')
  expect(report).toMatch(/^<!doctype html>/i)
  expect(report).toContain('Demo baseline')

  // Delete asks first, naming the run and how many results go with it.
  await history.more('Demo baseline', 'Delete…')
  const dialog = page.getByRole('dialog', { name: 'Delete “Demo baseline”?' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('500 results')
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused()
  await shot(page, 'history-delete-dialog')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(history.row('Demo baseline')).toBeVisible()

  await history.more('Demo baseline', 'Delete…')
  await dialog.getByRole('button', { name: 'Delete run' }).click()
  await expect(dialog).toBeHidden()
  await expect(history.main.getByRole('heading', { name: 'No runs yet' })).toBeVisible()
  expect(await app.backend.listRuns()).toEqual([])
})

test('History: a running run cannot be deleted, and says why', async ({ page, app }) => {
  const { origin } = await app.backend.startDemoTarget()
  // 2 s a request, 2 at a time: it runs for a minute, well past this test.
  const urls = Array.from({ length: 60 }, (_, i) => `${origin}/delay/2000?n=${i}`).join('\n')
  const started = await app.backend.startRun({
    urlsText: urls,
    config: { concurrency: 2, perHostConcurrency: 2 }
  })
  await page.goto(app.url)
  const shell = new AppShell(page)
  const history = new HistoryPage(page)
  await shell.go('History')
  const name = /127\.0\.0\.1/
  await expect.poll(() => history.state(name)).toBe('Running')
  await history.button(name, 'More').click()
  const item = page.getByRole('menuitem', { name: 'Delete…' })
  await expect(item).toHaveAttribute('aria-disabled', 'true')
  await expect(item).toHaveAccessibleDescription(/still going: stop it/)
  // Picking it (Playwright waits for aria-disabled items to be enabled, so the click is forced) does nothing.
  await item.click({ force: true })
  await item.press('Enter')
  await expect(page.getByRole('dialog')).toBeHidden()
  expect(await history.state(name)).toBe('Running')
  // The menu works from the keyboard: Escape closes it and gives focus back.
  await page.keyboard.press('Escape')
  await expect(history.button(name, 'More')).toBeFocused()
  await app.backend.stopRun(started.runId)
})

test('History shows each state a run can be in, after restarts', async ({ page, app }) => {
  test.setTimeout(120_000)
  const slow = async (count: number): Promise<string> => {
    const { origin } = await app.backend.startDemoTarget()
    return Array.from({ length: count }, (_, i) => `${origin}/delay/400?n=${i}`).join('\n')
  }
  const config = { concurrency: 4, perHostConcurrency: 4 }
  const doneOf = async (runId: string): Promise<number> =>
    (await app.backend.getSnapshot(runId))?.summary.done ?? 0
  const start = async (name: string, count: number): Promise<string> =>
    (await app.backend.startRun({ urlsText: await slow(count), config, name })).runId

  const nightly = await start('Nightly check', 12)
  await expect.poll(async () => (await app.backend.getSnapshot(nightly))?.status.kind).toBe('completed')
  await app.backend.setRunNote(nightly, 'Baseline for the week: every host answered.')
  const dropped = await start('Wrong list', 100)
  await expect.poll(() => doneOf(dropped)).toBeGreaterThan(4)
  await app.backend.stopRun(dropped)
  const lunch = await start('Paused over lunch', 100)
  await expect.poll(() => doneOf(lunch)).toBeGreaterThan(8)
  await app.backend.pauseRun(lunch)
  await app.restart()
  const cut = await start('Cut short', 100)
  await expect.poll(() => doneOf(cut)).toBeGreaterThan(12)
  await app.restart()
  await start('Going now', 400)

  await page.goto(app.url)
  const shell = new AppShell(page)
  const history = new HistoryPage(page)
  await shell.go('History')
  await expect.poll(() => history.state('Going now')).toBe('Running')
  expect(await history.state('Cut short')).toBe('Interrupted')
  expect(await history.state('Paused over lunch')).toBe('Paused')
  expect(await history.state('Wrong list')).toBe('Stopped')
  expect(await history.state('Nightly check')).toBe('Completed')
  expect(await history.urls('Cut short')).toMatch(/^\d+ \/ 100$/)
  expect(await history.urls('Nightly check')).toBe('12')
  await expect(history.row('Nightly check')).toContainText('Baseline for the week')
  // Resume is offered where it applies, and blocked (with the reason) while another run goes.
  await expect(history.button('Cut short', 'Resume')).toBeDisabled()
  await expect(history.button('Cut short', 'Resume')).toHaveAttribute('title', /“Going now” is still running/)
  await expect(history.button('Nightly check', 'Resume')).toHaveCount(0)
  await shell.theme('Light')
  await shot(page, 'history-states-light')
  await shell.theme('Dark')
  await shot(page, 'history-states-dark')
  const going = (await app.backend.listRuns()).find((r) => r.name === 'Going now')
  await app.backend.stopRun(going!.runId)
  await expect.poll(() => history.state('Going now')).toBe('Stopped')

  // Re-run starts the same URLs with the same settings and shows it on the dashboard.
  await history.more('Nightly check', 'Re-run with same settings')
  const dashboard = new DashboardPage(page)
  await expect(dashboard.main.getByRole('heading', { name: 'Nightly check (re-run)' })).toBeVisible()
  await dashboard.waitForDone(20_000)
  expect(await dashboard.done()).toEqual({ done: 12, total: 12 })
  await shell.go('History')
  expect(await history.state('Nightly check (re-run)')).toBe('Completed')

  // Compare opens the Compare view with this run as the base.
  await history.more('Nightly check (re-run)', 'Compare…')
  await expect(page.getByRole('main', { name: 'Compare' })).toBeVisible()
})
