import { describe, expect, test } from 'vitest'
import { ApiError, EXPORT_FORMATS, type ExportOutcome, type ExportRequestInput } from '../../../shared/api.ts'
import {
  deliver,
  EXPORT_FORMAT_LABELS,
  exportAndDeliver,
  exportNotice,
  type ExportDelivery
} from '../../../renderer/src/api/deliver-export.ts'

/** Records what the page would have done: downloads started. */
function downloads() {
  const started: { url: string; filename: string }[] = []
  return {
    started,
    download: (url: string, filename: string): void => {
      started.push({ url, filename })
    }
  }
}

/** A host answering exportRun with one outcome (or refusing), recording the requests. */
function host(answer: ExportOutcome | Error) {
  const requests: ExportRequestInput[] = []
  return {
    requests,
    exportRun(request: ExportRequestInput): Promise<ExportOutcome> {
      requests.push(request)
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)
    }
  }
}

describe('export delivery', () => {
  test("the browser host's download address is opened once, under the file's name, with nothing to say", async () => {
    const page = downloads()
    const api = host({ kind: 'download', url: '/download/7f3a', filename: 'workshop demo · 500 URLs.csv' })
    const delivery = await exportAndDeliver(api, { kind: 'run', runId: 'r1', format: 'csv' }, page.download)
    expect(api.requests).toEqual([{ kind: 'run', runId: 'r1', format: 'csv' }])
    expect(page.started).toEqual([{ url: '/download/7f3a', filename: 'workshop demo · 500 URLs.csv' }])
    expect(delivery).toEqual({ kind: 'downloaded', filename: 'workshop demo · 500 URLs.csv' })
    expect(exportNotice(delivery)).toBeNull()
  })

  test('a file the desktop app saved is reported with its path; a cancelled save says nothing', async () => {
    const page = downloads()
    const saved = await exportAndDeliver(
      host({ kind: 'saved', path: 'C:\\Users\\ana\\Documents\\run.html', bytes: 120_400 }),
      { kind: 'run', runId: 'r1', format: 'html' },
      page.download
    )
    expect(exportNotice(saved)).toEqual({ tone: 'ok', text: 'Saved to C:\\Users\\ana\\Documents\\run.html' })

    const cancelled = await exportAndDeliver(host({ kind: 'cancelled' }), {
      kind: 'run',
      runId: 'r1',
      format: 'json'
    })
    expect(cancelled).toEqual({ kind: 'cancelled' })
    expect(exportNotice(cancelled)).toBeNull()
    expect(page.started).toEqual([])
  })

  test("a refusal becomes a notice with the host's message, never a thrown error", async () => {
    const delivery = await exportAndDeliver(
      host(new ApiError('NOT_FOUND', 'No run r9: it was deleted.')),
      { kind: 'run', runId: 'r9', format: 'ndjson' },
      downloads().download
    )
    expect(delivery).toEqual({ kind: 'failed', message: 'No run r9: it was deleted.' })
    expect(exportNotice(delivery)).toEqual({
      tone: 'error',
      text: 'Export failed: No run r9: it was deleted.'
    })
  })

  test('a download the page cannot start is a failure, not a silent success', () => {
    const delivery = deliver({ kind: 'download', url: '/download/x', filename: 'x.csv' }, () => {
      throw new Error('downloads are blocked')
    })
    expect(delivery).toEqual({
      kind: 'failed',
      message: 'the download did not start (downloads are blocked)'
    })
    expect(exportNotice(delivery)?.tone).toBe('error')
  })

  test('comparison exports go through the same delivery', async () => {
    const page = downloads()
    const api = host({ kind: 'download', url: '/download/c1', filename: 'changes.csv' })
    const request: ExportRequestInput = {
      kind: 'compare',
      baseRunId: 'a',
      otherRunId: 'b',
      format: 'csv',
      changes: ['newly-failing']
    }
    const delivery: ExportDelivery = await exportAndDeliver(api, request, page.download)
    expect(delivery.kind).toBe('downloaded')
    expect(api.requests).toEqual([request])
  })

  test('every export format has a menu label', () => {
    expect(EXPORT_FORMATS.map((f) => EXPORT_FORMAT_LABELS[f])).toEqual([
      'CSV',
      'NDJSON',
      'JSON',
      'HTML report'
    ])
  })
})
