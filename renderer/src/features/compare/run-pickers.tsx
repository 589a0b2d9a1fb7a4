import { useId, type JSX } from 'react'
import type { RunInfo } from '../../../../shared/api.ts'
import { formatCount } from '../../../../shared/format.ts'
import { formatDateTime } from '../../stores/date-format.ts'

/** "Workshop demo · 3 Mar, 14:05 · 1,200 URLs": names repeat (re-runs), dates and sizes tell them apart. */
export function runLabel(run: RunInfo): string {
  return `${run.name || 'Untitled run'} · ${formatDateTime(run.createdAt)} · ${formatCount(run.total)} URLs`
}

/** For a legend: the name, and the time when names repeat across runs is the usual case. */
export function runLabelShort(run: RunInfo): string {
  return `${run.name || 'Untitled run'} (${formatDateTime(run.createdAt)})`
}

function RunSelect({
  label,
  hint,
  runs,
  value,
  onChange
}: {
  label: string
  hint: string
  runs: readonly RunInfo[]
  value: string | null
  onChange: (runId: string | null) => void
}): JSX.Element {
  const id = useId()
  return (
    <div className="compare-picker">
      <label className="compare-picker__label" htmlFor={id}>
        {label} <span className="muted">({hint})</span>
      </label>
      <select
        id={id}
        className="select compare-picker__select"
        value={value ?? ''}
        onChange={(e) => {
          onChange(e.target.value === '' ? null : e.target.value)
        }}
      >
        <option value="">Pick a run…</option>
        {runs.map((run) => (
          <option key={run.runId} value={run.runId}>
            {runLabel(run)}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The two runs: base (the reference) and other (what changed in it), and a swap between them. */
export function RunPickers({
  runs,
  baseRunId,
  otherRunId,
  onChange
}: {
  runs: readonly RunInfo[]
  baseRunId: string | null
  otherRunId: string | null
  onChange: (baseRunId: string | null, otherRunId: string | null) => void
}): JSX.Element {
  return (
    <div className="compare-pickers" role="group" aria-label="Runs to compare">
      <RunSelect
        label="Base run"
        hint="the reference"
        runs={runs}
        value={baseRunId}
        onChange={(id) => {
          onChange(id, otherRunId)
        }}
      />
      <button
        type="button"
        className="btn btn--small compare-pickers__swap"
        disabled={baseRunId === null && otherRunId === null}
        onClick={() => {
          onChange(otherRunId, baseRunId)
        }}
        title="Swap the base and the other run"
      >
        ⇄ <span className="sr-only">Swap the base and the other run</span>
      </button>
      <RunSelect
        label="Other run"
        hint="compared with the base"
        runs={runs}
        value={otherRunId}
        onChange={(id) => {
          onChange(baseRunId, id)
        }}
      />
    </div>
  )
}
