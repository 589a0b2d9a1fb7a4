import { expect, shot, test } from './fixtures.ts'
import { DashboardPage } from './pages.ts'

test('the workshop demo runs from the welcome card to its summary, and a failure opens to its attempts', async ({
  page,
  app
}) => {
  await page.goto(app.url)
  await expect(page.getByRole('heading', { name: 'Welcome to Crawlboard' })).toBeVisible()
  await shot(page, '01-setup-welcome')

  await page.getByRole('button', { name: 'Run the workshop demo' }).click()
  const dashboard = new DashboardPage(page)
  await expect(dashboard.main.getByRole('heading', { name: 'Workshop demo' })).toBeVisible()
  await expect.poll(async () => (await dashboard.done()).done, { timeout: 30_000 }).toBeGreaterThan(50)
  await shot(page, '02-dashboard-live')

  await dashboard.waitForDone(75_000)
  const { done, total } = await dashboard.done()
  expect(total).toBe(500)
  expect(done).toBe(500)
  const ok = await dashboard.cardNumber('OK')
  const failed = await dashboard.cardNumber('Failed')
  expect(ok + failed).toBe(500)
  expect(failed).toBeGreaterThan(0)
  // The UI's figures are the backend's figures.
  const snapshot = await app.backend.getSnapshot()
  expect(snapshot?.summary).toMatchObject({ state: 'completed', ok, failed, total: 500 })
  await expect(dashboard.figure('Latency distribution')).toContainText('500 finished requests')
  await expect(dashboard.main.getByRole('region', { name: 'Failures by error code' })).toContainText(
    'HTTP_STATUS'
  )
  await shot(page, '03-dashboard-finished')

  // Failures: open one that was retried and read its attempts.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Results' }).click()
  const results = page.getByRole('region', { name: 'Results table' })
  await results.getByRole('button', { name: /^Failures/ }).click()
  await results.getByRole('searchbox').fill('/status/503')
  const row = results.getByRole('row').filter({ hasText: '/status/503' }).first()
  await expect(row).toBeVisible()
  await shot(page, '04-results-failures')
  await row.click()
  const detail = page.getByRole('dialog')
  await expect(detail).toBeVisible()
  await expect(detail).toContainText('HTTP_STATUS')
  await expect(detail.getByRole('heading', { name: /^Attempts \(3\)/ })).toBeVisible()
  const attempts = detail.getByRole('row').filter({ hasText: 'HTTP 503' })
  await expect(attempts).toHaveCount(3)
  await expect(attempts.first()).toContainText(/ms \(backoff\)/)
  await shot(page, '05-result-detail')
  await page.keyboard.press('Escape')
  await expect(detail).toBeHidden()
})
