import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { RunInfo } from '../../shared/api.ts'
import { statusText } from '../../shared/run-status.ts'
import {
  checkSqliteRuntime,
  openRunStore,
  RunRegistry,
  StoreError,
  type RunStore,
  type StoredRun,
  writeRunExport
} from '../core/index.ts'
import type { ExportOptions } from './args.ts'
import { formatDuration, formatMs } from '../../shared/format.ts'
import { table } from './format.ts'
import { openOutput, type OutputTarget } from './result-writer.ts'

/**
 * The headless runner's side of the run store: opening the --db file with errors a terminal user
 * can act on, naming a run ('last' or an id), the `runs` table and `export`.
 */

export interface StoreIo {
  readonly stdout: NodeJS.WriteStream
  readonly stderr: NodeJS.WriteStream
}

/** Codes where the file is not a healthy Crawlboard database of this version: it is left alone. */
const UNUSABLE_FILE = new Set(['CORRUPT', 'FOREIGN', 'TOO_NEW'])

/**
 * Opens (creating when `create`) the run database, or writes why not and returns null (exit 2).
 * A damaged, foreign or newer file is never written to: the runner says so and names --db.
 */
export function openCliStore(path: string, io: StoreIo, opts: { create: boolean }): RunStore | null {
  const runtime = checkSqliteRuntime()
  if (!runtime.ok) {
    io.stderr.write(`crawlboard: cannot use the run database: ${runtime.message}\n`)
    return null
  }
  if (!opts.create && !existsSync(path)) {
    io.stderr.write(`crawlboard: there is no run database at ${path}; pass --db PATH to name another.\n`)
    return null
  }
  try {
    mkdirSync(dirname(path), { recursive: true })
    return openRunStore(path)
  } catch (error) {
    if (!(error instanceof StoreError)) {
      io.stderr.write(`crawlboard: --db ${path}: ${(error as Error).message}\n`)
      return null
    }
    io.stderr.write(`crawlboard: ${error.message}\n`)
    if (UNUSABLE_FILE.has(error.code)) {
      io.stderr.write(`The file was left unchanged. Pass --db PATH to record runs in another file.\n`)
    }
    return null
  }
}

/** The run named on the command line ('last' = the newest), or null after saying why. */
export function findRun(store: RunStore, ref: string, io: StoreIo): StoredRun | null {
  if (ref === 'last') {
    const newest = store.listRuns()[0]
    if (newest === undefined) {
      io.stderr.write(`crawlboard: there are no runs in ${store.path} yet.\n`)
      return null
    }
    return store.getRun(newest.runId)
  }
  const run = store.getRun(ref)
  if (run === null) {
    io.stderr.write(
      `crawlboard: there is no run "${ref}" in ${store.path}. List the runs with \`crawlboard runs\` (or use \`last\`).\n`
    )
  }
  return run
}

function formatDate(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

/** The runs as History lists them: the status says who drives each, the counts are live. */
export function runsTable(runs: readonly RunInfo[]): string {
  const rows = runs.map((r) => [
    r.runId,
    r.name,
    formatDate(r.createdAt),
    statusText(r.status),
    r.summary.done === r.total ? String(r.total) : `${r.summary.done}/${r.total}`,
    String(r.summary.ok),
    String(r.summary.failed),
    formatMs(r.summary.latency.p50),
    formatMs(r.summary.latency.p95),
    formatDuration(r.summary.done === 0 ? null : r.summary.elapsedMs)
  ])
  return table([
    ['ID', 'NAME', 'CREATED', 'STATE', 'URLS', 'OK', 'FAILED', 'P50', 'P95', 'DURATION'],
    ...rows
  ])
}

export function listRuns(db: string, io: StoreIo): number {
  if (!existsSync(db)) {
    io.stdout.write(`No runs yet (${db} does not exist).\n`)
    return 0
  }
  const store = openCliStore(db, io, { create: false })
  if (store === null) return 2
  try {
    const runs = new RunRegistry({
      database: { store },
      onSafeguard: 'interrupt',
      log: () => undefined
    }).list()
    if (runs.length === 0) io.stdout.write(`No runs yet in ${db}.\n`)
    else io.stdout.write(runsTable(runs) + '\n')
    return 0
  } finally {
    store.close()
  }
}

/**
 * Writes a stored run's results in id order (the formats a crawl's --out writes), or its HTML
 * report; `version` is printed in the report.
 */
export async function exportRun(options: ExportOptions, io: StoreIo, version = ''): Promise<number> {
  const store = openCliStore(options.db, io, { create: false })
  if (store === null) return 2
  try {
    const run = findRun(store, options.run, io)
    if (run === null) return 2
    let target: OutputTarget
    try {
      target = await openOutput(options.out, io.stdout)
    } catch (error) {
      io.stderr.write(`crawlboard: --out ${options.out}: ${(error as Error).message}\n`)
      return 2
    }
    // A reader that stops early (`| head`) closes the pipe: stop quietly instead of crashing.
    const onStdoutError = (error: NodeJS.ErrnoException): void => {
      if (error.code !== 'EPIPE') io.stderr.write(`crawlboard: standard output: ${error.message}\n`)
    }
    if (target.toStdout) io.stdout.on('error', onStdoutError)
    let results = 0
    try {
      results = (await writeRunExport(store, run.runId, options.format, target.stream, { version })).results
      await target.close()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') return 0
      throw error
    } finally {
      io.stdout.off('error', onStdoutError)
    }
    if (!target.toStdout) {
      io.stderr.write(
        `Exported ${results} results of run ${run.runId} to ${options.out} (${options.format})\n`
      )
    }
    return 0
  } finally {
    store.close()
  }
}
