import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ApiError,
  changeQuerySchema,
  exportRequestSchema,
  type ChangeKind,
  type UrlChange
} from '../../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import {
  COMPARE_CSV_COLUMNS,
  writeCompareExport,
  type CompareExportRequest
} from '../../../electron/core/export/compare-export.ts'
import { openRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import { result as fixtureResult } from '../../helpers/fixtures.ts'

/** The comparison export: what a spreadsheet or a script reads, written with backpressure. */

let dir: string
let store: RunStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-compare-export-'))
  store = openRunStore(join(dir, 'runs.db'))
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

function result(id: number, url: string, ok: boolean, status: number | null, ms: number): RequestResult {
  const code = ok ? null : status === null ? 'TIMEOUT_HEADERS' : 'HTTP_STATUS'
  return fixtureResult({ id, url, host: 'x.test', ok, status, code, totalMs: ms })
}

function storeRun(runId: string, results: readonly RequestResult[], createdAt: number): void {
  store.createRun({ id: runId, name: `Run ${runId}`, config: DEFAULT_CONFIG, urls: [], createdAt })
  const writer = store.resultWriter(runId)
  for (const r of results) writer.add(r)
  writer.close()
}

/** A few changes of each kind, and URLs a spreadsheet must not take for formulas or split. */
function storeRuns(): void {
  storeRun(
    'base',
    [
      result(0, 'https://x.test/a', true, 200, 100),
      result(1, 'https://x.test/b', false, null, 15_000),
      result(2, 'https://x.test/c', true, 200, 100),
      result(3, 'https://x.test/d', true, 200, 100),
      result(4, '=HYPERLINK("https://evil.test","click")', true, 200, 10),
      result(5, 'https://x.test/e,"quoted"', true, 200, 10)
    ],
    1_000
  )
  storeRun(
    'other',
    [
      result(0, 'https://x.test/a', false, 503, 80.25),
      result(1, 'https://x.test/b', true, 200, 120),
      result(2, 'https://x.test/c', true, 304, 90),
      result(3, 'https://x.test/d', true, 200, 1_000),
      result(6, '+1-555-0100', true, 200, 10),
      result(7, 'https://x.test/f', true, 200, 10)
    ],
    2_000
  )
}

/** Collects what is written; `delayMs` makes it a slow reader with a small buffer. */
class Sink extends Writable {
  readonly chunks: Buffer[] = []
  maxBuffered = 0
  drains = 0
  constructor(opts: { delayMs?: number; highWaterMark?: number } = {}) {
    super({ highWaterMark: opts.highWaterMark ?? 16 * 1024 })
    this.on('drain', () => {
      this.drains++
    })
    this.delayMs = opts.delayMs ?? 0
  }
  private readonly delayMs: number
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk)
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength)
    if (this.delayMs > 0) setTimeout(done, this.delayMs)
    else done()
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

function request(
  format: 'csv' | 'json',
  changes: ChangeKind[] = [],
  search = ''
): CompareExportRequest {
  const parsed = exportRequestSchema.parse({ kind: 'compare', baseRunId: 'base', otherRunId: 'other', format, changes, search })
  if (parsed.kind !== 'compare') throw new Error('not a compare request')
  return parsed
} // prettier-ignore

const listed = (changes: ChangeKind[] = [], search = ''): readonly UrlChange[] =>
  store.queryChanges(
    changeQuerySchema.parse({
      baseRunId: 'base',
      otherRunId: 'other',
      changes,
      search,
      offset: 0,
      limit: 1_000
    })
  ).rows

/** A small RFC 4180 reader, enough for these files. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i)
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  return rows
}

describe('CSV', () => {
  it('starts with a BOM and the header, then one line per change in the order the view lists them', async () => {
    storeRuns()
    const sink = new Sink()
    const { rows } = await writeCompareExport(store, request('csv'), sink)
    const text = sink.text()
    expect(text.startsWith('\uFEFF')).toBe(true)
    const [header, ...lines] = parseCsv(text.slice(1))
    expect(header).toEqual([...COMPARE_CSV_COLUMNS])
    const expected = listed()
    expect(rows).toBe(expected.length)
    expect(lines.length).toBe(expected.length)
    expect(lines.map((l) => [l[0], l[1]])).toEqual(
      expected.map((c) => [c.url.startsWith('=') || c.url.startsWith('+') ? `'${c.url}` : c.url, c.kind])
    )
    const byUrl = new Map(lines.map((l) => [l[0], l]))
    expect(byUrl.get('https://x.test/a')).toEqual(['https://x.test/a', 'newly-failing', '200', 'true', '', '100.0', '503', 'false', 'HTTP_STATUS', '80.3', '-19.8']) // prettier-ignore
    expect(byUrl.get('https://x.test/b')?.slice(1, 6)).toEqual([
      'fixed',
      '',
      'false',
      'TIMEOUT_HEADERS',
      '15000.0'
    ])
    expect(byUrl.get('https://x.test/d')?.[10]).toBe('900.0')
    expect(byUrl.get('https://x.test/f')?.slice(1)).toEqual(['only-in-other', '', '', '', '', '200', 'true', '', '10.0', '']) // prettier-ignore
  })

  it('neutralises cells a spreadsheet would run as formulas, and quotes commas and quotes', async () => {
    storeRuns()
    const sink = new Sink()
    await writeCompareExport(store, request('csv'), sink)
    const text = sink.text()
    expect(text).toContain(`"'=HYPERLINK(""https://evil.test"",""click"")",only-in-base`)
    expect(text).toContain(`'+1-555-0100,only-in-other`)
    expect(text).toContain(`"https://x.test/e,""quoted""",only-in-base`)
    expect(text).not.toMatch(/(^|\r\n)=/)
  })

  it('exports only the chosen kinds matching the search', async () => {
    storeRuns()
    const sink = new Sink()
    const { rows } = await writeCompareExport(
      store,
      request('csv', ['fixed', 'much-slower'], 'X.TEST/'),
      sink
    )
    const lines = parseCsv(sink.text().slice(1)).slice(1)
    expect(rows).toBe(2)
    expect(lines.map((l) => `${l[1]} ${l[0]}`)).toEqual([
      'fixed https://x.test/b',
      'much-slower https://x.test/d'
    ])
  })
})

describe('JSON', () => {
  it('is one document: both runs, the filter, the counts and every change with its delta', async () => {
    storeRuns()
    const sink = new Sink()
    const { rows } = await writeCompareExport(store, request('json', ['newly-failing', 'only-in-base']), sink)
    const doc = JSON.parse(sink.text()) as {
      base: { runId: string; name: string }
      other: { runId: string }
      filter: { changes: string[]; search: string }
      matched: number
      changeCounts: Record<ChangeKind, number>
      changes: (UrlChange & { deltaMs: number | null })[]
      rows: number
    }
    expect(doc.base).toMatchObject({ runId: 'base', name: 'Run base' })
    expect(doc.other.runId).toBe('other')
    expect(doc.filter).toEqual({ changes: ['newly-failing', 'only-in-base'], search: '' })
    expect(doc.matched).toBe(4)
    expect(doc.changeCounts).toEqual(store.compareRuns('base', 'other').changeCounts)
    const expected = listed(['newly-failing', 'only-in-base'])
    expect(rows).toBe(3)
    expect(doc.rows).toBe(3)
    expect(doc.changes.map(({ deltaMs: _d, ...c }) => c)).toEqual(expected)
    expect(doc.changes[0]?.deltaMs).toBeCloseTo(-19.75, 6)
    expect(doc.changes[1]?.deltaMs).toBeNull()
  })

  it('is valid with no changes at all', async () => {
    storeRun('base', [result(0, 'https://x.test/a', true, 200, 5)], 1_000)
    storeRun('other', [result(0, 'https://x.test/a', true, 200, 6)], 2_000)
    const sink = new Sink()
    const { rows } = await writeCompareExport(store, request('json'), sink)
    expect(rows).toBe(0)
    expect(JSON.parse(sink.text())).toMatchObject({ matched: 1, changes: [], rows: 0 })
  })
})

describe('streaming', () => {
  /** 6,000 changes: about 600 kB of CSV. */
  function storeMany(): void {
    const base: RequestResult[] = []
    const other: RequestResult[] = []
    for (let i = 0; i < 6_000; i++) {
      const url = `https://x.test/${String(i).padStart(5, '0')}/${'p'.repeat(60)}`
      base.push(result(i, url, true, 200, 10))
      other.push(result(i, url, false, 503, 10))
    }
    storeRun('base', base, 1_000)
    storeRun('other', other, 2_000)
  }

  it('waits for a slow reader instead of buffering the whole export', async () => {
    storeMany()
    const sink = new Sink({ delayMs: 1, highWaterMark: 8 * 1024 })
    const { rows } = await writeCompareExport(store, request('csv'), sink)
    const size = sink.text().length
    expect(rows).toBe(6_000)
    expect(size).toBeGreaterThan(500_000)
    expect(sink.drains).toBeGreaterThan(3)
    // At most about one chunk waits in the stream at a time.
    expect(sink.maxBuffered).toBeLessThan(200_000)
  })

  it('rejects, rather than hanging, when the output closes part way', async () => {
    storeMany()
    const sink = new Sink({ delayMs: 1, highWaterMark: 1024 })
    sink.once('drain', () => {
      sink.destroy()
    })
    await expect(writeCompareExport(store, request('csv'), sink)).rejects.toThrow(/closed/)
    // The comparison is still usable afterwards.
    expect(store.compareRuns('base', 'other').changeCounts['newly-failing']).toBe(6_000)
  })

  it('names an unknown run', async () => {
    storeRuns()
    const unknown = { ...request('csv'), otherRunId: 'no-such-run' }
    const error: unknown = await writeCompareExport(store, unknown, new Sink()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('NOT_FOUND')
    expect((error as ApiError).message).toContain('no-such-run')
  })
})
