import type { TimingPhases } from '../../../../shared/result.ts'

/**
 * Bars for the detail panel's timing waterfall: each phase starts where the previous ended, widths
 * in percent of the whole request. Pure, so the geometry is tested without a DOM.
 */

export type WaterfallPhase = 'queue' | 'dns' | 'connect' | 'tls' | 'ttfb' | 'download' | 'other'

export interface WaterfallBar {
  readonly phase: WaterfallPhase
  readonly label: string
  readonly startMs: number
  readonly durationMs: number
  /** Percent of the track, 0–100. */
  readonly leftPct: number
  readonly widthPct: number
}

export interface Waterfall {
  readonly bars: readonly WaterfallBar[]
  readonly totalMs: number
}

/** Non-zero phases get at least this width so a 0.2 ms DNS lookup is still visible. */
export const MIN_BAR_PCT = 0.6

const PHASES: readonly { phase: Exclude<WaterfallPhase, 'other'>; label: string }[] = [
  { phase: 'queue', label: 'Queue' },
  { phase: 'dns', label: 'DNS' },
  { phase: 'connect', label: 'Connect' },
  { phase: 'tls', label: 'TLS' },
  { phase: 'ttfb', label: 'TTFB' },
  { phase: 'download', label: 'Download' }
]

const clean = (v: number): number => (Number.isFinite(v) && v > 0 ? v : 0)

/**
 * The five named phases always (a reused socket shows 0 ms DNS/connect/TLS), the client queue only
 * when it waited, and the rest of `total` (redirect hops, or time between phases) as one last bar.
 */
export function waterfallBars(t: TimingPhases, opts: { readonly redirects?: number } = {}): Waterfall {
  const sum = PHASES.reduce((n, p) => n + clean(t[p.phase]), 0)
  const total = Math.max(clean(t.total), sum)
  const remainder = total - sum
  const rows: { phase: WaterfallPhase; label: string; ms: number }[] = []
  for (const p of PHASES) {
    const ms = clean(t[p.phase])
    if (p.phase === 'queue' && ms === 0) continue
    rows.push({ phase: p.phase, label: p.label, ms })
  }
  if (remainder >= 0.5 && remainder / Math.max(total, 1e-9) >= 0.005) {
    rows.push({ phase: 'other', label: (opts.redirects ?? 0) > 0 ? 'Redirects' : 'Other', ms: remainder })
  }
  const bars: WaterfallBar[] = []
  let start = 0
  for (const r of rows) {
    const leftRaw = total > 0 ? (start / total) * 100 : 0
    let width = total > 0 ? (r.ms / total) * 100 : 0
    if (r.ms > 0) width = Math.max(MIN_BAR_PCT, width)
    const left = Math.min(leftRaw, 100 - width)
    bars.push({
      phase: r.phase,
      label: r.label,
      startMs: start,
      durationMs: r.ms,
      leftPct: Math.max(0, left),
      widthPct: width
    })
    start += r.ms
  }
  return { bars, totalMs: total }
}
