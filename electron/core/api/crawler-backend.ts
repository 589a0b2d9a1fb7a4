import {
  ApiError,
  changeQuerySchema,
  exportRequestSchema,
  resultQuerySchema,
  type AppInfo,
  type DemoTargetInfo,
  type ExportRequest,
  type ResultQueryInput,
  type StartRunRequest,
  type StartRunResponse
} from '../../../shared/api.ts'
import { describeIssues, parseRunConfig } from '../../../shared/config.ts'
import { formatInvalidLine, parseUrlList, type InvalidLine } from '../../../shared/url-list.ts'
import { generateDemoUrls, startDemoTarget, type DemoTarget } from '../demo/demo-target.ts'
import { RunRegistry } from '../run/registry.ts'
import { openRunDatabase, type RunStore } from '../store/index.ts'
import type { CrawlerBackend } from './backend.ts'
import { createPreferencesFile } from './preferences-file.ts'
import { createRunExports, type Download } from './run-exports.ts'

/**
 * The CrawlerApi over the run registry: input checked against the shared schemas, then handed to
 * the run it names (a RunHandle, live or stored), plus the demo target, preferences, exports and
 * the database's status. Electron's IPC handlers and the browser host's WebSocket server both wrap
 * one of these (through createApiDispatcher), so both transports see the same runs and events.
 */

export interface CrawlerBackendOptions {
  /** Where preferences.json lives (the app's userData, or ~/.crawlboard for the browser host). */
  readonly dataDir: string
  readonly version: string
  readonly transport?: AppInfo['transport']
  readonly platform?: string
  /** Event batch interval (default 100 ms). */
  readonly batchIntervalMs?: number
  /** Where unexpected errors are reported (default console.error). */
  readonly log?: (message: string, error?: unknown) => void
  /** URLs in the demo list (default 500). */
  readonly demoUrlCount?: number
  /** The run database file (default <dataDir>/crawlboard.db). */
  readonly databasePath?: string
  /**
   * The desktop app's save dialog for exports (the chosen path, or null when cancelled). Without it
   * (the browser host), an export answers with a one-time download address.
   */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>
}

/** The browser host's side of exports: the download behind a one-time address. */
export interface DownloadSource {
  takeDownload(token: string): Download | null
}

/** Most URLs one run takes: the parser reports the line where the list was cut. */
export const MAX_RUN_URLS = 1_000_000
/** Invalid lines returned by startRun (the count of the rest is in the last line's reason). */
export const MAX_INVALID_LINES_RETURNED = 1_000
/** Invalid lines quoted when a list has no valid URL at all. */
const INVALID_LINES_QUOTED = 5
/** What a run the app was driving records when the app quits. */
export const QUIT_REASON = 'the app quit while it was going'

export function createCrawlerBackend(options: CrawlerBackendOptions): CrawlerBackend & DownloadSource {
  const log =
    options.log ??
    ((message: string, error?: unknown) => {
      console.error(message, error)
    })
  const preferences = createPreferencesFile(options.dataDir, {
    log: (m) => {
      log(`crawlboard: ${m}`)
    }
  })
  const database = openRunDatabase({ dataDir: options.dataDir, path: options.databasePath, log })
  const registry = new RunRegistry({
    database,
    onSafeguard: 'pause',
    batchIntervalMs: options.batchIntervalMs,
    log
  })
  const exports = createRunExports({ version: options.version, chooseSavePath: options.chooseSavePath })
  let demo: Promise<DemoTarget> | null = null
  let closed = false
  let closing: Promise<void> | null = null

  const assertOpen = (): void => {
    if (closed) throw new ApiError('CONFLICT', 'Crawlboard is shutting down.')
  }

  /** One run goes at a time in the app: a second would halve the first's limits behind its back. */
  const assertIdle = (): void => {
    const running = registry.active()
    if (running) {
      throw new ApiError('CONFLICT', `Run ${running.runId} is still ${running.status().kind}: stop it first.`)
    }
  }

  /** The store holding all these runs (a comparison reads both from one database). */
  const storeHolding = (...runIds: readonly string[]): RunStore => {
    const stores = runIds.map((id) => {
      const store = registry.storeOf(id)
      if (store === null) throw new ApiError('NOT_FOUND', `No run ${id}: it may have been deleted.`)
      return store
    })
    const [first] = stores
    if (first === undefined || stores.some((s) => s !== first)) {
      throw new ApiError(
        'CONFLICT',
        'Cannot compare a run kept in memory (the run database was unavailable) with one in the run database.'
      )
    }
    return first
  }
  const runsOf = (request: ExportRequest): string[] =>
    request.kind === 'run' ? [request.runId] : [request.baseRunId, request.otherRunId]

  const start = (config: unknown, urlsText: string, name: string | undefined): StartRunResponse => {
    const parsed = parseRunConfig(config)
    if (!parsed.ok) throw new ApiError('BAD_REQUEST', `Invalid run settings:\n${parsed.errors.join('\n')}`)
    const list = parseUrlList(urlsText, { maxUrls: MAX_RUN_URLS })
    if (list.urls.length === 0) throw new ApiError('BAD_REQUEST', noUrlsMessage(list.invalid))
    const run = registry.start({
      name: name?.trim() || defaultRunName(list.urls),
      config: parsed.value,
      urls: list.urls
    })
    return {
      runId: run.runId,
      total: list.urls.length,
      invalid: list.invalid.slice(0, MAX_INVALID_LINES_RETURNED),
      duplicates: list.duplicates
    }
  }

  return {
    getAppInfo() {
      return Promise.resolve({
        version: options.version,
        transport: options.transport ?? 'electron',
        platform: options.platform ?? process.platform
      })
    },

    async startDemoTarget(): Promise<DemoTargetInfo> {
      assertOpen()
      // Three "hosts" (ports) with real-server load (capacity, a rate limit on one), so per-host limits and Retry-After pauses show in a workshop.
      demo ??= startDemoTarget({ hosts: 3, load: 'workshop' }).catch((error: unknown) => {
        demo = null
        throw error
      })
      const target = await demo
      const urls = generateDemoUrls(target.origins, { count: options.demoUrlCount ?? 500 })
      return { origin: target.origin, urlsText: urls.join('\n') }
    },

    startRun: (request: StartRunRequest) =>
      settle(() => {
        assertOpen()
        assertIdle()
        return start(request.config, request.urlsText, request.name)
      }),

    pauseRun: (runId) =>
      settle(() => {
        registry.get(runId).pause()
      }),

    resumeRun: (runId) =>
      settle(() => {
        assertOpen()
        const run = registry.get(runId)
        // Resuming a run nothing drives starts it here: one at a time, as for a new run.
        if (registry.live(runId)?.active !== true) assertIdle()
        run.resume()
      }),

    async stopRun(runId) {
      await registry.get(runId).stop()
    },

    updateSettings: (runId, patch) => settle(() => registry.get(runId).updateSettings(patch)),

    getSnapshot: (runId?: string) =>
      settle(() =>
        runId === undefined ? (registry.newest()?.snapshot() ?? null) : registry.get(runId).snapshot()
      ),

    queryResults: (input: ResultQueryInput) =>
      settle(() => {
        // The dispatcher has validated already; this covers direct callers and fills the defaults.
        const parsed = resultQuerySchema.safeParse(input)
        if (!parsed.success) {
          const issues = describeIssues(parsed.error.issues).join('; ')
          throw new ApiError('BAD_REQUEST', `Invalid result query: ${issues}`)
        }
        return registry.get(parsed.data.runId).results.query(parsed.data)
      }),

    getResultFacets: (runId) => settle(() => registry.get(runId).results.facets()),

    getResult: (runId, id) => settle(() => registry.get(runId).results.get(id)),

    getHosts: (runId) => settle(() => registry.get(runId).hosts()),

    getPath: (runId, id) => settle(() => registry.get(runId).path(id)),

    getFailureGroups: (runId) => settle(() => registry.get(runId).failureGroups()),

    listRuns: () => settle(() => registry.list()),

    renameRun: (runId, name) =>
      settle(() => {
        const trimmed = name.trim()
        if (trimmed === '') throw new ApiError('BAD_REQUEST', 'A run name cannot be empty.')
        return registry.rename(runId, trimmed)
      }),

    setRunNote: (runId, note) => settle(() => registry.setNote(runId, note)),

    deleteRun: (runId) =>
      settle(() => {
        registry.delete(runId)
      }),

    rerun: (runId) =>
      settle(() => {
        assertOpen()
        assertIdle()
        const store = registry.storeOf(runId)
        const run = store?.getRun(runId) ?? null
        if (store === null || run === null)
          throw new ApiError('NOT_FOUND', `No run ${runId}: it may have been deleted.`)
        // A spider run starts again from its seeds (and sitemaps), not from every page it found.
        const spider = run.config.mode === 'spider'
        const urls: string[] = []
        for (const u of store.iterateRunUrls(runId)) {
          if (!spider || (u.depth === 0 && u.foundOn === null)) urls.push(u.url)
        }
        if (urls.length === 0) throw new ApiError('CONFLICT', `Run ${runId} has no URLs to fetch again.`)
        const next = registry.start({ name: reRunName(run.name), config: run.config, urls })
        return { runId: next.runId, total: urls.length, invalid: [], duplicates: 0 }
      }),

    async exportRun(input) {
      const parsed = exportRequestSchema.safeParse(input)
      if (!parsed.success) {
        throw new ApiError('BAD_REQUEST', `Invalid export: ${describeIssues(parsed.error.issues).join('; ')}`)
      }
      const request = parsed.data
      const store = storeHolding(...runsOf(request))
      // A live run's last results first, so the file has everything counted so far.
      registry.flush(runsOf(request))
      return exports.export(store, request)
    },

    compareRuns: (baseRunId, otherRunId) =>
      settle(() => {
        const store = storeHolding(baseRunId, otherRunId)
        registry.flush([baseRunId, otherRunId])
        return {
          ...store.compareRuns(baseRunId, otherRunId),
          base: registry.get(baseRunId).info(),
          other: registry.get(otherRunId).info()
        }
      }),

    queryChanges: (input) =>
      settle(() => {
        const parsed = changeQuerySchema.safeParse(input)
        if (!parsed.success) {
          throw new ApiError(
            'BAD_REQUEST',
            `Invalid change query: ${describeIssues(parsed.error.issues).join('; ')}`
          )
        }
        const store = storeHolding(parsed.data.baseRunId, parsed.data.otherRunId)
        return store.queryChanges(parsed.data)
      }),

    getStoreStatus: () => settle(() => database.status()),

    startFreshStore: () =>
      settle(() => {
        assertOpen()
        try {
          return database.startFresh()
        } catch (error) {
          throw new ApiError('INTERNAL', (error as Error).message)
        }
      }),

    takeDownload: (token) =>
      exports.take(token, (request) => {
        try {
          return storeHolding(...runsOf(request))
        } catch {
          return null
        }
      }),

    getPreferences() {
      return preferences.load()
    },

    async savePreferences(value) {
      assertOpen()
      await preferences.save(value)
    },

    getUrlDraft() {
      return preferences.loadUrlDraft()
    },

    async saveUrlDraft(text) {
      assertOpen()
      await preferences.saveUrlDraft(text)
    },

    subscribe: (listener) => registry.subscribe(listener),

    close(reason = QUIT_REASON) {
      // Every caller waits for the same close (the quit handler may ask again while it runs).
      closing ??= closeAll(reason)
      return closing
    }
  }

  async function closeAll(reason: string): Promise<void> {
    closed = true
    // Runs first: their last batches still reach subscribers. A run still going is interrupted,
    // not ended: next time it shows as interrupted (or paused) and resumes where it stopped.
    await registry.close(reason).catch((error: unknown) => {
      log('crawlboard: runs did not stop cleanly:', error)
    })
    const target = demo
    demo = null
    await Promise.allSettled([target?.then((t) => t.close()), preferences.flush()])
    try {
      database.close()
    } catch (error) {
      log('crawlboard: the run database did not close cleanly:', error)
    }
  }
}

/** Runs `fn` and settles with its value, turning a synchronous throw into a rejection. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(fn())
  })
}

/** "No valid URLs to fetch. line 1: missing scheme …; line 2: …" */
function noUrlsMessage(invalid: readonly InvalidLine[]): string {
  if (invalid.length === 0) return 'No URLs to fetch: paste one http:// or https:// URL per line.'
  const quoted = invalid.slice(0, INVALID_LINES_QUOTED).map(formatInvalidLine)
  const more =
    invalid.length > INVALID_LINES_QUOTED ? `; and ${invalid.length - INVALID_LINES_QUOTED} more` : ''
  return `No valid URLs to fetch. ${quoted.join('; ')}${more}.`
}

/** "Shop crawl (re-run)", "Shop crawl (re-run 2)", … */
export function reRunName(name: string): string {
  const match = /^(.*) \(re-run(?: (\d+))?\)$/.exec(name)
  if (!match) return `${name} (re-run)`
  const n = match[2] === undefined ? 2 : Number(match[2]) + 1
  return `${match[1] ?? name} (re-run ${n})`.slice(0, 200)
}

/** "example.com · 500 URLs", "example.com and 3 more hosts · 1,200 URLs". */
export function defaultRunName(urls: readonly string[]): string {
  const hosts = new Set<string>()
  for (const url of urls) {
    // Parsed URLs are normalised hrefs: the authority sits between "://" and the next "/".
    const start = url.indexOf('://') + 3
    const end = url.indexOf('/', start)
    hosts.add(url.slice(start, end < 0 ? url.length : end))
  }
  const [first = 'URLs'] = hosts
  const others = hosts.size > 1 ? ` and ${hosts.size - 1} more ${hosts.size === 2 ? 'host' : 'hosts'}` : ''
  const count = `${urls.length.toLocaleString('en-US')} ${urls.length === 1 ? 'URL' : 'URLs'}`
  return `${first}${others} · ${count}`
}
