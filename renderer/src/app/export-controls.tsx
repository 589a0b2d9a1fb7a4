import { useState, type JSX } from 'react'
import type { CrawlerApi } from '../../../shared/api.ts'
import { EXPORT_FORMAT_SPECS, EXPORT_FORMATS, type ExportFormat } from '../../../shared/export-formats.ts'
import {
  EXPORT_FORMAT_LABELS,
  exportAndDeliver,
  exportNotice,
  type ExportNotice
} from '../api/deliver-export.ts'
import { MenuButton, ModalDialog } from '../ui/index.ts'

type ExportApi = Pick<CrawlerApi, 'exportRun'>

async function exportOpenRun(
  api: ExportApi,
  runId: string,
  format: ExportFormat,
  onNotice: (notice: ExportNotice) => void
): Promise<void> {
  const notice = exportNotice(await exportAndDeliver(api, { kind: 'run', runId, format }))
  if (notice !== null) onNotice(notice)
}

/** "Export ▾" for the open run, on the dashboard and the results page. */
export function ExportMenu({
  api,
  runId,
  onNotice
}: {
  api: ExportApi
  runId: string
  onNotice: (notice: ExportNotice) => void
}): JSX.Element {
  const [busy, setBusy] = useState(false)
  return (
    <MenuButton
      label={busy ? 'Exporting…' : 'Export'}
      className="btn"
      disabled={busy}
      alignEnd
      items={EXPORT_FORMATS.map((format) => ({
        id: format,
        label: EXPORT_FORMAT_LABELS[format],
        onSelect: () => {
          setBusy(true)
          void exportOpenRun(api, runId, format, onNotice).finally(() => {
            setBusy(false)
          })
        }
      }))}
    />
  )
}

/** The Export menu command: which format, then the same delivery as the Export menus. */
export function ExportDialog({
  api,
  run,
  onClose,
  onNotice
}: {
  api: ExportApi
  /** The run to export; null keeps the dialog closed. */
  run: { readonly runId: string; readonly name: string } | null
  onClose: () => void
  onNotice: (notice: ExportNotice) => void
}): JSX.Element {
  const [format, setFormat] = useState<ExportFormat>('csv')
  const [busy, setBusy] = useState(false)
  return (
    <ModalDialog
      open={run !== null}
      title="Export the run"
      description={run ? `“${run.name || 'Untitled run'}”: every result, in the format you pick.` : undefined}
      onCancel={onClose}
      width={520}
    >
      <form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!run || busy) return
          setBusy(true)
          void exportOpenRun(api, run.runId, format, onNotice).finally(() => {
            setBusy(false)
            onClose()
          })
        }}
      >
        <fieldset className="export-form__formats">
          <legend className="sr-only">Format</legend>
          {EXPORT_FORMATS.map((f) => (
            <label key={f} className="export-form__format">
              <input
                type="radio"
                name="export-format"
                value={f}
                checked={format === f}
                data-autofocus={format === f ? true : undefined}
                onChange={() => {
                  setFormat(f)
                }}
              />
              <span className="export-form__name">{EXPORT_FORMAT_LABELS[f]}</span>
              <span className="muted">{EXPORT_FORMAT_SPECS[f].hint}</span>
            </label>
          ))}
        </fieldset>
        <div className="modal__actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
    </ModalDialog>
  )
}
