import { once } from 'node:events'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { writeRunExport } from '../../../electron/core/export/index.ts'
import { store, useReportStore } from '../../helpers/report-store.ts'

/**
 * Writing an export of 3,000 stored results into a destination: backpressure from a slow one, an
 * event loop that keeps running, a destination closed mid-export, an unknown run.
 */

useReportStore()

/** A destination that takes a chunk only after a delay, recording how much ever waited in its buffer. */
function slowSink(highWaterMark: number): { out: Writable; peak: () => number; bytes: () => number } {
  let peak = 0
  let bytes = 0
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      setImmediate(done)
    }
  })
  const write = out.write.bind(out) as (chunk: unknown) => boolean
  out.write = ((chunk: unknown) => {
    const ok = write(chunk)
    peak = Math.max(peak, out.writableLength)
    return ok
  }) as typeof out.write
  return { out, peak: () => peak, bytes: () => bytes }
}

describe('streaming', () => {
  it('waits for a slow destination instead of buffering the export (backpressure)', async () => {
    const sink = slowSink(16 * 1024)
    const { results: count } = await writeRunExport(store, 'hostile', 'ndjson', sink.out)
    sink.out.end()
    await once(sink.out, 'finish')
    expect(count).toBe(3_000)
    expect(sink.bytes()).toBeGreaterThan(2_000_000)
    // Never more than the buffer plus one 64 KB piece waiting, for a 2+ MB export.
    expect(sink.peak()).toBeLessThan(16 * 1024 + 96 * 1024)
  })

  it('lets the event loop run meanwhile, even into a destination that never pushes back', async () => {
    const out = new Writable({
      highWaterMark: 1 << 30,
      write(_chunk, _encoding, done) {
        done()
      }
    })
    let ticks = 0
    const timer = setInterval(() => (ticks += 1), 1)
    try {
      await writeRunExport(store, 'hostile', 'ndjson', out)
      // The killed run's figures are recomputed from its rows: that pass yields too.
      const ticksBefore = ticks
      await writeRunExport(store, 'killed', 'html', out)
      expect(ticksBefore).toBeGreaterThan(1)
      expect(ticks).toBeGreaterThan(ticksBefore)
    } finally {
      clearInterval(timer)
    }
  })

  it('rejects instead of hanging when the destination closes mid-export', async () => {
    let chunks = 0
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        chunks += 1
        if (chunks === 3) out.destroy()
        setImmediate(done)
      }
    })
    out.on('error', () => {})
    await expect(writeRunExport(store, 'hostile', 'csv', out)).rejects.toThrow()
    expect(chunks).toBeLessThan(10)
  })

  it('names an unknown run', async () => {
    const out = new Writable({
      write: (_c, _e, done) => {
        done()
      }
    })
    await expect(writeRunExport(store, 'nope', 'html', out)).rejects.toThrow(/no run nope/)
    await expect(writeRunExport(store, 'nope', 'csv', out)).rejects.toThrow(/no run nope/)
  })
})
