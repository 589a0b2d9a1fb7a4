import type {
  ApiError,
  ApiMethod,
  CrawlerApi,
  EVENTS_CHANNEL,
  EventBatch,
  SUBSCRIBE_CHANNEL,
  UNSUBSCRIBE_CHANNEL
} from '../../shared/api.ts'
import { isMenuCommand, MENU_CHANNEL, type CrawlerMenuApi } from '../../shared/menu.ts'

/**
 * The bridge objects the preload exposes, built from an injected ipcRenderer so tests never load
 * 'electron'.
 *
 * Only *types* come from shared/api.ts: any value import there pulls in its zod schemas (the
 * module's top-level `z.object(...)` calls cannot be tree-shaken), which means either a
 * `require("zod")` that the sandboxed preload cannot resolve or ~190 kB of zod bundled into every
 * page. So the channel names are written here against the contract's literal types (a rename in
 * api.ts fails the type-check) and `channelOf`'s pattern, which is typed only as `string`, is
 * pinned by test/preload/contract.test.ts.
 */

export type IpcRendererListener = (event: unknown, ...args: unknown[]) => void

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: IpcRendererListener): unknown
  removeListener(channel: string, listener: IpcRendererListener): unknown
}

const EVENTS: typeof EVENTS_CHANNEL = 'crawler:events'
const SUBSCRIBE: typeof SUBSCRIBE_CHANNEL = 'crawler:subscribe'
const UNSUBSCRIBE: typeof UNSUBSCRIBE_CHANNEL = 'crawler:unsubscribe'
const channelOf = (method: ApiMethod): string => `crawler:${method}`

type ApiErrorCode = ApiError['code']
const API_ERROR_CODES = {
  BAD_REQUEST: true,
  NOT_FOUND: true,
  CONFLICT: true,
  FORBIDDEN: true,
  INTERNAL: true
} as const satisfies Record<ApiErrorCode, true>

const isApiErrorCode = (value: string): value is ApiErrorCode => Object.hasOwn(API_ERROR_CODES, value)

/** An API refusal as the renderer sees it. */
export type BridgeError = Error & { code: ApiErrorCode }

/**
 * Main rejects with `Error("<CODE>: <message>")` and Electron wraps it as
 * "Error invoking remote method '<channel>': Error: <CODE>: <message>". This strips the wrapper.
 * The message keeps its `<CODE>: ` prefix because contextBridge copies only an Error's message
 * into the page (custom properties such as `.code` are dropped), so the renderer can always
 * recover the code from the message.
 */
export function toBridgeError(error: unknown): BridgeError {
  const raw = error instanceof Error ? error.message : String(error)
  const text = raw.replace(/^Error invoking remote method '[^']*': /, '').replace(/^\w*Error: /, '')
  const match = /^([A-Z_]+): ([\s\S]*)$/.exec(text)
  const code = match?.[1] !== undefined && isApiErrorCode(match[1]) ? match[1] : 'INTERNAL'
  const message = match?.[1] !== undefined && isApiErrorCode(match[1]) ? (match[2] ?? '') : text
  return Object.assign(new Error(`${code}: ${message}`), { name: 'ApiError', code })
}

/** `window.crawler`: one named function per contract method, plus onEvents. */
export function createCrawlerBridge(ipc: IpcRendererLike): CrawlerApi {
  type Methods = Omit<CrawlerApi, 'onEvents'>
  const method = <M extends ApiMethod>(name: M): Methods[M] =>
    ((...args: unknown[]) =>
      ipc.invoke(channelOf(name), ...args).catch((error: unknown) => {
        throw toBridgeError(error)
      })) as Methods[M]

  // One relay on the events channel, however many page listeners: main pushes each batch once.
  const listeners = new Set<{ readonly listener: (batch: EventBatch) => void }>()
  const relay: IpcRendererListener = (_event, batch) => {
    // Only the batch crosses into the page, never the IpcRendererEvent (it carries `sender`).
    for (const entry of [...listeners]) {
      try {
        entry.listener(batch as EventBatch)
      } catch (error) {
        console.error('crawler.onEvents listener failed', error)
      }
    }
  }
  const request = (channel: string): void => {
    ipc.invoke(channel).catch((error: unknown) => {
      console.error(`crawler: ${channel} failed`, error)
    })
  }

  const onEvents = (listener: (batch: EventBatch) => void): (() => void) => {
    const entry = { listener }
    if (listeners.size === 0) {
      ipc.on(EVENTS, relay)
      request(SUBSCRIBE)
    }
    listeners.add(entry)
    let active = true
    return () => {
      if (!active) return
      active = false
      listeners.delete(entry)
      if (listeners.size === 0) {
        ipc.removeListener(EVENTS, relay)
        request(UNSUBSCRIBE)
      }
    }
  }

  // Spelled out rather than generated so the object literal is checked against CrawlerApi:
  // a method added to or removed from the contract fails the preload's type-check.
  return {
    getAppInfo: method('getAppInfo'),
    startDemoTarget: method('startDemoTarget'),
    startRun: method('startRun'),
    pauseRun: method('pauseRun'),
    resumeRun: method('resumeRun'),
    stopRun: method('stopRun'),
    updateSettings: method('updateSettings'),
    getSnapshot: method('getSnapshot'),
    queryResults: method('queryResults'),
    getResultFacets: method('getResultFacets'),
    getResult: method('getResult'),
    getFailureGroups: method('getFailureGroups'),
    getHosts: method('getHosts'),
    getPath: method('getPath'),
    listRuns: method('listRuns'),
    renameRun: method('renameRun'),
    setRunNote: method('setRunNote'),
    deleteRun: method('deleteRun'),
    rerun: method('rerun'),
    exportRun: method('exportRun'),
    compareRuns: method('compareRuns'),
    queryChanges: method('queryChanges'),
    getStoreStatus: method('getStoreStatus'),
    startFreshStore: method('startFreshStore'),
    getPreferences: method('getPreferences'),
    savePreferences: method('savePreferences'),
    getUrlDraft: method('getUrlDraft'),
    saveUrlDraft: method('saveUrlDraft'),
    onEvents
  }
}

/** `window.crawlerMenu`: menu commands main sends to this window. */
export function createMenuBridge(ipc: IpcRendererLike): CrawlerMenuApi {
  return {
    onCommand(listener) {
      const relay: IpcRendererListener = (_event, command) => {
        if (isMenuCommand(command)) listener(command)
      }
      ipc.on(MENU_CHANNEL, relay)
      return () => {
        ipc.removeListener(MENU_CHANNEL, relay)
      }
    }
  }
}
