import { create } from 'zustand'
import type { CrawlerApi } from '../../../shared/api.ts'
import { TOKEN_QUERY_PARAM, WS_API_PATH } from '../../../shared/ws-protocol.ts'
import { createWsClient, type ConnectionInfo, type WsCrawlerApi } from './ws-client.ts'

/**
 * The one module that picks the transport: Electron's preload bridge (`window.crawler`) when it
 * is there, else the browser host's WebSocket at `ws://<host>/api?token=…`. Everything else in the
 * renderer calls `getApi()` and never knows which.
 */

export type TransportKind = 'electron' | 'browser'

export interface ConnectionState extends ConnectionInfo {
  readonly transport: TransportKind
}

export const useConnection = create<ConnectionState>()(() => ({
  transport: 'browser',
  status: 'connecting',
  message: null,
  attempt: 0,
  epoch: 0
}))

const TOKEN_KEY = 'crawlboard.token'

let api: CrawlerApi | null = null
let wsClient: WsCrawlerApi | null = null

export function getApi(): CrawlerApi {
  if (api) return api
  const bridge = window.crawler
  if (bridge && typeof bridge.startRun === 'function') {
    useConnection.setState({ transport: 'electron', status: 'connected', message: null, epoch: 1 })
    api = bridge
    return api
  }
  wsClient = createWsClient({
    url: apiSocketUrl(),
    onState: (info) => {
      useConnection.setState({ ...info, transport: 'browser' })
    }
  })
  api = wsClient
  return api
}

/** Skips the backoff wait (the "Reconnect" button). */
export function reconnectNow(): void {
  wsClient?.reconnectNow()
}

/**
 * The token arrives once in the page URL (`/?token=T`). It is kept in sessionStorage so a reload
 * without the query still connects, and dropped from the address bar so it does not show on a
 * projector or end up in a bookmark. The host's cookie covers the assets.
 */
function apiSocketUrl(): string {
  const params = new URLSearchParams(window.location.search)
  const fromUrl = params.get(TOKEN_QUERY_PARAM)
  let token = fromUrl
  try {
    if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl)
    else token = sessionStorage.getItem(TOKEN_KEY)
  } catch {
    // Storage can be disabled; the cookie may still carry the token.
  }
  if (fromUrl) {
    params.delete(TOKEN_QUERY_PARAM)
    const query = params.toString()
    window.history.replaceState(
      window.history.state,
      '',
      `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`
    )
  }
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const suffix = token ? `?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}` : ''
  return `${scheme}//${window.location.host}${WS_API_PATH}${suffix}`
}
