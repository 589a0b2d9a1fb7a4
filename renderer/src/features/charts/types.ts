/** A live settings change drawn as a vertical line on the over-time charts. */
export interface ChartMark {
  /** Epoch ms. */
  readonly at: number
  /** Short label, e.g. "concurrency 8 → 20". */
  readonly label: string
  /** A settings change (the default), or an adaptive-concurrency decision ("shop.example 8 → 4"). */
  readonly kind?: 'settings' | 'decision'
}

/** One recent finished request for the latency scatter. */
export interface RecentPoint {
  /** Epoch ms when it finished. */
  readonly at: number
  readonly ms: number
  readonly ok: boolean
}
