// Over 400 lines: the virtualized table with its header, keyboard navigation and paging, which share one state.
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  memo,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type JSX,
  type KeyboardEvent
} from 'react'
import type { ResultRow } from '../../../../shared/api.ts'
import { columnsFor, gridTemplate, type ColumnDef } from './columns.ts'
import { EMPTY, formatBytes } from '../../../../shared/format.ts'
import { formatMsCell, formatStatus, statusClassOf } from './format.ts'
import { rowAt } from './page-cache.ts'
import { ResultPageStore } from './page-store.ts'
import { queryKey, type BaseQuery, type SortState } from './query.ts'
import type { ResultsApi } from './types.ts'

export const ROW_HEIGHT = 30
const HEADER_HEIGHT = 32
const OVERSCAN = 12
/** Rows drawn as placeholders before the first page tells how many there are. */
const SKELETON_ROWS = 8

export interface ResultsTableProps {
  readonly api: ResultsApi
  readonly query: BaseQuery
  readonly revision: number
  readonly activeIndex: number
  readonly onActiveIndexChange: (index: number) => void
  readonly onOpen: (row: ResultRow, index: number) => void
  readonly onSort: (column: NonNullable<ColumnDef['sort']>) => void
  readonly onEscape: () => void
  /** The id of the row whose detail is open (highlighted). */
  readonly openId: number | null
  /** Empty-state text; the view knows whether filters are narrowing. */
  readonly emptyText: string
  /** Reports the total and loading state to the toolbar. */
  readonly onStatus: (status: { total: number | null; loading: boolean }) => void
  /** Prefix for row element ids (aria and focus). */
  readonly idPrefix: string
  /** A spider run: the table has a Depth column. */
  readonly spider?: boolean
}

/**
 * The virtualized results grid. Only the rows on screen (plus overscan) are in the DOM, and only
 * the pages covering them are in memory (ResultPageStore); a 100,000-row run scrolls like a short one.
 * Keyboard: the active row is the one tab stop; ↑/↓, PageUp/PageDown, Home/End move it; Enter opens.
 */
export function ResultsTable(props: ResultsTableProps): JSX.Element {
  const { api, query, revision, activeIndex, onActiveIndexChange, onOpen, onStatus, idPrefix } = props
  const columns = columnsFor(props.spider ?? false)
  const template = gridTemplate(columns)
  const [store] = useState(() => new ResultPageStore((q) => api.queryResults(q)))
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot)
  const scrollRef = useRef<HTMLDivElement>(null)
  const pendingFocus = useRef<number | null>(null)
  const key = queryKey(query)

  useEffect(() => {
    store.setFetcher((q) => api.queryResults(q))
  }, [store, api])

  useEffect(
    () => () => {
      store.dispose()
    },
    [store]
  )

  // A new query starts at the top with an empty cache.
  useLayoutEffect(() => {
    store.setQuery(query)
    if (scrollRef.current) scrollRef.current.scrollTop = 0
    // `key` stands for `query`: a new object with the same filters is the same query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, key])

  // New results: refetch what is on screen, keep the scroll position.
  const seenRevision = useRef(revision)
  useEffect(() => {
    if (seenRevision.current === revision) return
    seenRevision.current = revision
    store.invalidate()
  }, [store, revision])

  const total = snapshot.key === key ? snapshot.total : null
  const loading = snapshot.pending > 0 || total === null
  useEffect(() => {
    onStatus({ total, loading })
  }, [onStatus, total, loading])

  // TanStack Virtual keeps mutable state the React Compiler cannot see; it is not compiled here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    // The sticky header sits above the rows inside the same scroller.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT
  })
  const items = virtualizer.getVirtualItems()
  const firstIndex = items[0]?.index ?? 0
  const lastIndex = items[items.length - 1]?.index ?? 0

  useEffect(() => {
    store.setVisibleRange(firstIndex, lastIndex)
  }, [store, firstIndex, lastIndex])

  // Moves focus to a row once it is rendered (after a scrollToIndex it may take a frame).
  useEffect(() => {
    const target = pendingFocus.current
    if (target === null) return
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${String(target)}"]`)
    if (el) {
      pendingFocus.current = null
      el.focus({ preventScroll: true })
    }
  })

  const count = total ?? 0
  const moveTo = (index: number): void => {
    if (count === 0) return
    const next = Math.max(0, Math.min(count - 1, index))
    onActiveIndexChange(next)
    pendingFocus.current = next
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const pageRows = Math.max(
      1,
      Math.floor(((scrollRef.current?.clientHeight ?? 300) - HEADER_HEIGHT) / ROW_HEIGHT) - 1
    )
    switch (e.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1)
        break
      case 'ArrowUp':
        moveTo(activeIndex - 1)
        break
      case 'PageDown':
        moveTo(activeIndex + pageRows)
        break
      case 'PageUp':
        moveTo(activeIndex - pageRows)
        break
      case 'Home':
        moveTo(0)
        break
      case 'End':
        moveTo(count - 1)
        break
      case 'Enter': {
        const row = rowAt(snapshot.pages, activeIndex)
        if (row) onOpen(row, activeIndex)
        break
      }
      case 'Escape':
        props.onEscape()
        break
      default:
        return
    }
    e.preventDefault()
  }

  const activeRendered = items.some((it) => it.index === activeIndex)

  const error = snapshot.key === key ? snapshot.error : null
  const retry = (): void => {
    store.retry()
  }

  return (
    <>
      {error !== null && total !== null ? (
        <div className="results__banner" role="alert">
          Could not load results: {error}
          <button type="button" className="results__retry" onClick={retry}>
            Retry
          </button>
        </div>
      ) : null}
      <div
        ref={scrollRef}
        className="results__scroller"
        role="grid"
        aria-label="Results"
        aria-rowcount={count + 1}
        aria-colcount={columns.length}
        aria-busy={loading}
        onKeyDown={onKeyDown}
        // With no row rendered to take focus (empty or scrolled far away), the grid itself is the stop.
        tabIndex={activeRendered ? -1 : 0}
      >
        <HeaderRow columns={columns} template={template} sort={query.sort} onSort={props.onSort} />
        {total === null && error !== null ? (
          <div className="results__empty" role="row">
            <div role="gridcell" className="results__state results__state--error">
              <p>Could not load results: {error}</p>
              <button type="button" className="results__retry" onClick={retry}>
                Retry
              </button>
            </div>
          </div>
        ) : total === null ? (
          <div className="results__rows" style={{ height: SKELETON_ROWS * ROW_HEIGHT }}>
            {Array.from({ length: SKELETON_ROWS }, (_, i) => (
              <SkeletonRow key={i} columns={columns} template={template} index={i} top={i * ROW_HEIGHT} />
            ))}
          </div>
        ) : count === 0 ? (
          <div className="results__empty" role="row">
            <div role="gridcell" className="results__state">
              {props.emptyText}
            </div>
          </div>
        ) : (
          <div className="results__rows" style={{ height: virtualizer.getTotalSize() - HEADER_HEIGHT }}>
            {items.map((item) => {
              const row = rowAt(snapshot.pages, item.index)
              const top = item.start - HEADER_HEIGHT
              return row ? (
                <RowView
                  key={item.key}
                  row={row}
                  template={template}
                  depth={props.spider ?? false}
                  index={item.index}
                  top={top}
                  active={item.index === activeIndex}
                  open={row.id === props.openId}
                  id={`${idPrefix}-row-${String(item.index)}`}
                  onOpen={onOpen}
                  onActivate={onActiveIndexChange}
                />
              ) : (
                <SkeletonRow
                  key={item.key}
                  columns={columns}
                  template={template}
                  index={item.index}
                  top={top}
                />
              )
            })}
          </div>
        )}
      </div>
    </>
  )
}

const HeaderRow = memo(function HeaderRow({
  columns,
  template,
  sort,
  onSort
}: {
  columns: readonly ColumnDef[]
  template: string
  sort: SortState
  onSort: (column: NonNullable<ColumnDef['sort']>) => void
}): JSX.Element {
  return (
    <div className="results__header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
      {columns.map((c) => {
        const sorted = c.sort !== null && sort.column === c.sort
        const ariaSort = sorted
          ? sort.direction === 'asc'
            ? 'ascending'
            : 'descending'
          : c.sort
            ? 'none'
            : undefined
        return (
          <div
            key={c.id}
            role="columnheader"
            aria-sort={ariaSort}
            className={`results__th results__cell--${c.align}`}
            title={c.description}
          >
            {c.sort !== null ? (
              <button
                type="button"
                className="results__sort"
                onClick={() => {
                  if (c.sort !== null) onSort(c.sort)
                }}
              >
                <span>{c.label}</span>
                <span className="results__sort-icon" aria-hidden="true">
                  {sorted ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                </span>
              </button>
            ) : (
              <span className="results__th-label">{c.label}</span>
            )}
          </div>
        )
      })}
    </div>
  )
})

interface RowViewProps {
  readonly row: ResultRow
  /** The grid's column tracks (columnsFor). */
  readonly template: string
  /** Whether the Depth cell is drawn (the spider-only column). */
  readonly depth: boolean
  readonly index: number
  readonly top: number
  readonly active: boolean
  readonly open: boolean
  readonly id: string
  readonly onOpen: (row: ResultRow, index: number) => void
  readonly onActivate: (index: number) => void
}

/** One row; memoised so scrolling renders only the rows that come into view. */
const RowView = memo(function RowView({
  row,
  template,
  depth,
  index,
  top,
  active,
  open,
  id,
  onOpen,
  onActivate
}: RowViewProps): JSX.Element {
  const cls = statusClassOf(row.status)
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={open}
      data-index={index}
      tabIndex={active ? 0 : -1}
      className={`results__row${row.ok ? '' : ' results__row--failed'}${active ? ' results__row--active' : ''}${open ? ' results__row--open' : ''}`}
      style={{ transform: `translateY(${String(top)}px)`, gridTemplateColumns: template }}
      onClick={() => {
        onActivate(index)
        onOpen(row, index)
      }}
      onFocus={() => {
        onActivate(index)
      }}
    >
      <div role="gridcell" className="results__cell--end results__num">
        {row.id + 1}
      </div>
      <div role="gridcell" className="results__url" title={row.url}>
        {row.url}
      </div>
      <div role="gridcell" className="results__trunc" title={row.host}>
        {row.host}
      </div>
      <div role="gridcell">
        <span className={`status-badge status-badge--${cls}`}>{formatStatus(row.status)}</span>
      </div>
      <div role="gridcell" className="results__trunc results__code" title={row.errorMessage ?? undefined}>
        {row.errorCode ?? ''}
      </div>
      <div
        role="gridcell"
        className={`results__cell--end results__num${row.attempts > 1 ? ' results__retried' : ''}`}
      >
        {row.attempts}
      </div>
      <div role="gridcell" className="results__cell--end results__num">
        {formatMsCell(row.totalMs)}
      </div>
      <div role="gridcell" className="results__cell--end results__num">
        {row.status === null ? EMPTY : formatMsCell(row.ttfbMs)}
      </div>
      <div
        role="gridcell"
        className="results__cell--end results__num"
        title={`${row.bytes.toLocaleString('en-US')} bytes`}
      >
        {formatBytes(row.bytes)}
      </div>
      {depth ? (
        <div role="gridcell" className="results__cell--end results__num">
          {row.depth}
        </div>
      ) : null}
      <div role="gridcell" className="results__trunc" title={row.title ?? undefined}>
        {row.title ?? ''}
      </div>
    </div>
  )
})

const SkeletonRow = memo(function SkeletonRow({
  columns,
  template,
  index,
  top
}: {
  columns: readonly ColumnDef[]
  template: string
  index: number
  top: number
}): JSX.Element {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-busy="true"
      className="results__row results__row--skeleton"
      style={{ transform: `translateY(${String(top)}px)`, gridTemplateColumns: template }}
    >
      {columns.map((c) => (
        <div key={c.id} role="gridcell">
          <span className="results__skeleton" />
        </div>
      ))}
    </div>
  )
})
