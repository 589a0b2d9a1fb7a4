import { expect, shot, test } from './fixtures.ts'
import { DashboardPage, SetupPage } from './pages.ts'

/** 800 requests of 400 ms each on one host: at concurrency 20 still ~16 s, slow enough to steer while it runs. */
async function slowList(app: { backend: { startDemoTarget(): Promise<{ origin: string }> } }, count = 800) {
  const { origin } = await app.backend.startDemoTarget()
  return Array.from({ length: count }, (_, i) => `${origin}/delay/400?n=${i}`).join('\n')
}

test('a live concurrency change shows in the in-flight chart and is marked', async ({ page, app }) => {
  const setup = new SetupPage(page)
  await setup.open(app.url)
  await setup.enterUrls(await slowList(app))
  await setup.setNumber('Concurrency', 4)
  await setup.setNumber('Concurrency per host', 64)
  await setup.start()

  const dashboard = new DashboardPage(page)
  const inFlight = dashboard.figure('In flight vs limit')
  await expect(inFlight).toContainText('limit 4')
  await dashboard.liveConcurrency.fill('20')
  await dashboard.liveConcurrency.press('Enter')
  await expect(inFlight).toContainText('limit 20', { timeout: 10_000 })
  await expect
    .poll(
      async () =>
        Number(/Latest: (\d+) requests? in flight/.exec((await inFlight.textContent()) ?? '')?.[1] ?? 0),
      {
        timeout: 10_000
      }
    )
    .toBeGreaterThan(4)
  await expect(inFlight).toContainText(/concurrency 4 → 20/)
  await shot(page, '06-live-concurrency-change')
  const snapshot = await app.backend.getSnapshot()
  expect(snapshot?.settings.concurrency).toBe(20)
  // Only concurrency changed: the other settings keep what the run started with.
  expect(snapshot?.settings.perHostConcurrency).toBe(64)
  await page.getByRole('button', { name: 'Stop…' }).click()
  await page.getByRole('dialog').getByRole('button', { name: /^Stop/ }).click()
  await expect(dashboard.main).toContainText('Stopped')
})

test('pause holds new requests back and resume finishes the run', async ({ page, app }) => {
  const setup = new SetupPage(page)
  await setup.open(app.url)
  await setup.enterUrls(await slowList(app, 120))
  await setup.setNumber('Concurrency', 10)
  await setup.setNumber('Concurrency per host', 10)
  await setup.start()

  const dashboard = new DashboardPage(page)
  await expect.poll(async () => (await dashboard.done()).done, { timeout: 20_000 }).toBeGreaterThan(10)
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(dashboard.main).toContainText('Paused')
  // In-flight requests finish; then nothing moves.
  await expect.poll(() => dashboard.cardNumber('In flight'), { timeout: 10_000 }).toBe(0)
  const held = (await dashboard.done()).done
  await page.waitForTimeout(1_500)
  expect((await dashboard.done()).done).toBe(held)
  expect(held).toBeLessThan(120)
  await shot(page, '07-paused')

  await page.getByRole('button', { name: 'Resume' }).click()
  await dashboard.waitForDone(30_000)
  expect(await dashboard.done()).toEqual({ done: 120, total: 120 })
})

test('a reload mid-run continues without gaps or double counts', async ({ page, app }) => {
  const setup = new SetupPage(page)
  await setup.open(app.url)
  await setup.enterUrls(await slowList(app, 200))
  await setup.setNumber('Concurrency', 16)
  await setup.setNumber('Concurrency per host', 16)
  await setup.start()

  const dashboard = new DashboardPage(page)
  await expect.poll(async () => (await dashboard.done()).done, { timeout: 20_000 }).toBeGreaterThan(30)
  const before = (await dashboard.done()).done
  await page.reload()
  await expect(dashboard.main.getByRole('progressbar', { name: 'Run progress' })).toBeVisible()
  expect((await dashboard.done()).done).toBeGreaterThanOrEqual(before)
  await shot(page, '08-after-reload')
  await dashboard.waitForDone(40_000)
  expect(await dashboard.done()).toEqual({ done: 200, total: 200 })
  const ok = await dashboard.cardNumber('OK')
  const failed = await dashboard.cardNumber('Failed')
  expect(ok + failed).toBe(200)
  await expect(dashboard.figure('Latency distribution')).toContainText('200 finished requests')
})
