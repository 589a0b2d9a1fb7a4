import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../electron/cli/args.ts'
import { createRunExports } from '../../electron/core/api/run-exports.ts'
import { exportFileName } from '../../electron/core/export/run-export.ts'
import { RESULT_FORMATS } from '../../electron/core/export/result-stream.ts'
import type { RunStore } from '../../electron/core/store/index.ts'
import { exportRequestSchema } from '../../shared/api.ts'
import {
  COMPARE_EXPORT_FORMATS,
  EXPORT_FORMAT_SPECS,
  EXPORT_FORMATS,
  formatOfPath
} from '../../shared/export-formats.ts'

/** The export formats table, walked: every surface that names a format agrees with it. */

const run = { runId: 'r1', name: 'Nightly check', createdAt: new Date(2025, 9, 9, 12).getTime() }
/** Only what a download's name and type need: the run exists. */
const store = {
  getRun: (id: string) => (id === run.runId || id === 'r2' ? run : null)
} as unknown as RunStore

const crawl = (argv: string[]) => {
  const command = parseCliArgs([...argv, 'https://example.test/', '--db', '/tmp/x.db'])
  if (command.kind !== 'crawl') throw new Error(`expected a crawl, got ${command.kind}`)
  return command.options
}
const exportOf = (argv: string[]) => {
  const command = parseCliArgs(['export', 'last', ...argv, '--db', '/tmp/x.db'])
  if (command.kind !== 'export') throw new Error(`expected an export, got ${command.kind}`)
  return command.options
}

describe.each(EXPORT_FORMATS)('export format %s', (format) => {
  const spec = EXPORT_FORMAT_SPECS[format]

  it('names its files with its extension, and each of its extensions picks it', () => {
    expect(exportFileName(run, format)).toBe(`crawlboard-nightly-check-2025-10-09.${spec.extensions[0]}`)
    for (const ext of spec.extensions) {
      expect(formatOfPath(`out/run.${ext}`)).toBe(format)
      expect(formatOfPath(`RUN.${ext.toUpperCase()}`)).toBe(format)
      expect(exportOf(['--out', `run.${ext}`]).format).toBe(format)
    }
    expect(exportOf(['--format', format]).format).toBe(format)
  })

  it('is downloaded with its MIME type and file name', async () => {
    const exports = createRunExports({ version: '0.0.0' })
    const outcome = await exports.export(store, { kind: 'run', runId: run.runId, format })
    expect(outcome.kind).toBe('download')
    if (outcome.kind !== 'download') return
    expect(outcome.filename).toBe(exportFileName(run, format))
    const download = exports.take(outcome.url.split('/').pop() ?? '', () => store)
    expect(download?.contentType).toBe(spec.mime)
  })

  it(spec.streams ? 'streams from a crawl with --out' : 'needs a stored run', () => {
    expect(RESULT_FORMATS.includes(format as never)).toBe(spec.streams)
    if (spec.streams) {
      expect(crawl(['--format', format]).format).toBe(format)
      for (const ext of spec.extensions) expect(crawl(['--out', `run.${ext}`]).format).toBe(format)
    } else {
      expect(() => crawl(['--format', format])).toThrow(`use \`export RUN --format ${format}\``)
      // A report's extension does not make a crawl write a report: it gets the default.
      expect(crawl(['--out', `run.${spec.extensions[0]}`]).format).toBe('ndjson')
    }
  })

  it(spec.compare ? 'also exports a comparison' : 'is not offered for a comparison', async () => {
    const request = { kind: 'compare', baseRunId: 'r1', otherRunId: 'r2', format }
    expect(exportRequestSchema.safeParse(request).success).toBe(spec.compare)
    expect(COMPARE_EXPORT_FORMATS.includes(format as never)).toBe(spec.compare)
    if (!spec.compare) return
    const exports = createRunExports({ version: '0.0.0', now: () => Date.parse('2025-10-09T12:00:00Z') })
    const outcome = await exports.export(store, exportRequestSchema.parse(request))
    expect(outcome).toMatchObject({
      kind: 'download',
      filename: `crawlboard-compare-2025-10-09.${spec.extensions[0]}`
    })
    if (outcome.kind === 'download')
      expect(exports.take(outcome.url.split('/').pop() ?? '', () => store)?.contentType).toBe(spec.mime)
  })
})

describe('formats by name', () => {
  it('refuses a format the table does not have, listing the ones it does', () => {
    expect(() => crawl(['--format', 'xml'])).toThrow('--format: expected ndjson, csv or json, got "xml"')
    expect(() => exportOf(['--format', 'pdf'])).toThrow(
      '--format: expected ndjson, csv, json or html, got "pdf"'
    )
    expect(exportRequestSchema.safeParse({ kind: 'run', runId: 'r1', format: 'xlsx' }).success).toBe(false)
  })

  it('falls back to NDJSON when neither --format nor the extension says', () => {
    expect(formatOfPath('urls.txt')).toBeNull()
    expect(crawl(['--out', 'results.txt']).format).toBe('ndjson')
    expect(exportOf([]).format).toBe('ndjson')
  })
})
