import type { Writable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * Writing to a stream we do not own (a file, standard output, an HTTP response) without ever
 * buffering more than the stream asks for: every export awaits 'drain' when write() says so.
 */

/** Resolves once `out` can take more: at once when it already can. Rejects if it fails or closes first. */
export function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      out.off('drain', onDrain)
      out.off('error', onError)
      out.off('close', onClose)
      if (error) reject(error)
      else resolve()
    }
    const onDrain = (): void => {
      done()
    }
    const onError = (error: Error): void => {
      done(error)
    }
    // A destroyed stream never drains: without this an export to a closed pipe would hang.
    const onClose = (): void => {
      done(Object.assign(new Error('The output closed before the export finished'), { code: 'EPIPE' }))
    }
    out.on('drain', onDrain)
    out.on('error', onError)
    out.on('close', onClose)
  })
}

/** Writes one chunk and waits for room when the stream's buffer is full; true when it waited. */
export async function writeChunk(out: Writable, chunk: string | Uint8Array): Promise<boolean> {
  if (out.destroyed) throw Object.assign(new Error('The output is closed'), { code: 'EPIPE' })
  if (out.write(chunk)) return false
  await drained(out)
  return true
}

/**
 * Lets the event loop run. Reading a million rows from SQLite is synchronous: an export in the
 * app's main process yields between chunks so windows and IPC stay responsive meanwhile.
 */
export function yieldToEventLoop(): Promise<void> {
  return nextTurn()
}

/**
 * Collects small strings into chunks of about `chunkChars` before writing them: one write per
 * result row would cost more in stream overhead than the row itself.
 */
export class ChunkedOutput {
  private readonly out: Writable
  private readonly chunkChars: number
  private parts: string[] = []
  private size = 0

  constructor(out: Writable, chunkChars = 64 * 1024) {
    this.out = out
    this.chunkChars = chunkChars
  }

  /** Adds text; writes (and waits for room) once a chunk is full. */
  async push(text: string): Promise<void> {
    this.parts.push(text)
    this.size += text.length
    if (this.size >= this.chunkChars) await this.flush()
  }

  /** Writes whatever is collected, then lets the event loop run (a drain wait already did). */
  async flush(): Promise<void> {
    if (this.parts.length === 0) return
    const chunk = this.parts.join('')
    this.parts = []
    this.size = 0
    if (!(await writeChunk(this.out, chunk))) await yieldToEventLoop()
  }
}
