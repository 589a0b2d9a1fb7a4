import type { RunFlags } from './run-records.ts'

/**
 * Which process drives a run, so that one on the same database (the app, the browser host, a
 * headless runner) tells a run another live process is fetching from one that was interrupted.
 */

/** The flag holding the driving process's id. */
export const OWNER_FLAG = 'ownerPid'

/** The run's flags with this process as its driver. */
export function ownerFlags(flags: RunFlags = {}): RunFlags {
  return { ...flags, [OWNER_FLAG]: process.pid }
}

/** True when another live process drives the run (its recorded owner is alive and is not us). */
export function drivenElsewhere(flags: RunFlags): boolean {
  const pid = flags[OWNER_FLAG]
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user; ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
