import type { CompactResults, ResultRow } from '../../../shared/api.ts'
import type { RequestResult } from '../../../shared/result.ts'

/**
 * Finished results in the wire's struct-of-arrays form (see CompactResults in shared/api.ts): one
 * array per field instead of one object per result, so a batch of thousands serialises small and the
 * renderer feeds its charts without walking objects.
 */

export function emptyCompact(): CompactResults {
  return { id: [], finishedAt: [], totalMs: [], status: [], ok: [], code: [] }
}

export function pushCompact(target: CompactResults, r: RequestResult): void {
  target.id.push(r.id)
  target.finishedAt.push(r.finishedAt)
  target.totalMs.push(r.timings.total)
  target.status.push(r.status ?? 0)
  target.ok.push(r.ok ? 1 : 0)
  target.code.push(r.error?.code ?? '')
}

/**
 * The most recent `capacity` finished results (the snapshot's scatter of individual requests). A
 * fixed ring of typed arrays: a long run keeps constant memory and pushing never allocates.
 */
export class CompactRing {
  readonly capacity: number
  private readonly ids: Float64Array
  private readonly finishedAt: Float64Array
  private readonly totalMs: Float64Array
  private readonly status: Uint16Array
  private readonly ok: Uint8Array
  private readonly code: (CompactResults['code'][number] | undefined)[]
  /** Results ever pushed; the newest sits at (pushed − 1) mod capacity. */
  private pushed = 0

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity))
    this.ids = new Float64Array(this.capacity)
    this.finishedAt = new Float64Array(this.capacity)
    this.totalMs = new Float64Array(this.capacity)
    this.status = new Uint16Array(this.capacity)
    this.ok = new Uint8Array(this.capacity)
    this.code = new Array<CompactResults['code'][number] | undefined>(this.capacity)
  }

  get size(): number {
    return Math.min(this.pushed, this.capacity)
  }

  /** A stored table row (a reopened or resumed run's most recent results). */
  pushRow(r: ResultRow): void {
    this.put(r.id, r.finishedAt, r.totalMs, r.status ?? 0, r.ok, r.errorCode ?? '')
  }

  push(r: RequestResult): void {
    this.put(r.id, r.finishedAt, r.timings.total, r.status ?? 0, r.ok, r.error?.code ?? '')
  }

  private put(
    id: number,
    finishedAt: number,
    totalMs: number,
    status: number,
    ok: boolean,
    code: CompactResults['code'][number]
  ): void {
    const k = this.pushed % this.capacity
    this.ids[k] = id
    this.finishedAt[k] = finishedAt
    this.totalMs[k] = totalMs
    this.status[k] = status
    this.ok[k] = ok ? 1 : 0
    this.code[k] = code
    this.pushed++
  }

  /** Oldest first. */
  toCompact(): CompactResults {
    const out = emptyCompact()
    const n = this.size
    const first = this.pushed - n
    for (let i = 0; i < n; i++) {
      const k = (first + i) % this.capacity
      out.id.push(this.ids[k] ?? 0)
      out.finishedAt.push(this.finishedAt[k] ?? 0)
      out.totalMs.push(this.totalMs[k] ?? 0)
      out.status.push(this.status[k] ?? 0)
      out.ok.push(this.ok[k] ?? 0)
      out.code.push(this.code[k] ?? '')
    }
    return out
  }
}
