/** A live settings change drawn as a vertical line on the over-time charts. */
export interface ChartMark {
  /** Epoch ms. */
  readonly at: number
  /** Short label, e.g. "concurrency 8 → 20". */
  readonly label: string
}

/** One recent finished request for the latency scatter. */
export interface RecentPoint {
  /** Epoch ms when it finished. */
  readonly at: number
  readonly ms: number
  readonly ok: boolean
}
