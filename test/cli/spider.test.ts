import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES, runCli, type CliIo } from '../../electron/cli/run.ts'
import { openRunStore } from '../../electron/core/store/index.ts'
import type { RequestResult } from '../../shared/result.ts'
import { startSite, type TestSite } from '../helpers/spider-site.ts'

/** The headless runner in spider mode: flags, clear errors, progress and the closing report. */

interface Captured {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

async function cli(argv: string[]): Promise<Captured> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  const io: CliIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: new PassThrough(),
    onSignal: () => () => undefined
  }
  const code = await runCli(argv, io)
  return { code, stdout: out, stderr: err }
}

let dir: string
let site: TestSite | null = null

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-spider-cli-'))
  process.env['CRAWLBOARD_DB'] = join(dir, 'runs.db')
})
afterAll(async () => {
  delete process.env['CRAWLBOARD_DB']
  await rm(dir, { recursive: true, force: true })
})
afterEach(async () => {
  await site?.close()
  site = null
})

describe('spider flags: bad usage exits 2 naming the flag', () => {
  it.each([
    [
      ['--spider', 'http://x.test/', '--include', 'a('],
      '--include: Include pattern "a(" is not a valid regular expression'
    ],
    [['--spider', 'http://x.test/', '--exclude', ''], '--exclude: Exclude pattern is empty'],
    [['--spider', 'http://x.test/', '--scope', 'world'], '--scope:'],
    [
      ['--spider', 'http://x.test/', '--max-depth', 'deep'],
      '--max-depth: expected a whole number, got "deep"'
    ],
    [['--spider', 'http://x.test/', '--max-pages', '0'], '--max-pages:'],
    [['--spider', 'http://x.test/', '--max-variant-chain', '0'], '--max-variant-chain:'],
    [['--spider', 'http://x.test/', '--max-url-length', '10'], '--max-url-length:'],
    [['--spider', 'http://x.test/', '--max-rps', 'fast'], '--max-rps: expected a number, got "fast"'],
    [['--spider', 'http://x.test/', '--safeguard', '150'], '--safeguard:'],
    [
      ['http://x.test/', '--max-depth', '2'],
      '--max-depth applies to spider mode: start from a page with --spider URL'
    ],
    [['http://x.test/', '--ignore-robots'], '--ignore-robots applies to spider mode']
  ])('%j', async (argv, message) => {
    const { code, stderr } = await cli(argv)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  })

  it('lists the spider flags in --help', async () => {
    const { code, stdout } = await cli(['--help'])
    expect(code).toBe(0)
    for (const flag of [
      '--spider URL',
      '--max-depth',
      '--scope host|site|any',
      '--sitemap URL|FILE',
      '--ignore-robots',
      '--adaptive',
      '--safeguard-percent PCT',
      '--min-delay-ms MS',
      '--max-rps'
    ]) {
      expect(stdout).toContain(flag)
    }
  })
})

describe('crawl --spider', () => {
  it('follows links within the limits, reports robots refusals and traps, and records the run', async () => {
    site = await startSite(
      {
        '/': { links: ['/a', '/b', '/private/x', '/loop/x/loop/x/loop/x/loop/x/'] },
        '/a': { links: ['/a1'] },
        '/a1': { links: ['/a2'] },
        '/a2': {},
        '/b': {}
      },
      'User-agent: *\nDisallow: /private/\n'
    )
    const out = join(dir, 'spider.ndjson')
    const { code, stderr } = await cli([
      '--spider',
      site.url('/'),
      '--max-depth',
      '2',
      '--sitemap',
      join(dir, 'no-such-sitemap.xml'),
      '--out',
      out,
      '--quiet'
    ])
    expect(code).toBe(0)
    const results = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RequestResult & { type?: string })
      .filter((r) => r.type !== 'summary' && typeof r.url === 'string')
    const byPath = new Map(results.map((r) => [new URL(r.url).pathname, r]))
    expect([...byPath.keys()].sort()).toEqual(['/', '/a', '/a1', '/b', '/private/x'])
    expect(byPath.get('/private/x')?.error?.code).toBe('ROBOTS_DISALLOWED')
    expect(byPath.get('/a1')).toMatchObject({ depth: 2, foundOn: byPath.get('/a')?.id })
    expect(stderr).toContain('spider from 1 seed')
    expect(stderr).toMatch(/URLs found\s+6/)
    expect(stderr).toContain('Traps (1; URLs not fetched)')
    expect(stderr).toContain('REPEATING_PATH')
    // A sitemap that cannot be read is named in the report; the crawl goes on without it.
    expect(stderr).toMatch(/Sitemap problems \(1\)\n\s+.*no-such-sitemap\.xml/)
    expect(stderr).toMatch(/robots\.txt\n\s+http:\/\/127\.0\.0\.1:\d+\s+rules \(1 group\)/)
    const runId = /Saved as run (\S+) in/.exec(stderr)?.[1]
    // The id the summary names is one --resume takes.
    expect(runId).toMatch(/^run-[0-9a-z]+-[0-9a-f]{6}$/)
    const store = openRunStore(join(dir, 'runs.db'))
    try {
      const run = store.getRun(runId ?? '')
      expect(run?.config).toMatchObject({ mode: 'spider', maxDepth: 2 })
      expect(run?.total).toBe(5)
      expect(store.countResults(runId ?? '')).toBe(5)
      expect(store.pendingUrls(runId ?? '')).toEqual([])
    } finally {
      store.close()
    }
  })

  it('records --ignore-robots with the run and fetches what robots.txt disallows', async () => {
    site = await startSite(
      { '/': { links: ['/private/x'] }, '/private/x': {} },
      'User-agent: *\nDisallow: /\n'
    )
    const { code, stderr } = await cli(['--spider', site.url('/'), '--ignore-robots', '--quiet'])
    expect(code).toBe(0)
    expect(site.log.map((r) => r.path).sort()).toEqual(['/', '/private/x'])
    const runId = /Saved as run (\S+) in/.exec(stderr)?.[1] ?? ''
    const store = openRunStore(join(dir, 'runs.db'))
    try {
      expect(store.getRun(runId)?.flags).toMatchObject({ robotsIgnored: true })
    } finally {
      store.close()
    }
  })

  it('lists adaptive decisions and stops on the safeguard, resumable', async () => {
    const pages: Record<string, Parameters<typeof startSite>[0][string]> = {}
    const links: string[] = []
    for (let i = 0; i < 30; i++) {
      links.push(`/p${i}`)
      pages[`/p${i}`] = { answer: (_req, res) => res.writeHead(503, { 'content-type': 'text/html' }).end() }
    }
    pages['/'] = { links }
    site = await startSite(pages)
    const { code, stderr } = await cli([
      '--spider',
      site.url('/'),
      '--adaptive',
      '--safeguard',
      '50',
      '--retries',
      '0',
      '--per-host',
      '4',
      '--quiet'
    ])
    // The safeguard's own exit code: the run stopped early, saved and resumable.
    expect(code).toBe(EXIT_CODES.safeguard)
    expect(code).toBe(3)
    expect(stderr).toMatch(/: interrupted: the failure safeguard stopped it: Paused: \d+% of the last/)
    expect(stderr).toMatch(/Host decisions \(\d+\)/)
    expect(stderr).toMatch(/127\.0\.0\.1:\d+: 4 → 2 after three 503s in 10 s/)
    expect(stderr).toMatch(/Safeguard: Paused: \d+% of the last \d+ requests failed \(threshold 50%\)/)
    expect(stderr).toMatch(/continue it with --resume \S+/)
  })
})
