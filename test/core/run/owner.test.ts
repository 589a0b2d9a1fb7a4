import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import {
  claimAlive,
  holdClaim,
  newClaim,
  OWNER_LEASE_MS,
  processStartedAt,
  releaseClaim
} from '../../../electron/core/run/owner.ts'
import { storedStatus } from '../../../electron/core/run/stored-runs.ts'
import { openRunStore, type RunOwner, type RunStore } from '../../../electron/core/store/index.ts'

/**
 * The owner record: when a claim on a run is alive, and the store's compare-and-set that makes
 * two processes claiming one run end with exactly one owner.
 */

let other: ChildProcess
let dir: string
let store: RunStore

beforeAll(async () => {
  other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-owner-'))
  store = openRunStore(join(dir, 'runs.db'))
})

afterAll(async () => {
  other.kill()
  store.close()
  await rm(dir, { recursive: true, force: true })
})

const claimOf = (over: Partial<RunOwner>): RunOwner => ({
  pid: other.pid ?? 0,
  host: null,
  token: 'a-claim',
  startedAt: null,
  ...over
})

describe('claimAlive', () => {
  it("holds this process's own claim while it is held, not after", () => {
    const claim = newClaim()
    expect(claim).toMatchObject({ pid: process.pid, host: hostname() })
    expect(claimAlive(claim, Date.now())).toBe(false)
    holdClaim(claim)
    expect(claimAlive(claim, Date.now())).toBe(true)
    releaseClaim(claim)
    expect(claimAlive(claim, Date.now())).toBe(false)
  })

  it("holds another live process's claim on this machine however quiet it has been", () => {
    expect(claimAlive(claimOf({}), null)).toBe(true)
    expect(claimAlive(claimOf({ host: hostname() }), Date.now() - 10 * OWNER_LEASE_MS)).toBe(true)
  })

  it('drops a claim whose process is gone', async () => {
    const gone = spawn(process.execPath, ['-e', '0'])
    await new Promise((resolve) => gone.on('close', resolve))
    expect(claimAlive(claimOf({ pid: gone.pid ?? 0 }), Date.now())).toBe(false)
    expect(claimAlive(claimOf({ pid: -1 }), Date.now())).toBe(false)
  })

  it('drops a claim whose pid now belongs to a process started later (a reused pid)', () => {
    const started = processStartedAt(other.pid ?? 0)
    if (started === null) {
      // No /proc here: a pid's start time cannot be read, so only its existence counts.
      expect(claimAlive(claimOf({ startedAt: 0 }), null)).toBe(true)
      return
    }
    expect(claimAlive(claimOf({ startedAt: started }), null)).toBe(true)
    expect(claimAlive(claimOf({ startedAt: started - 60_000 }), null)).toBe(false)
  })

  it("holds another machine's claim while its heartbeat is younger than the lease", () => {
    const remote = claimOf({ pid: 1, host: 'build-02.example' })
    const now = Date.now()
    expect(claimAlive(remote, now - 1_000, now)).toBe(true)
    expect(claimAlive(remote, now - OWNER_LEASE_MS - 1, now)).toBe(false)
    expect(claimAlive(remote, null, now)).toBe(false)
  })
})

describe('claiming a run in the store', () => {
  const create = (id: string, owner: RunOwner | null = null): void => {
    store.createRun({ id, name: id, config: DEFAULT_CONFIG, urls: ['https://a.test/'], createdAt: 1, owner })
    store.updateRun(id, { state: 'running' })
  }

  it('gives the run to exactly one of two claimants that saw the same owner', () => {
    const dead = claimOf({ pid: -1, token: 'dead' })
    create('contested', dead)
    const a = { ...newClaim(), token: 'a' }
    const b = { ...newClaim(), token: 'b' }
    expect(store.claimRun('contested', a, dead)).toBe(true)
    expect(store.claimRun('contested', b, dead)).toBe(false)
    expect(store.getRun('contested')?.owner).toEqual(a)
    // A free run is claimed against "nobody".
    create('free')
    expect(store.claimRun('free', b, null)).toBe(true)
    expect(store.claimRun('free', a, null)).toBe(false)
  })

  it('writes only while the claim holds: saves, heartbeats and the release of a run taken over are refused', () => {
    const mine = { ...newClaim(), token: 'mine' }
    create('taken', mine)
    expect(store.updateRun('taken', { total: 5 }, 'mine')).toBe(true)
    expect(store.heartbeat('taken', 'mine')).toBe(true)
    const thief = { ...newClaim(), token: 'thief' }
    expect(store.claimRun('taken', thief, mine)).toBe(true)
    expect(store.updateRun('taken', { total: 99 }, 'mine')).toBe(false)
    expect(store.heartbeat('taken', 'mine')).toBe(false)
    expect(store.releaseRun('taken', 'mine', { state: 'cancelled' })).toBe(false)
    expect(store.getRun('taken')).toMatchObject({ total: 5, state: 'running', owner: thief })
    expect(store.releaseRun('taken', 'thief', { state: 'running', interruption: 'SIGTERM stopped it' })).toBe(
      true
    )
    const run = store.getRun('taken')
    expect(run).toMatchObject({ owner: null, interruption: 'SIGTERM stopped it' })
    expect(run && storedStatus(run)).toEqual({ kind: 'interrupted', reason: 'SIGTERM stopped it' })
  })

  it('reads a run whose owner died without letting go as interrupted, naming the pid', () => {
    create('orphan', claimOf({ pid: -7, token: 'orphan' }))
    const run = store.getRun('orphan')
    expect(run && storedStatus(run)).toEqual({
      kind: 'interrupted',
      reason: 'the process driving it (pid -7) ended before it finished'
    })
  })
})
