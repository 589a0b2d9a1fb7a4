// Over 400 lines: the runner's whole flow (input, start or resume, progress, summary, exit code) in one place.
import { basename } from 'node:path'
import { ApiError, type SpiderRecord } from '../../shared/api.ts'
import type { FrontierCounts } from '../../shared/events.ts'
import { isUnfinished } from '../../shared/run-status.ts'
import { RunStats } from '../../shared/stats.ts'
import type { RunSummary } from '../../shared/summary.ts'
import { formatInvalidLine, type InvalidLine } from '../../shared/url-list.ts'
import {
  generateDemoUrls,
  onStopSignals,
  RunRegistry,
  SIGNAL_EXIT_CODES,
  SIGNAL_REASONS,
  startDemoTarget,
  UrlIngest,
  type DemoTarget,
  type IngestReport,
  type LiveRun,
  type RunOutcome,
  type RunStore,
  type StopSignal
} from '../core/index.ts'
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './args.ts'
import { progressLine, spiderProgress, spiderSummary, summaryTable, type SpiderReport } from './format.ts'
import { fileLines, listLines, streamLines } from './input.ts'
import { openResultWriter, type ResultWriter } from './result-writer.ts'
import { exportRun, findRun, listRuns, openCliStore } from './store.ts'

/**
 * The headless runner: flags in, progress and a summary out. Runs are created, resumed, saved and
 * ended by the core's run lifecycle, exactly as in the app; this file only reads input, prints,
 * and turns how a run ended into an exit code (see EXIT_CODES).
 */

export interface CliIo {
  readonly stdout: NodeJS.WriteStream
  readonly stderr: NodeJS.WriteStream
  readonly stdin: NodeJS.ReadableStream
  /** Registers a handler for SIGINT and SIGTERM; returns a function that removes it. */
  readonly onSignal: (handler: (signal: StopSignal) => void) => () => void
}

export const VERSION = '0.1.0'

/** The runner's exit codes (README, "Exit codes"). */
export const EXIT_CODES = {
  done: 0,
  failedRequests: 1,
  usage: 2,
  /** The failure safeguard stopped the run (resumable). */
  safeguard: 3,
  ...SIGNAL_EXIT_CODES
} as const

/** The workshop demo serves three "hosts" (ports) that behave under load like real servers (capacity, and a rate limit on one), so per-host behaviour shows. */
const DEMO_HOSTS = 3
const SHOWN_INVALID_LINES = 20
const PLAIN_PROGRESS_INTERVAL_MS = 2_000
const TTY_PROGRESS_INTERVAL_MS = 100

const defaultIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  onSignal: onStopSignals
}

export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let options: CliOptions
  try {
    const command = parseCliArgs(argv)
    if (command.kind === 'help') {
      io.stdout.write(USAGE + '\n')
      return EXIT_CODES.done
    }
    if (command.kind === 'version') {
      io.stdout.write(`crawlboard ${VERSION}\n`)
      return EXIT_CODES.done
    }
    if (command.kind === 'runs') return listRuns(command.db, io)
    if (command.kind === 'export') return await exportRun(command.options, io, VERSION)
    options = command.options
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`crawlboard: ${error.message}\nRun with --help for usage.\n`)
    return EXIT_CODES.usage
  }

  // The store first: a database the runner cannot record into stops it before anything is fetched.
  const store = openCliStore(options.db, io, { create: true })
  if (store === null) return EXIT_CODES.usage
  const registry = new RunRegistry({
    database: { store },
    onSafeguard: 'interrupt',
    log: (message, error) => {
      io.stderr.write(`\n${message}${error instanceof Error ? ` ${error.message}` : ''}\n`)
    }
  })
  let demo: DemoTarget | null = null
  try {
    const run = await begin(options, registry, store, io, async () => {
      demo = await startDemoTarget({ hosts: DEMO_HOSTS, load: 'workshop' })
      io.stderr.write(`Demo target listening on ${demo.origins.join(', ')}\n`)
      return demo
    })
    if (run === null) return EXIT_CODES.usage
    return await follow(run.run, run.out, run.ingested, options, store, io)
  } finally {
    // Nothing is left going here; this only closes the memory store if one was opened.
    await registry.close('the runner exited')
    await (demo as DemoTarget | null)?.close()
    try {
      store.close()
    } catch (error) {
      io.stderr.write(
        `crawlboard: could not close the run database ${store.path}: ${(error as Error).message}\n`
      )
    }
  }
}

/** Starts or resumes the run the flags ask for; null after saying why not (exit 2). */
async function begin(
  options: CliOptions,
  registry: RunRegistry,
  store: RunStore,
  io: CliIo,
  startDemo: () => Promise<DemoTarget>
): Promise<{ run: LiveRun; out: ResultWriter | null; ingested: Promise<void> | null } | null> {
  if (options.resume !== null) {
    const found = findRun(store, options.resume, io)
    if (found === null) return null
    const out = await openOut(options, io)
    if (out === false) return null
    let run: LiveRun
    try {
      run = registry.resume(found.runId)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      io.stderr.write(`crawlboard: ${error.message}\n`)
      await out?.close(emptySummary())
      return null
    }
    const s = run.summary()
    io.stderr.write(
      `Resuming run ${run.runId} (${run.name}): ${s.done} of ${s.total} done; recorded in ${store.path}\n`
    )
    return { run, out, ingested: null }
  }
  const demo = options.demo ? await startDemo() : null
  const input = openInput(options, demo, io)
  const first = await firstBatch(input, options, io)
  if (first === null) return null
  const out = await openOut(options, io)
  if (out === false) return null
  try {
    if (options.config.mode === 'spider') {
      // A spider's seeds are few: read them all, then start.
      const seeds = [...first, ...(await input.ingest.all())]
      input.finish()
      const run = registry.start({ name: runName(options, seeds), config: options.config, urls: seeds })
      io.stderr.write(
        `Run ${run.runId}: spider from ${seeds.length} seed${seeds.length === 1 ? '' : 's'}, recorded in ${store.path}\n`
      )
      return { run, out, ingested: null }
    }
    const { run, ingested } = registry.startStreamed({
      name: (urls) => runName(options, urls),
      config: options.config,
      ingest: input.ingest,
      first
    })
    if (input.ingest.ended) {
      input.finish()
      io.stderr.write(`Run ${run.runId}: ${first.length} URLs, recorded in ${store.path}\n`)
      return { run, out, ingested: null }
    }
    io.stderr.write(
      `Run ${run.runId}: fetching the first ${first.length} URLs while the rest of ${input.labels} is read, recorded in ${store.path}\n`
    )
    return {
      run,
      out,
      ingested: ingested.then(
        () => {
          input.finish()
        },
        (error: unknown) => {
          input.finish()
          io.stderr.write(`crawlboard: reading ${input.labels} stopped: ${(error as Error).message}\n`)
        }
      )
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    io.stderr.write(`crawlboard: ${error.message}\n`)
    await out?.close(emptySummary())
    return null
  }
}

/** Prints the run's progress until it ends, then its summary; returns the exit code. */
async function follow(
  run: LiveRun,
  out: ResultWriter | null,
  ingested: Promise<void> | null,
  options: CliOptions,
  store: RunStore,
  io: CliIo
): Promise<number> {
  const tty = io.stderr.isTTY && !options.quiet
  const progress = createProgress(io, tty, options.quiet || options.out === '-')
  const clear = tty ? '\r\x1b[K' : ''
  let frontier: FrontierCounts | null = null
  let signal: StopSignal | null = null
  run.onEvent((event) => {
    if (event.kind === 'request-finished') out?.write(event.result)
    else if (event.kind === 'url-discovered') frontier = event.frontier
    else if (event.kind === 'run-progress') progress.update(run.summary(), frontier)
    else if (event.kind === 'safeguard-tripped') {
      io.stderr.write(`\n${event.reason}; stopping (continue with --resume ${run.runId})\n`)
    } else if (options.quiet) return
    else if (event.kind === 'host-decision') io.stderr.write(`${clear}decision: ${event.decision.reason}\n`)
    else if (event.kind === 'sitemap-problem') io.stderr.write(`${clear}sitemap: ${event.message}\n`)
  })
  const removeSignals = io.onSignal((received) => {
    if (signal !== null) {
      io.stderr.write(`\n${received} again: exiting without waiting.\n`)
      process.exit(SIGNAL_EXIT_CODES[received])
    }
    signal = received
    io.stderr.write(`\n${received}: cancelling in-flight requests and saving the run (again to quit now)…\n`)
    void run.interrupt(SIGNAL_REASONS[received], received)
  })

  const outcome = await run.finished
  // The input's report (invalid lines, duplicates) comes before the summary.
  await ingested
  removeSignals()
  progress.finish()
  await out?.close(outcome.summary)
  io.stderr.write(summaryTable(outcome.summary, outcome.status) + '\n')
  const spiderText = spiderSummary(reportOf(run.spiderRecord(), run.config.mode === 'spider'))
  if (spiderText !== '') io.stderr.write(spiderText + '\n')
  if (options.out !== null && options.out !== '-')
    io.stderr.write(`Results: ${options.out} (${options.format})\n`)
  if (outcome.saved) {
    io.stderr.write(
      isUnfinished(outcome.status)
        ? `Saved as run ${run.runId} in ${store.path}; continue it with --resume ${run.runId}\n`
        : `Saved as run ${run.runId} in ${store.path}\n`
    )
  }
  return exitCode(outcome, options.failOnError)
}

/** How the run ended, as an exit code: a signal, then an unsaved run, then the safeguard, then failures. */
export function exitCode(outcome: RunOutcome, failOnError: boolean): number {
  if (outcome.cause === 'SIGINT' || outcome.cause === 'SIGTERM') return SIGNAL_EXIT_CODES[outcome.cause]
  if (!outcome.saved) return EXIT_CODES.usage
  if (outcome.cause === 'safeguard') return EXIT_CODES.safeguard
  return failOnError && outcome.summary.failed > 0 ? EXIT_CODES.failedRequests : EXIT_CODES.done
}

/** What --out ends with when no run was made (a JSON document still closes). */
function emptySummary(): RunSummary {
  const now = Date.now()
  return new RunStats({ runId: '', total: 0, startedAt: now }).summary({
    state: 'idle',
    inFlight: 0,
    queued: 0,
    waitingRetry: 0,
    now
  })
}

/** The closing report's spider part, from what the run recorded. */
function reportOf(record: SpiderRecord, spider: boolean): SpiderReport {
  return {
    spider,
    frontier: spider ? record.frontier : null,
    decisions: record.decisions,
    droppedDecisions: 0,
    traps: record.traps.slice(-20),
    trapCount: record.trapCount,
    sitemapProblems: record.notices.map((n) => n.message),
    robots: new Map(record.robots.map((r) => [r.origin, r.label])),
    safeguard: record.safeguardReason
  }
}

function runName(options: CliOptions, urls: readonly string[]): string {
  if (options.demo) return 'demo'
  if (options.urlsFile !== null && options.urlsFile !== '-') return basename(options.urlsFile)
  const first = urls[0] === undefined ? '' : new URL(urls[0]).host
  return urls.length > 1 ? `${first} +${urls.length - 1}` : first
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

/** The run's URL input: its ingest, and the report printed once it is all read (`finish`). */
interface Input {
  readonly ingest: UrlIngest
  /** What the input is, for messages: "urls.txt", "arguments, demo list", … */
  readonly labels: string
  /** Prints what was not fetched (invalid lines beyond those shown, duplicates), once. */
  readonly finish: () => void
}

/** What the flags name as input, read as a stream; invalid lines are printed as they are read. */
function openInput(options: CliOptions, demo: DemoTarget | null, io: CliIo): Input {
  const inputs: {
    label: string
    lines: ReturnType<typeof listLines>
    describe: (l: InvalidLine) => string
  }[] = []
  if (options.urls.length > 0) {
    inputs.push({
      label: 'arguments',
      lines: listLines(options.urls),
      describe: (l) => `argument ${l.line}: ${l.reason}`
    })
  }
  if (options.urlsFile !== null) {
    const stdin = options.urlsFile === '-'
    inputs.push({
      label: stdin ? 'standard input' : options.urlsFile,
      lines: stdin ? streamLines(io.stdin) : fileLines(options.urlsFile),
      describe: (l) => `${stdin ? 'stdin' : options.urlsFile} ${formatInvalidLine(l)}`
    })
  }
  if (demo) {
    inputs.push({
      label: 'demo list',
      lines: listLines(generateDemoUrls(demo.origins, { count: options.demoCount })),
      describe: formatInvalidLine
    })
  }
  const shown = new Map<string, number>()
  const describe = new Map(inputs.map((i) => [i.label, i.describe]))
  const ingest = new UrlIngest(inputs, {
    onInvalid: (label, line) => {
      const n = shown.get(label) ?? 0
      shown.set(label, n + 1)
      if (n < SHOWN_INVALID_LINES) io.stderr.write(`invalid: ${describe.get(label)?.(line) ?? line.reason}\n`)
    }
  })
  let finished = false
  return {
    ingest,
    labels: inputs.map((i) => i.label).join(', '),
    finish: () => {
      if (finished) return
      finished = true
      printInputReport(ingest.report(), io)
    }
  }
}

function printInputReport(report: IngestReport, io: CliIo): void {
  for (const input of report.inputs) {
    if (input.invalidCount > SHOWN_INVALID_LINES) {
      io.stderr.write(`invalid: … and ${input.invalidCount - SHOWN_INVALID_LINES} more lines\n`)
    }
  }
  if (report.invalidCount > 0 || report.duplicates > 0) {
    io.stderr.write(
      `${report.urls} URLs to fetch; ${report.invalidCount} invalid lines skipped; ${report.duplicates} duplicates collapsed.\n`
    )
  }
}

/** Reads the input's first batch; null after saying why there is nothing to fetch (exit 2). */
async function firstBatch(input: Input, options: CliOptions, io: CliIo): Promise<readonly string[] | null> {
  let first: readonly string[]
  try {
    first = await input.ingest.next()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : String(error)
    io.stderr.write(`crawlboard: --urls ${options.urlsFile ?? '-'}: ${reason}\n`)
    return null
  }
  if (first.length > 0) return first
  input.finish()
  io.stderr.write(`crawlboard: no valid URLs in ${input.labels}.\n`)
  return null
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
