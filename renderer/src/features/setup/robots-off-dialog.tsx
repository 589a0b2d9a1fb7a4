import type { JSX } from 'react'
import { ModalDialog } from '../../ui/index.ts'

/**
 * Ignoring robots.txt is a choice about someone else's site, so it is asked for, said plainly,
 * and recorded with the run (its settings keep respectRobots: false; the dashboard says so).
 */
export function RobotsOffDialog({
  open,
  onConfirm,
  onCancel
}: {
  open: boolean
  onConfirm: () => void
  onCancel: () => void
}): JSX.Element {
  return (
    <ModalDialog
      open={open}
      title="Ignore robots.txt?"
      description="Sites use robots.txt to say which pages crawlers may fetch, and how often."
      onCancel={onCancel}
      width={480}
    >
      <ul className="robots-off__points">
        <li>Pages the site asked crawlers to leave alone will be fetched.</li>
        <li>Its Crawl-delay is no longer honoured: only your own per-host limits pace the requests.</li>
        <li>The choice is saved with the run and shown on its dashboard.</li>
      </ul>
      <p className="robots-off__advice">Only do this for sites you own or have permission to crawl.</p>
      <div className="modal__actions">
        <button type="button" className="btn" data-autofocus onClick={onCancel}>
          Keep respecting
        </button>
        <button type="button" className="btn btn--danger-solid" onClick={onConfirm}>
          Ignore robots.txt
        </button>
      </div>
    </ModalDialog>
  )
}
