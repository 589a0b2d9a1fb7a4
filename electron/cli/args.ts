import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  DEFAULT_EXPORT_FORMAT,
  EXPORT_FORMAT_SPECS,
  EXPORT_FORMATS,
  formatList,
  formatOfPath,
  isExportFormat,
  isStreamFormat,
  STREAM_FORMATS,
  type ExportFormat,
  type StreamFormat
} from '../../shared/export-formats.ts'
import { parseRunConfig, type RunConfig } from '../../shared/config.ts'
import { isPresetId, PRESET_IDS, PRESETS } from '../../shared/presets.ts'
import {
  flagOfField,
  integerFlag,
  readSettingFlags,
  SETTING_FLAG_NAMES,
  settingOptions,
  settingsHelp,
  SPIDER_ONLY_FLAG_NAMES,
  UsageError
} from './setting-flags.ts'

export { UsageError }

/** Parsing and validating the headless runner's command line. Bad input exits with code 2. */

/** What --out can write while a crawl goes. */
export type OutputFormat = StreamFormat

export interface CliOptions {
  readonly urls: readonly string[]
  readonly urlsFile: string | null
  readonly config: RunConfig
  readonly out: string | null
  readonly format: OutputFormat
  readonly demo: boolean
  readonly demoCount: number
  readonly failOnError: boolean
  readonly quiet: boolean
  /** The run store every crawl is recorded in. */
  readonly db: string
  /** A run id or 'last': continue that run instead of starting one (input flags not allowed). */
  readonly resume: string | null
}

export interface ExportOptions {
  readonly db: string
  readonly run: string
  readonly out: string
  readonly format: ExportFormat
}

export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'crawl'; readonly options: CliOptions }
  | { readonly kind: 'runs'; readonly db: string }
  | { readonly kind: 'export'; readonly options: ExportOptions }

/** The run store when --db is not given: $CRAWLBOARD_DB, else ~/.crawlboard/crawlboard.db. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['CRAWLBOARD_DB']
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.crawlboard', 'crawlboard.db')
}

export const USAGE = `Usage: crawlboard [URL …] [options]
       crawlboard --spider URL [spider options] [options]
       crawlboard --resume RUN [--db PATH]
       crawlboard runs [--db PATH]
       crawlboard export RUN [--format ${formatList(EXPORT_FORMATS, '|', '|')}] [--out FILE] [--db PATH]
       npm run crawl -- [URL …] [options]   (likewise npm run crawl -- runs, …)

Input
  URL …                      URLs to fetch (http and https)
  --urls FILE                a file with one URL per line ('-' reads standard input);
                             blank lines and # comments are skipped
  --demo                     start the built-in demo target and crawl its generated list
  --demo-count N             URLs in the demo list (default 500)

Spider mode (follow links from the seeds)
  --spider URL               a seed to start from (repeatable; URL arguments and
                             --urls are seeds too)

Presets
  --preset NAME              start from a preset: workshop-demo, polite, fast
                             (--demo uses workshop-demo unless another is named);
                             flags below override the preset

${settingsHelp()}

Output
  --out FILE                 write one result per URL ('-' for standard output)
  --format ${formatList(STREAM_FORMATS, '|', '|')}   output format (default: from the --out extension, else ${DEFAULT_EXPORT_FORMAT})
  --quiet                    no progress display
  --fail-on-error            exit 1 when any request failed

Run store
  --db PATH                  the SQLite run database every crawl is recorded in
                             (default $CRAWLBOARD_DB, else ~/.crawlboard/crawlboard.db)
  --resume RUN               continue an interrupted or cancelled run (an id from
                             \`runs\`, or \`last\`) with its stored settings; only URLs
                             without a result are fetched
  runs                       list the runs in the database
  export RUN                 write a stored run's results (--format, --out; default
                             NDJSON to standard output); --format html writes a
                             self-contained report (summary, charts, failures,
                             slowest URLs, settings) that opens offline

  -h, --help                 this help
  -v, --version              print the version

Exit codes: 0 done (failed requests included), 1 failed requests with --fail-on-error,
2 bad usage or input, 130 interrupted.`

/** A crawl's --out format: --format, else the --out extension, else NDJSON; a report needs a stored run. */
function formatFor(out: string | null, explicit: string | undefined): OutputFormat {
  const named = explicit ?? (out === null ? null : formatOfPath(out))
  if (named === null) return DEFAULT_EXPORT_FORMAT
  if (!isExportFormat(named)) {
    throw new UsageError(`--format: expected ${formatList(STREAM_FORMATS)}, got "${named}"`)
  }
  if (isStreamFormat(named)) return named
  // An extension that names a report (run.html) still gets the default when not asked for.
  if (explicit === undefined) return DEFAULT_EXPORT_FORMAT
  throw new UsageError(
    `--format ${named}: the ${EXPORT_FORMAT_SPECS[named].label} is made from a stored run; use \`export RUN --format ${named}\``
  )
}

/** An export's format: --format, else the --out extension, else NDJSON. */
function exportFormatFor(out: string, explicit: string | undefined): ExportFormat {
  if (explicit !== undefined) {
    if (isExportFormat(explicit)) return explicit
    throw new UsageError(`--format: expected ${formatList(EXPORT_FORMATS)}, got "${explicit}"`)
  }
  return formatOfPath(out) ?? DEFAULT_EXPORT_FORMAT
}

/** Flags that describe a new crawl: a resume takes its input and settings from the store. */
const NEW_CRAWL_FLAGS = ['urls', 'demo', 'preset', 'demo-count', 'spider', ...SETTING_FLAG_NAMES] as const

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  // parseArgs leaves flags that were not given out of `values`.
  const present = new Set(Object.keys(values))
  const db = values.db ?? defaultDbPath()
  if (db.trim() === '') throw new UsageError('--db: expected a file path')

  const subcommand = positionals[0]
  if (subcommand === 'runs' || subcommand === 'export') {
    const given = [...NEW_CRAWL_FLAGS, 'resume', 'fail-on-error'].filter((flag) => present.has(flag))
    if (given.length > 0) throw new UsageError(`${subcommand}: --${given[0]} does not apply here`)
  }
  if (subcommand === 'runs') {
    if (positionals.length > 1) throw new UsageError(`runs: unexpected argument "${positionals[1]}"`)
    if (values.out !== undefined || values.format !== undefined) {
      throw new UsageError('runs: --out and --format apply to export')
    }
    return { kind: 'runs', db }
  }
  if (subcommand === 'export') {
    const run = positionals[1]
    if (run === undefined || run.trim() === '') {
      throw new UsageError('export: name the run (an id from `runs`, or `last`)')
    }
    if (positionals.length > 2) throw new UsageError(`export: unexpected argument "${positionals[2]}"`)
    const out = values.out ?? '-'
    return { kind: 'export', options: { db, run, out, format: exportFormatFor(out, values.format) } }
  }

  const resume = values.resume ?? null
  if (resume !== null) {
    if (resume.trim() === '') throw new UsageError('--resume: name the run (an id from `runs`, or `last`)')
    if (positionals.length > 0)
      throw new UsageError('--resume: the run keeps its own URLs; drop the URL arguments')
    const given = NEW_CRAWL_FLAGS.filter((flag) => present.has(flag))
    if (given.length > 0) {
      throw new UsageError(`--resume: the run keeps its stored input and settings; drop --${given[0]}`)
    }
  }

  const demo = values.demo === true
  const presetName = values.preset ?? (demo ? 'workshop-demo' : undefined)
  if (presetName !== undefined && !isPresetId(presetName)) {
    throw new UsageError(`--preset: expected one of ${PRESET_IDS.join(', ')}, got "${presetName}"`)
  }
  const raw: Record<string, unknown> = presetName === undefined ? {} : { ...PRESETS[presetName].settings }
  const seeds = values.spider ?? []
  const spider = seeds.length > 0
  if (!spider && resume === null) {
    const stray = SPIDER_ONLY_FLAG_NAMES.find((flag) => present.has(flag))
    if (stray !== undefined) {
      throw new UsageError(`--${stray} applies to spider mode: start from a page with --spider URL`)
    }
  }
  const settings = readSettingFlags(values)
  Object.assign(raw, settings.raw)
  if (spider) raw['mode'] = 'spider'

  const config = parseRunConfig(raw)
  if (!config.ok) {
    throw new UsageError(
      config.errors
        .map(
          (e) => `${flagOfField(e.split(':')[0] ?? e, settings.typed)}: ${e.slice(e.indexOf(':') + 1).trim()}`
        )
        .join('\n')
    )
  }

  const demoCount = values['demo-count'] === undefined ? 500 : integerFlag('demo-count', values['demo-count'])
  if (demoCount < 1 || demoCount > 1_000_000)
    throw new UsageError('--demo-count: must be between 1 and 1000000')
  const urlsFile = values.urls ?? null
  if (resume === null && !demo && urlsFile === null && positionals.length === 0 && !spider) {
    throw new UsageError('No URLs given: pass URLs, --urls FILE, --spider URL, or --demo.')
  }
  const out = values.out ?? null
  return {
    kind: 'crawl',
    options: {
      urls: [...seeds, ...positionals],
      urlsFile,
      config: config.value,
      out,
      format: formatFor(out, values.format),
      demo,
      demoCount,
      failOnError: values['fail-on-error'] === true,
      quiet: values.quiet === true,
      db,
      resume
    }
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      ...settingOptions(),
      urls: { type: 'string' },
      demo: { type: 'boolean' },
      preset: { type: 'string' },
      'demo-count': { type: 'string' },
      spider: { type: 'string', multiple: true },
      out: { type: 'string' },
      format: { type: 'string' },
      quiet: { type: 'boolean' },
      'fail-on-error': { type: 'boolean' },
      db: { type: 'string' },
      resume: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' }
    }
  })
}
