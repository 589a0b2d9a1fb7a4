import type { CrawlerApi, ExportOutcome, ExportRequestInput } from '../../../shared/api.ts'
import { EXPORT_FORMAT_SPECS, EXPORT_FORMATS, type ExportFormat } from '../../../shared/export-formats.ts'
import { assertNever } from '../../../shared/events.ts'

/**
 * How an export reaches the person, whichever host answered. The desktop app asks where to save
 * and writes the file itself ('saved' or 'cancelled'); the browser host answers with a one-time
 * download address, which the page opens through an <a download> so the browser saves it.
 * History, the dashboard, the results page and the Export menu command all go through here.
 */

/** Each format's menu label, from shared/export-formats.ts. */
export const EXPORT_FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = Object.fromEntries(
  EXPORT_FORMATS.map((format) => [format, EXPORT_FORMAT_SPECS[format].label])
) as Record<ExportFormat, string>

export type ExportDelivery =
  | { readonly kind: 'downloaded'; readonly filename: string }
  | { readonly kind: 'saved'; readonly path: string; readonly bytes: number }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string }

export interface ExportNotice {
  readonly tone: 'ok' | 'error'
  readonly text: string
}

/** Starts a browser download of `url` (the browser host's one-time address) as `filename`. */
export type StartDownload = (url: string, filename: string) => void

export const downloadThroughAnchor: StartDownload = (url, filename) => {
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.rel = 'noopener'
  a.hidden = true
  document.body.append(a)
  try {
    a.click()
  } finally {
    a.remove()
  }
}

/** Asks the host for the export and delivers it; never throws (a refusal is a 'failed' delivery). */
export async function exportAndDeliver(
  api: Pick<CrawlerApi, 'exportRun'>,
  request: ExportRequestInput,
  download: StartDownload = downloadThroughAnchor
): Promise<ExportDelivery> {
  let outcome: ExportOutcome
  try {
    outcome = await api.exportRun(request)
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) }
  }
  return deliver(outcome, download)
}

export function deliver(outcome: ExportOutcome, download: StartDownload): ExportDelivery {
  switch (outcome.kind) {
    case 'download':
      try {
        download(outcome.url, outcome.filename)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        return { kind: 'failed', message: `the download did not start (${message})` }
      }
      return { kind: 'downloaded', filename: outcome.filename }
    case 'saved':
      return { kind: 'saved', path: outcome.path, bytes: outcome.bytes }
    case 'cancelled':
      return { kind: 'cancelled' }
    default:
      return assertNever(outcome, 'export outcome')
  }
}

/** What to tell the person, if anything: a started download and a cancelled save speak for themselves. */
export function exportNotice(delivery: ExportDelivery): ExportNotice | null {
  switch (delivery.kind) {
    case 'saved':
      return { tone: 'ok', text: `Saved to ${delivery.path}` }
    case 'failed':
      return { tone: 'error', text: `Export failed: ${delivery.message}` }
    case 'downloaded':
    case 'cancelled':
      return null
    default:
      return assertNever(delivery, 'export delivery')
  }
}
