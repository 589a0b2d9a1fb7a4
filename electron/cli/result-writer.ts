import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { RequestResult } from '../../shared/result.ts'
import type { RunSummary } from '../../shared/summary.ts'
import { createResultStream } from '../core/index.ts'
import type { OutputFormat } from './args.ts'

/**
 * Where the runner writes: a file named by --out, or standard output for '-'. The formats
 * themselves live in electron/core/export (the app's exports write the same text).
 */

/** An opened --out destination. */
export interface OutputTarget {
  readonly stream: Writable
  readonly toStdout: boolean
  /** Ends a file (waiting until it is written); leaves standard output open. */
  close(): Promise<void>
}

/** Opens `path` for writing ('-' = `stdout`); a bad path (missing folder, no permission) throws here. */
export async function openOutput(path: string, stdout: Writable): Promise<OutputTarget> {
  if (path === '-') return { stream: stdout, toStdout: true, close: () => Promise.resolve() }
  const file: WriteStream = createWriteStream(path)
  await Promise.race([
    once(file, 'open'),
    once(file, 'error').then(([error]: unknown[]) => {
      throw error
    })
  ])
  return {
    stream: file,
    toStdout: false,
    async close() {
      file.end()
      await once(file, 'finish')
    }
  }
}

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
  stdout: Writable
): Promise<ResultWriter> {
  const target = await openOutput(path, stdout)
  const results = createResultStream(target.stream, format)
  return {
    write: (result) => results.write(result),
    drained: () => results.drained(),
    async close(summary) {
      await results.finish(summary)
      await target.close()
    }
  }
}
