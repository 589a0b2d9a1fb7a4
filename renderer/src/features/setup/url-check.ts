import { parseUrlList, type InvalidLine } from '../../../../shared/url-list.ts'

/**
 * What Setup shows about its URL list: the counts, and the first invalid lines with their line
 * numbers. Computed in a worker (url-check.worker.ts), off the thread that handles typing; pure,
 * so it is tested in node. The URLs themselves stay in the worker: the host parses the list again
 * when the run starts.
 */

/** Invalid lines listed at once; the rest are counted. */
export const MAX_LISTED = 200

export interface UrlCheck {
  readonly urls: number
  readonly duplicates: number
  /** Blank lines, comment lines and a header row. */
  readonly skipped: number
  readonly invalidCount: number
  /** The first MAX_LISTED invalid lines, in line order. */
  readonly invalid: readonly InvalidLine[]
}

export function checkUrlText(text: string, maxListed = MAX_LISTED): UrlCheck {
  const parsed = parseUrlList(text)
  return {
    urls: parsed.urls.length,
    duplicates: parsed.duplicates,
    skipped: parsed.skipped,
    invalidCount: parsed.invalid.length,
    invalid: parsed.invalid.slice(0, maxListed)
  }
}

/** A request to the worker: check `text`; the answer carries the same `id`. */
export interface UrlCheckRequest {
  readonly id: number
  readonly text: string
}

export type UrlCheckResponse =
  | { readonly id: number; readonly ok: true; readonly check: UrlCheck }
  | { readonly id: number; readonly ok: false; readonly message: string }

/** The worker's answer to one request (an exception becomes a message, never a lost answer). */
export function answer(request: UrlCheckRequest): UrlCheckResponse {
  try {
    return { id: request.id, ok: true, check: checkUrlText(request.text) }
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
