import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DomUtils, type parseDocument } from 'htmlparser2'
import { afterAll, beforeAll } from 'vitest'
import type { RequestResult } from '../../shared/result.ts'
import { writeRunExport } from '../../electron/core/export/index.ts'
import { openRunStore, type RunStore } from '../../electron/core/store/index.ts'
import { syntheticResults } from './store-results.ts'
import { storeRun } from './stored-run.ts'

/**
 * Runs in a real SQLite store to export, and the report read back with an HTML parser the way a
 * browser would see it, for the export tests.
 */

export type Element = ReturnType<typeof DomUtils.findAll>[number]
export type Document = ReturnType<typeof parseDocument>

export const HOSTILE_TITLE = '<script>alert(1)</script>'
export const HOSTILE_URL = 'https://h1.test/"><img src=x onerror=alert(2)>'
export const HOSTILE_MESSAGE = '<img src=x onerror=alert(3)> reset'
export const SCRIPT_URL = 'javascript:alert(4)'
export const RUN_NAME = 'Nightly <script>alert("name")</script> check'
export const RUN_NOTE = `"><img src=x onerror=alert('note')>\nsecond line & more`

/** 3,000 varied results, three of them hostile and slow enough to be among the 50 slowest. */
export function hostileResults(): RequestResult[] {
  const results = syntheticResults(3_000, 7)
  const slow = (r: RequestResult, totalMs: number): RequestResult => ({
    ...r,
    timings: { ...r.timings, total: totalMs },
    finishedAt: r.startedAt + totalMs
  })
  const base = (i: number): RequestResult => results[i]!
  results[5] = { ...slow(base(5), 5_000), ok: true, status: 200, error: null, title: HOSTILE_TITLE }
  const reset = { code: 'RESET' as const, message: HOSTILE_MESSAGE, phase: 'body' as const, retryable: true }
  results[6] = {
    ...slow(base(6), 4_000),
    url: HOSTILE_URL,
    finalUrl: HOSTILE_URL,
    ok: false,
    status: null,
    error: reset,
    title: null
  }
  const invalid = {
    code: 'INVALID_URL' as const,
    message: 'unsupported scheme',
    phase: 'input' as const,
    retryable: false
  }
  results[7] = {
    ...slow(base(7), 3_000),
    url: SCRIPT_URL,
    finalUrl: SCRIPT_URL,
    ok: false,
    status: null,
    error: invalid
  }
  return results
}

let dir: string
// Live bindings: a test file imports these and sees the store its tests run on.
export let store: RunStore
/** The hostile run's results. */
export let results: RequestResult[]

/**
 * A run store for the file's tests, in a temporary folder: 'hostile', 3,000 results with hostile
 * crawled text, and 'killed', 800 results saved without figures and 100 URLs never fetched. Call
 * once at the top of a test file.
 */
export function useReportStore(): void {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crawlboard-export-html-'))
    store = openRunStore(join(dir, 'runs.db'))
    results = hostileResults()
    storeRun(store, { id: 'hostile', name: RUN_NAME, note: RUN_NOTE, results })
    // Killed before its first save: no summary, stats or series; 100 URLs never fetched.
    storeRun(store, {
      id: 'killed',
      results: syntheticResults(800, 3).map((r) =>
        r.id === 3 ? { ...r, title: '=HYPERLINK("http://x")' } : r
      ),
      extraUrls: Array.from({ length: 100 }, (_, i) => `https://later.test/${i}`),
      saveFigures: false
    })
  })

  afterAll(() => {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })
}

/** Exports run `runId` to a file in the store's folder and reads it back. */
export async function exportToFile(
  runId: string,
  format: 'html' | 'csv' | 'ndjson' | 'json'
): Promise<{ text: string; results: number }> {
  const path = join(dir, `${runId}.${format}`)
  const out = createWriteStream(path)
  const written = await writeRunExport(store, runId, format, out, {
    version: '9.9.9-test',
    now: Date.parse('2026-01-02T03:04:05Z')
  })
  out.end()
  await once(out, 'finish')
  return { text: readFileSync(path, 'utf8'), results: written.results }
}

export const all = (doc: Document, test: (e: Element) => boolean): Element[] =>
  DomUtils.findAll(test, doc.children)
export const one = (doc: Document, test: (e: Element) => boolean): Element => {
  const found = DomUtils.findOne(test, doc.children)
  if (!found) throw new Error('element not found')
  return found
}
export const byId = (id: string) => (e: Element) => e.attribs['id'] === id
export const text = (e: Element): string => DomUtils.textContent(e)
export const figureValue = (doc: Document, name: string): number =>
  Number(one(doc, (e) => e.attribs['data-figure'] === name).attribs['data-value'])
