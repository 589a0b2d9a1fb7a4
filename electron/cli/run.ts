import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { text as readStream } from 'node:stream/consumers'
import type { RunConfig } from '../../shared/config.ts'
import type { EngineEvent, FrontierCounts, HostDecision } from '../../shared/events.ts'
import { RunStats } from '../../shared/stats.ts'
import type { RunSummary } from '../../shared/summary.ts'
import {
  formatInvalidLine,
  parseUrlList,
  type InvalidLine,
  type ParsedUrlList
} from '../../shared/url-list.ts'
import {
  startDemoTarget,
  generateDemoUrls,
  type DemoTarget,
  CrawlEngine,
  type UrlTask,
  configFlags,
  spiderResumeOf,
  ownerFlags,
  restoreRunStats,
  type RunStore
} from '../core/index.ts'
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './args.ts'
import { progressLine, spiderProgress, spiderSummary, summaryTable } from './format.ts'
import { openResultWriter, type ResultWriter } from './result-writer.ts'
import { exportRun, findRun, listRuns, openCliStore } from './store.ts'

/**
 * The headless runner: the same engine the app drives, with progress in the terminal and results
 * streamed to a file. Returns the process exit code.
 */

export interface CliIo {
  readonly stdout: NodeJS.WriteStream
  readonly stderr: NodeJS.WriteStream
  readonly stdin: NodeJS.ReadableStream
  /** Registers an interrupt handler (Ctrl-C); returns a function that removes it. */
  readonly onInterrupt: (handler: () => void) => () => void
}

export const VERSION = '0.1.0'
/** The workshop demo serves three "hosts" (ports), so per-host behaviour shows. */
const DEMO_HOSTS = 3
const SHOWN_INVALID_LINES = 20
const PLAIN_PROGRESS_INTERVAL_MS = 2_000
const TTY_PROGRESS_INTERVAL_MS = 100
/** How often a running crawl saves its counts to the run store (History shows them; resume uses them). */
const SAVE_INTERVAL_MS = 1_000

const defaultIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  onInterrupt: (handler) => {
    process.on('SIGINT', handler)
    return () => process.off('SIGINT', handler)
  }
}

export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let options: CliOptions
  try {
    const command = parseCliArgs(argv)
    if (command.kind === 'help') {
      io.stdout.write(USAGE + '\n')
      return 0
    }
    if (command.kind === 'version') {
      io.stdout.write(`crawlboard ${VERSION}\n`)
      return 0
    }
    if (command.kind === 'runs') return listRuns(command.db, io)
    if (command.kind === 'export') return await exportRun(command.options, io, VERSION)
    options = command.options
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`crawlboard: ${error.message}\nRun with --help for usage.\n`)
    return 2
  }

  // The store first: a database the runner cannot record into stops it before anything is fetched.
  const store = openCliStore(options.db, io, { create: true })
  if (store === null) return 2
  let demo: DemoTarget | null = null
  try {
    if (options.resume !== null) return await resume(options, options.resume, store, io)
    if (options.demo) {
      demo = await startDemoTarget({ hosts: DEMO_HOSTS })
      io.stderr.write(`Demo target listening on ${demo.origins.join(', ')}\n`)
    }
    const input = await loadInput(options, demo, io)
    if (input === null) return 2
    return await crawl(options, input, store, io)
  } finally {
    await demo?.close()
    try {
      store.close()
    } catch (error) {
      io.stderr.write(
        `crawlboard: could not close the run database ${store.path}: ${(error as Error).message}\n`
      )
    }
  }
}

const newRunId = (): string => `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`

function runName(options: CliOptions, urls: readonly string[]): string {
  if (options.demo) return 'demo'
  if (options.urlsFile !== null && options.urlsFile !== '-') return basename(options.urlsFile)
  const first = urls[0] === undefined ? '' : new URL(urls[0]).host
  return urls.length > 1 ? `${first} +${urls.length - 1}` : first
}

async function crawl(
  options: CliOptions,
  urls: readonly string[],
  store: RunStore,
  io: CliIo
): Promise<number> {
  const out = await openOut(options, io)
  if (out === false) return 2
  const runId = newRunId()
  const now = Date.now()
  try {
    store.createRun({
      id: runId,
      name: runName(options, urls),
      config: options.config,
      urls,
      createdAt: now,
      state: 'running',
      flags: { ...ownerFlags(), ...configFlags(options.config) }
    })
    store.updateRun(runId, { startedAt: now, total: urls.length, paused: false })
  } catch (error) {
    io.stderr.write(`crawlboard: ${(error as Error).message}\n`)
    await out?.close(new RunStats({ runId, total: 0, startedAt: now }).summary(idleCounts(now)))
    return 2
  }
  io.stderr.write(
    options.config.mode === 'spider'
      ? `Run ${runId}: spider from ${urls.length} seed${urls.length === 1 ? '' : 's'}, recorded in ${store.path}\n`
      : `Run ${runId}: ${urls.length} URLs, recorded in ${store.path}\n`
  )
  const stats = new RunStats({ runId, total: urls.length, startedAt: now })
  return drive({
    options,
    config: options.config,
    runId,
    tasks: urls.map((url, id) => ({ id, url })),
    stats,
    store,
    out,
    io
  })
}

const idleCounts = (now: number) => ({ state: 'idle' as const, inFlight: 0, queued: 0, waitingRetry: 0, now })

/** Continues a stored run: only its URLs without a result are fetched; counts carry on. */
async function resume(options: CliOptions, ref: string, store: RunStore, io: CliIo): Promise<number> {
  const run = findRun(store, ref, io)
  if (run === null) return 2
  const out = await openOut(options, io)
  if (out === false) return 2
  const pending = store.pendingUrls(run.runId)
  const stats = restoreRunStats(store, run)
  stats.setTotal(run.total)
  // The time the run was not running (killed, or cancelled until now) is not active time.
  stats.notePaused(run.updatedAt)
  stats.noteResumed(Date.now())
  io.stderr.write(
    `Resuming run ${run.runId} (${run.name}): ${stats.done} of ${run.total} done, ${pending.length} to fetch; recorded in ${store.path}\n`
  )
  try {
    store.updateRun(run.runId, {
      state: 'running',
      finishedAt: null,
      paused: false,
      flags: ownerFlags(run.flags)
    })
  } catch (error) {
    io.stderr.write(`crawlboard: ${(error as Error).message}\n`)
    await out?.close(stats.summary(idleCounts(Date.now())))
    return 2
  }
  const spiderResume = run.config.mode === 'spider' ? spiderResumeOf(store, run, pending) : null
  return drive({
    options,
    config: run.config,
    runId: run.runId,
    tasks: pending,
    stats,
    store,
    out,
    io,
    ...(spiderResume ? { spiderResume } : {})
  })
}

/** The --out writer, null without --out, false after reporting a bad path. */
async function openOut(options: CliOptions, io: CliIo): Promise<ResultWriter | null | false> {
  if (options.out === null) return null
  try {
    return await openResultWriter(options.out, options.format, io.stdout)
  } catch (error) {
    io.stderr.write(`crawlboard: --out ${options.out}: ${(error as Error).message}\n`)
    return false
  }
}

async function loadInput(options: CliOptions, demo: DemoTarget | null, io: CliIo): Promise<string[] | null> {
  const lists: { label: string; parsed: ParsedUrlList; describe: (l: InvalidLine) => string }[] = []
  if (options.urls.length > 0) {
    lists.push({
      label: 'arguments',
      parsed: parseUrlList(options.urls.join('\n')),
      describe: (l) => `argument ${l.line}: ${l.reason}`
    })
  }
  if (options.urlsFile !== null) {
    let text: string
    try {
      text = options.urlsFile === '-' ? await readStream(io.stdin) : await readFile(options.urlsFile, 'utf8')
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)
      io.stderr.write(`crawlboard: --urls ${options.urlsFile}: ${reason}\n`)
      return null
    }
    lists.push({
      label: options.urlsFile === '-' ? 'standard input' : options.urlsFile,
      parsed: parseUrlList(text),
      describe: (l) => `${options.urlsFile === '-' ? 'stdin' : options.urlsFile} ${formatInvalidLine(l)}`
    })
  }
  if (demo) {
    lists.push({
      label: 'demo list',
      parsed: parseUrlList(generateDemoUrls(demo.origins, { count: options.demoCount }).join('\n')),
      describe: formatInvalidLine
    })
  }

  const urls: string[] = []
  const seen = new Set<string>()
  let duplicates = 0
  for (const { parsed, describe } of lists) {
    duplicates += parsed.duplicates
    for (const url of parsed.urls) {
      if (seen.has(url)) duplicates += 1
      else {
        seen.add(url)
        urls.push(url)
      }
    }
    const invalid = parsed.invalid
    for (const line of invalid.slice(0, SHOWN_INVALID_LINES)) io.stderr.write(`invalid: ${describe(line)}\n`)
    if (invalid.length > SHOWN_INVALID_LINES) {
      io.stderr.write(`invalid: … and ${invalid.length - SHOWN_INVALID_LINES} more lines\n`)
    }
  }
  const invalidCount = lists.reduce((n, l) => n + l.parsed.invalid.length, 0)
  if (invalidCount > 0 || duplicates > 0) {
    io.stderr.write(
      `${urls.length} URLs to fetch; ${invalidCount} invalid lines skipped; ${duplicates} duplicates collapsed.\n`
    )
  }
  if (urls.length === 0) {
    io.stderr.write(`crawlboard: no valid URLs in ${lists.map((l) => l.label).join(', ')}.\n`)
    return null
  }
  return urls
}

interface DriveArgs {
  readonly options: CliOptions
  readonly config: RunConfig
  readonly runId: string
  readonly tasks: readonly UrlTask[]
  /** The run's counts so far (empty for a new run); every new result is fed to it. */
  readonly stats: RunStats
  readonly store: RunStore
  readonly out: ResultWriter | null
  readonly io: CliIo
  /** A resumed spider run: URLs already fetched and the next free id. */
  readonly spiderResume?: { readonly known: Iterable<string>; readonly nextId: number }
}

/** Decisions kept for the closing report (a long run on a flaky host makes many). */
const MAX_REPORTED_DECISIONS = 1_000

/** Runs the engine over the tasks, recording every result in the store, and saves the outcome. */
async function drive(args: DriveArgs): Promise<number> {
  const { options, runId, stats, store, out, io } = args
  let storeTrouble = false
  const reportStore = (error: Error): void => {
    if (storeTrouble) return
    storeTrouble = true
    io.stderr.write(
      `\ncrawlboard: results could not be saved to ${store.path} yet (kept in memory and retried): ${error.message}\n`
    )
  }
  // Batched transactions on the writer's own timer: the progress path only appends to a buffer.
  const rows = store.resultWriter(runId, { onError: reportStore })
  const save = (summary: RunSummary): void => {
    try {
      rows.flush()
      store.updateRun(runId, { summary, stats: stats.toJSON() })
    } catch (error) {
      reportStore(error as Error)
    }
  }

  const engine = new CrawlEngine({ config: args.config, runId })
  const tty = io.stderr.isTTY && !options.quiet
  const progress = createProgress(io, tty, options.quiet || options.out === '-')
  let lastSave = Date.now()
  const report: {
    spider: boolean
    frontier: FrontierCounts | null
    decisions: HostDecision[]
    droppedDecisions: number
    traps: { url: string; code: string; message: string }[]
    trapCount: number
    sitemapProblems: string[]
    robots: Map<string, string>
    safeguard: string | null
  } = {
    spider: args.config.mode === 'spider',
    frontier: null,
    decisions: [],
    droppedDecisions: 0,
    traps: [],
    trapCount: 0,
    sitemapProblems: [],
    robots: new Map(),
    safeguard: null
  }
  engine.onEvent((event: EngineEvent) => {
    if (event.kind === 'request-finished') {
      stats.recordResult(event.result)
      rows.add(event.result)
      out?.write(event.result)
    } else if (event.kind === 'url-discovered') {
      report.frontier = event.frontier
      if (event.urls.length > 0) {
        stats.setTotal(stats.totalUrls + event.urls.length)
        try {
          // Recorded as found, so --resume continues the frontier.
          store.addRunUrls(
            runId,
            event.urls.map((u) => [u.id, u.url, u.depth, u.foundOn] as const)
          )
        } catch (error) {
          reportStore(error as Error)
        }
      }
    } else if (event.kind === 'host-decision') {
      if (report.decisions.length < MAX_REPORTED_DECISIONS) report.decisions.push(event.decision)
      else report.droppedDecisions++
      if (!options.quiet) io.stderr.write(`${tty ? '\r\x1b[K' : ''}decision: ${event.decision.reason}\n`)
    } else if (event.kind === 'trap-detected') {
      report.trapCount++
      if (report.traps.length < 20)
        report.traps.push({ url: event.url, code: event.code, message: event.message })
    } else if (event.kind === 'sitemap-problem') {
      report.sitemapProblems.push(event.message)
      if (!options.quiet) io.stderr.write(`${tty ? '\r\x1b[K' : ''}sitemap: ${event.message}\n`)
    } else if (event.kind === 'robots-status') {
      report.robots.set(event.origin, event.label)
    } else if (event.kind === 'safeguard-tripped') {
      // Nobody is there to resume a paused runner: stop, saved, and say how to continue.
      report.safeguard = event.reason
      io.stderr.write(`\n${event.reason}; stopping (continue with --resume ${runId})\n`)
      void engine.cancel()
    } else if (event.kind === 'run-progress') {
      const live = event.summary
      const now = Date.now()
      const summary = stats.summary({
        state: live.state,
        inFlight: live.inFlight,
        queued: live.queued,
        waitingRetry: live.waitingRetry,
        now
      })
      progress.update(summary, report.frontier)
      if (now - lastSave >= SAVE_INTERVAL_MS) {
        lastSave = now
        save(summary)
      }
    }
  })

  const interrupt = { requested: false }
  const removeInterrupt = io.onInterrupt(() => {
    if (interrupt.requested) {
      io.stderr.write('\nInterrupted twice: exiting without waiting.\n')
      process.exit(130)
    }
    interrupt.requested = true
    io.stderr.write('\nInterrupted: cancelling in-flight requests (press Ctrl-C again to quit now)…\n')
    void engine.cancel()
  })

  // A resumed run with nothing left to fetch just completes.
  const state =
    args.tasks.length === 0
      ? 'completed'
      : (
          await engine.start(args.tasks, {
            ...(args.spiderResume ? { known: args.spiderResume.known, nextId: args.spiderResume.nextId } : {})
          })
        ).state
  removeInterrupt()
  progress.finish()
  const finishedAt = Date.now()
  const summary = stats.summary({
    state,
    inFlight: 0,
    queued: state === 'cancelled' ? Math.max(0, stats.totalUrls - stats.done) : 0,
    waitingRetry: 0,
    now: finishedAt,
    finishedAt
  })
  let saved = true
  try {
    rows.close()
    store.updateRun(runId, { state, summary, stats: stats.toJSON(), finishedAt, total: stats.totalUrls })
  } catch (error) {
    saved = false
    io.stderr.write(`crawlboard: could not save the run to ${store.path}: ${(error as Error).message}\n`)
  }
  await out?.close(summary)
  io.stderr.write(summaryTable(summary) + '\n')
  const spiderText = spiderSummary(report)
  if (spiderText !== '') io.stderr.write(spiderText + '\n')
  if (options.out !== null && options.out !== '-')
    io.stderr.write(`Results: ${options.out} (${options.format})\n`)
  if (saved) {
    io.stderr.write(
      state === 'completed'
        ? `Saved as run ${runId} in ${store.path}\n`
        : `Saved as run ${runId} in ${store.path}; continue it with --resume ${runId}\n`
    )
  }
  if (interrupt.requested) return 130
  if (!saved) return 2
  return options.failOnError && summary.failed > 0 ? 1 : 0
}

interface Progress {
  update(summary: Parameters<typeof progressLine>[0], frontier: FrontierCounts | null): void
  finish(): void
}

function createProgress(io: CliIo, tty: boolean, silent: boolean): Progress {
  let last = 0
  let drawn = false
  return {
    update(summary, frontier) {
      if (silent) return
      const now = Date.now()
      const interval = tty ? TTY_PROGRESS_INTERVAL_MS : PLAIN_PROGRESS_INTERVAL_MS
      if (now - last < interval) return
      last = now
      if (tty) {
        const width = io.stderr.columns || 100
        const line = progressLine(summary, width) + spiderProgress(frontier)
        io.stderr.write(`\r${line.slice(0, width - 1)}\x1b[K`)
        drawn = true
      } else {
        io.stderr.write(progressLine(summary, 100) + spiderProgress(frontier) + '\n')
      }
    },
    finish() {
      if (drawn) io.stderr.write('\n')
    }
  }
}
