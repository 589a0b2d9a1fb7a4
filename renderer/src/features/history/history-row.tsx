import { describeOwner, type RunStatus } from '../../../../shared/run-status.ts'
import { useId, useRef, useState, type JSX } from 'react'
import { EXPORT_FORMATS, type ExportFormat, type RunInfo } from '../../../../shared/api.ts'
import { EXPORT_FORMAT_LABELS } from '../../api/deliver-export.ts'
import { formatCount, formatDuration, formatMs } from '../../../../shared/format.ts'
import { formatDateTime, formatDateTimeShort } from '../../stores/date-format.ts'
import { runNameProblem, type HistoryAction, type RunMessage } from '../../stores/history-store.ts'
import { canResume, deleteBlockedReason, RUN_BADGE_LABELS, runBadge } from '../../stores/run-status.ts'
import { MenuButton, type MenuItem } from '../../ui/index.ts'

export interface RowActions {
  readonly open: (run: RunInfo) => void
  readonly rename: (run: RunInfo, name: string) => Promise<boolean>
  readonly editNote: (run: RunInfo) => void
  readonly askDelete: (run: RunInfo) => void
  readonly rerun: (run: RunInfo) => void
  readonly resume: (run: RunInfo) => void
  readonly exportAs: (run: RunInfo, format: ExportFormat) => void
  readonly compare: (run: RunInfo) => void
  readonly dismiss: (run: RunInfo) => void
}

const BUSY_TEXT: Readonly<Record<HistoryAction, string>> = {
  rename: 'Renaming…',
  note: 'Saving the note…',
  delete: 'Deleting…',
  rerun: 'Starting it again…',
  resume: 'Resuming…',
  export: 'Exporting…'
}

export const HISTORY_COLUMNS = 10

/** One run: its figures, state, and what can be done with it. */
export function HistoryRow({
  run,
  isOpen,
  busy,
  message,
  startBlocked,
  actions
}: {
  run: RunInfo
  isOpen: boolean
  busy: HistoryAction | null
  message: RunMessage | null
  /** Why no run can be started or resumed now (another one is going), or null. */
  startBlocked: string | null
  actions: RowActions
}): JSX.Element {
  const [editing, setEditing] = useState(false)
  const nameId = useId()
  const openRef = useRef<HTMLButtonElement>(null)
  // Leaving the name field puts focus on the row's first action, not on the page.
  const stopEditing = (): void => {
    setEditing(false)
    requestAnimationFrame(() => openRef.current?.focus())
  }
  const s = run.summary
  const badge = runBadge(run.status)
  const unfinished = s.done < run.total && badge !== 'completed'
  const name = run.name || 'Untitled run'
  const deleteReason = deleteBlockedReason(run.status)

  const more: MenuItem[] = [
    {
      id: 'rename',
      label: 'Rename',
      onSelect: () => {
        setEditing(true)
      }
    },
    {
      id: 'note',
      label: run.note === '' ? 'Add note…' : 'Edit note…',
      onSelect: () => {
        actions.editNote(run)
      }
    },
    {
      id: 'rerun',
      label: 'Re-run with same settings',
      disabledReason: startBlocked,
      onSelect: () => {
        actions.rerun(run)
      }
    },
    {
      id: 'compare',
      label: 'Compare…',
      onSelect: () => {
        actions.compare(run)
      }
    },
    {
      id: 'delete',
      label: 'Delete…',
      danger: true,
      disabledReason: deleteReason,
      onSelect: () => {
        actions.askDelete(run)
      }
    }
  ]
  const exports: MenuItem[] = EXPORT_FORMATS.map((format) => ({
    id: format,
    label: EXPORT_FORMAT_LABELS[format],
    onSelect: () => {
      actions.exportAs(run, format)
    }
  }))

  return (
    <>
      <tr
        aria-current={isOpen ? 'true' : undefined}
        className={message ? 'history__row--with-message' : undefined}
      >
        <th scope="row" className="history__name">
          {editing ? (
            <RenameField
              run={run}
              saving={busy === 'rename'}
              onSave={async (value) => {
                if (await actions.rename(run, value)) stopEditing()
              }}
              onCancel={() => {
                stopEditing()
                actions.dismiss(run)
              }}
            />
          ) : (
            <>
              <span id={nameId} className="history__title" title={name}>
                {name}
              </span>
              {run.note !== '' ? (
                <span className="history__note" title={run.note}>
                  {firstLine(run.note)}
                </span>
              ) : null}
            </>
          )}
        </th>
        <td title={formatDateTime(run.createdAt)}>{formatDateTimeShort(run.createdAt)}</td>
        <td className="num">
          {unfinished ? `${formatCount(s.done)} / ${formatCount(run.total)}` : formatCount(run.total)}
        </td>
        <td className="num">{formatCount(s.ok)}</td>
        <td className={`num${s.failed > 0 ? ' history__failed' : ''}`}>{formatCount(s.failed)}</td>
        <td className="num">{formatMs(s.latency.p50)}</td>
        <td className="num">{formatMs(s.latency.p95)}</td>
        <td className="num">{formatDuration(s.elapsedMs)}</td>
        <td>
          <span className={`badge badge--${badge}`} title={statusDetail(run.status)}>
            {RUN_BADGE_LABELS[badge]}
          </span>
        </td>
        <td>
          <div className="history__actions">
            {/* Resume first, so Open, Export and More line up from row to row. */}
            {canResume(run.status) ? (
              <button
                type="button"
                className="btn btn--small btn--primary"
                aria-describedby={nameId}
                disabled={busy !== null || startBlocked !== null}
                title={startBlocked ?? undefined}
                onClick={() => {
                  actions.resume(run)
                }}
              >
                Resume
              </button>
            ) : null}
            <button
              ref={openRef}
              type="button"
              className="btn btn--small"
              aria-describedby={nameId}
              onClick={() => {
                actions.open(run)
              }}
            >
              Open
            </button>
            <MenuButton label="Export" items={exports} describedBy={nameId} disabled={busy !== null} />
            <MenuButton label="More" items={more} describedBy={nameId} disabled={busy !== null} alignEnd />
          </div>
        </td>
      </tr>
      {busy !== null || message !== null ? (
        <tr className="history__message-row">
          <td colSpan={HISTORY_COLUMNS}>
            {busy !== null ? (
              <span role="status" className="muted">
                {BUSY_TEXT[busy]}
              </span>
            ) : message !== null ? (
              <div
                className={`history__message history__message--${message.tone}`}
                role={message.tone === 'error' ? 'alert' : 'status'}
              >
                <span>{message.text}</span>
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  aria-label={`Dismiss the message about ${name}`}
                  onClick={() => {
                    actions.dismiss(run)
                  }}
                >
                  ✕
                </button>
              </div>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  )
}

/** The name, edited in place: Enter saves, Escape keeps the old one; an empty name is refused. */
function RenameField({
  run,
  saving,
  onSave,
  onCancel
}: {
  run: RunInfo
  saving: boolean
  onSave: (name: string) => Promise<void>
  onCancel: () => void
}): JSX.Element {
  const [value, setValue] = useState(run.name)
  const [problem, setProblem] = useState<string | null>(null)
  const id = useId()
  const save = (): void => {
    const why = runNameProblem(value)
    setProblem(why)
    if (why === null) void onSave(value)
  }
  return (
    <div className="rename">
      <input
        className="input rename__input"
        aria-label="Run name"
        value={value}
        // Focus moves into the field the person asked to edit.
        autoFocus
        onFocus={(e) => {
          e.currentTarget.select()
        }}
        readOnly={saving}
        aria-invalid={problem !== null || undefined}
        aria-describedby={problem !== null ? `${id}-problem` : undefined}
        onChange={(e) => {
          setValue(e.target.value)
          if (problem !== null) setProblem(null)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            save()
          } else if (e.key === 'Escape') {
            e.preventDefault()
            onCancel()
          }
        }}
      />
      <div className="rename__buttons">
        <button type="button" className="btn btn--small btn--primary" disabled={saving} onClick={save}>
          Save
        </button>
        <button type="button" className="btn btn--small" disabled={saving} onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem !== null ? (
        <span id={`${id}-problem`} className="rename__problem" role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  )
}

function firstLine(note: string): string {
  const line = note.trim().split('\n', 1)[0] ?? ''
  return line.length > 120 ? `${line.slice(0, 119)}…` : line
}

/** What the badge's tooltip adds: why a run was interrupted, which process drives one elsewhere. */
function statusDetail(status: RunStatus): string | undefined {
  if (status.kind === 'interrupted') return `Interrupted: ${status.reason}`
  if (status.kind === 'elsewhere') return `Being fetched by ${describeOwner(status)}`
  return undefined
}
