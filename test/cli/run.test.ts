import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoTarget, type DemoTarget } from '../../electron/core/demo/demo-target.ts'
import { runCli, type CliIo } from '../../electron/cli/run.ts'
import type { RequestResult } from '../../shared/result.ts'

const run = promisify(execFile)

interface Captured {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

async function cli(argv: string[], stdin = ''): Promise<Captured> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const input = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  input.end(stdin)
  const io: CliIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: input,
    onSignal: () => () => undefined
  }
  const code = await runCli(argv, io)
  return { code, stdout: out, stderr: err }
}

let target: DemoTarget
let dir: string

beforeAll(async () => {
  target = await startDemoTarget()
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-cli-'))
  // Every crawl is recorded in a run store: keep this suite's runs in its temp folder.
  process.env['CRAWLBOARD_DB'] = join(dir, 'runs.db')
})

afterAll(async () => {
  delete process.env['CRAWLBOARD_DB']
  await target.close()
  await rm(dir, { recursive: true, force: true })
})

describe('bad usage exits 2 with a message naming what was wrong', () => {
  it.each([
    [['--concurrency', 'lots', 'http://x.test/'], '--concurrency: expected a whole number, got "lots"'],
    [['--concurrency', '0', 'http://x.test/'], '--concurrency:'],
    [['--retries', '99', 'http://x.test/'], '--retries:'],
    [['--format', 'xml', 'http://x.test/'], '--format: expected ndjson, csv or json, got "xml"'],
    [['--header', 'nocolon', 'http://x.test/'], '--header: expected "Name: value"'],
    [['--preset', 'turbo', 'http://x.test/'], '--preset: expected one of workshop-demo, polite, fast'],
    [['--bogus'], "Unknown option '--bogus'"],
    [[], 'No URLs given'],
    [['--urls', '/nonexistent/urls.txt'], '--urls /nonexistent/urls.txt: no such file']
  ])('%j', async (argv, message) => {
    const result = await cli(argv)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })

  it('a list with no valid URL is refused with each line explained', async () => {
    const file = join(dir, 'bad.txt')
    await writeFile(file, '# only junk\nftp://files.example/x\nnot a url\n')
    const result = await cli(['--urls', file])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`${file} line 2: unsupported scheme "ftp:"`)
    expect(result.stderr).toMatch(/line 3: /)
    expect(result.stderr).toContain('no valid URLs')
  })

  it('an output path that cannot be created is refused before the run', async () => {
    const result = await cli(['--out', join(dir, 'missing', 'x.ndjson'), target.url('/healthz')])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--out')
  })
})

describe('a crawl', () => {
  it('reports invalid lines with their numbers, collapses duplicates and writes one NDJSON object per URL', async () => {
    const file = join(dir, 'urls.txt')
    const out = join(dir, 'out.ndjson')
    await writeFile(
      file,
      [
        '# a comment',
        target.url('/status/200'),
        '',
        target.url('/status/404'),
        'ftp://example.com/file',
        target.url('/status/200'),
        target.url('/entities'),
        'http://'
      ].join('\n')
    )
    const result = await cli(['--urls', file, '--out', out, '--retries', '0', '--quiet'])
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(`${file} line 5: unsupported scheme "ftp:"`)
    expect(result.stderr).toContain(`${file} line 8:`)
    expect(result.stderr).toContain('3 URLs to fetch; 2 invalid lines skipped; 1 duplicates collapsed.')
    const lines = (await readFile(out, 'utf8')).trim().split('\n')
    const results = lines.map((l) => JSON.parse(l) as RequestResult).sort((a, b) => a.id - b.id)
    expect(results.map((r) => [r.status, r.ok])).toEqual([
      [200, true],
      [404, false],
      [200, true]
    ])
    expect(results[1]?.error?.code).toBe('HTTP_STATUS')
    expect(results[0]?.timings.total).toBeGreaterThan(0)
    // The summary table names counts, percentiles and failures by code.
    expect(result.stderr).toMatch(/ok\s+2 \(66\.7%\)/)
    expect(result.stderr).toMatch(/failed\s+1 \(33\.3%\)/)
    expect(result.stderr).toContain('HTTP_STATUS')
    expect(result.stderr).toContain('p95')
  })

  it('writes spreadsheet-safe CSV with a BOM, and --fail-on-error exits 1 when a request failed', async () => {
    const out = join(dir, 'out.csv')
    const result = await cli([
      target.url('/status/500'),
      target.url('/page/3'),
      '--out',
      out,
      '--retries',
      '0',
      '--fail-on-error',
      '--quiet'
    ])
    expect(result.code).toBe(1)
    const text = await readFile(out, 'utf8')
    expect(text.startsWith('\uFEFFid,url,final_url,status,ok,')).toBe(true)
    expect(text.trim().split('\r\n')).toHaveLength(3)
    expect(text).toContain(',500,false,HTTP_STATUS,')
  })

  it('writes one JSON document with results and the summary', async () => {
    const out = join(dir, 'out.json')
    const result = await cli([target.url('/redirect/2'), '--out', out, '--quiet'])
    expect(result.code).toBe(0)
    const doc = JSON.parse(await readFile(out, 'utf8')) as {
      results: RequestResult[]
      summary: { total: number; ok: number }
    }
    expect(doc.results).toHaveLength(1)
    expect(doc.results[0]?.redirects).toHaveLength(2)
    expect(doc.summary).toMatchObject({ total: 1, ok: 1 })
  })

  it('reads URLs from standard input and streams NDJSON to standard output', async () => {
    const result = await cli(
      ['--urls', '-', '--out', '-'],
      `${target.url('/page/1')}\n${target.url('/page/2')}\n`
    )
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect((JSON.parse(lines[0] ?? '{}') as RequestResult).title).toMatch(/^Page \d/)
  })

  it('prints periodic plain progress lines when not on a terminal', async () => {
    const result = await cli([target.url('/delay/2300')])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/\[[#.]+\]\s+\d+% 0\/1/)
  })

  it('--demo starts the demo target and crawls its generated list', async () => {
    const out = join(dir, 'demo.ndjson')
    const result = await cli([
      '--demo',
      '--demo-count',
      '60',
      '--headers-timeout-ms',
      '1000',
      '--out',
      out,
      '--quiet'
    ])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/Demo target listening on http:\/\/127\.0\.0\.1:\d+/)
    const lines = (await readFile(out, 'utf8')).trim().split('\n')
    expect(lines).toHaveLength(60)
    expect(result.stderr).toContain('60 of 60 done')
  }, 60_000)
})

describe('entry point', () => {
  it('runs as a program and prints usage', async () => {
    const { stdout } = await run(process.execPath, ['electron/cli/main.ts', '--help'])
    expect(stdout).toContain('Usage: crawlboard')
    expect(stdout).toContain('--per-host N')
  })
})
