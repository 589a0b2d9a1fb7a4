import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import { holdClaim, newClaim } from '../../../electron/core/run/owner.ts'
import { RunRecord, SAVE_INTERVAL_MS } from '../../../electron/core/run/run-record.ts'
import { openMemoryRunStore, type RunStore } from '../../../electron/core/store/index.ts'

/**
 * A live run's record: saved about once a second while batches flow, the claim's heartbeat in
 * between, and nothing written once another process holds the run.
 */

let store: RunStore

beforeEach(() => {
  vi.useFakeTimers()
  store = openMemoryRunStore()
})

afterEach(() => {
  vi.useRealTimers()
  store.close()
})

function recordOf(onLost = (): void => undefined) {
  const claim = newClaim()
  store.createRun({
    id: 'r',
    name: 'r',
    config: DEFAULT_CONFIG,
    urls: ['https://a.test/'],
    createdAt: 1,
    owner: claim
  })
  holdClaim(claim)
  const record = new RunRecord({ store, runId: 'r', claim, log: () => undefined, onLost })
  return { record, claim }
}

describe('RunRecord', () => {
  it('saves the counts about once a second while batches flow, the heartbeat never crowding a save out', () => {
    const { record } = recordOf()
    record.startHeartbeat()
    // A quiet spell first (a pause, or a machine too busy to batch): the heartbeat alone writes.
    vi.advanceTimersByTime(3_500)
    const saves: number[] = []
    // Then ten seconds of a busy run: a batch every 100 ms, each asking for a save when one is due.
    for (let tick = 1; tick <= 100; tick++) {
      vi.advanceTimersByTime(100)
      if (record.due) {
        record.save({ total: tick }, () => undefined)
        saves.push(tick)
      }
    }
    expect(saves.length).toBeGreaterThanOrEqual(9)
    expect(saves.length).toBeLessThanOrEqual(11)
    expect(store.getRun('r')?.total).toBe(saves.at(-1))
    expect(SAVE_INTERVAL_MS).toBe(1_000)
  })

  it('keeps the claim alive while nothing is saved (a paused run), then lets go once', () => {
    const { record } = recordOf()
    record.startHeartbeat()
    const first = store.getRun('r')?.heartbeatAt ?? 0
    vi.advanceTimersByTime(5_000)
    expect(store.getRun('r')?.heartbeatAt).toBeGreaterThanOrEqual(first + 4_000)
    expect(record.release({ state: 'completed' })).toBe(true)
    expect(store.getRun('r')).toMatchObject({ owner: null, state: 'completed' })
    expect(record.writable).toBe(false)
    expect(record.release({ state: 'cancelled' })).toBe(false)
  })

  it('stops writing, and says so once, when another process has taken the run over', () => {
    const lost = vi.fn()
    const { record, claim } = recordOf(lost)
    record.startHeartbeat()
    expect(store.claimRun('r', { ...newClaim(), token: 'theirs' }, claim)).toBe(true)
    vi.advanceTimersByTime(2_000)
    expect(lost).toHaveBeenCalledTimes(1)
    record.save({ total: 99 }, () => undefined)
    expect(store.getRun('r')).toMatchObject({ total: 1 })
    expect(store.getRun('r')?.owner?.token).toBe('theirs')
  })
})
