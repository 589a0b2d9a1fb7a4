import { useEffect, useState, type JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { RunInfo } from '../../../../shared/api.ts'
import { openCompare } from '../../stores/compare-store.ts'
import { formatCount } from '../../../../shared/format.ts'
import {
  clearMessage,
  deleteRun,
  exportRun,
  loadHistory,
  renameRun,
  rerunRun,
  resumeRun,
  saveRunNote,
  useHistoryStore,
  type HistoryApi
} from '../../stores/history-store.ts'
import { useRunStore } from '../../stores/run-store.ts'
import { HistoryRow, type RowActions } from './history-row.tsx'
import { DeleteDialog, NoteDialog } from './run-dialogs.tsx'

/** How often the list refreshes while a run in it is going (its counts move). */
export const HISTORY_POLL_MS = 2_000

/** Every stored run and this session's, newest first, with what can be done with each. */
export function HistoryView({
  api,
  onOpen,
  onNewRun,
  onDeleted
}: {
  api: HistoryApi
  /** Shows a run on the dashboard (and follows it, when it runs). */
  onOpen: (runId: string) => void
  onNewRun: () => void
  /** A run was deleted (the dashboard may be showing it). */
  onDeleted?: (runId: string) => void
}): JSX.Element {
  const { status, runs, error, busy, messages } = useHistoryStore(
    useShallow((s) => ({
      status: s.status,
      runs: s.runs,
      error: s.error,
      busy: s.busy,
      messages: s.messages
    }))
  )
  const openRunId = useRunStore((s) => s.runId)
  const [noteRunId, setNoteRunId] = useState<string | null>(null)
  const [deleteRunId, setDeleteRunId] = useState<string | null>(null)

  useEffect(() => {
    void loadHistory(api)
  }, [api])

  // Counts of a run that is going move: refresh while one is (here or in the headless runner).
  const anyGoing = runs.some((r) => r.status.kind === 'elsewhere' || r.status.kind === 'running')
  useEffect(() => {
    if (!anyGoing) return
    const timer = setInterval(() => {
      void loadHistory(api)
    }, HISTORY_POLL_MS)
    return () => {
      clearInterval(timer)
    }
  }, [api, anyGoing])

  const going = runs.find((r) => r.status.kind === 'running') ?? null
  const startBlocked = going ? `“${going.name || 'Another run'}” is still running: stop it first.` : null

  const actions: RowActions = {
    open: (run) => {
      onOpen(run.runId)
    },
    rename: (run, name) => renameRun(api, run.runId, name),
    editNote: (run) => {
      clearMessage(run.runId)
      setNoteRunId(run.runId)
    },
    askDelete: (run) => {
      clearMessage(run.runId)
      setDeleteRunId(run.runId)
    },
    rerun: (run) => {
      void rerunRun(api, run.runId).then((response) => {
        if (response !== null) onOpen(response.runId)
      })
    },
    resume: (run) => {
      // An interrupted run resumes in a new engine session: opening it follows that one.
      void resumeRun(api, run.runId).then((ok) => {
        if (ok) onOpen(run.runId)
      })
    },
    exportAs: (run, format) => {
      void exportRun(api, run.runId, format)
    },
    compare: (run) => {
      openCompare(run.runId)
    },
    dismiss: (run) => {
      clearMessage(run.runId)
    }
  }

  const refresh = (
    <button
      type="button"
      className="btn btn--small"
      onClick={() => {
        void loadHistory(api)
      }}
    >
      Refresh
    </button>
  )

  if (status === 'idle' || (status === 'loading' && runs.length === 0)) {
    return (
      <div className="state" role="status">
        <div className="spinner" aria-hidden="true" />
        <p>Loading runs…</p>
      </div>
    )
  }
  if (status === 'error') {
    return (
      <div className="state" role="alert">
        <h2>Runs could not be listed</h2>
        <p>{error}</p>
        <div className="state__actions">{refresh}</div>
      </div>
    )
  }
  if (runs.length === 0) {
    return (
      <div className="state">
        <h2>No runs yet</h2>
        <p>Every run is kept here: open it again, export it, compare it or run it again.</p>
        <div className="state__actions">
          <button type="button" className="btn btn--primary" onClick={onNewRun}>
            Set up a crawl
          </button>
        </div>
      </div>
    )
  }

  const noteRun = find(runs, noteRunId)
  const deleteTarget = find(runs, deleteRunId)
  return (
    <section className="history panel" aria-labelledby="history-title">
      <div className="history__head">
        <h2 id="history-title">Runs</h2>
        <span className="muted">
          {formatCount(runs.length)} {runs.length === 1 ? 'run' : 'runs'}
        </span>
        {refresh}
      </div>
      {error !== null ? (
        <div className="notice notice--error history__error" role="alert">
          <div className="notice__body">{error}</div>
        </div>
      ) : null}
      <div className="history__scroll">
        <table className="history__table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                URLs
              </th>
              <th scope="col" className="num">
                OK
              </th>
              <th scope="col" className="num">
                Failed
              </th>
              <th scope="col" className="num">
                p50
              </th>
              <th scope="col" className="num">
                p95
              </th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <HistoryRow
                key={run.runId}
                run={run}
                isOpen={run.runId === openRunId}
                busy={busy[run.runId] ?? null}
                message={
                  run.runId === noteRunId || run.runId === deleteRunId ? null : (messages[run.runId] ?? null)
                }
                startBlocked={startBlocked}
                actions={actions}
              />
            ))}
          </tbody>
        </table>
      </div>
      <NoteDialog
        run={noteRun}
        busy={noteRun !== null && busy[noteRun.runId] === 'note'}
        error={noteRun ? (messages[noteRun.runId] ?? null) : null}
        onSave={(note) => {
          if (!noteRun) return
          void saveRunNote(api, noteRun.runId, note).then((ok) => {
            if (ok) setNoteRunId(null)
          })
        }}
        onCancel={() => {
          if (noteRun) clearMessage(noteRun.runId)
          setNoteRunId(null)
        }}
      />
      <DeleteDialog
        run={deleteTarget}
        busy={deleteTarget !== null && busy[deleteTarget.runId] === 'delete'}
        error={deleteTarget ? (messages[deleteTarget.runId] ?? null) : null}
        onConfirm={() => {
          if (!deleteTarget) return
          const runId = deleteTarget.runId
          void deleteRun(api, runId).then((ok) => {
            if (!ok) return
            setDeleteRunId(null)
            onDeleted?.(runId)
          })
        }}
        onCancel={() => {
          if (deleteTarget) clearMessage(deleteTarget.runId)
          setDeleteRunId(null)
        }}
      />
    </section>
  )
}

function find(runs: readonly RunInfo[], runId: string | null): RunInfo | null {
  return runId === null ? null : (runs.find((r) => r.runId === runId) ?? null)
}
