import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DomUtils, parseDocument } from 'htmlparser2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRunStore } from '../../electron/core/store/index.ts'
import { syntheticResults } from '../helpers/store-results.ts'
import { storeRun } from '../helpers/stored-run.ts'

/** `crawlboard export RUN --format html`: the runner writes the report of a stored run. */

const MAIN = resolve('electron/cli/main.ts')
const CHILD_TIMEOUT_MS = 30_000

interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function runner(args: readonly string[]): Promise<Finished> {
  const child = spawn(process.execPath, ['--no-warnings', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CRAWLBOARD_DB: '' }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((done, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`runner ${args.join(' ')} did not finish in time\n${stderr}`))
    }, CHILD_TIMEOUT_MS)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })
}

let dir: string
let db: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-cli-export-'))
  db = join(dir, 'runs.db')
  const store = openRunStore(db)
  try {
    // Created a day before the other: `last` names the newest.
    storeRun(store, {
      id: 'older',
      name: 'Older run',
      results: syntheticResults(50, 2),
      createdAt: 1_759_900_000_000
    })
    const results = syntheticResults(400, 5).map((r) =>
      r.id === 9 ? { ...r, title: '<script>alert(1)</script>' } : r
    )
    storeRun(store, { id: 'newest', name: 'Newest <run>', results })
  } finally {
    store.close()
  }
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('crawlboard export RUN --format html', () => {
  it('writes the report of `last` to --out and says what it wrote', async () => {
    const file = join(dir, 'report.html')
    const out = await runner(['export', 'last', '--format', 'html', '--out', file, '--db', db])
    expect(out.stderr).toContain(`Exported 400 results of run newest to ${file} (html)`)
    expect(out.code).toBe(0)
    expect(out.stdout).toBe('')
    const html = readFileSync(file, 'utf8')
    const doc = parseDocument(html)
    expect(DomUtils.findAll((e) => e.name === 'script', doc.children)).toEqual([])
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(DomUtils.textContent(DomUtils.findOne((e) => e.attribs['id'] === 'run-name', doc.children)!)).toBe(
      'Newest <run>'
    )
    const done = DomUtils.findOne((e) => e.attribs['data-figure'] === 'done', doc.children)
    expect(done?.attribs['data-value']).toBe('400')
    expect(DomUtils.findAll((e) => e.name === 'svg', doc.children)).toHaveLength(4)
    expect(html).toContain('Crawlboard 0.1.0')
  }, 30_000)

  it('infers html from an --out file ending in .html, and writes to standard output without --out', async () => {
    const file = join(dir, 'older.html')
    const inferred = await runner(['export', 'older', '--out', file, '--db', db])
    expect(inferred.code).toBe(0)
    expect(readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*Older run[\s\S]*<\/html>\n$/)

    const piped = await runner(['export', 'older', '--format', 'html', '--db', db])
    expect(piped.code).toBe(0)
    expect(piped.stdout.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(piped.stdout).toContain('data-figure="done" data-value="50"')
  }, 30_000)

  it('refuses html for a crawl and an unknown format, with exit code 2', async () => {
    const crawl = await runner(['https://example.invalid/', '--format', 'html', '--db', db])
    expect(crawl.code).toBe(2)
    expect(crawl.stderr).toContain('export RUN --format html')
    const bad = await runner(['export', 'last', '--format', 'pdf', '--db', db])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('expected ndjson, csv, json or html')
  }, 30_000)
})
