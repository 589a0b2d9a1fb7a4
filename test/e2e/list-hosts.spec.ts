import { mkdir } from 'node:fs/promises'
import { expect, test } from './fixtures.ts'
import { DashboardPage } from './pages.ts'

/**
 * A list run whose every host answers 429 + Retry-After: its dashboard shows the hosts view (in
 * flight against the limit, paused by Retry-After with the time left) and, once in flight has stayed
 * below the concurrency limit for a few seconds, a sentence saying so and why.
 */

const SHOTS = '/work/shots'

test('a list run held back by Retry-After shows its hosts and says why little is in flight', async ({
  page,
  app
}) => {
  await page.setViewportSize({ width: 1280, height: 720 })
  const { urlsText } = await app.backend.startDemoTarget()
  const origins = [...new Set(urlsText.split('\n').map((line) => new URL(line).origin))]
  expect(origins.length).toBeGreaterThanOrEqual(2)
  // Each URL refuses its first request with Retry-After: 6, then answers 200.
  const urls = origins.flatMap((origin, h) =>
    Array.from(
      { length: 40 },
      (_, i) => `${origin}/retry-after/429?seconds=6&key=e2e-${String(h)}-${String(i)}&times=1`
    )
  )
  const { runId } = await app.backend.startRun({
    urlsText: urls.join('\n'),
    config: { concurrency: 128, perHostConcurrency: 4, retries: 3 },
    name: 'Held back by Retry-After'
  })

  await page.goto(app.url)
  const dashboard = new DashboardPage(page)
  await expect(dashboard.main.getByRole('heading', { name: 'Held back by Retry-After' })).toBeVisible()

  const hosts = dashboard.main.getByRole('table', { name: 'Hosts' })
  await expect(hosts).toBeVisible()
  await expect(hosts.getByRole('columnheader', { name: 'In flight / limit' })).toBeVisible()
  const firstHost = new URL(origins[0] ?? '').host
  const row = hosts.getByRole('row').filter({ hasText: firstHost })
  await expect(row).toContainText(/Retry-After · \d+ s left/, { timeout: 10_000 })
  await expect(row).toContainText('/ 4')

  const why = dashboard.main.getByRole('status', { name: 'Why in flight is below the limit' })
  await expect(why).toContainText(
    new RegExp(
      `^0 of 128 in flight: all ${String(origins.length)} hosts are paused by Retry-After for (up to )?\\d+ s more\\.$`
    ),
    { timeout: 10_000 }
  )
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/hosts-list-run.png` })
  await why.scrollIntoViewIfNeeded()
  await hosts.scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${SHOTS}/hosts-table.png` })

  // The backend's host rows are what the page shows.
  const rows = await app.backend.getHosts(runId)
  expect(rows.map((r) => r.host).sort()).toEqual(origins.map((o) => new URL(o).host).sort())
  expect(rows.every((r) => r.userLimit === 4)).toBe(true)
  await app.backend.stopRun(runId)
})
