import { useState, type JSX } from 'react'
import type { RunInfo } from '../../../../shared/api.ts'
import { formatCount } from '../../../../shared/format.ts'
import { MAX_RUN_NOTE_LENGTH, type RunMessage } from '../../stores/history-store.ts'
import { ModalDialog } from '../../ui/index.ts'

const displayName = (run: RunInfo): string => run.name || 'Untitled run'

/** The analyst's note on a run: a textarea, saved with the button or Ctrl/Cmd+Enter. */
export function NoteDialog({
  run,
  busy,
  error,
  onSave,
  onCancel
}: {
  run: RunInfo | null
  busy: boolean
  error: RunMessage | null
  onSave: (note: string) => void
  onCancel: () => void
}): JSX.Element {
  return (
    <ModalDialog
      open={run !== null}
      title={run ? `Note on “${displayName(run)}”` : 'Note'}
      description="What this run was for, what you changed, what you found. Shown in History."
      onCancel={onCancel}
      width={520}
    >
      {/* Keyed by run, so each opening starts from that run's saved note. */}
      {run ? (
        <NoteForm key={run.runId} run={run} busy={busy} error={error} onSave={onSave} onCancel={onCancel} />
      ) : null}
    </ModalDialog>
  )
}

function NoteForm({
  run,
  busy,
  error,
  onSave,
  onCancel
}: {
  run: RunInfo
  busy: boolean
  error: RunMessage | null
  onSave: (note: string) => void
  onCancel: () => void
}): JSX.Element {
  const [note, setNote] = useState(run.note)
  const tooLong = note.length > MAX_RUN_NOTE_LENGTH
  return (
    <form
      className="note-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (!tooLong && !busy) onSave(note)
      }}
    >
      <label className="note-form__label" htmlFor={`note-${run.runId}`}>
        Note
      </label>
      <textarea
        id={`note-${run.runId}`}
        className="textarea note-form__text"
        rows={7}
        value={note}
        data-autofocus
        aria-invalid={tooLong || undefined}
        aria-describedby={`note-count-${run.runId}`}
        onChange={(e) => {
          setNote(e.target.value)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault()
            if (!tooLong && !busy) onSave(note)
          }
        }}
      />
      <span
        id={`note-count-${run.runId}`}
        className={`note-form__count${tooLong ? ' note-form__count--over' : ''}`}
      >
        {formatCount(note.length)} / {formatCount(MAX_RUN_NOTE_LENGTH)} characters
      </span>
      {error?.tone === 'error' ? (
        <div className="notice notice--error" role="alert">
          <div className="notice__body">{error.text}</div>
        </div>
      ) : null}
      <div className="modal__actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn--primary" disabled={busy || tooLong}>
          {busy ? 'Saving…' : 'Save note'}
        </button>
      </div>
    </form>
  )
}

/** "Delete this run?" naming the run and how many results go with it. */
export function DeleteDialog({
  run,
  busy,
  error,
  onConfirm,
  onCancel
}: {
  run: RunInfo | null
  busy: boolean
  error: RunMessage | null
  onConfirm: () => void
  onCancel: () => void
}): JSX.Element {
  const results = run?.summary.done ?? 0
  return (
    <ModalDialog
      open={run !== null}
      title={run ? `Delete “${displayName(run)}”?` : 'Delete the run?'}
      description={
        <>
          This deletes the run and its {formatCount(results)} {results === 1 ? 'result' : 'results'} for good.
          It cannot be undone; export it first to keep a copy.
        </>
      }
      onCancel={onCancel}
    >
      {error?.tone === 'error' ? (
        <div className="notice notice--error" role="alert">
          <div className="notice__body">{error.text}</div>
        </div>
      ) : null}
      <div className="modal__actions">
        <button type="button" className="btn" data-autofocus onClick={onCancel}>
          Keep it
        </button>
        <button type="button" className="btn btn--danger-solid" disabled={busy} onClick={onConfirm}>
          {busy ? 'Deleting…' : 'Delete run'}
        </button>
      </div>
    </ModalDialog>
  )
}
