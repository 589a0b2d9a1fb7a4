import { expect, shot, test } from './fixtures.ts'
import { AppShell, DashboardPage, SetupPage, SpiderSetup } from './pages.ts'

test('spider setup: seeds, scope settings, a bad pattern named, robots.txt off only after confirming', async ({
  page,
  app
}) => {
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  const shell = new AppShell(page)
  await setup.open(app.url)
  // List mode shows no spider settings: no scope, no robots.txt (a list run reads none); pacing stays.
  await expect(spider.scopeGroup).toHaveCount(0)
  await spider.openGroup('Politeness')
  await expect(spider.checkbox('Adaptive concurrency')).toBeVisible()
  await expect(spider.checkbox('Respect robots.txt')).toHaveCount(0)
  // The mode switch is a radio group: arrow keys move the choice.
  await page.getByRole('radiogroup', { name: 'Crawl mode' }).getByRole('radio', { name: 'List' }).focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('radio', { name: 'Spider' })).toBeChecked()
  await expect(page.getByRole('radio', { name: 'Spider' })).toBeFocused()
  await expect(spider.seeds).toBeVisible()
  await expect(spider.scopeGroup).toBeVisible()
  await spider.demoSite.click()
  await expect(spider.seeds).toHaveText(/\/site\/$/)

  // Each scope choice explains itself in one line.
  await expect(spider.scopeChoice('Same host')).toBeChecked()
  await expect(page.getByText("Any host of the seeds' registrable domain")).toBeVisible()
  await spider.scopeChoice('Same site').check()

  // A bad exclude pattern is named next to the field and blocks the start.
  await spider.field('Exclude patterns').fill('/logout\n(unclosed')
  await expect(page.getByText(/Exclude pattern "\(unclosed" is not a valid regular expression/)).toBeVisible()
  await expect(setup.startButton).toBeDisabled()
  // Back in list mode the bad pattern still shows, since it still blocks the start.
  await spider.mode('List')
  await expect(page.getByText(/Exclude pattern "\(unclosed" is not a valid regular expression/)).toBeVisible()
  await spider.mode('Spider')
  await spider.field('Exclude patterns').fill('/logout')
  await expect(setup.startButton).toBeEnabled()

  // Turning robots.txt off asks first: cancel keeps it on, confirm turns it off.
  await spider.openGroup('Politeness')
  const robots = spider.checkbox('Respect robots.txt')
  await expect(robots).toBeChecked()
  await robots.click()
  const dialog = page.getByRole('dialog', { name: 'Ignore robots.txt?' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('Pages the site asked crawlers to leave alone will be fetched')
  await shot(page, 'spider-01-robots-confirm')
  await dialog.getByRole('button', { name: 'Keep respecting' }).click()
  await expect(dialog).toBeHidden()
  await expect(robots).toBeChecked()
  await robots.click()
  await dialog.getByRole('button', { name: 'Ignore robots.txt' }).click()
  await expect(robots).not.toBeChecked()
  // Turning it back on needs no question.
  await robots.click()
  await expect(robots).toBeChecked()

  // The Polite preset turns adaptive concurrency on.
  await page
    .getByRole('group', { name: 'Presets' })
    .getByRole('button', { name: /^Polite/ })
    .click()
  await expect(spider.checkbox('Adaptive concurrency')).toBeChecked()

  await shell.theme('Light')
  await shot(page, 'spider-02-setup-light')
  await shell.theme('Dark')
  await shot(page, 'spider-03-setup-dark')
})

test('a spider run on the demo site: queue and depth charts, frontier figures, hosts, decision log', async ({
  page,
  app
}) => {
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  const shell = new AppShell(page)
  await spider.openDemoSite(app.url, 8)
  await setup.start()

  const dashboard = new DashboardPage(page)
  await expect(dashboard.figure('Queue size')).toBeVisible()
  await expect(dashboard.figure('Pages per depth')).toBeVisible()
  const hosts = dashboard.main.getByRole('table', { name: 'Hosts' })
  await expect(hosts.getByRole('rowheader').first()).toContainText('127.0.0.1')
  await expect(dashboard.main.getByRole('region', { name: 'Decision log' })).toBeVisible()
  await dashboard.waitForDone(60_000)
  await expect(dashboard.figure('Pages per depth')).toContainText('depth 8')
  // Deep enough to walk into the demo's nested-folder trap: it is counted and listed in the log.
  const frontier = dashboard.main.getByRole('region', { name: 'Spider frontier' })
  await expect(
    frontier.locator('dt', { hasText: 'Traps' }).locator('xpath=following-sibling::dd[1]')
  ).not.toHaveText('0')
  const log = dashboard.main.getByRole('list', { name: 'Decisions, newest first' })
  await expect(
    log
      .getByRole('listitem')
      .filter({ hasText: /^\d\d:\d\d:\d\dtrap/ })
      .first()
  ).toBeVisible()
  // robots.txt was read for the demo host: the hosts view says what it holds.
  await expect(hosts.locator('tbody tr').first()).not.toContainText('not fetched')
  await shell.theme('Light')
  await shot(page, 'spider-04-dashboard-light')
  await shell.theme('Dark')
  await shot(page, 'spider-05-dashboard-dark')
})

test('the failure safeguard pauses a failing spider and says why; adaptive decisions are logged', async ({
  page,
  app
}) => {
  const { origin } = await app.backend.startDemoTarget()
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  const shell = new AppShell(page)
  await setup.open(app.url)
  await spider.mode('Spider')
  // Seeds that all answer 503: the host asks for less, and most requests fail.
  await spider.enterSeeds(
    Array.from({ length: 120 }, (_, i) => `${origin}/status/503?n=${String(i)}`).join('\n')
  )
  await setup.setNumber('Concurrency', 8)
  await setup.setNumber('Concurrency per host', 8)
  await spider.openGroup('Retries')
  await setup.setNumber('Retries', 0)
  await spider.openGroup('Politeness')
  await spider.checkbox('Adaptive concurrency').check()
  await spider.field('Failure safeguard').fill('50')
  await setup.start()

  const dashboard = new DashboardPage(page)
  const banner = dashboard.main
    .getByRole('alert')
    .filter({ hasText: 'The failure safeguard paused this run' })
  await expect(banner).toBeVisible({ timeout: 30_000 })
  await expect(banner).toContainText(/\d+% of the last \d+ requests failed/)
  await expect(banner).toContainText('HTTP 503')
  expect((await app.backend.getSnapshot())?.status.kind).toBe('paused')
  const log = dashboard.main.getByRole('list', { name: 'Decisions, newest first' })
  await expect(log.getByRole('listitem').first()).toContainText(/8 → 4/)
  await expect(log.getByRole('listitem').first()).toContainText('lowered')
  // The hosts view shows the limit the decision set (in flight / limit) against the user's.
  const hosts = dashboard.main.getByRole('table', { name: 'Hosts' })
  await expect(hosts.locator('tbody tr').first()).toContainText(/\d+ \/ [1-4] \(yours 8\)/)
  await shell.theme('Light')
  await shot(page, 'spider-07-safeguard-light')
  await shell.theme('Dark')
  await shot(page, 'spider-08-safeguard-dark')

  // Resume goes on (and the safeguard, re-armed, judges the rest afresh: here it pauses again).
  const held = (await dashboard.done()).done
  await banner.getByRole('button', { name: 'Resume' }).click()
  await expect.poll(async () => (await dashboard.done()).done, { timeout: 20_000 }).toBeGreaterThan(held)
  await page.getByRole('button', { name: 'Stop…' }).click()
  await page.getByRole('dialog').getByRole('button', { name: /^Stop/ }).click()
  await expect(dashboard.main).toContainText('Stopped')
})

test('robots.txt turned off is recorded with the run and said on its dashboard; a list run shows no spider panels but its hosts', async ({
  page,
  app
}) => {
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  const shell = new AppShell(page)
  await spider.openDemoSite(app.url, 1)
  // In spider mode Politeness starts open: robots.txt is in view.
  await expect(spider.checkbox('Respect robots.txt')).toBeVisible()
  await spider.checkbox('Respect robots.txt').click()
  await page
    .getByRole('dialog', { name: 'Ignore robots.txt?' })
    .getByRole('button', { name: 'Ignore robots.txt' })
    .click()
  await setup.start()

  const dashboard = new DashboardPage(page)
  await dashboard.waitForDone(60_000)
  await expect(dashboard.main.getByRole('region', { name: 'Spider frontier' })).toContainText(
    'robots.txt ignored for this run'
  )
  const snapshot = await app.backend.getSnapshot()
  expect(snapshot?.config).toMatchObject({ mode: 'spider', respectRobots: false, maxDepth: 1 })
  // Nothing was refused for robots.txt, and the hosts view says it was not read.
  expect(snapshot?.summary.byError.ROBOTS_DISALLOWED ?? 0).toBe(0)
  await expect(
    dashboard.main.getByRole('table', { name: 'Hosts' }).locator('tbody tr').first()
  ).toContainText('ignored')

  // A list run: the dashboard has none of the spider panels, but the hosts view (without robots.txt).
  const { origin } = await app.backend.startDemoTarget()
  await shell.go('Setup')
  await spider.mode('List')
  await setup.enterUrls(Array.from({ length: 20 }, (_, i) => `${origin}/delay/5?n=${String(i)}`).join('\n'))
  await setup.start()
  await dashboard.waitForDone(30_000)
  await expect(dashboard.figure('Latency over time')).toBeVisible()
  await expect(dashboard.figure('Queue size')).toHaveCount(0)
  await expect(dashboard.figure('Pages per depth')).toHaveCount(0)
  const listHosts = dashboard.main.getByRole('table', { name: 'Hosts' })
  await expect(listHosts.locator('tbody tr')).toHaveCount(1)
  await expect(listHosts.getByRole('columnheader', { name: 'robots.txt' })).toHaveCount(0)
  await expect(dashboard.main.getByRole('region', { name: 'Decision log' })).toHaveCount(0)
})

test('a host paused by Retry-After shows a live countdown in the hosts view', async ({ page, app }) => {
  const { origin } = await app.backend.startDemoTarget()
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  await setup.open(app.url)
  await spider.mode('Spider')
  // Each seed is refused once with Retry-After: 30 s, then answers.
  await spider.enterSeeds(
    Array.from(
      { length: 4 },
      (_, i) => `${origin}/retry-after/429?seconds=30&key=k${String(i)}&times=1`
    ).join('\n')
  )
  await setup.start()

  const dashboard = new DashboardPage(page)
  const paused = dashboard.main
    .getByRole('table', { name: 'Hosts' })
    .locator('tbody tr')
    .first()
    .locator('td', { hasText: /s left$/ })
  await expect(paused).toBeVisible({ timeout: 20_000 })
  const secondsLeft = async (): Promise<number> =>
    Number(/(\d+) s left/.exec((await paused.textContent()) ?? '')?.[1] ?? NaN)
  const first = await secondsLeft()
  expect(first).toBeGreaterThan(20)
  expect(first).toBeLessThanOrEqual(30)
  await expect.poll(secondsLeft, { timeout: 5_000 }).toBeLessThanOrEqual(first - 2)
  await shot(page, 'spider-09-host-paused')
  await page.getByRole('button', { name: 'Stop…' }).click()
  await page.getByRole('dialog').getByRole('button', { name: /^Stop/ }).click()
  await expect(dashboard.main).toContainText('Stopped')
})

test('the hosts view asks at most once a second while the run goes, not while the page is hidden, once when done', async ({
  page,
  app
}) => {
  const { origin } = await app.backend.startDemoTarget()
  // Count the page's getHosts calls on the WebSocket (the browser host's transport).
  const calls: number[] = []
  page.on('websocket', (ws) => {
    ws.on('framesent', (frame) => {
      if (typeof frame.payload === 'string' && frame.payload.includes('"method":"getHosts"'))
        calls.push(Date.now())
    })
  })
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  await setup.open(app.url)
  await spider.mode('Spider')
  // Slow seeds: the run lasts ~10 s.
  await spider.enterSeeds(
    Array.from({ length: 40 }, (_, i) => `${origin}/delay/500?n=${String(i)}`).join('\n')
  )
  await setup.setNumber('Concurrency', 2)
  await setup.setNumber('Concurrency per host', 2)
  await setup.start()
  const dashboard = new DashboardPage(page)
  await expect(dashboard.main.getByRole('table', { name: 'Hosts' })).toBeVisible()

  const countOver = async (ms: number): Promise<number> => {
    const from = calls.length
    await page.waitForTimeout(ms)
    return calls.length - from
  }
  const visible = await countOver(3_000)
  expect(visible).toBeGreaterThanOrEqual(2)
  expect(visible).toBeLessThanOrEqual(4)

  // Hidden (another window in front, minimised): no calls; shown again: at once.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    document.dispatchEvent(new Event('visibilitychange'))
  })
  expect(await countOver(2_500)).toBe(0)
  const before = calls.length
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
    document.dispatchEvent(new Event('visibilitychange'))
  })
  await expect.poll(() => calls.length, { timeout: 1_000 }).toBeGreaterThan(before)

  // Finished: read once more for the final figures, then no more.
  await dashboard.waitForDone(60_000)
  await page.waitForTimeout(1_500)
  expect(await countOver(2_500)).toBe(0)
  await expect(
    dashboard.main.getByRole('table', { name: 'Hosts' }).locator('tbody tr').first()
  ).toContainText('40')
})
