import { expect, shot, test } from './fixtures.ts'
import { AppShell, DashboardPage, HistoryPage, SetupPage, SpiderSetup } from './pages.ts'

test('a finished spider run reopened after a restart shows its hosts, decision log, queue chart and frontier', async ({
  page,
  app
}) => {
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  await spider.openDemoSite(app.url, 2)
  // A sitemap that is not there: the problem goes to the decision log, and stays with the run.
  const seed = ((await spider.seeds.textContent()) ?? '').trim()
  const missing = `${new URL(seed.trim()).origin}/site/old-sitemap.xml`
  await spider.field('Sitemaps').fill(missing)
  await page.getByRole('textbox', { name: 'Run name' }).fill('Demo site spider')
  await setup.start()
  const dashboard = new DashboardPage(page)
  await dashboard.waitForDone(60_000)
  const log = dashboard.main.getByRole('list', { name: 'Decisions, newest first' })
  const sitemapLine = log.getByRole('listitem').filter({ hasText: 'old-sitemap.xml: HTTP 404' })
  await expect(sitemapLine).toContainText('sitemap')
  const frontier = dashboard.main.getByRole('region', { name: 'Spider frontier' })
  const figureOf = (name: string) =>
    frontier.locator('dt', { hasText: name }).locator('xpath=following-sibling::dd[1]')
  const found = await figureOf('Discovered').innerText()

  await app.restart()
  await page.goto(app.url)
  await new AppShell(page).go('History')
  const history = new HistoryPage(page)
  await history.row('Demo site spider').getByRole('button', { name: 'Open' }).click()
  const hosts = dashboard.main.getByRole('table', { name: 'Hosts' })
  await expect(hosts.getByRole('rowheader').first()).toContainText('127.0.0.1')
  // What the crawler decided and found is there as it was, and nothing is left queued.
  await expect(sitemapLine).toBeVisible()
  await expect(dashboard.figure('Queue size')).toBeVisible()
  await expect(dashboard.figure('Pages per depth')).toContainText('depth 2')
  await expect(figureOf('Discovered')).toHaveText(found)
  await expect(figureOf('Queued')).toHaveText('0')
  await shot(page, 'spider-10-reopened', { fullPage: true })
})
