/**
 * The browser host's WebSocket protocol. The message types live in shared/ws-protocol.ts so the
 * renderer's client imports the same definitions; this module adds what only the server needs.
 */
export {
  TOKEN_COOKIE,
  TOKEN_QUERY_PARAM,
  WS_API_PATH,
  WS_CLOSE_GOING_AWAY,
  WS_CLOSE_TOO_SLOW,
  WS_MAX_PAYLOAD_BYTES,
  parseClientMessage,
  type CallMessage,
  type ClientMessage,
  type ErrorMessage,
  type EventsMessage,
  type ResultMessage,
  type ServerMessage,
  type SubscriptionMessage,
  type WireError
} from '../../shared/ws-protocol.ts'

/**
 * Bytes a socket may have queued (unsent) before the server gives up on the client. A loopback
 * client that keeps up never gets near it; one that stops reading (a frozen tab) would otherwise
 * make main hold every batch in memory. The client is closed with WS_CLOSE_TOO_SLOW and resyncs.
 */
export const WS_MAX_BUFFERED_BYTES = 8 * 1024 * 1024
