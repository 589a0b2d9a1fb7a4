import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import type { RequestResult } from '../../shared/result.ts'
import { csvHeader, csvResultLine, UTF8_BOM } from '../../shared/result-rows.ts'
import type { RunSummary } from '../../shared/summary.ts'
import type { OutputFormat } from './args.ts'

/** Streams results to a file (or stdout) as they finish, in NDJSON, CSV or one JSON document. */
export interface ResultWriter {
  /** False when the stream's buffer is full: await drained() before writing much more. */
  write(result: RequestResult): boolean
  /** Resolves once the stream can take more (at once when it can already). */
  drained(): Promise<void>
  /** Writes any trailer (the JSON summary) and flushes. */
  close(summary: RunSummary): Promise<void>
}

export async function openResultWriter(
  path: string,
  format: OutputFormat,
  stdout: NodeJS.WritableStream
): Promise<ResultWriter> {
  const toStdout = path === '-'
  const stream: NodeJS.WritableStream | WriteStream = toStdout ? stdout : createWriteStream(path)
  if (!toStdout) {
    // Surface a bad path (missing folder, no permission) before the run starts.
    await Promise.race([
      once(stream as WriteStream, 'open'),
      once(stream as WriteStream, 'error').then(([error]: unknown[]) => {
        throw error
      })
    ])
  }
  let first = true
  if (format === 'csv') stream.write(UTF8_BOM + csvHeader())
  if (format === 'json') stream.write('{"results":[\n')

  return {
    write(result) {
      let line: string
      switch (format) {
        case 'ndjson':
          line = JSON.stringify(result) + '\n'
          break
        case 'csv':
          line = csvResultLine(result)
          break
        case 'json':
          line = (first ? '' : ',\n') + JSON.stringify(result)
          break
      }
      first = false
      return stream.write(line)
    },
    async drained() {
      const s = stream as NodeJS.WritableStream & { writableNeedDrain?: boolean }
      if (s.writableNeedDrain === true) await once(s, 'drain')
    },
    async close(summary) {
      if (format === 'json') stream.write(`\n],"summary":${JSON.stringify(summary)}}\n`)
      if (toStdout) return
      const file = stream as WriteStream
      file.end()
      await once(file, 'finish')
    }
  }
}
