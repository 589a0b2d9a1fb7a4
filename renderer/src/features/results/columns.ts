import type { ResultSortColumn } from '../../../../shared/api.ts'

/** The results table's columns, in order; `sort` null for columns the API cannot sort by. */
export interface ColumnDef {
  readonly id:
    | 'id'
    | 'url'
    | 'host'
    | 'status'
    | 'errorCode'
    | 'attempts'
    | 'totalMs'
    | 'ttfbMs'
    | 'bytes'
    | 'depth'
    | 'title'
  readonly label: string
  /** Full header text for screen readers and the tooltip. */
  readonly description: string
  readonly sort: ResultSortColumn | null
  readonly align: 'start' | 'end'
  /** CSS grid track. */
  readonly width: string
  /** Shown for spider runs only: in a list run every result is depth 0, a column of zeros. */
  readonly spiderOnly?: boolean
}

export const COLUMNS: readonly ColumnDef[] = [
  { id: 'id', label: '#', description: 'Input line', sort: 'id', align: 'end', width: '64px' },
  { id: 'url', label: 'URL', description: 'URL', sort: 'url', align: 'start', width: 'minmax(220px, 3fr)' },
  {
    id: 'host',
    label: 'Host',
    description: 'Host',
    sort: 'host',
    align: 'start',
    width: 'minmax(110px, 1fr)'
  },
  {
    id: 'status',
    label: 'Status',
    description: 'HTTP status',
    sort: 'status',
    align: 'start',
    width: '66px'
  },
  {
    id: 'errorCode',
    label: 'Error',
    description: 'Error code',
    sort: 'errorCode',
    align: 'start',
    width: '150px'
  },
  { id: 'attempts', label: 'Tries', description: 'Attempts', sort: 'attempts', align: 'end', width: '56px' },
  {
    id: 'totalMs',
    label: 'Total ms',
    description: 'Total time in ms',
    sort: 'totalMs',
    align: 'end',
    width: '80px'
  },
  {
    id: 'ttfbMs',
    label: 'TTFB ms',
    description: 'Time to first byte in ms',
    sort: 'ttfbMs',
    align: 'end',
    width: '76px'
  },
  { id: 'bytes', label: 'Size', description: 'Body size', sort: 'bytes', align: 'end', width: '72px' },
  {
    id: 'depth',
    label: 'Depth',
    description: 'Link depth: links followed from a seed (0 = seed or sitemap URL)',
    sort: 'depth',
    align: 'end',
    width: '58px',
    spiderOnly: true
  },
  {
    id: 'title',
    label: 'Title',
    description: 'Page title',
    sort: null,
    align: 'start',
    width: 'minmax(120px, 2fr)'
  }
]

/** The columns a run's table shows, in order. */
export function columnsFor(spider: boolean): readonly ColumnDef[] {
  return spider ? COLUMNS : LIST_COLUMNS
}

const LIST_COLUMNS = COLUMNS.filter((c) => c.spiderOnly !== true)

export function gridTemplate(columns: readonly ColumnDef[]): string {
  return columns.map((c) => c.width).join(' ')
}
