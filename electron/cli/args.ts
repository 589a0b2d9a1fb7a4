import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { ExportFormat } from '../../shared/api.ts'
import { parseRunConfig, type RunConfig } from '../../shared/config.ts'
import { isPresetId, PRESET_IDS, PRESETS } from '../../shared/presets.ts'

/** Parsing and validating the headless runner's command line. Bad input exits with code 2. */

export type OutputFormat = 'ndjson' | 'csv' | 'json'

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

export class UsageError extends Error {}

export const USAGE = `Usage: crawlboard [URL …] [options]
       crawlboard --spider URL [spider options] [options]
       crawlboard --resume RUN [--db PATH]
       crawlboard runs [--db PATH]
       crawlboard export RUN [--format csv|ndjson|json|html] [--out FILE] [--db PATH]
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
  --max-depth N              link hops from a seed (default 5)
  --max-pages N              pages fetched in all, seeds included (default 10000)
  --per-host-budget N        pages fetched per host (default: no budget)
  --scope host|site|any      follow links on the seeds' hosts, their sites
                             (registrable domain), or anywhere (default host)
  --include RE               only follow URLs matching this regex (repeatable)
  --exclude RE               never follow URLs matching this regex (repeatable)
  --strip-param NAME         drop this query parameter before dedupe (repeatable)
  --follow-nofollow          follow rel=nofollow links too
  --max-variant-chain N      pages in a row each found on another query variant of
                             itself before the chain counts as a trap (default 10)
  --max-variants N           query variants of one path before more count as a
                             trap (default 10000)
  --max-url-length N         longer found URLs count as a trap (default 2048)
  --sitemap URL|FILE         add a sitemap's URLs as seeds (XML, text, .gz, index;
                             repeatable)
  --robots-sitemaps          also read the sitemaps each robots.txt lists
  --ignore-robots            do not read robots.txt (it is respected by default)

Politeness (any mode)
  --min-delay MS             least time between two request starts on a host
  --max-rps N                most request starts per second on a host
  --max-crawl-delay MS       longest robots.txt Crawl-delay honoured (default 60000)
  --adaptive                 adapt each host's limit to 429/503/timeouts (never
                             above --per-host)
  --safeguard PCT            stop when PCT% of recent requests failed; the run
                             is saved and --resume continues it

Presets
  --preset NAME              start from a preset: workshop-demo, polite, fast
                             (--demo uses workshop-demo unless another is named);
                             flags below override the preset

Limits and timeouts
  --concurrency N            requests in flight at once, all hosts (default 50)
  --per-host N               requests in flight at once per host (default 6)
  --connect-timeout-ms N     TCP + TLS connect (default 10000)
  --headers-timeout-ms N     request sent → response headers (default 15000)
  --body-timeout-ms N        longest gap between body chunks (default 15000)
  --total-timeout-ms N       one whole attempt, redirects included (default 30000)
  --retries N                retries after the first attempt (default 3)
  --max-redirects N          redirect hops followed (default 10)
  --max-body-bytes N         cap on decoded body bytes (default 5242880)

Request
  --method GET|HEAD          (default GET)
  --user-agent S             User-Agent header
  --header "K: V"            extra request header (repeatable)

Output
  --out FILE                 write one result per URL ('-' for standard output)
  --format ndjson|csv|json   output format (default: from the --out extension, else ndjson)
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

const NUMERIC_FLAGS = {
  'max-depth': 'maxDepth',
  'max-pages': 'maxPages',
  'per-host-budget': 'perHostBudget',
  'max-variant-chain': 'maxVariantChain',
  'max-variants': 'maxVariantsPerPath',
  'max-url-length': 'maxUrlLength',
  'min-delay': 'perHostMinDelayMs',
  'max-crawl-delay': 'maxCrawlDelayMs',
  concurrency: 'concurrency',
  'per-host': 'perHostConcurrency',
  'connect-timeout-ms': 'connectTimeoutMs',
  'headers-timeout-ms': 'headersTimeoutMs',
  'body-timeout-ms': 'bodyTimeoutMs',
  'total-timeout-ms': 'totalTimeoutMs',
  retries: 'retries',
  'max-redirects': 'maxRedirects',
  'max-body-bytes': 'maxBodyBytes'
} as const satisfies Record<string, keyof RunConfig>

type NumericFlag = keyof typeof NUMERIC_FLAGS

/** Flags that only mean something when following links. */
const SPIDER_ONLY_FLAGS = [
  'max-depth',
  'max-pages',
  'per-host-budget',
  'max-variant-chain',
  'max-variants',
  'max-url-length',
  'scope',
  'include',
  'exclude',
  'strip-param',
  'follow-nofollow',
  'sitemap',
  'robots-sitemaps',
  'ignore-robots'
] as const

/** Config fields set by flags that are not numeric, for naming the flag in an error. */
const OTHER_FLAGS: Readonly<Record<string, string>> = {
  scope: '--scope',
  includePatterns: '--include',
  excludePatterns: '--exclude',
  stripQueryParams: '--strip-param',
  sitemapUrls: '--sitemap',
  perHostMaxRequestsPerSecond: '--max-rps',
  failureSafeguardPercent: '--safeguard'
}

function decimalFlag(flag: string, value: string): number {
  const trimmed = value.trim()
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new UsageError(`--${flag}: expected a number, got "${value}"`)
  return Number(trimmed)
}

function integerFlag(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${flag}: expected a whole number, got "${value}"`)
  return Number(value)
}

function headerFlag(value: string): [string, string] {
  const colon = value.indexOf(':')
  if (colon <= 0) throw new UsageError(`--header: expected "Name: value", got "${value}"`)
  return [value.slice(0, colon).trim().toLowerCase(), value.slice(colon + 1).trim()]
}

function formatFor(out: string | null, explicit: string | undefined): OutputFormat {
  if (explicit === 'html') {
    throw new UsageError('--format html: a report is made from a stored run; use `export RUN --format html`')
  }
  if (explicit !== undefined) {
    if (explicit === 'ndjson' || explicit === 'csv' || explicit === 'json') return explicit
    throw new UsageError(`--format: expected ndjson, csv or json, got "${explicit}"`)
  }
  if (out?.endsWith('.csv')) return 'csv'
  if (out?.endsWith('.json')) return 'json'
  return 'ndjson'
}

/** An export's format: --format, else the --out extension, else NDJSON. */
function exportFormatFor(out: string, explicit: string | undefined): ExportFormat {
  if (explicit !== undefined) {
    if (explicit === 'ndjson' || explicit === 'csv' || explicit === 'json' || explicit === 'html')
      return explicit
    throw new UsageError(`--format: expected ndjson, csv, json or html, got "${explicit}"`)
  }
  if (/\.html?$/i.test(out)) return 'html'
  return formatFor(out, undefined)
}

/** Flags that describe a new crawl: a resume takes its input and settings from the store. */
const NEW_CRAWL_FLAGS = [
  'urls',
  'demo',
  'preset',
  'demo-count',
  ...Object.keys(NUMERIC_FLAGS),
  'method',
  'user-agent',
  'header',
  'spider',
  ...SPIDER_ONLY_FLAGS,
  'max-rps',
  'adaptive',
  'safeguard'
] as const

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
  for (const flag of Object.keys(NUMERIC_FLAGS) as NumericFlag[]) {
    const value = values[flag]
    if (value !== undefined) raw[NUMERIC_FLAGS[flag]] = integerFlag(flag, value)
  }
  if (values['user-agent'] !== undefined) raw['userAgent'] = values['user-agent']
  if (values.method !== undefined) raw['method'] = values.method.toUpperCase()
  if (values.header) raw['headers'] = Object.fromEntries(values.header.map(headerFlag))
  const seeds = values.spider ?? []
  const spider = seeds.length > 0
  if (!spider) {
    const stray = SPIDER_ONLY_FLAGS.find((flag) => present.has(flag))
    if (stray !== undefined && resume === null) {
      throw new UsageError(`--${stray} applies to spider mode: start from a page with --spider URL`)
    }
  } else {
    raw['mode'] = 'spider'
    if (values.scope !== undefined) raw['scope'] = values.scope
    if (values.include) raw['includePatterns'] = values.include
    if (values.exclude) raw['excludePatterns'] = values.exclude
    if (values['strip-param']) raw['stripQueryParams'] = values['strip-param']
    if (values['follow-nofollow']) raw['followNofollow'] = true
    if (values['robots-sitemaps']) raw['robotsSitemaps'] = true
    if (values['ignore-robots']) raw['respectRobots'] = false
    // A file is read by the engine later, maybe from another folder: keep it absolute.
    if (values.sitemap) {
      raw['sitemapUrls'] = values.sitemap.map((v) => (/^(https?|file):/i.test(v) ? v : resolve(v)))
    }
  }
  if (values['max-rps'] !== undefined)
    raw['perHostMaxRequestsPerSecond'] = decimalFlag('max-rps', values['max-rps'])
  if (values.adaptive) raw['adaptiveConcurrency'] = true
  if (values.safeguard !== undefined)
    raw['failureSafeguardPercent'] = decimalFlag('safeguard', values.safeguard)

  const config = parseRunConfig(raw)
  if (!config.ok) {
    const flagOf = (field: string): string => {
      const key = field.split(':')[0] ?? field
      const entry = Object.entries(NUMERIC_FLAGS).find(
        ([, name]) => key === name || key.startsWith(`${name}.`)
      )
      const other = Object.entries(OTHER_FLAGS).find(([name]) => key === name || key.startsWith(`${name}.`))
      return entry ? `--${entry[0]}` : (other?.[1] ?? key)
    }
    throw new UsageError(
      config.errors.map((e) => `${flagOf(e)}: ${e.slice(e.indexOf(':') + 1).trim()}`).join('\n')
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
      urls: { type: 'string' },
      demo: { type: 'boolean' },
      preset: { type: 'string' },
      'demo-count': { type: 'string' },
      concurrency: { type: 'string' },
      'per-host': { type: 'string' },
      'connect-timeout-ms': { type: 'string' },
      'headers-timeout-ms': { type: 'string' },
      'body-timeout-ms': { type: 'string' },
      'total-timeout-ms': { type: 'string' },
      retries: { type: 'string' },
      'max-redirects': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      method: { type: 'string' },
      'user-agent': { type: 'string' },
      header: { type: 'string', multiple: true },
      spider: { type: 'string', multiple: true },
      'max-depth': { type: 'string' },
      'max-pages': { type: 'string' },
      'per-host-budget': { type: 'string' },
      'max-variant-chain': { type: 'string' },
      'max-variants': { type: 'string' },
      'max-url-length': { type: 'string' },
      scope: { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      'strip-param': { type: 'string', multiple: true },
      'follow-nofollow': { type: 'boolean' },
      sitemap: { type: 'string', multiple: true },
      'robots-sitemaps': { type: 'boolean' },
      'ignore-robots': { type: 'boolean' },
      'min-delay': { type: 'string' },
      'max-rps': { type: 'string' },
      'max-crawl-delay': { type: 'string' },
      adaptive: { type: 'boolean' },
      safeguard: { type: 'string' },
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
