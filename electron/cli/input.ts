import { createReadStream } from 'node:fs'
import type { LineChunks } from '../core/index.ts'

/**
 * The runner's URL inputs as chunks of lines, read as they come: a file or standard input of any
 * length is never held whole. Lines are split here rather than with node:readline, whose async
 * iterator settles a promise per line: a chunk (64 KiB, about a thousand lines) at a time costs a
 * million-line file well under a second.
 */

/** Lines of a stream, decoded as UTF-8 (a character split across chunks is kept whole). */
export async function* streamLines(stream: NodeJS.ReadableStream): AsyncGenerator<readonly string[]> {
  stream.setEncoding('utf8')
  let rest = ''
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    if (lines.length > 0) yield lines
  }
  if (rest !== '') yield [rest]
}

/** Lines of a file, read 64 KiB at a time; a missing or unreadable file throws on the first read. */
export function fileLines(path: string): LineChunks {
  return streamLines(createReadStream(path, { highWaterMark: 1 << 16 }))
}

/** Lines given in memory (arguments, the demo list): one chunk. */
export function listLines(lines: readonly string[]): LineChunks {
  return [lines]
}
