import { expect, shot, test } from './fixtures.ts'
import { DashboardPage, SetupPage } from './pages.ts'

/** `count` demo URLs of `ms` each on one host. */
async function delayList(
  app: { backend: { startDemoTarget(): Promise<{ origin: string }> } },
  count: number,
  ms: number
) {
  const { origin } = await app.backend.startDemoTarget()
  return Array.from({ length: count }, (_, i) => `${origin}/delay/${String(ms)}?n=${String(i)}`).join('\n')
}

test('the latency chart says what its lines and dots show, and the failure counts match the card', async ({
  page,
  app
}) => {
  await page.goto(app.url)
  await page.getByRole('button', { name: 'Run the workshop demo' }).click()
  const dashboard = new DashboardPage(page)
  await expect.poll(async () => (await dashboard.done()).done, { timeout: 30_000 }).toBeGreaterThan(100)
  const latency = dashboard.figure('Latency over time')
  await expect(latency).toContainText(
    'lines: percentiles of the last 10 s of results; a gap where fewer than 20 finished'
  )
  // 500 URLs: fewer than the sample holds, so every request is a dot.
  await expect(latency).toContainText(/dots: all [\d,]+ requests/)
  // Mid-run, the Failed card and the failure groups are one figure (read in one go).
  for (let i = 0; i < 3; i++) {
    const { card, groups } = await page.evaluate(() => {
      const main = document.querySelector('main')
      const dt = [...(main?.querySelectorAll('dt') ?? [])].find((d) => d.textContent === 'Failed')
      const card = dt?.nextElementSibling?.textContent ?? ''
      const groups = main?.querySelector('.failures__total')?.textContent ?? ''
      return { card, groups }
    })
    if (groups !== '') expect(groups).toBe(`${card} failed`)
    await page.waitForTimeout(700)
  }
  await shot(page, 'live-charts-01-demo-running', { fullPage: false })
  await dashboard.waitForDone(75_000)
  const failed = await dashboard.cardNumber('Failed')
  expect(failed).toBeGreaterThan(0)
  await expect(dashboard.main.getByRole('region', { name: 'Failures by error code' })).toContainText(
    `${failed.toLocaleString('en-US')} failed`
  )
})

test('a run larger than the sample says its dots are sampled across the run', async ({ page, app }) => {
  const setup = new SetupPage(page)
  await setup.open(app.url)
  await setup.enterUrls(await delayList(app, 2_400, 30))
  await setup.setNumber('Concurrency', 64)
  await setup.setNumber('Concurrency per host', 64)
  await setup.start()
  const dashboard = new DashboardPage(page)
  await dashboard.waitForDone(60_000)
  await expect(dashboard.figure('Latency over time')).toContainText(
    'dots: 1,500 of 2,400 requests, sampled across the run'
  )
})

test('close settings changes get marks whose labels do not overlap', async ({ page, app }) => {
  const setup = new SetupPage(page)
  await setup.open(app.url)
  await setup.enterUrls(await delayList(app, 2_000, 400))
  await setup.setNumber('Concurrency', 32)
  await setup.setNumber('Concurrency per host', 64)
  await setup.start()
  const dashboard = new DashboardPage(page)
  const inFlight = dashboard.figure('In flight vs limit')
  await expect(inFlight).toContainText('limit 32')
  for (const value of ['4', '64']) {
    await dashboard.liveConcurrency.fill(value)
    await dashboard.liveConcurrency.press('Enter')
    await expect(inFlight).toContainText(`limit ${value}`, { timeout: 10_000 })
  }
  await expect(inFlight.locator('.chart__mark-label', { hasText: 'concurrency 32 → 4' })).toBeVisible()
  await expect(inFlight.locator('.chart__mark-label', { hasText: 'concurrency 4 → 64' })).toBeVisible()
  await page.waitForTimeout(1_500)
  for (const name of ['In flight vs limit', 'Latency over time', 'Throughput']) {
    const boxes = await dashboard
      .figure(name)
      .locator('.chart__mark-label')
      .evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect()
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: el.textContent }
        })
      )
    expect(boxes.length, name).toBeGreaterThanOrEqual(2)
    for (const a of boxes)
      for (const b of boxes) {
        if (a === b) continue
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top
        expect(apart, `${name}: "${a.text}" overlaps "${b.text}"`).toBe(true)
      }
  }
  await inFlight.scrollIntoViewIfNeeded()
  await shot(page, 'live-charts-02-close-marks', { fullPage: false })
})
