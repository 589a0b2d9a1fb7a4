import type { ErrorCode } from '../../../shared/errors.ts'

/**
 * What the readers of robots.txt and sitemaps need from the network: one GET of a small document,
 * redirects followed, the body read up to a cap. Declared here, on the policy side, and
 * implemented by the engine over the run's HTTP client (engine/fetch-document.ts), so crawl code
 * never imports the engine: the engine hands it a fetcher.
 */

export interface DocumentRequest {
  readonly url: string
  /** The Accept header. */
  readonly accept: string
  readonly userAgent: string
  /** Body bytes read at most; a longer body is cut there (`truncated`). */
  readonly maxBytes: number
  /** Redirect hops followed; one more is TOO_MANY_REDIRECTS. */
  readonly maxRedirects: number
  /** Deadline for the whole fetch, redirects and body included (TIMEOUT_TOTAL). */
  readonly timeoutMs: number
  /** Cancels the fetch (ABORTED). */
  readonly signal?: AbortSignal
}

interface Answered {
  /** The URL that answered last (after redirects). */
  readonly url: string
  readonly redirects: number
}

export type FetchedDocument =
  /** A 2xx answer and its body. */
  | (Answered & {
      readonly kind: 'body'
      readonly status: number
      readonly bytes: Buffer
      readonly truncated: boolean
    })
  /** Any other final status (the body was discarded). */
  | (Answered & { readonly kind: 'status'; readonly status: number })
  /**
   * No document: a network failure or timeout (classified as the engine classifies requests), a
   * cancel (ABORTED), a redirect loop (REDIRECT_LOOP), too many redirects, or a redirect without a
   * usable Location (HTTP_STATUS, with its status). `detail` is short, for a label.
   */
  | (Answered & {
      readonly kind: 'failed'
      readonly code: ErrorCode
      readonly detail: string
      readonly status?: number
    })

export type DocumentFetcher = (request: DocumentRequest) => Promise<FetchedDocument>
