import type { RequestResult } from '../../shared/result.ts'

/** Deterministic, varied results: statuses, failures with retries, redirects, titles, hosts. */
export function syntheticResults(n: number, seed = 1): RequestResult[] {
  let s = seed
  const r = (): number => ((s = (s * 16_807) % 2_147_483_647) - 1) / 2_147_483_646
  return Array.from({ length: n }, (_, id): RequestResult => {
    const host = `h${Math.floor(r() * 7)}.test`
    const url = `https://${host}/p/${id}?q=${Math.floor(r() * 1e6)}`
    const failed = r() < 0.2
    const status = failed ? (r() < 0.5 ? null : 503) : r() < 0.1 ? 304 : 200
    const error = failed
      ? status === null
        ? {
            code: 'TIMEOUT_HEADERS' as const,
            message: 'no headers in 15000 ms',
            phase: 'headers' as const,
            retryable: true
          }
        : {
            code: 'HTTP_STATUS' as const,
            message: 'HTTP 503',
            phase: 'headers' as const,
            retryable: true,
            status: 503
          }
      : null
    const total = 10 + r() * 900
    const startedAt = 1_760_000_000_000 + id * 5
    const attempts = Array.from({ length: failed ? 3 : 1 }, (_, k) => ({
      attempt: k + 1,
      startedAt: startedAt + k * 100,
      durationMs: total / (k + 1),
      status,
      error,
      outcome: k < (failed ? 2 : 0) ? ('retry' as const) : failed ? ('failed' as const) : ('ok' as const),
      waitBeforeNextMs: k < (failed ? 2 : 0) ? 50 * (k + 1) : null,
      waitReason: k < (failed ? 2 : 0) ? ('backoff' as const) : null
    }))
    const redirected = !failed && r() < 0.2
    return {
      id,
      url,
      finalUrl: redirected ? `${url}&r=1` : url,
      host,
      method: 'GET',
      status,
      ok: !failed,
      attempts,
      redirects: redirected ? [{ url, status: 301, location: `${url}&r=1`, durationMs: r() * 9 }] : [],
      error,
      timings: {
        queue: r(),
        dns: r() * 5,
        connect: r() * 9,
        tls: 0,
        ttfb: total * 0.7,
        download: total * 0.3,
        total
      },
      bytes: failed ? 0 : Math.floor(r() * 50_000),
      contentType: status === null ? null : 'text/html',
      title: status === 200 ? `Page ${id} on ${host}` : null,
      startedAt,
      finishedAt: startedAt + 1_000 + total,
      headers: status === null ? {} : { 'content-type': 'text/html', etag: `"${id}"`, server: 'demo' },
      depth: 0,
      foundOn: null
    }
  })
}
