/**
 * Stable failure codes. A failed request is data (`RequestFailure`), never an exception.
 * Codes are part of the public contract: exports, stored runs and the dashboard key on them.
 */
export const ERROR_CODES = [
  'TIMEOUT_CONNECT',
  'TIMEOUT_HEADERS',
  'TIMEOUT_BODY',
  'TIMEOUT_TOTAL',
  'DNS',
  'CONNECT_REFUSED',
  'RESET',
  'TLS',
  'HTTP_STATUS',
  'TOO_MANY_REDIRECTS',
  'REDIRECT_LOOP',
  'BODY_TOO_LARGE',
  'ROBOTS_DISALLOWED',
  'INVALID_URL',
  'PROTOCOL',
  'NETWORK',
  'ABORTED'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** Where in the request's life the failure happened. */
export type FailurePhase =
  'input' | 'dns' | 'connect' | 'tls' | 'headers' | 'body' | 'redirect' | 'total' | 'policy'

export interface RequestFailure {
  readonly code: ErrorCode
  readonly message: string
  readonly phase: FailurePhase
  readonly retryable: boolean
  readonly status?: number
}

/** One line of advice per code, shown next to grouped failures and in the runner's summary. */
export const ERROR_ADVICE: Readonly<Record<ErrorCode, string>> = {
  TIMEOUT_CONNECT: 'Servers did not accept connections in time: lower Concurrency or raise Connect timeout.',
  TIMEOUT_HEADERS: 'Servers were slow to answer: raise Headers timeout or lower Concurrency per host.',
  TIMEOUT_BODY: 'Bodies stalled between chunks: raise Body idle timeout.',
  TIMEOUT_TOTAL:
    'Responses took longer than the total deadline: raise Total timeout or lower Max body bytes.',
  DNS: 'Host names did not resolve: check the URLs for typos or the network for DNS.',
  CONNECT_REFUSED: 'Nothing listened on the port: check the host and port, or whether the service is down.',
  RESET: 'Servers dropped connections: lower Concurrency per host; the server may be overloaded or blocking.',
  TLS: 'TLS handshakes failed: check certificates and the https scheme.',
  HTTP_STATUS: 'Servers answered with error statuses: see the status breakdown.',
  TOO_MANY_REDIRECTS: 'Redirect chains were longer than allowed: raise Max redirects or check the URLs.',
  REDIRECT_LOOP: 'Redirects led back to an earlier URL: the site is misconfigured for these URLs.',
  BODY_TOO_LARGE: 'Bodies exceeded Max body bytes: raise it, or use HEAD to check availability only.',
  ROBOTS_DISALLOWED: 'robots.txt disallows these URLs for this user agent.',
  INVALID_URL: 'The input held URLs that could not be fetched: fix the listed lines.',
  PROTOCOL: 'Servers sent malformed HTTP: the server or a proxy in between is broken.',
  NETWORK: 'Other network errors: see each failure for the system error.',
  ABORTED: 'Requests were cancelled before they finished.'
}
