import { useEffect, useRef, type JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { isLive, useRunStore } from '../stores/run-store.ts'

/** "Stop the run?" as a modal <dialog>: focus moves in, Escape cancels, focus returns after. */
export function StopDialog({
  open: wanted,
  onConfirm,
  onCancel
}: {
  open: boolean
  onConfirm: () => void
  onCancel: () => void
}): JSX.Element {
  const { runName, live, done, total } = useRunStore(
    useShallow((s) => ({
      runName: s.name,
      live: isLive(s.status),
      done: s.summary?.done ?? 0,
      total: s.summary?.total ?? 0
    }))
  )
  // A run that ends while the question is open needs no stopping: the dialog closes itself.
  const open = wanted && live
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className="stop-dialog"
      aria-labelledby="stop-title"
      aria-describedby="stop-desc"
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
    >
      <form
        method="dialog"
        className="stop-dialog__body"
        onSubmit={(e) => {
          e.preventDefault()
        }}
      >
        <h2 id="stop-title">Stop the run?</h2>
        <p id="stop-desc">
          {runName ? `"${runName}"` : 'The run'} has finished {done.toLocaleString()} of{' '}
          {total.toLocaleString()} URLs. Requests in flight are cancelled; the results so far are kept. A
          stopped run cannot be resumed.
        </p>
        <div className="stop-dialog__actions">
          <button type="button" className="btn" autoFocus onClick={onCancel}>
            Keep running
          </button>
          <button type="button" className="btn btn--danger-solid" onClick={onConfirm}>
            Stop run
          </button>
        </div>
      </form>
    </dialog>
  )
}
