import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import type { RunOwner } from '../store/index.ts'

/**
 * The owner record: which process drives a run, so that every process on one database (the app,
 * the browser host, headless runners) tells a run another live process is fetching from one that
 * was interrupted, and two never drive the same run (which would fetch its URLs twice).
 *
 * A claim is judged alive when:
 * - it is this process's: alive while this process holds it (claims made here are remembered);
 * - another process on this machine: alive while that pid exists and, where the system says when
 *   a process started (Linux /proc), started when the claim says it did, so a reused pid of a dead
 *   runner does not keep its run "elsewhere" for good. A live owner is never judged dead for being
 *   quiet (a runner stopped with Ctrl-Z still holds its run): only its pid ending frees the run;
 * - another machine's (a database on a shared folder): alive while its heartbeat, written about
 *   every second, is younger than OWNER_LEASE_MS.
 */

/** How long another machine's claim holds without a heartbeat. */
export const OWNER_LEASE_MS = 30_000
/** How often a driven run tells the database it is still driven (with its save, or on its own). */
export const HEARTBEAT_INTERVAL_MS = 1_000
/** Clock ticks per second of /proc/<pid>/stat's start time (USER_HZ: 100 on every Linux port). */
const USER_HZ = 100
/** A pid whose process started this much later than its claim says is another process. */
const START_TOLERANCE_MS = 2_000

const claimedHere = new Set<string>()
const thisHost = hostname()

/** A new claim for this process (a fresh token each time: a CAS tells claims apart by it). */
export function newClaim(): RunOwner {
  return {
    pid: process.pid,
    host: thisHost,
    token: randomBytes(12).toString('base64url'),
    startedAt: ownStart()
  }
}

/** This process now holds the claim (until released). */
export function holdClaim(owner: RunOwner): void {
  claimedHere.add(owner.token)
}

export function releaseClaim(owner: RunOwner): void {
  claimedHere.delete(owner.token)
}

/** Whether the claim's process still drives the run (see above). */
export function claimAlive(owner: RunOwner, heartbeatAt: number | null, now = Date.now()): boolean {
  if (owner.host !== null && owner.host !== thisHost) {
    return heartbeatAt !== null && now - heartbeatAt <= OWNER_LEASE_MS
  }
  if (owner.pid === process.pid) return claimedHere.has(owner.token)
  if (!pidExists(owner.pid)) return false
  if (owner.startedAt === null) return true
  const started = processStartedAt(owner.pid)
  return started === null || started <= owner.startedAt + START_TOLERANCE_MS
}

function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user; ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

let bootTimeMs: number | null | undefined

/**
 * When process `pid` started (epoch ms), from /proc/<pid>/stat's start time (field 22, clock ticks
 * after boot) and /proc/stat's boot time; null where there is no /proc (macOS, Windows).
 */
export function processStartedAt(pid: number): number | null {
  try {
    bootTimeMs ??= bootTime()
    if (bootTimeMs === null) return null
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[19])
    return Number.isFinite(ticks) ? bootTimeMs + (ticks * 1000) / USER_HZ : null
  } catch {
    return null
  }
}

function bootTime(): number | null {
  try {
    const line = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))
    return line?.[1] === undefined ? null : Number(line[1]) * 1000
  } catch {
    return null
  }
}

let ownStartMs: number | undefined

function ownStart(): number {
  ownStartMs ??= processStartedAt(process.pid) ?? Date.now() - process.uptime() * 1000
  return ownStartMs
}
