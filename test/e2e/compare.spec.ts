import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CrawlerBackend } from '../../electron/core/api/index.ts'
import { expect, shot, test } from './fixtures.ts'
import { AppShell, ComparePage } from './pages.ts'

/**
 * Comparing two runs of one list against two loopback sites whose answers change between the
 * runs: one URL of each kind of change, the rest unchanged. Then the counts, the filters, the
 * host table's order and the CSV export, as a person sees them.
 */

interface Site {
  readonly origin: string
  readonly server: Server
}

/** What each path answers in the first and the second run: [status, delay ms]. */
const PATHS: Readonly<Record<string, readonly [[number, number], [number, number]]>> = {
  '/flaky': [[200, 5], [500, 5]],
  '/recovers': [[503, 5], [200, 5]],
  '/status': [[503, 5], [500, 5]],
  '/slow': [[200, 10], [200, 1_500]],
  '/slower-too': [[200, 10], [200, 1_500]]
} // prettier-ignore

/**
 * Every other page answers in this time in both runs. Long enough that a stall on a busy machine
 * (a slow second run of a 5 ms page takes 255 ms) cannot make one "much slower" (2× and +250 ms).
 */
const STEADY_MS = 300

async function startSite(phase: () => 0 | 1): Promise<Site> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const [status, delayMs] = PATHS[path]?.[phase()] ?? [200, STEADY_MS]
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'text/html' })
      res.end(`<title>${path}</title>`)
    }, delayMs)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

async function runToEnd(backend: CrawlerBackend, name: string, urls: readonly string[]): Promise<string> {
  const { runId } = await backend.startRun({
    name,
    urlsText: urls.join('\n'),
    config: { retries: 0, concurrency: 8, perHostConcurrency: 4 }
  })
  await expect
    .poll(async () => (await backend.listRuns()).find((r) => r.runId === runId)?.status.kind, {
      timeout: 30_000
    })
    .toBe('completed')
  return runId
}

test('Compare: counts per kind, filters, search, host deltas and the CSV export', async ({ page, app }) => {
  test.setTimeout(120_000)
  let phase: 0 | 1 = 0
  const a = await startSite(() => phase)
  const b = await startSite(() => phase)
  try {
    const common = [
      ...Array.from({ length: 12 }, (_, i) => `${a.origin}/page/${i}`),
      ...Array.from({ length: 12 }, (_, i) => `${b.origin}/page/${i}`),
      `${a.origin}/flaky`,
      `${a.origin}/recovers`,
      `${a.origin}/status`,
      `${b.origin}/slow`,
      `${b.origin}/slower-too`
    ]
    const before = await runToEnd(app.backend, 'Before the deploy', [...common, `${a.origin}/gone`])
    phase = 1
    const after = await runToEnd(app.backend, 'After the deploy', [`${b.origin}/new`, ...common])

    await page.goto(app.url)
    const shell = new AppShell(page)
    await shell.theme('Light')
    await shell.go('Compare')
    const compare = new ComparePage(page)
    await compare.pick(before, after)

    await expect(compare.main.getByRole('status').filter({ hasText: 'URLs in both runs' })).toContainText(
      '29 URLs in both runs, 5 of them changed; 1 only in the base, 1 only in the other.'
    )
    for (const [label, n] of [
      ['All', 7],
      ['Newly failing', 1],
      ['Fixed', 1],
      ['Status changed', 1],
      ['Much slower', 2],
      ['Only in base', 1],
      ['Only in other', 1]
    ] as const) {
      expect(await compare.chipCount(label), label).toBe(n)
    }
    // Listed by kind, in the chips' order.
    await expect
      .poll(() => compare.changedUrls())
      .toEqual([
        `${a.origin}/flaky`,
        `${a.origin}/recovers`,
        `${a.origin}/status`,
        `${b.origin}/slow`,
        `${b.origin}/slower-too`,
        `${a.origin}/gone`,
        `${b.origin}/new`
      ])
    await expect(compare.main.getByRole('figure', { name: 'Latency distribution' })).toBeVisible()
    await expect(compare.main.getByText('Base: Before the deploy')).toBeVisible()
    await shot(page, 'compare-light')

    // Filters: one kind, two kinds, then a search across all.
    await compare.chip('Newly failing').click()
    await expect.poll(() => compare.changedUrls()).toEqual([`${a.origin}/flaky`])
    await expect(compare.chip('Newly failing')).toHaveAttribute('aria-pressed', 'true')
    await compare.chip('Much slower').click()
    await expect
      .poll(() => compare.changedUrls())
      .toEqual([`${a.origin}/flaky`, `${b.origin}/slow`, `${b.origin}/slower-too`])
    await compare.chip('All').click()
    await compare.search.fill('RECOVERS')
    await expect.poll(() => compare.changedUrls()).toEqual([`${a.origin}/recovers`])
    await compare.search.fill('')
    await expect.poll(() => compare.changedUrls()).toHaveLength(7)

    // Hosts: both sites. Two of the second site's 14 pages took 1.5 s more: its p95 grew by over a
    // second (the first site's moved by noise only), so it leads when sorted by the change of p95.
    const hostA = new URL(a.origin).host
    const hostB = new URL(b.origin).host
    await expect.poll(async () => (await compare.hostOrder()).sort()).toEqual([hostA, hostB].sort())
    await compare.sortHosts('Δ p95')
    await expect.poll(() => compare.hostOrder()).toEqual([hostB, hostA])
    await expect(compare.hosts.getByRole('row', { name: new RegExp(hostB) })).toContainText('slower')
    await compare.sortHosts('Δ p95')
    await expect.poll(() => compare.hostOrder()).toEqual([hostA, hostB])

    await shell.theme('Dark')
    // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
    await page.evaluate(() => {
      window.scrollTo(0, 0)
    })
    await shot(page, 'compare-dark')
    await shell.theme('Light')

    // The export: a CSV download of what the filters select (here every change).
    const download = page.waitForEvent('download')
    await compare.export('CSV')
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^crawlboard-compare-.*\.csv$/)
    const text = await readFile(await file.path(), 'utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    const lines = text
      .slice(1)
      .split('\r\n')
      .filter((l) => l !== '')
    expect(lines[0]).toBe(
      'url,change,base_status,base_ok,base_error_code,base_total_ms,other_status,other_ok,other_error_code,other_total_ms,delta_ms'
    )
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual([
      `${a.origin}/flaky newly-failing`,
      `${a.origin}/recovers fixed`,
      `${a.origin}/status status-changed`,
      `${b.origin}/slow much-slower`,
      `${b.origin}/slower-too much-slower`,
      `${a.origin}/gone only-in-base`,
      `${b.origin}/new only-in-other`
    ])

    // Swapping the runs turns the kinds around. (Whether some page was much slower in the first
    // run, a cold start on a busy machine, is timing: not asserted.)
    await compare.main.getByRole('button', { name: 'Swap the base and the other run' }).click()
    await expect(compare.picker('Base run')).toHaveValue(after)
    await compare.chip('Newly failing').click()
    await expect.poll(() => compare.changedUrls()).toEqual([`${a.origin}/recovers`])
    await compare.chip('Newly failing').click()
    await compare.chip('Only in base').click()
    await expect.poll(() => compare.changedUrls()).toEqual([`${b.origin}/new`])
  } finally {
    a.server.close()
    b.server.close()
  }
})

test('Compare: two runs with no URL in common say so', async ({ page, app }) => {
  const site = await startSite(() => 0)
  try {
    const first = await runToEnd(app.backend, 'List one', [`${site.origin}/one/1`, `${site.origin}/one/2`])
    const second = await runToEnd(app.backend, 'List two', [`${site.origin}/two/1`])
    await page.goto(app.url)
    await new AppShell(page).go('Compare')
    const compare = new ComparePage(page)
    await compare.pick(first, second)
    await expect(compare.main.getByRole('note')).toContainText('These runs have no URLs in common.')
    expect(await compare.chipCount('Only in base')).toBe(2)
    expect(await compare.chipCount('Only in other')).toBe(1)
    await shot(page, 'compare-no-common')
  } finally {
    site.server.close()
  }
})
