import type { ConfigKey } from '../../stores/config-form.ts'

/** How each run setting is shown: label, unit, one line of help, and its group. */
export interface FieldSpec {
  readonly key: ConfigKey
  readonly label: string
  readonly unit?: string
  readonly help: string
  readonly kind: 'integer' | 'text' | 'textarea' | 'toggle' | 'method'
  readonly placeholder?: string
}

export interface FieldGroup {
  readonly id: string
  readonly title: string
  /** Shown expanded by default. */
  readonly open: boolean
  readonly fields: readonly FieldSpec[]
}

export const FIELD_GROUPS: readonly FieldGroup[] = [
  {
    id: 'concurrency',
    title: 'Concurrency',
    open: true,
    fields: [
      {
        key: 'concurrency',
        label: 'Concurrency',
        unit: 'requests',
        help: 'Requests in flight at once across all hosts. Adjustable while the run goes.',
        kind: 'integer'
      },
      {
        key: 'perHostConcurrency',
        label: 'Per host',
        unit: 'requests',
        help: 'Requests in flight at once to one host name. Adjustable while the run goes.',
        kind: 'integer'
      }
    ]
  },
  {
    id: 'timeouts',
    title: 'Timeouts',
    open: true,
    fields: [
      {
        key: 'connectTimeoutMs',
        label: 'Connect',
        unit: 'ms',
        help: 'TCP and TLS connection setup.',
        kind: 'integer'
      },
      {
        key: 'headersTimeoutMs',
        label: 'Headers',
        unit: 'ms',
        help: 'Request sent until the response headers arrive (time to first byte).',
        kind: 'integer'
      },
      {
        key: 'bodyTimeoutMs',
        label: 'Body idle',
        unit: 'ms',
        help: 'Longest gap between two chunks of the body.',
        kind: 'integer'
      },
      {
        key: 'totalTimeoutMs',
        label: 'Total',
        unit: 'ms',
        help: 'Deadline for one whole attempt, redirects included.',
        kind: 'integer'
      }
    ]
  },
  {
    id: 'retries',
    title: 'Retries',
    open: false,
    fields: [
      {
        key: 'retries',
        label: 'Retries',
        unit: 'times',
        help: 'Attempts after the first (0 = never retry).',
        kind: 'integer'
      },
      {
        key: 'backoffBaseMs',
        label: 'Backoff base',
        unit: 'ms',
        help: 'First wait ceiling; doubles each retry, with full jitter.',
        kind: 'integer'
      },
      {
        key: 'backoffMaxMs',
        label: 'Backoff cap',
        unit: 'ms',
        help: 'Largest wait ceiling.',
        kind: 'integer'
      },
      {
        key: 'retryStatuses',
        label: 'Retry statuses',
        help: 'Response statuses that are retried, comma-separated (400–599).',
        kind: 'text',
        placeholder: '429, 500, 502, 503, 504'
      },
      {
        key: 'respectRetryAfter',
        label: 'Honour Retry-After',
        help: 'Wait as long as the server asks (per host), up to the cap below.',
        kind: 'toggle'
      },
      {
        key: 'retryAfterMaxMs',
        label: 'Retry-After cap',
        unit: 'ms',
        help: 'The longest Retry-After wait honoured.',
        kind: 'integer'
      }
    ]
  },
  {
    id: 'request',
    title: 'Request',
    open: false,
    fields: [
      {
        key: 'method',
        label: 'Method',
        help: 'HEAD checks availability without downloading bodies (no titles).',
        kind: 'method'
      },
      {
        key: 'maxRedirects',
        label: 'Max redirects',
        unit: 'hops',
        help: 'Redirects followed per request.',
        kind: 'integer'
      },
      {
        key: 'maxBodyBytes',
        label: 'Max body',
        unit: 'bytes',
        help: 'Decoded body bytes read per response; larger bodies fail with BODY_TOO_LARGE.',
        kind: 'integer'
      },
      { key: 'userAgent', label: 'User agent', help: 'Sent with every request.', kind: 'text' },
      {
        key: 'headers',
        label: 'Headers',
        help: 'Extra request headers, one "Name: value" per line.',
        kind: 'textarea',
        placeholder: 'Accept-Language: en\nX-Team: analytics'
      }
    ]
  },
  {
    id: 'connection',
    title: 'Connection',
    open: false,
    fields: [
      {
        key: 'dnsCacheTtlMs',
        label: 'DNS cache',
        unit: 'ms',
        help: 'How long a resolved host name is reused.',
        kind: 'integer'
      },
      {
        key: 'keepAliveTimeoutMs',
        label: 'Keep-alive',
        unit: 'ms',
        help: 'Idle keep-alive sockets are closed after this.',
        kind: 'integer'
      }
    ]
  }
]
