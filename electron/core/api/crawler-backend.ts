import { randomBytes } from 'node:crypto'
import {
  ApiError,
  changeQuerySchema,
  exportRequestSchema,
  resultQuerySchema,
  type AppInfo,
  type DemoTargetInfo,
  type EventBatch,
  type ResultQueryInput,
  type RunInfo,
  type StartRunRequest,
  type StartRunResponse
} from '../../../shared/api.ts'
import { describeIssues, parseRunConfig, pickLive, type RunConfig } from '../../../shared/config.ts'
import { formatInvalidLine, parseUrlList, type InvalidLine } from '../../../shared/url-list.ts'
import { generateDemoUrls, startDemoTarget, type DemoTarget } from '../demo/demo-target.ts'
import type { UrlTask } from '../engine/engine.ts'
import { drivenElsewhere, ownerFlags, type RunStore, type StoredRun } from '../store/index.ts'
import type { CrawlerBackend } from './backend.ts'
import { failureGroups } from '../run/failure-groups.ts'
import { createPreferencesFile } from './preferences-file.ts'
import type { ResultStore } from '../run/result-store.ts'
import { openRunDatabase } from '../store/run-database.ts'
import { createRunExports, type Download } from './run-exports.ts'
import {
  RunSession,
  type RestoredRun,
  type RunPersistence,
  type RunSessionOptions
} from '../run/run-session.ts'
import { StoredResultStore } from '../run/stored-result-store.ts'
import { pathOf } from '../run/spider-aggregates.ts'
import {
  configFlags,
  infoOfStored,
  restoredRun,
  spiderResumeOf,
  storedHosts,
  storedRunInfo,
  storedSnapshot
} from '../run/stored-runs.ts'

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
  /** Result storage per run when the run database is unavailable (default in memory). */
  readonly createStore?: (runId: string) => ResultStore
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
/**
 * Finished runs kept in memory besides the active one (their aggregates; with the run database their
 * results are on disk, and an older run reopens from there). Without the database they hold their
 * results too, so older ones are dropped to keep a long session's memory bounded.
 */
export const FINISHED_RUNS_KEPT = 20

export function createCrawlerBackend(options: CrawlerBackendOptions): CrawlerBackend & DownloadSource {
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
  const database = openRunDatabase({ dataDir: options.dataDir, path: options.databasePath, log })
  const exports = createRunExports({ version: options.version, chooseSavePath: options.chooseSavePath })
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

  const notFound = (runId: string): ApiError =>
    new ApiError(
      'NOT_FOUND',
      database.store
        ? `No run ${runId}: it is not in the run database (it may have been deleted).`
        : `No run ${runId}: the run database is unavailable, so only this session's runs are known.`
    )

  /** The run as the database holds it (null when it is not there or there is no database). */
  const storedRun = (runId: string): StoredRun | null => database.store?.getRun(runId) ?? null

  const requireStore = (doing: string): RunStore => {
    const store = database.store
    if (!store) {
      const status = database.status()
      const why = status.kind === 'unavailable' ? ` (${status.message})` : ''
      throw new ApiError(
        'CONFLICT',
        `Cannot ${doing}: the run database is unavailable${why}. Start a fresh database first.`
      )
    }
    return store
  }

  /** What serves a run's results: its session's store, else the database. */
  const resultsOf = (runId: string): ResultStore => {
    const live = runs.get(runId)
    if (live) return live.store
    const store = database.store
    if (!store?.getRun(runId)) throw notFound(runId)
    // Read-only: nothing is written through it, so it has nothing to report.
    return new StoredResultStore({ store, runId, stored: 0, writer: null, onError: () => undefined })
  }

  const activeSession = (): RunSession | undefined => [...runs.values()].find((r) => r.active)

  const assertIdle = (): void => {
    const running = activeSession()
    if (running) {
      throw new ApiError('CONFLICT', `Run ${running.runId} is still ${running.state}: stop it first.`)
    }
  }

  /** Results and the record of a run in the database; null without one (results in memory). */
  const persist = (runId: string): { results: ResultStore; persistence: RunPersistence } | null => {
    const store = database.store
    if (!store) return null
    const unsaved = (error: Error): void => {
      log(`crawlboard: results of run ${runId} could not be saved yet (kept, retried):`, error)
    }
    const results = new StoredResultStore({
      store,
      runId,
      stored: store.countResults(runId),
      writer: store.resultWriter(runId, { onError: unsaved }),
      onError: unsaved
    })
    return {
      results,
      persistence: {
        save(patch) {
          results.flushNow()
          store.updateRun(runId, patch)
        },
        addUrls(urls) {
          store.addRunUrls(
            runId,
            urls.map((u) => [u.id, u.url, u.depth, u.foundOn] as const)
          )
        },
        close() {
          results.close()
        }
      }
    }
  }

  const launch = (args: {
    runId: string
    name: string
    config: RunConfig
    tasks: readonly UrlTask[]
    total: number
    restored?: RestoredRun
    spiderResume?: RunSessionOptions['spiderResume']
  }): RunSession => {
    const stored = persist(args.runId)
    const run = new RunSession({
      ...args,
      onBatch: broadcast,
      store: stored?.results ?? options.createStore?.(args.runId),
      persistence: stored?.persistence,
      batchIntervalMs: options.batchIntervalMs,
      log
    })
    // Registered before it starts, so the first batch names a run the API already knows.
    runs.set(args.runId, run)
    void run.start()
    return run
  }

  /** Starts a new run over the URLs (recorded in the database when there is one). */
  const startNew = (config: RunConfig, urls: readonly string[], name: string): string => {
    forgetOldRuns()
    const runId = `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
    const store = database.store
    if (store) {
      try {
        store.createRun({
          id: runId,
          name,
          config,
          urls,
          createdAt: Date.now(),
          flags: { ...ownerFlags(), ...configFlags(config) }
        })
      } catch (error) {
        throw new ApiError('INTERNAL', `The run could not be recorded: ${(error as Error).message}`)
      }
    }
    launch({ runId, name, config, tasks: urls.map((url, id) => ({ id, url })), total: urls.length })
    return runId
  }

  /** Continues a stored run nothing drives: only its URLs without a result are fetched. */
  const resumeStored = (runId: string): void => {
    const store = requireStore('resume a run from an earlier session')
    const run = store.getRun(runId)
    if (!run) throw notFound(runId)
    if (run.state === 'completed' || run.state === 'cancelled') {
      throw new ApiError(
        'CONFLICT',
        `Cannot resume run ${runId}: it has already ${run.state === 'completed' ? 'completed' : 'been stopped'}. Re-run it instead.`
      )
    }
    if (drivenElsewhere(run.flags)) {
      throw new ApiError('CONFLICT', `Run ${runId} is being fetched by another Crawlboard process right now.`)
    }
    assertIdle()
    const restored = restoredRun(store, run)
    const tasks = store.pendingUrls(runId)
    store.updateRun(runId, { flags: ownerFlags(run.flags) })
    runs.delete(runId)
    // A spider run continues its frontier: what it fetched is not fetched again, new pages get new ids.
    const spiderResume = run.config.mode === 'spider' ? spiderResumeOf(store, run, tasks) : undefined
    launch({
      runId,
      name: run.name,
      config: run.config,
      tasks,
      total: run.total,
      restored,
      ...(spiderResume ? { spiderResume } : {})
    })
  }

  /** Marks a stored run nothing drives as stopped (it keeps every result it has). */
  const stopStored = (runId: string): void => {
    const store = requireStore('stop a run from an earlier session')
    const run = store.getRun(runId)
    if (!run) throw notFound(runId)
    if (run.state === 'completed' || run.state === 'cancelled') {
      throw new ApiError(
        'CONFLICT',
        `Cannot stop run ${runId}: it has already ${run.state === 'completed' ? 'completed' : 'been stopped'}.`
      )
    }
    if (drivenElsewhere(run.flags)) {
      throw new ApiError('CONFLICT', `Run ${runId} is being fetched by another Crawlboard process right now.`)
    }
    const info = infoOfStored(run)
    const finishedAt = Date.now()
    store.updateRun(runId, {
      state: 'cancelled',
      paused: false,
      finishedAt,
      summary: { ...info.summary, state: 'cancelled', finishedAt }
    })
  }

  const infoOf = (runId: string): RunInfo => {
    const live = runs.get(runId)
    if (live) return live.info()
    const run = storedRun(runId)
    if (!run) throw notFound(runId)
    return infoOfStored(run)
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
        assertIdle()
        const config = parseRunConfig(request.config)
        if (!config.ok) {
          throw new ApiError('BAD_REQUEST', `Invalid run settings:\n${config.errors.join('\n')}`)
        }
        const list = parseUrlList(request.urlsText, { maxUrls: MAX_RUN_URLS })
        if (list.urls.length === 0) throw new ApiError('BAD_REQUEST', noUrlsMessage(list.invalid))
        const runId = startNew(config.value, list.urls, request.name?.trim() || defaultRunName(list.urls))
        return {
          runId,
          total: list.urls.length,
          invalid: list.invalid.slice(0, MAX_INVALID_LINES_RETURNED),
          duplicates: list.duplicates
        }
      }),

    pauseRun: (runId) =>
      settle(() => {
        const live = runs.get(runId)
        if (live) {
          live.pause()
          return
        }
        if (!storedRun(runId)) throw notFound(runId)
        throw new ApiError(
          'CONFLICT',
          `Run ${runId} is not going (it was interrupted): resume it to continue.`
        )
      }),

    resumeRun: (runId) =>
      settle(() => {
        assertOpen()
        const live = runs.get(runId)
        if (live?.active) live.resume()
        else if (live && !storedRun(runId)) live.resume()
        else resumeStored(runId)
      }),

    async stopRun(runId) {
      const live = runs.get(runId)
      if (live?.active || (live && !storedRun(runId))) await live.stop()
      else stopStored(runId)
    },

    updateSettings: (runId, patch) => settle(() => session(runId).updateSettings(patch)),

    getSnapshot: (runId?: string) =>
      settle(() => {
        const store = database.store
        if (runId !== undefined) {
          const live = runs.get(runId)
          if (live) return live.snapshot()
          const run = storedRun(runId)
          if (!run || !store) throw notFound(runId)
          return storedSnapshot(store, run)
        }
        let newest: RunSession | null = null
        for (const run of runs.values()) newest = run
        if (newest) return newest.snapshot()
        const latest = store?.listRuns()[0]
        const run = latest ? storedRun(latest.runId) : null
        return run && store ? storedSnapshot(store, run) : null
      }),

    queryResults: (input: ResultQueryInput) =>
      settle(() => {
        // The dispatcher has validated already; this covers direct callers and fills the defaults.
        const parsed = resultQuerySchema.safeParse(input)
        if (!parsed.success) {
          const issues = describeIssues(parsed.error.issues).join('; ')
          throw new ApiError('BAD_REQUEST', `Invalid result query: ${issues}`)
        }
        return resultsOf(parsed.data.runId).query(parsed.data)
      }),

    getResultFacets: (runId) => settle(() => resultsOf(runId).facets()),

    getResult: (runId, id) => settle(() => resultsOf(runId).get(id)),

    getHosts: (runId) =>
      settle(() => {
        const live = runs.get(runId)
        if (live) return live.hosts()
        const run = storedRun(runId)
        if (!run || !database.store) throw notFound(runId)
        return storedHosts(database.store, run)
      }),

    getPath: (runId, id) =>
      settle(() => {
        const results = resultsOf(runId)
        return pathOf(id, (n) => results.get(n))
      }),

    getFailureGroups: (runId) =>
      settle(() => {
        const live = runs.get(runId)
        if (live) {
          const context = { settings: live.settings, config: live.config, done: live.store.size }
          return failureGroups(live.store.failureTallies(), context)
        }
        const run = storedRun(runId)
        const store = database.store
        if (!run || !store) throw notFound(runId)
        const context = {
          settings: run.settings ?? pickLive(run.config),
          config: run.config,
          done: store.countResults(runId)
        }
        return failureGroups(store.failureCounts(runId), context)
      }),

    listRuns: () =>
      settle(() => {
        const listed = new Map<string, RunInfo>()
        for (const entry of database.store?.listRuns() ?? []) listed.set(entry.runId, storedRunInfo(entry))
        for (const run of runs.values()) listed.set(run.runId, run.info())
        return [...listed.values()].sort((a, b) => b.createdAt - a.createdAt)
      }),

    renameRun: (runId, name) =>
      settle(() => {
        const trimmed = name.trim()
        if (trimmed === '') throw new ApiError('BAD_REQUEST', 'A run name cannot be empty.')
        const live = runs.get(runId)
        const stored = database.store?.renameRun(runId, trimmed) ?? false
        if (!live && !stored) throw notFound(runId)
        if (live) live.name = trimmed
        return infoOf(runId)
      }),

    setRunNote: (runId, note) =>
      settle(() => {
        const live = runs.get(runId)
        const stored = database.store?.setNote(runId, note) ?? false
        if (!live && !stored) throw notFound(runId)
        if (live) live.note = note
        return infoOf(runId)
      }),

    deleteRun: (runId) =>
      settle(() => {
        const live = runs.get(runId)
        if (live?.active) {
          throw new ApiError('CONFLICT', `Run ${runId} is still ${live.state}: stop it before deleting it.`)
        }
        const run = storedRun(runId)
        if (run && drivenElsewhere(run.flags) && run.state !== 'completed' && run.state !== 'cancelled') {
          throw new ApiError(
            'CONFLICT',
            `Run ${runId} is being fetched by another Crawlboard process right now.`
          )
        }
        runs.delete(runId)
        const deleted = database.store?.deleteRun(runId) ?? false
        if (!live && !deleted) throw notFound(runId)
      }),

    rerun: (runId) =>
      settle(() => {
        assertOpen()
        assertIdle()
        const store = requireStore('re-run a run')
        const run = store.getRun(runId)
        if (!run) throw notFound(runId)
        // A spider run starts again from its seeds (and sitemaps), not from every page it found.
        const spider = run.config.mode === 'spider'
        const urls: string[] = []
        for (const u of store.iterateRunUrls(runId)) {
          if (!spider || (u.depth === 0 && u.foundOn === null)) urls.push(u.url)
        }
        if (urls.length === 0) throw new ApiError('CONFLICT', `Run ${runId} has no URLs to fetch again.`)
        const newId = startNew(run.config, urls, reRunName(run.name))
        return { runId: newId, total: urls.length, invalid: [], duplicates: 0 }
      }),

    async exportRun(input) {
      const parsed = exportRequestSchema.safeParse(input)
      if (!parsed.success) {
        throw new ApiError('BAD_REQUEST', `Invalid export: ${describeIssues(parsed.error.issues).join('; ')}`)
      }
      const store = requireStore('export')
      // A live run's last results first, so the file has everything counted so far.
      const ids =
        parsed.data.kind === 'run' ? [parsed.data.runId] : [parsed.data.baseRunId, parsed.data.otherRunId]
      for (const id of ids) {
        const live = runs.get(id)?.store
        if (live instanceof StoredResultStore) live.flushNow()
      }
      return exports.export(store, parsed.data)
    },

    compareRuns: (baseRunId, otherRunId) =>
      settle(() => {
        const store = requireStore('compare runs')
        for (const id of [baseRunId, otherRunId]) {
          if (!store.getRun(id)) throw notFound(id)
          const live = runs.get(id)?.store
          if (live instanceof StoredResultStore) live.flushNow()
        }
        return {
          ...store.compareRuns(baseRunId, otherRunId),
          base: infoOf(baseRunId),
          other: infoOf(otherRunId)
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
        const store = requireStore('compare runs')
        for (const id of [parsed.data.baseRunId, parsed.data.otherRunId]) {
          if (!store.getRun(id)) throw notFound(id)
        }
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

    takeDownload: (token) => exports.take(token, database.store),

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
      // Runs first: their last batches still reach subscribers. A run still going is suspended, not
      // ended: next time it shows as interrupted (or paused) and resumes where it stopped.
      await Promise.allSettled([...runs.values()].map((r) => r.suspend()))
      const target = demo
      demo = null
      await Promise.allSettled([target?.then((t) => t.close()), preferences.flush()])
      try {
        database.close()
      } catch (error) {
        log('crawlboard: the run database did not close cleanly:', error)
      }
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
