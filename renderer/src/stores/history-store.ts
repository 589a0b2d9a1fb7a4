import { create } from 'zustand'
import type { CrawlerApi, ExportFormat, RunInfo, StartRunResponse } from '../../../shared/api.ts'
import {
  exportAndDeliver,
  exportNotice,
  type ExportDelivery,
  type StartDownload
} from '../api/deliver-export.ts'

/**
 * Every run the host knows (stored and this session's), newest first, and what the History view's
 * per-run actions are doing. Each action calls the host, then updates the list from its answer;
 * a refusal is kept per run, with the host's message, for the row to show.
 */

export type HistoryAction = 'rename' | 'note' | 'delete' | 'rerun' | 'resume' | 'export'

export interface RunMessage {
  readonly tone: 'ok' | 'error'
  readonly text: string
}

export interface HistoryState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error'
  readonly runs: readonly RunInfo[]
  readonly error: string | null
  /** The action under way per run (one at a time per run). */
  readonly busy: Readonly<Record<string, HistoryAction>>
  /** The last action's outcome per run, when there is something to say. */
  readonly messages: Readonly<Record<string, RunMessage>>
}

const initialHistory: HistoryState = { status: 'idle', runs: [], error: null, busy: {}, messages: {} }

export const useHistoryStore = create<HistoryState>()(() => initialHistory)

export type HistoryApi = Pick<
  CrawlerApi,
  'listRuns' | 'renameRun' | 'setRunNote' | 'deleteRun' | 'rerun' | 'resumeRun' | 'exportRun'
>

/** Longest run name the host takes. */
export const MAX_RUN_NAME_LENGTH = 200
/** Longest note the host takes. */
export const MAX_RUN_NOTE_LENGTH = 10_000

/** Why a name cannot be saved, or null when it can (the host trims it, as this does). */
export function runNameProblem(name: string): string | null {
  const trimmed = name.trim()
  if (trimmed === '') return 'A run needs a name: type one, or press Escape to keep the current one.'
  if (trimmed.length > MAX_RUN_NAME_LENGTH) {
    return `Names are at most ${MAX_RUN_NAME_LENGTH} characters (this one has ${trimmed.length}).`
  }
  return null
}

/** Starts over (tests; a new host). */
export function resetHistory(): void {
  loading = null
  mutations = 0
  useHistoryStore.setState(initialHistory, true)
}

let loading: Promise<void> | null = null
/** Counts changes made through this store, so a list fetched before one does not undo it. */
let mutations = 0
/** A list that keeps going stale (changes faster than it loads) is taken after this many tries. */
const STALE_LIST_RETRIES = 3

/** Loads the run list; a reload keeps showing the previous list until the new one arrives. */
export function loadHistory(api: Pick<CrawlerApi, 'listRuns'>): Promise<void> {
  if (loading) return loading
  if (useHistoryStore.getState().status !== 'ready')
    useHistoryStore.setState({ status: 'loading', error: null })
  loading = fetchList(api)
    .then(
      (runs) => {
        const byId = new Set(runs.map((r) => r.runId))
        const { busy, messages } = useHistoryStore.getState()
        // Messages and busy marks of runs that are gone (deleted elsewhere) go with them.
        useHistoryStore.setState({
          status: 'ready',
          runs: newestFirst(runs),
          error: null,
          busy: keepKeys(busy, byId),
          messages: keepKeys(messages, byId)
        })
      },
      (error: unknown) => {
        // A list already on screen stays; the error says the refresh failed.
        const hadList = useHistoryStore.getState().status === 'ready'
        useHistoryStore.setState({
          status: hadList ? 'ready' : 'error',
          error: `Could not list runs: ${errorText(error)}`
        })
      }
    )
    .finally(() => {
      loading = null
    })
  return loading
}

async function fetchList(api: Pick<CrawlerApi, 'listRuns'>): Promise<readonly RunInfo[]> {
  let runs: readonly RunInfo[] = []
  for (let attempt = 0; attempt < STALE_LIST_RETRIES; attempt++) {
    const before = mutations
    runs = await api.listRuns()
    if (mutations === before) break
  }
  return runs
}

/** Renames a run; false (with the reason in the row's message) when it was refused. */
export async function renameRun(
  api: Pick<HistoryApi, 'renameRun'>,
  runId: string,
  name: string
): Promise<boolean> {
  const problem = runNameProblem(name)
  if (problem !== null) {
    setMessage(runId, { tone: 'error', text: problem })
    return false
  }
  const info = await act(runId, 'rename', () => api.renameRun(runId, name.trim()), 'Could not rename')
  if (info === null) return false
  replaceRun(info)
  return true
}

export async function saveRunNote(
  api: Pick<HistoryApi, 'setRunNote'>,
  runId: string,
  note: string
): Promise<boolean> {
  if (note.length > MAX_RUN_NOTE_LENGTH) {
    setMessage(runId, {
      tone: 'error',
      text: `Notes are at most ${MAX_RUN_NOTE_LENGTH.toLocaleString('en-US')} characters.`
    })
    return false
  }
  const info = await act(runId, 'note', () => api.setRunNote(runId, note), 'Could not save the note')
  if (info === null) return false
  replaceRun(info)
  return true
}

/** Deletes a run and its results; the row goes when the host confirms. */
export async function deleteRun(api: Pick<HistoryApi, 'deleteRun'>, runId: string): Promise<boolean> {
  const done = await act(
    runId,
    'delete',
    async () => {
      await api.deleteRun(runId)
      return true
    },
    'Could not delete'
  )
  if (done === null) return false
  mutations++
  const { runs, busy, messages } = useHistoryStore.getState()
  useHistoryStore.setState({
    runs: runs.filter((r) => r.runId !== runId),
    busy: without(busy, runId),
    messages: without(messages, runId)
  })
  return true
}

/** Starts a new run with the same URLs and settings; the caller opens it. */
export async function rerunRun(
  api: Pick<HistoryApi, 'rerun' | 'listRuns'>,
  runId: string
): Promise<StartRunResponse | null> {
  const response = await act(runId, 'rerun', () => api.rerun(runId), 'Could not start it again')
  if (response !== null) void loadHistory(api)
  return response
}

/** Resumes a paused or interrupted run; the caller re-opens it (an interrupted one gets a new session). */
export async function resumeRun(
  api: Pick<HistoryApi, 'resumeRun' | 'listRuns'>,
  runId: string
): Promise<boolean> {
  const done = await act(
    runId,
    'resume',
    async () => {
      await api.resumeRun(runId)
      return true
    },
    'Could not resume'
  )
  if (done === null) return false
  void loadHistory(api)
  return true
}

/** Exports a run and delivers it (download or saved file); the row says where it went or why not. */
export async function exportRun(
  api: Pick<HistoryApi, 'exportRun'>,
  runId: string,
  format: ExportFormat,
  download?: StartDownload
): Promise<ExportDelivery> {
  clearMessage(runId)
  setBusy(runId, 'export')
  try {
    const delivery = await exportAndDeliver(api, { kind: 'run', runId, format }, download)
    const notice = exportNotice(delivery)
    if (notice !== null) setMessage(runId, notice)
    return delivery
  } finally {
    setBusy(runId, null)
  }
}

export function clearMessage(runId: string): void {
  const { messages } = useHistoryStore.getState()
  if (runId in messages) useHistoryStore.setState({ messages: without(messages, runId) })
}

/** Runs one action for a run: busy while it goes, the host's refusal kept as the row's message. */
async function act<T>(
  runId: string,
  action: HistoryAction,
  call: () => Promise<T>,
  failure: string
): Promise<T | null> {
  clearMessage(runId)
  setBusy(runId, action)
  try {
    return await call()
  } catch (error) {
    setMessage(runId, { tone: 'error', text: `${failure}: ${errorText(error)}` })
    return null
  } finally {
    setBusy(runId, null)
  }
}

function replaceRun(info: RunInfo): void {
  mutations++
  const { runs } = useHistoryStore.getState()
  useHistoryStore.setState({ runs: runs.map((r) => (r.runId === info.runId ? info : r)) })
}

function setBusy(runId: string, action: HistoryAction | null): void {
  const { busy } = useHistoryStore.getState()
  useHistoryStore.setState({ busy: action === null ? without(busy, runId) : { ...busy, [runId]: action } })
}

function setMessage(runId: string, message: RunMessage): void {
  useHistoryStore.setState({ messages: { ...useHistoryStore.getState().messages, [runId]: message } })
}

function newestFirst(runs: readonly RunInfo[]): RunInfo[] {
  return [...runs].sort((a, b) => b.createdAt - a.createdAt)
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record
  return rest
}

function keepKeys<T>(record: Readonly<Record<string, T>>, keep: ReadonlySet<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => keep.has(k)))
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
