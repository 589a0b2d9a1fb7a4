import { EMPTY, formatPercent as percentText } from '../../../../shared/format.ts'

/**
 * Words and numbers for the hosts view. Pure (no React, no DOM), so it is tested in node.
 */

/** "in 12 s", "in 3 min 5 s", "in 1 h 02 min"; null (nothing to say) when the time has passed. */
export function formatUntil(untilMs: number | null, now: number): string | null {
  if (untilMs === null || !Number.isFinite(untilMs)) return null
  const left = Math.ceil((untilMs - now) / 1000)
  if (left <= 0) return null
  if (left < 60) return `in ${String(left)} s`
  if (left < 3600) {
    const m = Math.floor(left / 60)
    const s = left % 60
    return s === 0 ? `in ${String(m)} min` : `in ${String(m)} min ${String(s)} s`
  }
  const h = Math.floor(left / 3600)
  const m = Math.floor((left % 3600) / 60)
  return `in ${String(h)} h ${String(m).padStart(2, '0')} min`
}

/** "2 s", "500 ms", or the empty glyph for a crawl delay. */
export function formatDelay(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms <= 0) return EMPTY
  if (ms < 1000) return `${String(Math.round(ms))} ms`
  const s = ms / 1000
  return `${Number.isInteger(s) ? String(s) : s.toFixed(1)} s`
}

/** "98.5%", "100%", or the empty glyph without requests. */
export function formatPercent(percent: number, requests: number): string {
  if (requests === 0 || !Number.isFinite(percent)) return EMPTY
  return percentText(Math.min(100, Math.max(0, percent)))
}

/** The tone of a robots.txt status label, for its colour: blocked-ish, ignored, or fine. */
export function robotsTone(label: string): 'ok' | 'warn' | 'muted' {
  const l = label.toLowerCase()
  if (l.includes('ignored')) return 'warn'
  if (l.includes('unreachable') || l.includes('disallow') || l.includes('error') || l.includes('5xx'))
    return 'warn'
  if (l.includes('not fetched') || l.includes('pending') || l.includes('fetching')) return 'muted'
  return 'ok'
}
