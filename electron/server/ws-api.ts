import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { toWireError, type ApiDispatcher, type CrawlerBackend } from '../core/index.ts'
import {
  parseClientMessage,
  WS_CLOSE_GOING_AWAY,
  WS_CLOSE_TOO_SLOW,
  WS_MAX_BUFFERED_BYTES,
  WS_MAX_PAYLOAD_BYTES,
  type ServerMessage,
  type WireError
} from './protocol.ts'

/**
 * The CrawlerApi over WebSocket (protocol in shared/ws-protocol.ts). Each call goes through the
 * same validating dispatcher as Electron's IPC. Event batches are serialised once and sent to every
 * subscribed socket. A socket that falls more than `maxBufferedBytes` behind is closed with 1013
 * rather than fed without bound: batches hold results that must not be dropped, and the client
 * recovers everything by resubscribing and taking a snapshot.
 */

export interface ApiSocketServerOptions {
  readonly backend: CrawlerBackend
  readonly dispatcher: ApiDispatcher
  readonly maxBufferedBytes?: number
}

export interface ApiSocketServer {
  /** Completes a checked upgrade request (the caller has verified host, token and origin). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  readonly clientCount: number
  /** Closes every socket (1001) and stops listening for batches. */
  close(): Promise<void>
}

/** How long a socket closed for being slow or by shutdown gets to finish the close handshake. */
export const CLOSE_GRACE_MS = 1_000

export function createApiSocketServer(options: ApiSocketServerOptions): ApiSocketServer {
  const { dispatcher } = options
  const maxBuffered = options.maxBufferedBytes ?? WS_MAX_BUFFERED_BYTES
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_PAYLOAD_BYTES,
    perMessageDeflate: false
  })
  const subscribed = new Set<WebSocket>()

  const sendText = (ws: WebSocket, text: string): void => {
    if (!sendOrClose(ws, text, maxBuffered)) subscribed.delete(ws)
  }

  const send = (ws: WebSocket, message: ServerMessage): void => {
    sendText(ws, JSON.stringify(message))
  }

  const sendError = (ws: WebSocket, id: number | undefined, error: WireError): void => {
    send(ws, id === undefined ? { error } : { id, error })
  }

  const unsubscribeBatches = options.backend.subscribe((batch) => {
    if (subscribed.size === 0) return
    const text = JSON.stringify({ type: 'events', batch } satisfies ServerMessage)
    for (const ws of subscribed) sendText(ws, text)
  })

  const onMessage = (ws: WebSocket, data: RawData, isBinary: boolean): void => {
    if (isBinary) {
      sendError(ws, undefined, {
        code: 'BAD_REQUEST',
        message: 'Binary messages are not supported: send JSON text.'
      })
      return
    }
    const parsed = parseClientMessage(rawText(data))
    if (!parsed.ok) {
      sendError(ws, parsed.id, { code: 'BAD_REQUEST', message: parsed.error })
      return
    }
    const message = parsed.message
    if ('type' in message) {
      // Synchronous, so a call sent after it (getSnapshot) is answered after batches start flowing.
      if (message.type === 'subscribe') subscribed.add(ws)
      else subscribed.delete(ws)
      if (message.id !== undefined) send(ws, { id: message.id, result: null })
      return
    }
    const { id } = message
    // The dispatcher refuses names that are not API methods (the protocol parser only typed it).
    dispatcher(message.method, message.args).then(
      (result) => {
        let text: string
        try {
          text = JSON.stringify({ id, result: result ?? null } satisfies ServerMessage)
        } catch (error) {
          sendError(ws, id, toWireError(error))
          return
        }
        sendText(ws, text)
      },
      (error: unknown) => {
        sendError(ws, id, toWireError(error))
      }
    )
  }

  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      onMessage(ws, data, isBinary)
    })
    ws.on('close', () => subscribed.delete(ws))
    // Protocol errors (an oversized frame: 1009) close the socket themselves; nothing to add.
    ws.on('error', () => subscribed.delete(ws))
  })

  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        wss.emit('connection', ws, req)
      })
    },
    get clientCount() {
      return wss.clients.size
    },
    async close() {
      unsubscribeBatches()
      const closing = [...wss.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) {
              resolve()
              return
            }
            ws.once('close', () => {
              resolve()
            })
            subscribed.delete(ws)
            closeWithGrace(ws, WS_CLOSE_GOING_AWAY, 'server shutting down')
          })
      )
      await Promise.all(closing)
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve()
        })
      })
    }
  }
}

/** The part of a `ws` socket the send policy uses (a fake in tests). */
export interface SendableSocket {
  readonly readyState: number
  readonly bufferedAmount: number
  send(text: string): void
  close(code: number, reason: string): void
  terminate(): void
}

export const TOO_SLOW_REASON = 'client too slow: reconnect and resync from a snapshot'

/**
 * Sends `text`, unless the socket already holds more than `maxBuffered` unsent bytes: then it is
 * closed with 1013 and false returned. Only bytes already queued count, so one large message (a
 * big snapshot) still goes to a client that keeps up.
 */
export function sendOrClose(ws: SendableSocket, text: string, maxBuffered: number): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false
  if (ws.bufferedAmount > maxBuffered) {
    closeWithGrace(ws, WS_CLOSE_TOO_SLOW, TOO_SLOW_REASON)
    return false
  }
  ws.send(text)
  return true
}

/** Starts the close handshake; a peer that stopped reading may never answer it, so it is cut after a grace period. */
function closeWithGrace(ws: SendableSocket, code: number, reason: string): void {
  ws.close(code, reason)
  setTimeout(() => {
    ws.terminate()
  }, CLOSE_GRACE_MS).unref()
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
