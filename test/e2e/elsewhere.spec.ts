import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startRunner, untilCommitted } from '../helpers/runner-process.ts'
import { expect, shot, test } from './fixtures.ts'
import { AppShell, DashboardPage, HistoryPage } from './pages.ts'

const TOTAL = 150
const NAME = 'nightly-check.txt'

/** "48 / 150" → 48. */
const doneIn = (cell: string): number => Number(/^(\d+)/.exec(cell)?.[1] ?? Number.NaN)

test('a run the headless runner is fetching shows Running elsewhere with moving counts; once the runner is stopped it resumes here', async ({
  page,
  app
}) => {
  const { origin } = await app.backend.startDemoTarget()
  const urlsFile = join(app.dataDir, NAME)
  await writeFile(urlsFile, Array.from({ length: TOTAL }, (_, i) => `${origin}/delay/200?n=${i}`).join('\n'))
  const db = join(app.dataDir, 'crawlboard.db')
  const runner = startRunner([
    '--urls',
    urlsFile,
    '--db',
    db,
    '--concurrency',
    '4',
    '--per-host',
    '4',
    '--quiet'
  ])
  try {
    expect(await untilCommitted(db, 8)).toBeGreaterThanOrEqual(8)
    await page.goto(app.url)
    const shell = new AppShell(page)
    const history = new HistoryPage(page)
    await shell.go('History')
    await expect.poll(() => history.state(NAME)).toBe('Running elsewhere')
    // Its counts are the runner's, saved every second; History follows them while it goes.
    const first = doneIn(await history.urls(NAME))
    await expect
      .poll(async () => doneIn(await history.urls(NAME)), { timeout: 15_000 })
      .toBeGreaterThan(first)
    await expect(history.button(NAME, 'Resume')).toHaveCount(0)

    await history.button(NAME, 'Open').click()
    const dashboard = new DashboardPage(page)
    await expect(dashboard.main.getByText('Running elsewhere', { exact: true })).toBeVisible()
    const notice = dashboard.main.getByRole('status')
    await expect(notice).toContainText('Another Crawlboard process is crawling this run right now')
    await expect(notice).toContainText(`process ${String(runner.child.pid)}`)
    for (const control of ['Pause', 'Resume', 'Stop…']) {
      await expect(dashboard.main.getByRole('button', { name: control })).toHaveCount(0)
    }
    await shot(page, 'dashboard-elsewhere')
  } finally {
    runner.child.kill('SIGINT')
  }
  const stopped = await runner.done
  expect(stopped.code).toBe(130)

  // The runner left it interrupted: this app may now take it over and finish it.
  const history = new HistoryPage(page)
  await new AppShell(page).go('History')
  await expect.poll(() => history.state(NAME), { timeout: 10_000 }).toBe('Interrupted')
  await history.button(NAME, 'Resume').click()
  const dashboard = new DashboardPage(page)
  await dashboard.waitForDone(60_000)
  expect(await dashboard.done()).toEqual({ done: TOTAL, total: TOTAL })
  const [run] = await app.backend.listRuns()
  expect((await app.backend.queryResults({ runId: run!.runId, offset: 0, limit: 1 })).total).toBe(TOTAL)
})
