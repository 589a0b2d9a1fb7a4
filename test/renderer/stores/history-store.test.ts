import { beforeEach, describe, expect, test } from 'vitest'
import { ApiError, type ExportOutcome, type RunInfo, type StartRunResponse } from '../../../shared/api.ts'
import { COMPLETED, PAUSED, RUNNING, type RunStatus } from '../../../shared/run-status.ts'
import {
  clearMessage,
  deleteRun,
  exportRun,
  loadHistory,
  MAX_RUN_NOTE_LENGTH,
  renameRun,
  rerunRun,
  resetHistory,
  resumeRun,
  runNameProblem,
  saveRunNote,
  useHistoryStore,
  type HistoryApi
} from '../../../renderer/src/stores/history-store.ts'
import {
  canResume,
  deleteBlockedReason,
  isDrivenHere,
  RUN_BADGE_LABELS,
  runBadge
} from '../../../renderer/src/stores/run-status.ts'
import { runInfo } from '../../helpers/fixtures.ts'

const T0 = 1_700_000_000_000

interface RunSeed {
  readonly runId: string
  readonly status?: RunStatus
  readonly createdAt: number
  readonly total?: number
  readonly done?: number
}

/**
 * A host in memory that keeps the rules the real one keeps: names are trimmed and must not be
 * empty, a running run cannot be deleted, one run at a time. Calls can be held to test ordering.
 */
class FakeHost implements HistoryApi {
  readonly runs = new Map<string, RunInfo>()
  readonly calls: string[] = []
  exportAnswer: ExportOutcome | Error = { kind: 'cancelled' }
  listFailure: Error | null = null
  private held: (() => void)[] = []
  private holding = false
  private nextRun = 0

  add(seed: RunSeed): RunInfo {
    const total = seed.total ?? 500
    const done = seed.done ?? total
    // One in ten failed: History's counts are not all "ok".
    const summary = { done, failed: Math.floor(done / 10), queued: total - done, startedAt: T0 }
    const info = runInfo({
      runId: seed.runId,
      status: seed.status,
      createdAt: seed.createdAt,
      total,
      summary
    })
    this.runs.set(info.runId, info)
    return info
  }

  /** Answers to listRuns wait until release(). */
  hold(): void {
    this.holding = true
  }

  release(): void {
    this.holding = false
    for (const go of this.held.splice(0)) go()
  }

  private get(runId: string): RunInfo {
    const run = this.runs.get(runId)
    if (!run) throw new ApiError('NOT_FOUND', `No run ${runId}.`)
    return run
  }

  async listRuns(): Promise<readonly RunInfo[]> {
    this.calls.push('listRuns')
    const answer = [...this.runs.values()]
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve))
    if (this.listFailure) throw this.listFailure
    return answer
  }

  renameRun(runId: string, name: string): Promise<RunInfo> {
    this.calls.push(`renameRun ${runId} ${name}`)
    return settle(() => {
      if (name.trim() === '') throw new ApiError('BAD_REQUEST', 'name: must not be empty')
      const info = { ...this.get(runId), name: name.trim() }
      this.runs.set(runId, info)
      return info
    })
  }

  setRunNote(runId: string, note: string): Promise<RunInfo> {
    this.calls.push(`setRunNote ${runId}`)
    return settle(() => {
      const info = { ...this.get(runId), note }
      this.runs.set(runId, info)
      return info
    })
  }

  deleteRun(runId: string): Promise<void> {
    this.calls.push(`deleteRun ${runId}`)
    return settle(() => {
      const run = this.get(runId)
      if (isDrivenHere(run.status))
        throw new ApiError('CONFLICT', `Run ${runId} is still ${run.status.kind}: stop it first.`)
      this.runs.delete(runId)
    })
  }

  rerun(runId: string): Promise<StartRunResponse> {
    this.calls.push(`rerun ${runId}`)
    return settle(() => {
      const source = this.get(runId)
      const going = [...this.runs.values()].find((r) => isDrivenHere(r.status))
      if (going)
        throw new ApiError('CONFLICT', `Run ${going.runId} is still ${going.status.kind}: stop it first.`)
      const newId = `again-${++this.nextRun}`
      this.add({ runId: newId, status: RUNNING, createdAt: T0 + 1_000_000, total: source.total, done: 0 })
      return { runId: newId, total: source.total, invalid: [], duplicates: 0 }
    })
  }

  resumeRun(runId: string): Promise<void> {
    this.calls.push(`resumeRun ${runId}`)
    return settle(() => {
      const run = this.get(runId)
      if (!canResume(run.status))
        throw new ApiError('CONFLICT', `Run ${runId} is ${run.status.kind}: nothing to resume.`)
      this.runs.set(runId, { ...run, status: RUNNING })
    })
  }

  exportRun(): Promise<ExportOutcome> {
    this.calls.push('exportRun')
    const answer = this.exportAnswer
    return settle(() => {
      if (answer instanceof Error) throw answer
      return answer
    })
  }
}

function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(fn())
  })
}

const names = (): string[] => useHistoryStore.getState().runs.map((r) => r.name)
const ids = (): string[] => useHistoryStore.getState().runs.map((r) => r.runId)
const message = (runId: string) => useHistoryStore.getState().messages[runId] ?? null

describe('history store', () => {
  let host: FakeHost

  beforeEach(() => {
    resetHistory()
    host = new FakeHost()
    host.add({ runId: 'old', createdAt: T0 })
    host.add({ runId: 'new', createdAt: T0 + 2_000, status: RUNNING, done: 120 })
    host.add({
      runId: 'mid',
      createdAt: T0 + 1_000,
      status: { kind: 'interrupted', reason: 'the app quit' },
      done: 200
    })
  })

  test('lists every run newest first; a failed refresh keeps the list and says why', async () => {
    await loadHistory(host)
    expect(useHistoryStore.getState()).toMatchObject({ status: 'ready', error: null })
    expect(ids()).toEqual(['new', 'mid', 'old'])

    host.listFailure = new ApiError('INTERNAL', 'the run database is locked')
    await loadHistory(host)
    expect(useHistoryStore.getState()).toMatchObject({
      status: 'ready',
      error: 'Could not list runs: the run database is locked'
    })
    expect(ids()).toEqual(['new', 'mid', 'old'])
  })

  test('a first load that fails shows the error state', async () => {
    host.listFailure = new Error('socket closed')
    await loadHistory(host)
    expect(useHistoryStore.getState()).toMatchObject({
      status: 'error',
      error: 'Could not list runs: socket closed'
    })
  })

  test('rename: an empty name is refused without asking the host; a good one is trimmed and shown', async () => {
    await loadHistory(host)
    expect(await renameRun(host, 'old', '   ')).toBe(false)
    expect(message('old')).toEqual({ tone: 'error', text: runNameProblem('') })
    expect(host.calls.some((c) => c.startsWith('renameRun'))).toBe(false)
    expect(names()).toContain('Run old')

    expect(await renameRun(host, 'old', '  Baseline before the CDN switch ')).toBe(true)
    expect(message('old')).toBeNull()
    expect(useHistoryStore.getState().runs.find((r) => r.runId === 'old')?.name).toBe(
      'Baseline before the CDN switch'
    )
    expect(runNameProblem('x'.repeat(201))).toMatch(/at most 200 characters/)
  })

  test("a refused rename keeps the old name and shows the host's message", async () => {
    await loadHistory(host)
    expect(await renameRun(host, 'gone', 'Anything')).toBe(false)
    expect(message('gone')).toEqual({ tone: 'error', text: 'Could not rename: No run gone.' })
    expect(names()).toEqual(['Run new', 'Run mid', 'Run old'])
  })

  test('a list fetched before a rename does not undo it', async () => {
    await loadHistory(host)
    host.hold()
    const refresh = loadHistory(host)
    // The held answer was taken before the rename.
    expect(await renameRun(host, 'new', 'Renamed while listing')).toBe(true)
    host.release()
    // The store asks again (the answer went stale); that one is answered at once.
    await refresh
    expect(useHistoryStore.getState().runs.find((r) => r.runId === 'new')?.name).toBe('Renamed while listing')
    expect(host.calls.filter((c) => c === 'listRuns')).toHaveLength(3)
  })

  test('notes are saved and shown; one over the limit is refused', async () => {
    await loadHistory(host)
    expect(await saveRunNote(host, 'old', 'Staging, after the cache fix.\np95 halved.')).toBe(true)
    expect(useHistoryStore.getState().runs.find((r) => r.runId === 'old')?.note).toBe(
      'Staging, after the cache fix.\np95 halved.'
    )
    expect(await saveRunNote(host, 'old', 'x'.repeat(MAX_RUN_NOTE_LENGTH + 1))).toBe(false)
    expect(message('old')?.tone).toBe('error')
    expect(host.runs.get('old')?.note).toBe('Staging, after the cache fix.\np95 halved.')
  })

  test('delete removes the run once the host confirms; a refusal keeps it with the reason', async () => {
    await loadHistory(host)
    expect(await deleteRun(host, 'new')).toBe(false)
    expect(message('new')).toEqual({
      tone: 'error',
      text: 'Could not delete: Run new is still running: stop it first.'
    })
    expect(ids()).toContain('new')

    expect(await deleteRun(host, 'mid')).toBe(true)
    expect(ids()).toEqual(['new', 'old'])
    expect(host.runs.has('mid')).toBe(false)
    // The list from the host agrees.
    await loadHistory(host)
    expect(ids()).toEqual(['new', 'old'])
  })

  test('re-run answers the new run and lists it; refused while another run goes', async () => {
    await loadHistory(host)
    expect(await rerunRun(host, 'old')).toBeNull()
    expect(message('old')?.text).toBe('Could not start it again: Run new is still running: stop it first.')

    host.runs.set('new', { ...host.runs.get('new')!, status: COMPLETED })
    const response = await rerunRun(host, 'old')
    expect(response).toMatchObject({ runId: 'again-1', total: 500 })
    await loadHistory(host)
    expect(ids()[0]).toBe('again-1')
  })

  test('resume continues an interrupted run; a finished one is refused with the reason', async () => {
    await loadHistory(host)
    expect(await resumeRun(host, 'mid')).toBe(true)
    await loadHistory(host)
    const mid = useHistoryStore.getState().runs.find((r) => r.runId === 'mid')!
    expect(runBadge(mid.status)).toBe('running')

    expect(await resumeRun(host, 'old')).toBe(false)
    expect(message('old')?.text).toBe('Could not resume: Run old is completed: nothing to resume.')
    clearMessage('old')
    expect(message('old')).toBeNull()
  })

  test('an action marks its run busy until the host answers', async () => {
    await loadHistory(host)
    const pending = renameRun(host, 'old', 'Busy one')
    expect(useHistoryStore.getState().busy).toEqual({ old: 'rename' })
    await pending
    expect(useHistoryStore.getState().busy).toEqual({})
  })

  test('export: a download starts, a saved file is reported with its path, a refusal with the reason', async () => {
    await loadHistory(host)
    const downloads: [string, string][] = []
    const download = (url: string, filename: string): void => {
      downloads.push([url, filename])
    }

    host.exportAnswer = { kind: 'download', url: '/download/abc123', filename: 'run-old.csv' }
    expect(await exportRun(host, 'old', 'csv', download)).toEqual({
      kind: 'downloaded',
      filename: 'run-old.csv'
    })
    expect(downloads).toEqual([['/download/abc123', 'run-old.csv']])
    expect(message('old')).toBeNull()

    host.exportAnswer = { kind: 'saved', path: '/home/ana/exports/run-old.html', bytes: 48_213 }
    await exportRun(host, 'old', 'html', download)
    expect(message('old')).toEqual({ tone: 'ok', text: 'Saved to /home/ana/exports/run-old.html' })

    host.exportAnswer = { kind: 'cancelled' }
    await exportRun(host, 'old', 'json', download)
    expect(message('old')).toBeNull()

    host.exportAnswer = new ApiError('NOT_FOUND', 'No run old.')
    await exportRun(host, 'old', 'ndjson', download)
    expect(message('old')).toEqual({ tone: 'error', text: 'Export failed: No run old.' })
    expect(downloads).toHaveLength(1)
    expect(useHistoryStore.getState().busy).toEqual({})
  })
})

describe('run status', () => {
  test.each<[RunStatus, string, boolean, boolean, string | null]>([
    [RUNNING, 'Running', true, false, 'The run is still going: stop it before deleting it.'],
    [
      PAUSED,
      'Paused',
      true,
      true,
      'The run is paused, not finished: open it and stop it before deleting it.'
    ],
    [{ kind: 'interrupted', reason: 'the app quit while it was going' }, 'Interrupted', false, true, null],
    [{ kind: 'suspended' }, 'Paused', false, true, null],
    [
      { kind: 'elsewhere', pid: 4242, host: null },
      'Running elsewhere',
      false,
      false,
      'Another Crawlboard process 4242 is fetching this run: stop it there first.'
    ],
    [
      { kind: 'elsewhere', pid: 7, host: 'build-02' },
      'Running elsewhere',
      false,
      false,
      'Another Crawlboard process 7 on build-02 is fetching this run: stop it there first.'
    ],
    [COMPLETED, 'Completed', false, false, null],
    [{ kind: 'cancelled' }, 'Stopped', false, false, null]
  ])('%o reads %s', (status, label, driven, resumable, deleteReason) => {
    expect(RUN_BADGE_LABELS[runBadge(status)]).toBe(label)
    expect(isDrivenHere(status)).toBe(driven)
    expect(canResume(status)).toBe(resumable)
    expect(deleteBlockedReason(status)).toBe(deleteReason)
  })

  test('a run not yet reported reads Starting', () => {
    expect(RUN_BADGE_LABELS[runBadge(null)]).toBe('Starting')
  })
})
