import { expect, shot, test } from './fixtures.ts'
import { AppShell, DashboardPage, HistoryPage, SetupPage, SpiderSetup } from './pages.ts'

test('a finished spider run reopened after a restart shows its hosts, read once from the store', async ({
  page,
  app
}) => {
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  await setup.open(app.url)
  await spider.mode('Spider')
  await spider.demoSite.click()
  await expect(spider.seeds).toHaveValue(/\/site\/$/)
  await spider.field('Max depth').fill('2')
  await page.getByRole('textbox', { name: 'Run name' }).fill('Demo site spider')
  await setup.start()
  const dashboard = new DashboardPage(page)
  await dashboard.waitForDone(60_000)

  await app.restart()
  await page.goto(app.url)
  await new AppShell(page).go('History')
  const history = new HistoryPage(page)
  await history.row('Demo site spider').getByRole('button', { name: 'Open' }).click()
  const hosts = dashboard.main.getByRole('table', { name: 'Hosts' })
  await expect(hosts.getByRole('rowheader').first()).toContainText('127.0.0.1')
  await shot(page, 'spider-10-reopened')
})
