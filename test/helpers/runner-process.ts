import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { openRunStore, type RunStore } from '../../electron/core/store/index.ts'

/**
 * The headless runner as a real child process (`node electron/cli/main.ts …`), for tests that
 * kill it, signal it, or run two at once on one database. Every child is bounded in time.
 */

const MAIN = resolve('electron/cli/main.ts')
const CHILD_TIMEOUT_MS = 60_000

export interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunnerProcess {
  readonly child: ChildProcess
  readonly done: Promise<Finished>
  /** What it has written to standard error so far. */
  stderr(): string
}

export function startRunner(args: readonly string[]): RunnerProcess {
  const child = spawn(process.execPath, ['--no-warnings', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CRAWLBOARD_DB: '' }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const done = new Promise<Finished>((resolveDone, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`runner ${args.join(' ')} did not finish in time\n${stderr}`))
    }, CHILD_TIMEOUT_MS)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolveDone({ code, signal, stdout, stderr })
    })
  })
  return { child, done, stderr: () => stderr }
}

/** Runs the runner to its end. */
export const runRunner = (args: readonly string[]): Promise<Finished> => startRunner(args).done

/** Reads the database without writing to it (another process may be writing). */
export function withStore<T>(path: string, body: (store: RunStore) => T): T {
  const store = openRunStore(path, { readonly: true, check: 'none' })
  try {
    return body(store)
  } finally {
    store.close()
  }
}

/** Results the newest run has committed so far (0 before the file or the run exists). */
export function committed(path: string): number {
  if (!existsSync(path)) return 0
  try {
    return withStore(path, (store) => {
      const run = store.listRuns()[0]
      return run ? store.countResults(run.runId) : 0
    })
  } catch {
    return 0 // the file is being created
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls (every 100 ms, at most `tries` times) until the newest run has `atLeast` results. */
export async function untilCommitted(path: string, atLeast: number, tries = 300): Promise<number> {
  let seen = 0
  for (let i = 0; i < tries && seen < atLeast; i++) {
    await sleep(100)
    seen = committed(path)
  }
  return seen
}
