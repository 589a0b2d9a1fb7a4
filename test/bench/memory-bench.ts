import { spawn } from 'node:child_process'
import { subscribe } from 'node:diagnostics_channel'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { WebSocket } from 'ws'

/**
 * Memory benchmarks (issue 11): each runs in a child process of its own, so one measurement's heap
 * is not the next one's starting point.
 * - list-1m: a 1,000,000-line URL file through the headless runner (`runCli`, as `npm run crawl`
 *   runs it): time from the call to the first request the engine sends, and RSS above idle until
 *   then; the run is then interrupted (as Ctrl-C does) after a few seconds.
 * - memory-500: 100,000 URLs at concurrency 500 through the runner: RSS growth (peak − idle).
 * - host-twice: the browser host (its backend, WebSocket API and a subscribed client), two
 *   consecutive 100,000-URL runs: RSS after each, after GC.
 * The demo target (test/bench/demo-server.ts) runs in yet another process.
 */

const mb = (bytes: number): number => bytes / 1024 / 1024
const rss = (): number => process.memoryUsage().rss
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.()
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface List1mFigures {
  readonly lines: number
  readonly idleMb: number
  readonly firstRequestMs: number
  /** Highest RSS from the call to the first request, above idle. */
  readonly aboveIdleBeforeFirstMb: number
  /** Highest RSS in the seconds after it (the rest of the file going into the store), above idle. */
  readonly aboveIdleAfterMb: number
}

export interface Memory500Figures {
  readonly requests: number
  readonly idleMb: number
  readonly peakMb: number
  readonly afterGcMb: number
  readonly growthMb: number
  /** JS heap in use: at its highest during the run, and after it (after GC), above idle. */
  readonly heapPeakMb: number
  readonly heapAfterMb: number
  readonly wallMs: number
}

export interface HostTwiceFigures {
  readonly requests: number
  readonly idleMb: number
  readonly afterFirstMb: number
  readonly afterSecondMb: number
  /** After the second run minus after the first. */
  readonly secondOverFirstMb: number
}

export async function benchList1m(origin: string): Promise<List1mFigures> {
  return child('list-1m', origin) as Promise<List1mFigures>
}

export async function benchMemory500(origin: string): Promise<Memory500Figures> {
  return child('memory-500', origin) as Promise<Memory500Figures>
}

export async function benchHostTwice(origin: string): Promise<HostTwiceFigures> {
  return child('host-twice', origin) as Promise<HostTwiceFigures>
}

async function child(mode: string, origin: string): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), `crawlboard-${mode}-`))
  try {
    const out = join(dir, 'figures.json')
    const proc = spawn(
      process.execPath,
      [
        '--experimental-strip-types',
        '--no-warnings=ExperimentalWarning',
        '--expose-gc',
        'test/bench/memory-bench.ts',
        'child',
        mode,
        origin,
        dir,
        out
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] }
    )
    const [code] = (await once(proc, 'exit')) as [number | null]
    if (code !== 0) throw new Error(`memory bench ${mode} exited with ${code}`)
    return JSON.parse(await readFile(out, 'utf8')) as unknown
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A URL file: `lines` lines of distinct demo URLs, with a duplicate and an invalid line every 1,000. */
async function writeUrlFile(path: string, origin: string, lines: number): Promise<void> {
  const stream = createWriteStream(path)
  let chunk = ''
  for (let i = 0; i < lines; i++) {
    chunk +=
      i % 1000 === 998
        ? 'ftp://not-fetched.example/x\n'
        : i % 1000 === 999
          ? `${origin}/delay/0?m=${i - 1}\n`
          : `${origin}/delay/0?m=${i}\n`
    if (chunk.length > 1 << 16) {
      if (!stream.write(chunk)) await once(stream, 'drain')
      chunk = ''
    }
  }
  stream.end(chunk)
  await once(stream, 'finish')
}

interface CliHarness {
  readonly io: import('../../electron/cli/run.ts').CliIo
  readonly interrupt: () => void
}

function cliIo(): CliHarness {
  const sink = (): NodeJS.WriteStream => {
    const s = new PassThrough()
    s.resume()
    return s as unknown as NodeJS.WriteStream
  }
  let handler: ((signal: 'SIGINT' | 'SIGTERM') => void) | null = null
  const input = new PassThrough()
  input.end()
  return {
    io: {
      stdout: sink(),
      stderr: sink(),
      stdin: input,
      onSignal: (h) => {
        handler = h
        return () => {
          handler = null
        }
      }
    },
    interrupt: () => handler?.('SIGINT')
  }
}

/** Calls `listener` once, when the engine's HTTP client creates its first request. */
function onFirstRequest(listener: () => void): void {
  let seen = false
  subscribe('undici:request:create', () => {
    if (seen) return
    seen = true
    listener()
  })
}

async function childList1m(origin: string, dir: string): Promise<List1mFigures> {
  const lines = 1_000_000
  const file = join(dir, 'urls.txt')
  await writeUrlFile(file, origin, lines)
  const { runCli } = await import('../../electron/cli/run.ts')
  await settle()
  const idle = rss()
  let peak = idle
  let firstAt = 0
  let peakBefore = 0
  const harness = cliIo()
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss())
  }, 10)
  const t0 = performance.now()
  const firstSeen = new Promise<void>((resolve) => {
    onFirstRequest(() => {
      firstAt = performance.now()
      peakBefore = Math.max(peak, rss())
      resolve()
    })
  })
  const ran = runCli(
    [
      '--urls',
      file,
      '--db',
      join(dir, 'runs.db'),
      '--quiet',
      '--concurrency',
      '100',
      '--per-host',
      '100',
      '--retries',
      '0'
    ],
    harness.io
  )
  await Promise.race([firstSeen, ran])
  // The rest of the file goes into the store while the run fetches; then Ctrl-C.
  await new Promise((r) => setTimeout(r, 8_000))
  harness.interrupt()
  await ran
  clearInterval(sampler)
  return {
    lines,
    idleMb: mb(idle),
    firstRequestMs: firstAt === 0 ? NaN : firstAt - t0,
    aboveIdleBeforeFirstMb: mb(peakBefore - idle),
    aboveIdleAfterMb: mb(peak - idle)
  }
}

async function childMemory500(origin: string, dir: string): Promise<Memory500Figures> {
  const requests = 100_000
  const file = join(dir, 'urls.txt')
  const text = Array.from({ length: requests }, (_, i) => `${origin}/delay/0?m=${i}`).join('\n')
  await writeFile(file, text)
  const { runCli } = await import('../../electron/cli/run.ts')
  await settle()
  const idle = rss()
  const heapIdle = process.memoryUsage().heapUsed
  let peak = idle
  let heapPeak = heapIdle
  const sampler = setInterval(() => {
    const m = process.memoryUsage()
    peak = Math.max(peak, m.rss)
    heapPeak = Math.max(heapPeak, m.heapUsed)
  }, 50)
  const t0 = performance.now()
  const code = await runCli(
    [
      '--urls',
      file,
      '--db',
      join(dir, 'runs.db'),
      '--quiet',
      '--concurrency',
      '500',
      '--per-host',
      '500',
      '--retries',
      '0'
    ],
    cliIo().io
  )
  const wallMs = performance.now() - t0
  clearInterval(sampler)
  if (code !== 0) throw new Error(`the run exited with ${code}`)
  peak = Math.max(peak, rss())
  await settle()
  const after = rss()
  return {
    requests,
    idleMb: mb(idle),
    peakMb: mb(peak),
    afterGcMb: mb(after),
    growthMb: mb(peak - idle),
    heapPeakMb: mb(heapPeak - heapIdle),
    heapAfterMb: mb(process.memoryUsage().heapUsed - heapIdle),
    wallMs
  }
}

async function childHostTwice(origin: string, dir: string): Promise<HostTwiceFigures> {
  const requests = 100_000
  const { createCrawlerBackend } = await import('../../electron/core/index.ts')
  const { DEFAULT_CONFIG } = await import('../../shared/config.ts')
  const { startBrowserHost } = await import('../../electron/server/browser-host.ts')
  const rendererDir = join(dir, 'renderer')
  await mkdir(rendererDir)
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>')
  const backend = createCrawlerBackend({ dataDir: join(dir, 'data'), version: 'bench', transport: 'browser' })
  const host = await startBrowserHost({ rendererDir, backend, log: () => undefined })
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, {
    headers: { origin: `http://127.0.0.1:${host.port}` }
  })
  await once(ws, 'open')
  let nextId = 1
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>()
  let finishedRun: ((runId: string) => void) | null = null
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as {
      id?: number
      type?: string
      result?: unknown
      error?: { message: string }
      batch?: { runId: string; status: { kind: string } }
    }
    if (message.type === 'events') {
      if (message.batch?.status.kind === 'completed') finishedRun?.(message.batch.runId)
      return
    }
    if (message.id !== undefined) waiting.get(message.id)?.(message)
  })
  const call = async (method: string, ...args: unknown[]): Promise<unknown> => {
    const id = nextId++
    const answer = new Promise<{ result?: unknown; error?: { message: string } }>((resolve) =>
      waiting.set(id, resolve)
    )
    ws.send(JSON.stringify({ id, method, args }))
    const message = await answer
    waiting.delete(id)
    if (message.error) throw new Error(`${method}: ${message.error.message}`)
    return message.result
  }
  ws.send(JSON.stringify({ type: 'subscribe' }))
  const urlsText = Array.from({ length: requests }, (_, i) => `${origin}/delay/0?m=${i}`).join('\n')
  const config = { ...DEFAULT_CONFIG, concurrency: 200, perHostConcurrency: 200, retries: 0 }
  const oneRun = async (name: string): Promise<void> => {
    const done = new Promise<void>((resolve) => {
      finishedRun = () => {
        resolve()
      }
    })
    await call('startRun', { urlsText, config, name })
    await done
    // The dashboard asks for the run's snapshot and a page of results, as the app does after a run.
    await call('getSnapshot')
  }
  await settle()
  const idle = rss()
  await oneRun('first')
  await settle()
  const afterFirst = rss()
  await oneRun('second')
  await settle()
  const afterSecond = rss()
  ws.close()
  await host.close()
  await backend.close()
  return {
    requests,
    idleMb: mb(idle),
    afterFirstMb: mb(afterFirst),
    afterSecondMb: mb(afterSecond),
    secondOverFirstMb: mb(afterSecond - afterFirst)
  }
}

if (process.argv[2] === 'child') {
  const [mode, origin, dir, out] = process.argv.slice(3)
  if (mode === undefined || origin === undefined || dir === undefined || out === undefined) {
    throw new Error('usage: memory-bench.ts child MODE ORIGIN DIR OUT')
  }
  const figures =
    mode === 'list-1m'
      ? await childList1m(origin, dir)
      : mode === 'memory-500'
        ? await childMemory500(origin, dir)
        : mode === 'host-twice'
          ? await childHostTwice(origin, dir)
          : null
  if (figures === null) throw new Error(`unknown memory bench ${mode}`)
  await writeFile(out, JSON.stringify(figures))
  process.exit(0)
}
