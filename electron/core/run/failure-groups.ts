import type { FailureGroup } from '../../../shared/api.ts'
import type { LiveSettings, RunConfig } from '../../../shared/config.ts'
import { assertNever } from '../../../shared/events.ts'
import { ERROR_ADVICE } from '../../../shared/errors.ts'
import { formatBytes } from '../../../shared/format.ts'
import type { SettingSpec } from '../../../shared/setting-spec.ts'
import { SETTINGS, type SettingKey } from '../../../shared/settings.ts'
import type { FailureTally } from './result-store.ts'

/**
 * Failure groups with one line of advice each. The line starts from ERROR_ADVICE (shared/errors.ts)
 * and is made specific to the run when its data says so: the settings in effect now ("lower
 * Concurrency (now 200)"), a host that accounts for most of the failures, the statuses behind
 * HTTP_STATUS. Advice names settings by their labels and units in the settings table
 * (shared/settings.ts), so it reads as the settings form does.
 */

/** A setting as advice names it: "Connect timeout". */
const label = (key: SettingKey): string => SETTINGS[key].label

/** A value with the setting's unit: "3000 ms". */
function valueOf(key: SettingKey, value: number): string {
  const spec: SettingSpec = SETTINGS[key]
  return spec.unit === undefined ? String(value) : `${value} ${spec.unit}`
}

export interface FailureContext {
  /** Settings in effect now (live changes included). */
  readonly settings: LiveSettings
  readonly config: RunConfig
  /** Results finished so far. */
  readonly done: number
}

/** One host with at least this share of a group's failures is named in the advice. */
const DOMINANT_HOST_SHARE = 0.8
/** Timeouts on at least this share of finished requests point at our own load, not a few slow servers. */
const WIDESPREAD_SHARE = 0.1

export function failureGroups(tallies: readonly FailureTally[], ctx: FailureContext): FailureGroup[] {
  return tallies.map((t) => ({
    code: t.code,
    count: t.count,
    suggestion: suggestionFor(t, ctx),
    sampleUrls: t.sampleUrls.slice(0, 3)
  }))
}

export function suggestionFor(t: FailureTally, ctx: FailureContext): string {
  const s = ctx.settings
  const host = dominantHost(t)
  const onHost = host ? ` (${share(host.count, t.count)} on ${host.name})` : ''
  const widespread = ctx.done > 0 && t.count >= 5 && t.count / ctx.done >= WIDESPREAD_SHARE
  const n = `${t.count} ${t.count === 1 ? 'request' : 'requests'}`
  const connect = valueOf('connectTimeoutMs', s.connectTimeoutMs)
  const headers = valueOf('headersTimeoutMs', s.headersTimeoutMs)
  const body = valueOf('bodyTimeoutMs', s.bodyTimeoutMs)
  const total = valueOf('totalTimeoutMs', s.totalTimeoutMs)
  const maxBody = formatBytes(ctx.config.maxBodyBytes)
  switch (t.code) {
    case 'TIMEOUT_CONNECT':
      if (widespread) {
        return (
          `${n} could not connect within ${connect}${onHost}: lower ${label('concurrency')} ` +
          `(now ${s.concurrency}) or raise ${label('connectTimeoutMs')} (now ${connect}).`
        )
      }
      return `${n} could not connect within ${connect}${onHost}: raise ${label('connectTimeoutMs')} (now ${connect}) if these servers are just slow to accept.`
    case 'TIMEOUT_HEADERS':
      return host
        ? `${n} waited over ${headers} for headers${onHost}: lower ${label('perHostConcurrency')} (now ${s.perHostConcurrency}) or raise ${label('headersTimeoutMs')} (now ${headers}).`
        : `${n} waited over ${headers} for headers: raise ${label('headersTimeoutMs')} (now ${headers}) or lower ${label('perHostConcurrency')} (now ${s.perHostConcurrency}).`
    case 'TIMEOUT_BODY':
      return `${n} stalled over ${body} between body chunks${onHost}: raise ${label('bodyTimeoutMs')} (now ${body}).`
    case 'TIMEOUT_TOTAL':
      return `${n} took longer than ${total} in all${onHost}: raise ${label('totalTimeoutMs')} (now ${total}) or lower ${label('maxBodyBytes')} (now ${maxBody}).`
    case 'HTTP_STATUS':
      return statusAdvice(t, ctx, onHost)
    case 'RESET':
      return `${n} had the connection dropped${onHost}: lower ${label('perHostConcurrency')} (now ${s.perHostConcurrency}); the server may be overloaded or blocking.`
    case 'BODY_TOO_LARGE':
      return `${n} had bodies over ${label('maxBodyBytes')} (now ${maxBody})${onHost}: raise it, or use HEAD to check availability only.`
    case 'TOO_MANY_REDIRECTS':
      return `${n} redirected more than ${ctx.config.maxRedirects} times${onHost}: raise ${label('maxRedirects')} (now ${ctx.config.maxRedirects}) or check the URLs.`
    case 'DNS':
      return `${t.hosts.size === 1 ? `The host name ${firstKey(t.hosts)} did not` : `${t.hosts.size} host names did not`} resolve: check the URLs for typos or the network for DNS.`
    case 'CONNECT_REFUSED':
      return `${n} found nothing listening${onHost}: check the host and port, or whether the service is down.`
    case 'TLS':
    case 'REDIRECT_LOOP':
    case 'ROBOTS_DISALLOWED':
    case 'INVALID_URL':
    case 'PROTOCOL':
    case 'NETWORK':
    case 'ABORTED':
      return host ? `${ERROR_ADVICE[t.code].replace(/\.$/, '')}${onHost}.` : ERROR_ADVICE[t.code]
    default:
      return assertNever(t.code, 'error code')
  }
}

function statusAdvice(t: FailureTally, ctx: FailureContext, onHost: string): string {
  const s = ctx.settings
  const statuses = [...t.statuses].sort((a, b) => b[1] - a[1])
  const top = statuses[0]
  if (!top) return ERROR_ADVICE.HTTP_STATUS
  const list = statuses
    .slice(0, 3)
    .map(([status, count]) => `${status} ×${count}`)
    .join(', ')
  const [status, count] = top
  const most = count * 2 > t.count
  if (most && status === 429) {
    const retryAfter = s.respectRetryAfter
      ? `Retry-After waits are capped at ${valueOf('retryAfterMaxMs', s.retryAfterMaxMs)}: raise ${label('retryAfterMaxMs')}`
      : `turn on ${label('respectRetryAfter')}`
    return `Servers asked to slow down (${list})${onHost}: lower ${label('perHostConcurrency')} (now ${s.perHostConcurrency}), or ${retryAfter}.`
  }
  if (most && status >= 500) {
    const retried = s.retryStatuses.includes(status)
      ? `retrying (now ${s.retries} retries) did not help`
      : `${status} is not in ${label('retryStatuses')}`
    return `Servers failed (${list})${onHost}: ${retried}; the server may be down or overloaded, try later or lower ${label('concurrency')} (now ${s.concurrency}).`
  }
  if (most && (status === 404 || status === 410)) {
    return `Pages not found (${list})${onHost}: these URLs are gone or mistyped; retrying will not help.`
  }
  if (most && (status === 401 || status === 403)) {
    return `Access refused (${list})${onHost}: the server needs credentials or blocks this user agent (check ${label('userAgent')} and ${label('headers')}).`
  }
  return `Servers answered with error statuses (${list})${onHost}: see the status breakdown.`
}

function dominantHost(t: FailureTally): { name: string; count: number } | null {
  if (t.count < 2) return null
  for (const [name, count] of t.hosts) {
    if (count / t.count >= DOMINANT_HOST_SHARE) return { name, count }
  }
  return null
}

function share(part: number, whole: number): string {
  return part === whole ? 'all' : `${Math.round((part * 100) / whole)}%`
}

function firstKey(map: ReadonlyMap<string, number>): string {
  for (const key of map.keys()) return key
  return ''
}
