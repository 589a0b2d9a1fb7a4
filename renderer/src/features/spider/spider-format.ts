/**
 * Words and numbers for the spider panels. Pure (no React, no DOM), so it is tested in node.
 */

/** A wall-clock time for log lines: "14:03:27". */
export function formatLogTime(epochMs: number): string {
  const d = new Date(epochMs)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

export interface LogEntry {
  readonly key: string
  readonly at: number
  readonly tag: 'lowered' | 'raised' | 'limit' | 'trap' | 'sitemap'
  readonly text: string
  /** The URL a trap refused (shown after the text, as code). */
  readonly url?: string
  /** The trap rule's code, e.g. REPEATING_PATH (a tooltip). */
  readonly code?: string
}

interface DecisionLike {
  readonly at: number
  readonly host: string
  readonly from: number
  readonly to: number
  readonly kind: 'decrease' | 'increase' | 'user-limit'
  readonly reason: string
}

interface TrapLike {
  readonly at: number
  readonly url: string
  readonly code: string
  readonly message: string
}

interface NoticeLike {
  readonly at: number
  readonly message: string
}

/**
 * Decisions, traps and sitemap problems (each newest first) as one log, newest first, at most
 * `limit` lines; at equal times a decision comes first, then a trap. The decision's own reason is
 * already plain words ("shop.example: 8 → 4 after three 429s in 10 s").
 */
export function logEntries(
  decisions: readonly DecisionLike[],
  traps: readonly TrapLike[],
  notices: readonly NoticeLike[],
  limit: number
): readonly LogEntry[] {
  const out: LogEntry[] = []
  let i = 0
  let j = 0
  let k = 0
  while (out.length < limit) {
    const d = decisions[i]
    const t = traps[j]
    const n = notices[k]
    const dAt = d?.at ?? -Infinity
    const tAt = t?.at ?? -Infinity
    const nAt = n?.at ?? -Infinity
    if (d !== undefined && dAt >= tAt && dAt >= nAt) {
      out.push({
        key: `d${String(d.at)}:${d.host}:${String(d.from)}:${String(d.to)}:${String(i)}`,
        at: d.at,
        tag: d.kind === 'decrease' ? 'lowered' : d.kind === 'increase' ? 'raised' : 'limit',
        text: d.reason
      })
      i++
    } else if (t !== undefined && tAt >= nAt) {
      out.push({
        key: `t${String(t.at)}:${t.url}:${String(j)}`,
        at: t.at,
        tag: 'trap',
        text: t.message,
        url: t.url,
        code: t.code
      })
      j++
    } else if (n !== undefined) {
      out.push({ key: `n${String(n.at)}:${String(k)}`, at: n.at, tag: 'sitemap', text: n.message })
      k++
    } else {
      break
    }
  }
  return out
}
