import type { HostRow } from './api.ts'

/**
 * Why a run has fewer requests in flight than its concurrency limit allows, in one plain sentence
 * for the dashboard: "0 of 128 in flight: all 3 hosts are paused by Retry-After for up to 12 s
 * more." Pure: a snapshot (the global limit, in flight, what is left, per-host states, now) in, the
 * sentence out, so every cause is unit-tested. The dashboard shows it only once in flight has
 * stayed below the limit for a while (see `belowLimitSince` and `LIMIT_EXPLANATION_AFTER_MS`).
 */

/** What the explanation reads of a host (a HostRow has it all). */
export type LimitHost = Pick<
  HostRow,
  | 'host'
  | 'inFlight'
  | 'queued'
  | 'retrying'
  | 'currentLimit'
  | 'userLimit'
  | 'pausedUntil'
  | 'pauseReason'
  | 'gapMs'
  | 'pacing'
  | 'nextStartAt'
  | 'limitReason'
>

export interface LimitSnapshot {
  /** The global concurrency limit. */
  readonly concurrency: number
  readonly inFlight: number
  /** URLs not finished and not in flight: queued anywhere, or asleep before a retry. */
  readonly queued: number
  /** The run's engine state: only a running or paused run is explained. */
  readonly state: 'idle' | 'running' | 'paused' | 'completed' | 'cancelled'
  /** Why the failure safeguard paused the run, while it stays paused for it; else null. */
  readonly safeguardReason: string | null
  readonly hosts: readonly LimitHost[]
  /** Epoch ms (for how long pauses last). */
  readonly now: number
}

/** In flight must stay below the limit this long before the dashboard says why (no flicker). */
export const LIMIT_EXPLANATION_AFTER_MS = 3_000

/**
 * When in flight fell below the limit and has stayed there: `since` as it was (null while at the
 * limit), updated for this moment.
 */
export function belowLimitSince(
  since: number | null,
  inFlight: number,
  limit: number,
  now: number
): number | null {
  if (inFlight >= limit) return null
  return since ?? now
}

/** Whether the sentence shows now: below the limit for LIMIT_EXPLANATION_AFTER_MS or longer. */
export function explanationDue(since: number | null, now: number): boolean {
  return since !== null && now - since >= LIMIT_EXPLANATION_AFTER_MS
}

type Cause = 'retry-after' | 'backoff' | 'adaptive' | 'at-limit' | 'pacing'

/** What holds one host with work back now; null when nothing does (it may start one at once). */
export function hostCause(h: LimitHost, now: number): Cause | null {
  if (h.pauseReason === 'retry-after' && h.pausedUntil !== null && h.pausedUntil > now) return 'retry-after'
  if (h.pauseReason === 'backoff') return 'backoff'
  if (h.inFlight >= h.currentLimit) return h.currentLimit < h.userLimit ? 'adaptive' : 'at-limit'
  if (h.nextStartAt !== null && h.nextStartAt > now && h.gapMs > 0) return 'pacing'
  return null
}

const hasWork = (h: LimitHost): boolean => h.inFlight > 0 || h.queued > 0 || h.retrying > 0

/** "4 s", "1 min 5 s", "2 h 3 min": a wait, rounded up to the second. */
export function formatWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000))
  if (s < 60) return `${String(s)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 === 0 ? `${String(m)} min` : `${String(m)} min ${String(s % 60)} s`
  return `${String(Math.floor(m / 60))} h ${String(m % 60)} min`
}

/** "500 ms", "2 s", "1.5 s". */
function formatGap(ms: number): string {
  if (ms < 1000) return `${String(Math.round(ms))} ms`
  const s = ms / 1000
  return `${Number.isInteger(s) ? String(s) : s.toFixed(1)} s`
}

const plural = (n: number, one: string, many: string): string => `${String(n)} ${n === 1 ? one : many}`

/** "all 3 hosts are", "2 of 3 hosts are", "the only host is", "a.test is". */
function subject(group: readonly LimitHost[], total: number): { text: string; one: boolean } {
  const first = group[0]
  if (group.length === 1 && first !== undefined)
    return { text: total === 1 ? `the only host (${first.host})` : first.host, one: true }
  return {
    text:
      group.length === total
        ? total === 2
          ? 'both hosts'
          : `all ${String(total)} hosts`
        : `${String(group.length)} of ${String(total)} hosts`,
    one: false
  }
}

/** The longest remaining wait of a group of held hosts ("for 4 s more", "for up to 12 s more"). */
function waitClause(group: readonly LimitHost[], now: number): string {
  const lefts = group.map((h) => Math.max(0, (h.pausedUntil ?? now) - now))
  const longest = Math.max(...lefts)
  if (longest <= 0) return ''
  const same = lefts.every((l) => Math.ceil(l / 1000) === Math.ceil(longest / 1000))
  return ` for ${same ? '' : 'up to '}${formatWait(longest)} more`
}

function pacingText(h: LimitHost): string {
  switch (h.pacing) {
    case 'min-delay':
      return `min delay ${formatGap(h.gapMs)} per host`
    case 'rate':
      return `the rate cap (one request every ${formatGap(h.gapMs)} per host)`
    case 'crawl-delay':
      return `robots.txt Crawl-delay ${formatGap(h.gapMs)}`
    case 'crawl-delay-capped':
      return `robots.txt Crawl-delay (capped at ${formatGap(h.gapMs)})`
    case null:
      return `pacing (${formatGap(h.gapMs)} between requests)`
  }
}

/** The same number for every host of the group, or null. */
function common(group: readonly LimitHost[], pick: (h: LimitHost) => number): number | null {
  const first = group[0]
  if (first === undefined) return null
  const value = pick(first)
  return group.every((h) => pick(h) === value) ? value : null
}

function clause(cause: Cause, group: readonly LimitHost[], total: number, s: LimitSnapshot): string {
  const who = subject(group, total)
  const be = who.one ? 'is' : 'are'
  const first = group[0]
  switch (cause) {
    case 'retry-after':
      return `${who.text} ${be} paused by Retry-After${waitClause(group, s.now)}`
    case 'backoff':
      return `${who.text} ${who.one ? 'waits' : 'wait'} on retry backoff${waitClause(group, s.now)}`
    case 'adaptive': {
      const limit = first?.currentLimit ?? 0
      const why = first?.limitReason ? ` ${first.limitReason}` : ''
      if (who.one) return `the adaptive limit lowered ${first?.host ?? ''} to ${String(limit)}${why}`
      const same = common(group, (h) => h.currentLimit)
      return `the adaptive limit lowered ${who.text} to ${same === null ? 'below your per-host limit' : String(same)}${why}`
    }
    case 'at-limit': {
      const limit = common(group, (h) => h.currentLimit)
      const what = limit === null ? 'per-host limits' : `per-host limit ${String(limit)}`
      // All hosts full: their limits add up to less than the global one.
      const sum = group.reduce((n, h) => n + h.currentLimit, 0)
      const why =
        group.length === total && sum < s.concurrency
          ? ` (${String(group.length)} × ${limit === null ? 'their limits' : String(limit)} = ${String(sum)} at most)`
          : ''
      return `${who.text} ${be} at ${who.one ? 'its' : 'their'} ${what}${why}`
    }
    case 'pacing':
      return `${who.text} ${who.one ? 'waits' : 'wait'} on ${first ? pacingText(first) : 'pacing'}`
  }
}

const CAUSE_ORDER: readonly Cause[] = ['retry-after', 'backoff', 'adaptive', 'pacing', 'at-limit']

/**
 * The sentence, or null when there is nothing to explain (in flight at the limit, a run not going,
 * or nothing known that holds it back: a slot that has just freed up).
 */
export function explainLimit(s: LimitSnapshot): string | null {
  if (s.state === 'paused') {
    return s.safeguardReason !== null
      ? `The failure safeguard paused the run: ${s.safeguardReason}.`
      : 'The run is paused: nothing new starts until it is resumed.'
  }
  if (s.state !== 'running' || s.inFlight >= s.concurrency) return null
  const clauses: string[] = []

  const working = s.hosts.filter(hasWork)
  const groups = new Map<Cause, LimitHost[]>()
  for (const h of working) {
    const cause = hostCause(h, s.now)
    if (cause === null) continue
    const group = groups.get(cause)
    if (group) group.push(h)
    else groups.set(cause, [h])
  }
  // Hosts merely full are a cause only next to another, or when every host is full.
  const atLimit = groups.get('at-limit')
  const onlyFull = groups.size === 1 && atLimit !== undefined
  if (!onlyFull || atLimit.length === working.length) {
    for (const cause of CAUSE_ORDER) {
      const group = groups.get(cause)
      if (group) clauses.push(clause(cause, group, working.length, s))
    }
  }
  // Fewer URLs left than the limit: the cause only when no host is held back (a short list whose
  // hosts all wait on Retry-After is held back by Retry-After, not by its length).
  const left = s.inFlight + s.queued
  if (clauses.length === 0 && left < s.concurrency)
    clauses.push(`the list is nearly done: ${plural(left, 'URL', 'URLs')} left`)
  if (clauses.length === 0) return null
  const text = clauses.join('; ')
  return `${String(s.inFlight)} of ${String(s.concurrency)} in flight: ${text}.`
}
