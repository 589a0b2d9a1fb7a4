import type { Page } from '@playwright/test'
import { expect, shot, test, type AppUnderTest } from './fixtures.ts'
import { AppShell, DashboardPage, HistoryPage, SetupPage } from './pages.ts'

const TOTAL = 120

/** 120 requests of 300 ms on one host, 6 at a time: about 6 s, slow enough to cut mid-run. */
async function startSlowRun(page: Page, app: AppUnderTest, name: string): Promise<void> {
  const { origin } = await app.backend.startDemoTarget()
  const setup = new SetupPage(page)
  await setup.open(app.url)
  await setup.enterUrls(Array.from({ length: TOTAL }, (_, i) => `${origin}/delay/300?n=${i}`).join('\n'))
  await setup.setNumber('Concurrency', 6)
  await setup.setNumber('Concurrency per host', 6)
  await page.getByRole('textbox', { name: /^Run name/ }).fill(name)
  await setup.start()
}

async function resultCount(app: AppUnderTest, runId: string): Promise<number> {
  return (await app.backend.queryResults({ runId, offset: 0, limit: 1 })).total
}

test('a run cut off by closing the app shows Interrupted and Resume fetches only the rest', async ({
  page,
  app
}) => {
  await startSlowRun(page, app, 'Cut short')
  const dashboard = new DashboardPage(page)
  await expect.poll(async () => (await dashboard.done()).done, { timeout: 20_000 }).toBeGreaterThan(15)
  const [run] = await app.backend.listRuns()
  const runId = run!.runId

  // The app closes mid-run (as a quit or a crash would), then starts again on the same data.
  await app.restart()
  await page.goto(app.url)
  const banner = page.getByRole('region', { name: 'Interrupted run' })
  await expect(banner).toContainText(
    /This run was interrupted — \d+ of 120 URLs done\. Resume fetches only the rest\./
  )
  await expect(dashboard.main.getByText('Interrupted', { exact: true })).toBeVisible()
  await expect(dashboard.main.getByRole('button', { name: 'Pause' })).toHaveCount(0)
  await shot(page, 'interrupted-banner')
  const before = await resultCount(app, runId)
  expect(before).toBeGreaterThan(15)
  expect(before).toBeLessThan(TOTAL)

  const shell = new AppShell(page)
  const history = new HistoryPage(page)
  await shell.go('History')
  expect(await history.state('Cut short')).toBe('Interrupted')
  expect(await history.urls('Cut short')).toBe(`${before} / ${TOTAL}`)
  await history.button('Cut short', 'Resume').click()

  // Resume opens it on the dashboard, where it goes on live and finishes.
  await expect(dashboard.main.getByRole('heading', { name: 'Cut short' })).toBeVisible()
  await dashboard.waitForDone(40_000)
  expect(await dashboard.done()).toEqual({ done: TOTAL, total: TOTAL })
  expect(await resultCount(app, runId)).toBe(TOTAL)
  await shell.go('History')
  expect(await history.state('Cut short')).toBe('Completed')
  expect(await history.urls('Cut short')).toBe(String(TOTAL))
})

test('a paused run stays paused across a restart and resumes from the dashboard', async ({ page, app }) => {
  await startSlowRun(page, app, 'Paused over lunch')
  const dashboard = new DashboardPage(page)
  await expect.poll(async () => (await dashboard.done()).done, { timeout: 20_000 }).toBeGreaterThan(10)
  await dashboard.main.getByRole('button', { name: 'Pause' }).click()
  await expect(dashboard.stateBadge('Paused')).toBeVisible()
  await expect.poll(() => dashboard.cardNumber('In flight'), { timeout: 10_000 }).toBe(0)
  const [run] = await app.backend.listRuns()
  const runId = run!.runId
  const held = await resultCount(app, runId)

  await app.restart()
  await page.goto(app.url)
  const shell = new AppShell(page)
  const history = new HistoryPage(page)
  await shell.go('History')
  expect(await history.state('Paused over lunch')).toBe('Paused')
  expect(await resultCount(app, runId)).toBe(held)
  await history.button('Paused over lunch', 'Open').click()
  await expect(dashboard.main.getByRole('heading', { name: 'Paused over lunch' })).toBeVisible()
  await expect(dashboard.stateBadge('Paused')).toBeVisible()
  await dashboard.main.getByRole('button', { name: 'Resume' }).click()
  await dashboard.waitForDone(40_000)
  expect(await dashboard.done()).toEqual({ done: TOTAL, total: TOTAL })
  expect(await resultCount(app, runId)).toBe(TOTAL)
})

test('an interrupted run can be marked stopped instead, keeping its results', async ({ page, app }) => {
  await startSlowRun(page, app, 'Not needed')
  const dashboard = new DashboardPage(page)
  await expect.poll(async () => (await dashboard.done()).done, { timeout: 20_000 }).toBeGreaterThan(10)
  const [run] = await app.backend.listRuns()
  const runId = run!.runId

  await app.restart()
  await page.goto(app.url)
  const banner = page.getByRole('region', { name: 'Interrupted run' })
  await expect(banner).toBeVisible()
  const kept = await resultCount(app, runId)
  await banner.getByRole('button', { name: 'Mark as stopped' }).click()
  await expect(banner).toBeHidden()
  await expect(dashboard.main.getByText('Stopped', { exact: true }).first()).toBeVisible()
  expect(await resultCount(app, runId)).toBe(kept)
  const history = new HistoryPage(page)
  await new AppShell(page).go('History')
  expect(await history.state('Not needed')).toBe('Stopped')
})
