import type { ResultRow } from '../../../shared/api.ts'
import { ERROR_ADVICE } from '../../../shared/errors.ts'
import type { StoredFailureTally } from '../store/index.ts'
import { markup, safeHttpHref, type SafeHtml } from './html-escape.ts'
import { EMPTY, formatBytes, formatCount, formatMs, formatShare } from '../../../shared/format.ts'

/** The report's tables: failures grouped by error code, and the slowest URLs. */

/** Hosts listed per error code (the most affected). */
const HOSTS_PER_CODE = 5

/** A crawled URL as text; a link only for http(s), which never sends a referrer or an opener. */
export function urlCell(url: string): SafeHtml {
  const href = safeHttpHref(url)
  if (href === null) return markup`<span class="url">${url}</span>`
  return markup`<a class="url" href="${href}" rel="noreferrer noopener">${url}</a>`
}

function hostsText(hosts: ReadonlyMap<string, number>): SafeHtml {
  const sorted = [...hosts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const shown = sorted
    .slice(0, HOSTS_PER_CODE)
    .map(
      ([host, n]) =>
        markup`<li><span class="url">${host}</span> <span class="muted">${formatCount(n)}</span></li>`
    )
  const more = sorted.length - HOSTS_PER_CODE
  return markup`<ul class="samples">
    ${shown}${more > 0 && markup`<li class="muted">${formatCount(more)} more</li>`}
  </ul>`
}

function statusesText(statuses: ReadonlyMap<number, number>): string {
  const withStatus = [...statuses].filter(([status]) => status !== 0).sort((a, b) => b[1] - a[1])
  return withStatus.map(([status, n]) => `${status} ×${formatCount(n)}`).join(', ')
}

export function failuresSection(
  tallies: readonly StoredFailureTally[],
  done: number,
  failed: number
): SafeHtml {
  const title = markup`<h2 id="failures-title">Failures by error code</h2>`
  if (tallies.length === 0) {
    return markup`<section id="failures" aria-labelledby="failures-title">
      ${title}
      <p class="muted">No request failed.</p>
    </section>`
  }
  const rows = tallies.map((t) => {
    const statuses = statusesText(t.statuses)
    return markup`<tr data-code="${t.code}">
      <td>
        <span class="code">${t.code}</span>
        <p class="advice">${ERROR_ADVICE[t.code]}</p>
        ${statuses !== '' && markup`<p class="advice">Statuses: ${statuses}</p>`}
      </td>
      <td class="num" data-value="${t.count}">${formatCount(t.count)}</td>
      <td class="num">
        ${formatShare(t.count, failed)}<br /><small class="muted">${formatShare(t.count, done)} of all</small>
      </td>
      <td>${hostsText(t.hosts)}</td>
      <td>
        <ul class="samples">
          ${t.sampleUrls.map((u) => markup`<li>${urlCell(u)}</li>`)}
        </ul>
      </td>
    </tr>`
  })
  return markup`<section id="failures" class="long" aria-labelledby="failures-title">
    ${title}
    <table class="failures">
      <thead>
        <tr>
          <th class="code-head">Error code</th>
          <th class="num">Requests</th>
          <th class="num">Share of failures</th>
          <th class="hosts">Hosts</th>
          <th class="samples-head">Sample URLs</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`
}

export function slowestSection(rows: readonly ResultRow[], done: number): SafeHtml {
  const title = markup`<h2 id="slowest-title">Slowest URLs</h2>`
  if (rows.length === 0) {
    return markup`<section id="slowest" aria-labelledby="slowest-title">
      ${title}
      <p class="muted">No request finished.</p>
    </section>`
  }
  const body = rows.map((r, k) => {
    const outcome = r.ok
      ? markup`<span class="ok">ok</span>`
      : markup`<span class="code failed">${r.errorCode ?? 'failed'}</span>${r.errorMessage !== null && markup`<span class="title">${r.errorMessage}</span>`}`
    return markup`<tr data-id="${r.id}">
      <td class="num muted">${k + 1}</td>
      <td>
        ${urlCell(r.url)}${r.title !== null && r.title !== '' && markup`<span class="title">${r.title}</span>`}
      </td>
      <td class="num">${r.status === null ? EMPTY : r.status}</td>
      <td>${outcome}</td>
      <td class="num" data-total-ms="${r.totalMs}">${formatMs(r.totalMs)}</td>
      <td class="num">${formatMs(r.ttfbMs)}</td>
      <td class="num">${formatBytes(r.bytes)}</td>
    </tr>`
  })
  return markup`<section id="slowest" class="long" aria-labelledby="slowest-title">
    ${title}
    <p class="muted">
      The ${formatCount(rows.length)} slowest of ${formatCount(done)} finished requests, by total time of the
      final attempt; failures included (a timeout is slow too).
    </p>
    <table>
      <thead>
        <tr>
          <th class="num">#</th>
          <th>URL and title</th>
          <th class="num">Status</th>
          <th>Outcome</th>
          <th class="num">Total</th>
          <th class="num">TTFB</th>
          <th class="num">Size</th>
        </tr>
      </thead>
      <tbody>
        ${body}
      </tbody>
    </table>
  </section>`
}
