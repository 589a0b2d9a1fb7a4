import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import { ApiError, type ExportOutcome, type ExportRequest } from '../../../shared/api.ts'
import { EXPORT_FORMAT_SPECS } from '../../../shared/export-formats.ts'
import { writeCompareExport } from '../export/compare-export.ts'
import { exportFileName, writeRunExport } from '../export/run-export.ts'
import type { RunStore } from '../store/index.ts'

/**
 * Exports from the app: a run's results (CSV, NDJSON, JSON, the HTML report) or a comparison's
 * per-URL changes (CSV, JSON), streamed from the run database so a million rows never sit in memory.
 *
 * The desktop app asks where to save (a native save dialog, injected as `chooseSavePath`) and
 * writes the file here. The browser host cannot write into the user's Downloads folder, so it gets
 * a one-time download address instead; its HTTP server streams the export when the page opens it
 * (`take(token)`), behind the same token check as everything else it serves.
 */

/** How long an unopened download address stays valid. */
export const DOWNLOAD_TTL_MS = 10 * 60_000
/** Unopened download addresses kept at once (each is a few hundred bytes). */
const MAX_PENDING_DOWNLOADS = 100
/** Where the browser host serves downloads; the token follows. */
export const DOWNLOAD_PATH = '/download/'

export interface Download {
  readonly filename: string
  readonly contentType: string
  /** Streams the export into `out` (ending it is the caller's job). */
  write(out: Writable): Promise<void>
}

export interface RunExports {
  export(store: RunStore, request: ExportRequest): Promise<ExportOutcome>
  /** The download behind a token, once; null when unknown, used or expired (or its run is gone). */
  take(token: string, storeFor: (request: ExportRequest) => RunStore | null): Download | null
}

export function createRunExports(opts: {
  /** Crawlboard's version, printed in HTML reports. */
  version: string
  /** The desktop app's save dialog: the chosen path, or null when cancelled. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>
  now?: () => number
}): RunExports {
  const now = opts.now ?? Date.now
  const pending = new Map<string, { request: ExportRequest; filename: string; expires: number }>()

  const filenameOf = (store: RunStore, request: ExportRequest): string => {
    if (request.kind === 'run') {
      const run = store.getRun(request.runId)
      if (!run) throw new ApiError('NOT_FOUND', `No run ${request.runId} in the run database.`)
      return exportFileName(run, request.format)
    }
    for (const id of [request.baseRunId, request.otherRunId]) {
      if (!store.getRun(id)) throw new ApiError('NOT_FOUND', `No run ${id} in the run database.`)
    }
    const day = new Date(now()).toISOString().slice(0, 10)
    return `crawlboard-compare-${day}.${EXPORT_FORMAT_SPECS[request.format].extensions[0]}`
  }

  const writeTo = async (store: RunStore, request: ExportRequest, out: Writable): Promise<void> => {
    if (request.kind === 'run') {
      await writeRunExport(store, request.runId, request.format, out, { version: opts.version })
    } else await writeCompareExport(store, request, out)
  }

  return {
    async export(store, request) {
      const filename = filenameOf(store, request)
      if (opts.chooseSavePath) {
        const path = await opts.chooseSavePath(filename)
        if (path === null) return { kind: 'cancelled' }
        const file = createWriteStream(path)
        try {
          await writeTo(store, request, file)
          file.end()
          await once(file, 'finish')
        } catch (error) {
          file.destroy()
          throw new ApiError('INTERNAL', `Could not write ${path}: ${(error as Error).message}`)
        }
        return { kind: 'saved', path, bytes: (await stat(path)).size }
      }
      const t = now()
      for (const [token, entry] of pending) if (entry.expires <= t) pending.delete(token)
      if (pending.size >= MAX_PENDING_DOWNLOADS) {
        const oldest = pending.keys().next()
        if (!oldest.done) pending.delete(oldest.value)
      }
      const token = randomBytes(16).toString('hex')
      pending.set(token, { request, filename, expires: t + DOWNLOAD_TTL_MS })
      return { kind: 'download', url: `${DOWNLOAD_PATH}${token}`, filename }
    },

    take(token, storeFor) {
      const entry = pending.get(token)
      if (!entry) return null
      pending.delete(token)
      const store = entry.expires <= now() ? null : storeFor(entry.request)
      if (store === null) return null
      return {
        filename: entry.filename,
        contentType: EXPORT_FORMAT_SPECS[entry.request.format].mime,
        write: (out) => writeTo(store, entry.request, out)
      }
    }
  }
}
