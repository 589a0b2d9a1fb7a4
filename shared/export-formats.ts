/**
 * Every format a run can be exported in, declared once: file extension, MIME type, label, a line
 * on what it is for, whether the runner's --out can stream it while a crawl goes (the HTML report
 * needs a stored run), and whether a comparison's changes can be written in it. The API schema,
 * the runner's --format, the file names, the download's Content-Type and the export menus read it.
 */

export interface ExportFormatSpec {
  /** Of the file written; other extensions that pick this format follow. */
  readonly extensions: readonly [string, ...string[]]
  readonly mime: string
  /** In export menus. */
  readonly label: string
  /** One line on what it is for, in the Export dialog. */
  readonly hint: string
  /** Results can be written one by one as a crawl finishes them (--out). */
  readonly streams: boolean
  /** A comparison's per-URL changes can be exported in it too. */
  readonly compare: boolean
}

/** In the order the export menus list them. */
export const EXPORT_FORMAT_SPECS = {
  csv: {
    extensions: ['csv'],
    mime: 'text/csv; charset=utf-8',
    label: 'CSV',
    hint: 'one row per URL, opens in a spreadsheet',
    streams: true,
    compare: true
  },
  ndjson: {
    extensions: ['ndjson'],
    mime: 'application/x-ndjson; charset=utf-8',
    label: 'NDJSON',
    hint: 'one JSON object per line, for scripts',
    streams: true,
    compare: false
  },
  json: {
    extensions: ['json'],
    mime: 'application/json; charset=utf-8',
    label: 'JSON',
    hint: 'results and summary in one document',
    streams: true,
    compare: true
  },
  html: {
    extensions: ['html', 'htm'],
    mime: 'text/html; charset=utf-8',
    label: 'HTML report',
    hint: 'a report to open in any browser and share',
    streams: false,
    compare: false
  }
} as const satisfies Record<string, ExportFormatSpec>

type Specs = typeof EXPORT_FORMAT_SPECS

export type ExportFormat = keyof Specs
/** What --out can stream while a crawl goes. */
export type StreamFormat = { [K in ExportFormat]: Specs[K]['streams'] extends true ? K : never }[ExportFormat]
export type CompareExportFormat = {
  [K in ExportFormat]: Specs[K]['compare'] extends true ? K : never
}[ExportFormat]

export const EXPORT_FORMATS = Object.keys(EXPORT_FORMAT_SPECS) as [ExportFormat, ...ExportFormat[]]

/** Written when neither --format nor the file's extension names a format. */
export const DEFAULT_EXPORT_FORMAT = 'ndjson' satisfies StreamFormat

export const STREAM_FORMATS = EXPORT_FORMATS.filter(
  (f): f is StreamFormat => EXPORT_FORMAT_SPECS[f].streams
) as [StreamFormat, ...StreamFormat[]]

export const COMPARE_EXPORT_FORMATS = EXPORT_FORMATS.filter(
  (f): f is CompareExportFormat => EXPORT_FORMAT_SPECS[f].compare
) as [CompareExportFormat, ...CompareExportFormat[]]

export function isExportFormat(value: string): value is ExportFormat {
  return Object.hasOwn(EXPORT_FORMAT_SPECS, value)
}

export function isStreamFormat(format: ExportFormat): format is StreamFormat {
  return EXPORT_FORMAT_SPECS[format].streams
}

/** The format a file name's extension picks (any case), or null. */
export function formatOfPath(path: string): ExportFormat | null {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase()
  if (ext === undefined) return null
  return (
    EXPORT_FORMATS.find((f) => (EXPORT_FORMAT_SPECS[f].extensions as readonly string[]).includes(ext)) ?? null
  )
}

/** "ndjson, csv or json": the default first, as --help and usage errors list them. */
export function formatList(formats: readonly ExportFormat[], sep = ', ', last = ' or '): string {
  const ordered = [...formats].sort(
    (a, b) => Number(b === DEFAULT_EXPORT_FORMAT) - Number(a === DEFAULT_EXPORT_FORMAT)
  )
  return ordered.length < 2
    ? ordered.join('')
    : `${ordered.slice(0, -1).join(sep)}${last}${ordered[ordered.length - 1] ?? ''}`
}
