import { expect, shot, test } from './fixtures.ts'
import { AppShell, DashboardPage, SetupPage, SpiderSetup } from './pages.ts'

test('a spidered page shows its depth, the page it was found on and its path from the seed', async ({
  page,
  app
}) => {
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  const shell = new AppShell(page)
  await spider.openDemoSite(app.url, 3)
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

test('the results table sorts a spider run by depth and filters it to one depth', async ({ page, app }) => {
  const setup = new SetupPage(page)
  const spider = new SpiderSetup(page)
  await spider.openDemoSite(app.url, 3)
  await setup.start()
  await new DashboardPage(page).waitForDone(60_000)
  // Per-depth counts from the run's own aggregates (the depth chart's), not from the table's queries.
  const depthCounts = (await app.backend.getSnapshot())?.spider?.depthCounts ?? []
  expect(depthCounts).toHaveLength(4)

  await new AppShell(page).go('Results')
  const results = page.getByRole('main', { name: 'Results' })
  const grid = results.getByRole('grid', { name: 'Results' })
  const header = grid.getByRole('columnheader', { name: 'Depth' })
  const depthColumn = (await grid.getByRole('columnheader').allTextContents()).findIndex((t) =>
    t.startsWith('Depth')
  )
  expect(depthColumn).toBeGreaterThan(0)
  const rows = grid.getByRole('row').filter({ has: page.getByRole('gridcell') })
  /** The Depth cells of the rows drawn, once none is a loading placeholder. */
  const depthsShown = async (): Promise<string[]> => {
    const cells = await rows.evaluateAll(
      (els, col) => els.map((el) => el.querySelectorAll('[role="gridcell"]')[col]?.textContent ?? ''),
      depthColumn
    )
    return cells.includes('') ? [] : cells
  }

  // Shallowest first: the seed leads, and depths never go down the table.
  await header.getByRole('button').click()
  await expect(header).toHaveAttribute('aria-sort', 'ascending')
  await expect(rows.first()).toContainText('/site/')
  await expect.poll(async () => (await depthsShown())[0]).toBe('0')
  const ascending = await depthsShown()
  expect(ascending.map(Number)).toEqual(ascending.map(Number).toSorted((a, b) => a - b))
  // Deepest first: pages three links from the seed lead.
  await header.getByRole('button').click()
  await expect(header).toHaveAttribute('aria-sort', 'descending')
  await expect.poll(async () => (await depthsShown())[0]).toBe('3')
  const descending = await depthsShown()
  expect(descending.map(Number)).toEqual(descending.map(Number).toSorted((a, b) => b - a))

  // The Depth filter lists each depth with its count; picking one leaves only that depth.
  await results.getByRole('button', { name: 'Depth', exact: true, expanded: false }).click()
  const menu = results.getByRole('group', { name: 'Depth filter' })
  await expect(menu.getByTitle('0 (seeds)', { exact: true })).toBeVisible()
  await menu.getByTitle('2', { exact: true }).click()
  const atTwo = depthCounts[2] ?? 0
  await expect(results.getByText(new RegExp(`^${atTwo.toLocaleString('en-US')} results?$`))).toBeVisible()
  await expect.poll(async () => [...new Set(await depthsShown())]).toEqual(['2'])
  await shot(page, 'spider-07-depth-filter-menu', { fullPage: false })
  await page.keyboard.press('Escape')
  await expect(menu).toBeHidden()
  await shot(page, 'spider-08-depth-sorted-filtered')
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
