import type { ResultSortColumn } from '../../../../shared/api.ts'

/** The results table's columns, in order; `sort` null for columns the API cannot sort by. */
export interface ColumnDef {
  readonly id:
    'id' | 'url' | 'host' | 'status' | 'errorCode' | 'attempts' | 'totalMs' | 'ttfbMs' | 'bytes' | 'title'
  readonly label: string
  /** Full header text for screen readers and the tooltip. */
  readonly description: string
  readonly sort: ResultSortColumn | null
  readonly align: 'start' | 'end'
  /** CSS grid track. */
  readonly width: string
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
    id: 'title',
    label: 'Title',
    description: 'Page title',
    sort: null,
    align: 'start',
    width: 'minmax(120px, 2fr)'
  }
]

export const GRID_TEMPLATE = COLUMNS.map((c) => c.width).join(' ')
