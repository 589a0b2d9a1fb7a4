import { expect, shot, test } from './fixtures.ts'
import { AppShell, DashboardPage, SetupPage, SpiderSetup } from './pages.ts'

test('a spidered page shows its depth, the page it was found on and its path from the seed', async ({
  page,
  app
}) => {
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  const shell = new AppShell(page)
  await setup.open(app.url)
  await spider.mode('Spider')
  await spider.demoSite.click()
  await expect(spider.seeds).toHaveValue(/\/site\/$/)
  await spider.field('Max depth').fill('3')
  await setup.start()
  const dashboard = new DashboardPage(page)
  await dashboard.waitForDone(60_000)

  // A page three links from the seed: its path goes seed → … → it, and "Found on" opens its parent.
  const deep = await findResult(app, (r) => r.depth === 3)
  await shell.go('Results')
  const results = page.getByRole('main', { name: 'Results' })
  await results.getByRole('searchbox').fill(deep.url)
  await results
    .getByRole('row', { name: new RegExp(escapeRe(deep.url)) })
    .first()
    .click()
  const detail = page.getByRole('dialog', { name: /^Result #/ })
  const path = detail.getByRole('navigation', { name: 'Path from the seed' }).getByRole('listitem')
  await expect(path).toHaveCount(4)
  await expect(path.first()).toContainText('/site/')
  await expect(path.last()).toContainText(deep.url)
  await shot(page, 'spider-06-path')
  const parentUrl = (await path.nth(2).locator('button').textContent()) ?? ''
  await detail.getByRole('region', { name: 'Found via' }).getByRole('button').first().click()
  await expect(page.getByRole('dialog', { name: /^Result #/ })).toContainText(parentUrl)
  await expect(
    page.getByRole('dialog', { name: /^Result #/ }).getByRole('navigation', { name: 'Path from the seed' })
  ).toBeVisible()
})

/** The first stored result of the newest run that matches (read through the backend, as the app does). */
async function findResult(
  app: {
    backend: Pick<import('../../shared/api.ts').CrawlerApi, 'getSnapshot' | 'queryResults' | 'getResult'>
  },
  match: (r: import('../../shared/result.ts').RequestResult) => boolean
): Promise<import('../../shared/result.ts').RequestResult> {
  const snapshot = await app.backend.getSnapshot()
  if (!snapshot) throw new Error('no run')
  const page = await app.backend.queryResults({
    runId: snapshot.runId,
    offset: 0,
    limit: 1_000,
    outcome: 'ok'
  })
  for (const row of page.rows) {
    const result = await app.backend.getResult(snapshot.runId, row.id)
    if (result && match(result)) return result
  }
  throw new Error('no matching result')
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
