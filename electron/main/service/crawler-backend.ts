import { randomBytes } from 'node:crypto'
import {
  ApiError,
  resultQuerySchema,
  type AppInfo,
  type DemoTargetInfo,
  type EventBatch,
  type ResultQueryInput,
  type StartRunRequest,
  type StartRunResponse
} from '../../../shared/api.ts'
import { describeIssues, parseRunConfig } from '../../../shared/config.ts'
import { formatInvalidLine, parseUrlList, type InvalidLine } from '../../../shared/url-list.ts'
import { generateDemoUrls, startDemoTarget, type DemoTarget } from '../demo/demo-target.ts'
import type { CrawlerBackend } from './backend.ts'
import { failureGroups } from './failure-groups.ts'
import { createPreferencesFile } from './preferences-file.ts'
import type { ResultStore } from './result-store.ts'
import { RunSession } from './run-session.ts'

/**
 * The CrawlerApi served from main's memory: runs, their batched event streams, result queries,
 * failure groups, the demo target and preferences. Electron's IPC handlers and the browser host's
 * WebSocket server both wrap one of these (through createApiDispatcher), so both transports see the
 * same runs and the same events.
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
  /** Result storage per run (default in memory). */
  readonly createStore?: (runId: string) => ResultStore
  /** URLs in the demo list (default 500). */
  readonly demoUrlCount?: number
}

/** Most URLs one run takes: the parser reports the line where the list was cut. */
export const MAX_RUN_URLS = 1_000_000
/** Invalid lines returned by startRun (the count of the rest is in the last line's reason). */
export const MAX_INVALID_LINES_RETURNED = 1_000
/** Invalid lines quoted when a list has no valid URL at all. */
const INVALID_LINES_QUOTED = 5
/**
 * Finished runs kept in memory (with all their results) besides the active one. Until the store
 * issue persists runs, older ones are dropped so a long session's memory stays bounded.
 */
export const FINISHED_RUNS_KEPT = 20

export function createCrawlerBackend(options: CrawlerBackendOptions): CrawlerBackend {
  const log =
    options.log ??
    ((message: string, error?: unknown) => {
      console.error(message, error)
    })
  const runs = new Map<string, RunSession>()
  const listeners = new Set<(batch: EventBatch) => void>()
  const failingListeners = new WeakSet<(batch: EventBatch) => void>()
  const preferences = createPreferencesFile(options.dataDir, {
    log: (m) => {
      log(`crawlboard: ${m}`)
    }
  })
  let demo: Promise<DemoTarget> | null = null
  let closed = false

  const broadcast = (batch: EventBatch): void => {
    for (const listener of listeners) {
      try {
        listener(batch)
      } catch (error) {
        // One broken subscriber must not starve the others or stall the engine; report it once.
        if (!failingListeners.has(listener)) {
          failingListeners.add(listener)
          log('crawlboard: an event batch subscriber threw:', error)
        }
      }
    }
  }

  const session = (runId: string): RunSession => {
    const found = runs.get(runId)
    if (!found) throw new ApiError('NOT_FOUND', `No run ${runId}: it may have ended in an earlier session.`)
    return found
  }

  const assertOpen = (): void => {
    if (closed) throw new ApiError('CONFLICT', 'Crawlboard is shutting down.')
  }

  const forgetOldRuns = (): void => {
    const finished = [...runs.values()].filter((r) => !r.active)
    for (const old of finished.slice(0, Math.max(0, finished.length - FINISHED_RUNS_KEPT))) {
      runs.delete(old.runId)
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
      // Three "hosts" (ports), so per-host limits and Retry-After pauses show in a workshop.
      demo ??= startDemoTarget({ hosts: 3 }).catch((error: unknown) => {
        demo = null
        throw error
      })
      const target = await demo
      const urls = generateDemoUrls(target.origins, { count: options.demoUrlCount ?? 500 })
      return { origin: target.origin, urlsText: urls.join('\n') }
    },

    startRun: (request: StartRunRequest): Promise<StartRunResponse> =>
      settle(() => {
        assertOpen()
        const running = [...runs.values()].find((r) => r.active)
        if (running) {
          throw new ApiError('CONFLICT', `Run ${running.runId} is still ${running.state}: stop it first.`)
        }
        const config = parseRunConfig(request.config)
        if (!config.ok) {
          throw new ApiError('BAD_REQUEST', `Invalid run settings:\n${config.errors.join('\n')}`)
        }
        const list = parseUrlList(request.urlsText, { maxUrls: MAX_RUN_URLS })
        if (list.urls.length === 0) throw new ApiError('BAD_REQUEST', noUrlsMessage(list.invalid))
        forgetOldRuns()
        const runId = `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
        const run = new RunSession({
          runId,
          name: request.name?.trim() || defaultRunName(list.urls),
          config: config.value,
          urls: list.urls,
          onBatch: broadcast,
          store: options.createStore?.(runId),
          batchIntervalMs: options.batchIntervalMs,
          log
        })
        // Registered before it starts, so the first batch names a run the API already knows.
        runs.set(runId, run)
        void run.start()
        return {
          runId,
          total: list.urls.length,
          invalid: list.invalid.slice(0, MAX_INVALID_LINES_RETURNED),
          duplicates: list.duplicates
        }
      }),

    pauseRun: (runId) =>
      settle(() => {
        session(runId).pause()
      }),

    resumeRun: (runId) =>
      settle(() => {
        session(runId).resume()
      }),

    async stopRun(runId) {
      await session(runId).stop()
    },

    updateSettings: (runId, patch) => settle(() => session(runId).updateSettings(patch)),

    getSnapshot: (runId?: string) =>
      settle(() => {
        if (runId !== undefined) return session(runId).snapshot()
        let newest: RunSession | null = null
        for (const run of runs.values()) newest = run
        return newest ? newest.snapshot() : null
      }),

    queryResults: (input: ResultQueryInput) =>
      settle(() => {
        // The dispatcher has validated already; this covers direct callers and fills the defaults.
        const parsed = resultQuerySchema.safeParse(input)
        if (!parsed.success) {
          const issues = describeIssues(parsed.error.issues).join('; ')
          throw new ApiError('BAD_REQUEST', `Invalid result query: ${issues}`)
        }
        return session(parsed.data.runId).store.query(parsed.data)
      }),

    getResultFacets: (runId) => settle(() => session(runId).store.facets()),

    getResult: (runId, id) => settle(() => session(runId).store.get(id)),

    getFailureGroups: (runId) =>
      settle(() => {
        const run = session(runId)
        const context = { settings: run.settings, config: run.config, done: run.store.size }
        return failureGroups(run.store.failureTallies(), context)
      }),

    listRuns: () => settle(() => [...runs.values()].reverse().map((r) => r.info())),

    getPreferences() {
      return preferences.load()
    },

    async savePreferences(value) {
      assertOpen()
      await preferences.save(value)
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },

    async close() {
      if (closed) return
      closed = true
      // Runs first: their last batches still reach subscribers.
      await Promise.allSettled([...runs.values()].map((r) => r.close()))
      const target = demo
      demo = null
      await Promise.allSettled([target?.then((t) => t.close()), preferences.flush()])
      listeners.clear()
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
