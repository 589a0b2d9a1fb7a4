import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, type CliIo } from '../../electron/cli/run.ts'
import { openRunStore } from '../../electron/core/store/index.ts'
import type { StopSignal } from '../../electron/core/run/signals.ts'

/**
 * A URL file streamed into the run store (issue 11): what a long file yields, what is reported of
 * its bad lines, and what a resume fetches, through the runner against a loopback server that
 * counts every request per URL, on a real SQLite file.
 */

let server: Server
let origin: string
const hits = new Map<string, number>()
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-stream-'))
  server = createServer((req, res) => {
    const url = req.url ?? '/'
    hits.set(url, (hits.get(url) ?? 0) + 1)
    const delay = url.includes('slow') ? 5 : 0
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    }, delay)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

interface Cli {
  readonly done: Promise<number>
  stderr: string
  signal(signal: StopSignal): void
}

function cli(argv: string[]): Cli {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  stdout.resume()
  const input = new PassThrough()
  input.end()
  let handler: ((signal: StopSignal) => void) | null = null
  const io: CliIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: input,
    onSignal: (h) => {
      handler = h
      return () => {
        handler = null
      }
    }
  }
  const state: Cli = {
    done: runCli(argv, io),
    stderr: '',
    signal: (signal) => handler?.(signal)
  }
  stderr.on('data', (c: Buffer) => {
    state.stderr += c.toString()
  })
  return state
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('a 200,000-line URL file', () => {
  it('stores exactly its deduplicated valid URLs, in order, fetches each once and reports bad lines by number', async () => {
    const lines: string[] = []
    const distinct = 12_000
    for (let i = 0; i < 200_000; i++) {
      if (i % 7 === 0) lines.push(i % 2 === 0 ? `ftp://files.example/${i}` : `not a url ${i}`)
      else lines.push(`${origin}/p/${(i * 7919) % distinct}`)
    }
    const expected: string[] = []
    const seen = new Set<string>()
    for (const line of lines) {
      if (!line.startsWith('http') || seen.has(line)) continue
      seen.add(line)
      expected.push(line)
    }
    const invalid = lines.filter((l) => !l.startsWith('http')).length
    const file = join(dir, 'long.txt')
    const db = join(dir, 'long.db')
    await writeFile(file, lines.join('\n') + '\n')
    hits.clear()
    const run = cli([
      '--urls',
      file,
      '--db',
      db,
      '--quiet',
      '--retries',
      '0',
      '--concurrency',
      '200',
      '--per-host',
      '200'
    ])
    expect(await run.done).toBe(0)

    // Line 1 (i = 0) is the first bad one; every 7th line after it is bad too.
    expect(run.stderr).toContain(`invalid: ${file} line 1: unsupported scheme "ftp:"`)
    expect(run.stderr).toContain(`invalid: ${file} line 8: not a URL: "not a url 7"`)
    expect(run.stderr).toContain(`invalid: … and ${invalid - 20} more lines`)
    expect(run.stderr).toContain(
      `${expected.length} URLs to fetch; ${invalid} invalid lines skipped; ${200_000 - invalid - expected.length} duplicates collapsed.`
    )

    const store = openRunStore(db)
    try {
      const [entry] = store.listRuns()
      if (entry === undefined) throw new Error('no run recorded')
      const stored = [...store.iterateRunUrls(entry.runId)]
      expect(stored.map((u) => u.url)).toEqual(expected)
      expect(stored.map((u) => u.id)).toEqual(expected.map((_, i) => i))
      expect(store.countResults(entry.runId)).toBe(expected.length)
      expect(store.getRun(entry.runId)?.total).toBe(expected.length)
    } finally {
      store.close()
    }
    expect(hits.size).toBe(expected.length)
    expect([...hits.values()].every((n) => n === 1)).toBe(true)
  }, 180_000)

  it('a file with no valid line is refused before any run is made', async () => {
    const file = join(dir, 'none.txt')
    await writeFile(file, Array.from({ length: 30_000 }, (_, i) => `gopher://x/${i}`).join('\n'))
    const run = cli(['--urls', file, '--db', join(dir, 'none.db'), '--quiet'])
    expect(await run.done).toBe(2)
    expect(run.stderr).toContain(`${file} line 1: unsupported scheme "gopher:"`)
    expect(run.stderr).toContain('invalid: … and 29980 more lines')
    expect(run.stderr).toContain(`no valid URLs in ${file}`)
  })
})

describe('an interrupted streamed run', () => {
  it('resumes fetching only the URLs without a result, each once', async () => {
    const count = 25_000
    const urls = Array.from({ length: count }, (_, i) => `${origin}/slow/${i}`)
    const file = join(dir, 'resume.txt')
    const db = join(dir, 'resume.db')
    // One duplicate, so the runner reports the input (and so that it has all been read) at its end.
    await writeFile(file, [...urls, urls[0]].join('\n'))
    hits.clear()
    const first = cli([
      '--urls',
      file,
      '--db',
      db,
      '--quiet',
      '--retries',
      '0',
      '--concurrency',
      '50',
      '--per-host',
      '50'
    ])
    await until('the whole file stored and 2,000 requests', () => {
      const sent = [...hits.values()].reduce((a, b) => a + b, 0)
      return first.stderr.includes(`${count} URLs to fetch`) && sent >= 2_000
    })
    first.signal('SIGINT')
    expect(await first.done).toBe(130)

    const store = openRunStore(db)
    let runId: string
    let doneBefore: Set<string>
    try {
      const [entry] = store.listRuns()
      if (entry === undefined) throw new Error('no run recorded')
      runId = entry.runId
      expect(store.getRun(runId)?.total).toBe(count)
      const pending = new Set(store.pendingUrls(runId).map((u) => u.url))
      expect(pending.size).toBeGreaterThan(0)
      expect(pending.size).toBeLessThan(count - 1_000)
      doneBefore = new Set(urls.filter((u) => !pending.has(u)))
    } finally {
      store.close()
    }

    hits.clear()
    const second = cli(['--resume', 'last', '--db', db, '--quiet'])
    expect(await second.done).toBe(0)
    for (const url of doneBefore) expect(hits.get(new URL(url).pathname)).toBeUndefined()
    expect([...hits.values()].every((n) => n === 1)).toBe(true)
    expect(hits.size).toBe(count - doneBefore.size)

    const after = openRunStore(db)
    try {
      expect(after.countResults(runId)).toBe(count)
      expect(after.pendingUrls(runId)).toEqual([])
    } finally {
      after.close()
    }
  }, 180_000)
})
