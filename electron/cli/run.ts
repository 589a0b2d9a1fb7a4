import { readFile } from 'node:fs/promises'
import { text as readStream } from 'node:stream/consumers'
import type { EngineEvent } from '../../shared/events.ts'
import {
  formatInvalidLine,
  parseUrlList,
  type InvalidLine,
  type ParsedUrlList
} from '../../shared/url-list.ts'
import { startDemoTarget, generateDemoUrls, type DemoTarget } from '../main/demo/demo-target.ts'
import { CrawlEngine } from '../main/engine/engine.ts'
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './args.ts'
import { progressLine, summaryTable } from './format.ts'
import { openResultWriter, type ResultWriter } from './result-writer.ts'

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
    options = command.options
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`crawlboard: ${error.message}\nRun with --help for usage.\n`)
    return 2
  }

  let demo: DemoTarget | null = null
  try {
    if (options.demo) {
      demo = await startDemoTarget({ hosts: DEMO_HOSTS })
      io.stderr.write(`Demo target listening on ${demo.origins.join(', ')}\n`)
    }
    const input = await loadInput(options, demo, io)
    if (input === null) return 2
    return await crawl(options, input, io)
  } finally {
    await demo?.close()
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

async function crawl(options: CliOptions, urls: readonly string[], io: CliIo): Promise<number> {
  let writer: ResultWriter | null = null
  if (options.out !== null) {
    try {
      writer = await openResultWriter(options.out, options.format, io.stdout)
    } catch (error) {
      io.stderr.write(`crawlboard: --out ${options.out}: ${(error as Error).message}\n`)
      return 2
    }
  }

  const engine = new CrawlEngine({ config: options.config })
  const tty = io.stderr.isTTY && !options.quiet
  const progress = createProgress(io, tty, options.quiet || options.out === '-')
  engine.onEvent((event: EngineEvent) => {
    if (event.kind === 'request-finished') writer?.write(event.result)
    else if (event.kind === 'run-progress') progress.update(event.summary)
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

  const summary = await engine.start(urls.map((url, id) => ({ id, url })))
  removeInterrupt()
  progress.finish()
  await writer?.close(summary)
  io.stderr.write(summaryTable(summary) + '\n')
  if (options.out !== null && options.out !== '-')
    io.stderr.write(`Results: ${options.out} (${options.format})\n`)
  if (interrupt.requested) return 130
  return options.failOnError && summary.failed > 0 ? 1 : 0
}

interface Progress {
  update(summary: Parameters<typeof progressLine>[0]): void
  finish(): void
}

function createProgress(io: CliIo, tty: boolean, silent: boolean): Progress {
  let last = 0
  let drawn = false
  return {
    update(summary) {
      if (silent) return
      const now = Date.now()
      const interval = tty ? TTY_PROGRESS_INTERVAL_MS : PLAIN_PROGRESS_INTERVAL_MS
      if (now - last < interval) return
      last = now
      if (tty) {
        const width = io.stderr.columns || 100
        io.stderr.write(`\r${progressLine(summary, width).slice(0, width - 1)}\x1b[K`)
        drawn = true
      } else {
        io.stderr.write(progressLine(summary, 100) + '\n')
      }
    },
    finish() {
      if (drawn) io.stderr.write('\n')
    }
  }
}
