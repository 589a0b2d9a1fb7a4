import { useCallback, useId, useMemo, useRef, useState, type JSX } from 'react'
import type { ResultFacets, ResultRow, ResultSortColumn } from '../../../../shared/api.ts'
import type { ErrorCode } from '../../../../shared/errors.ts'
import { DetailPanel } from './detail-panel.tsx'
import { formatCount } from '../../../../shared/format.ts'
import { MultiSelect, type MultiSelectOption } from './multi-select.tsx'
import {
  buildQuery,
  defaultFilters,
  hasNarrowingFilters,
  nextSort,
  queryKey,
  withOutcome,
  type BaseQuery,
  type Outcome,
  type ResultFilters
} from './query.ts'
import { ResultsTable } from './results-table.tsx'
import type { ResultsApi } from './types.ts'
import { useAsync } from '../../ui/use-async.ts'
import { useDebouncedValue } from '../../ui/use-debounced-value.ts'

export interface ResultsViewProps {
  readonly api: ResultsApi
  readonly runId: string
  /** Increments when new results arrived (the caller throttles it to ≤ 2/s). */
  readonly revision: number
  readonly initialOutcome?: Outcome
  /**
   * Error codes to filter by. Like initialOutcome, applied on mount and again whenever the value
   * changes (e.g. a failure group was picked), while the user stays free to change the filter.
   */
  readonly initialErrorCodes?: readonly ErrorCode[]
  /**
   * A spider run: the table has a Depth column and a Depth filter, and the detail panel shows each
   * result's depth and path from the seed.
   */
  readonly spider?: boolean
}

const SEARCH_DEBOUNCE_MS = 250

const OUTCOMES: readonly { value: Outcome; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'ok', label: 'Successes' },
  { value: 'failed', label: 'Failures' }
]

interface OutcomeCounts {
  readonly all: number
  readonly ok: number
  readonly failed: number
}

/** Rows per outcome under the other filters: three one-row queries (each answers its total). */
async function fetchOutcomeCounts(
  api: ResultsApi,
  base: BaseQuery,
  _revision: number
): Promise<OutcomeCounts> {
  const [all, ok, failed] = await Promise.all(
    (['all', 'ok', 'failed'] as const).map((outcome) =>
      api.queryResults({ ...withOutcome(base, outcome), offset: 0, limit: 1 })
    )
  )
  return { all: all?.total ?? 0, ok: ok?.total ?? 0, failed: failed?.total ?? 0 }
}

function fetchFacets(api: ResultsApi, runId: string, _revision: number): Promise<ResultFacets> {
  return api.getResultFacets(runId)
}

/** A filter menu's options from the run's facet counts, each labelled. */
function facetOptions<T extends string | number>(
  facets: readonly { readonly value: T; readonly count: number }[] | undefined,
  label: (value: T) => string
): MultiSelectOption<T>[] {
  return (facets ?? []).map((f) => ({ value: f.value, label: label(f.value), count: f.count }))
}

/** The results table with its filters and detail panel. A new run starts from fresh state. */
export function ResultsView(props: ResultsViewProps): JSX.Element {
  return <ResultsViewInner key={props.runId} {...props} />
}

function ResultsViewInner({
  api,
  runId,
  revision,
  initialOutcome,
  initialErrorCodes,
  spider = false
}: ResultsViewProps): JSX.Element {
  const idPrefix = useId()
  const rootRef = useRef<HTMLElement>(null)
  const [filters, setFilters] = useState<ResultFilters>(() =>
    defaultFilters(initialOutcome ?? 'all', initialErrorCodes ?? [])
  )

  // Follow the caller's choice when it changes (adjusting state while rendering, not in an effect).
  const initialKey = `${initialOutcome ?? ''}|${(initialErrorCodes ?? []).join(',')}`
  const [seenInitial, setSeenInitial] = useState(initialKey)
  if (seenInitial !== initialKey) {
    setSeenInitial(initialKey)
    setFilters((f) => ({
      ...f,
      outcome: initialOutcome ?? f.outcome,
      errorCodes: initialErrorCodes ? [...initialErrorCodes] : f.errorCodes
    }))
  }

  const [searchText, setSearchText] = useState('')
  const search = useDebouncedValue(searchText, SEARCH_DEBOUNCE_MS)
  const query = useMemo(() => buildQuery(runId, { ...filters, search }), [runId, filters, search])
  const key = queryKey(query)

  // The active (keyboard) row belongs to one query; a new query starts at the first row.
  const [active, setActive] = useState({ key: '', index: 0 })
  const activeIndex = active.key === key ? active.index : 0
  const onActiveIndexChange = useCallback(
    (index: number) => {
      setActive({ key, index })
    },
    [key]
  )

  const [open, setOpen] = useState<{ id: number; index: number } | null>(null)
  const onOpen = useCallback((row: ResultRow, index: number) => {
    setOpen({ id: row.id, index })
  }, [])
  /** Another result opened from the panel (found on, path): its row may not be in view, so no index. */
  const openResult = useCallback((id: number) => {
    setOpen({ id, index: -1 })
  }, [])
  const closeDetail = useCallback(() => {
    if (open === null) return
    setOpen(null)
    // Focus returns to the row the panel was opened from (or the grid if it scrolled away).
    const root = rootRef.current
    const row = root?.querySelector<HTMLElement>(`[data-index="${String(open.index)}"]`)
    const target = row ?? root?.querySelector<HTMLElement>('[role="grid"]')
    target?.focus({ preventScroll: true })
  }, [open])

  const [status, setStatus] = useState<{ total: number | null; loading: boolean }>({
    total: null,
    loading: true
  })

  const baseKey = queryKey(withOutcome(query, 'all'))
  // eslint-disable-next-line react-hooks/exhaustive-deps -- baseKey stands for the query minus outcome
  const base = useMemo(() => withOutcome(query, 'all'), [baseKey])
  const countsLoad = useCallback(() => fetchOutcomeCounts(api, base, revision), [api, base, revision])
  const counts = useAsync(countsLoad).value
  const facetsLoad = useCallback(() => fetchFacets(api, runId, revision), [api, runId, revision])
  const facets = useAsync(facetsLoad).value

  const options = useMemo(
    () => ({
      status: facetOptions(facets?.statuses, (v) => (v === 0 ? 'no response' : String(v))),
      code: facetOptions(facets?.errorCodes, String),
      host: facetOptions(facets?.hosts, String),
      depth: facetOptions(facets?.depths, (v) => (v === 0 ? '0 (seeds)' : String(v)))
    }),
    [facets]
  )

  const onSort = useCallback((column: ResultSortColumn) => {
    setFilters((f) => ({ ...f, sort: nextSort(f.sort, column) }))
  }, [])

  const narrowing = hasNarrowingFilters({ ...filters, search: searchText })
  const emptyText =
    narrowing || filters.outcome !== 'all' ? 'No results match these filters' : 'No results yet'

  return (
    <section className="results" ref={rootRef} aria-label="Results table">
      <div className="results__toolbar">
        <div className="results__outcomes" role="group" aria-label="Outcome">
          {OUTCOMES.map((o) => (
            <button
              key={o.value}
              type="button"
              className={`results__outcome results__outcome--${o.value}`}
              aria-pressed={filters.outcome === o.value}
              onClick={() => {
                setFilters((f) => ({ ...f, outcome: o.value }))
              }}
            >
              {o.label}
              <span className="results__outcome-count">{counts ? formatCount(counts[o.value]) : '…'}</span>
            </button>
          ))}
        </div>
        <MultiSelect
          label="Status"
          options={options.status}
          selected={filters.statuses}
          emptyText="No statuses yet"
          onChange={(statuses) => {
            setFilters((f) => ({ ...f, statuses }))
          }}
        />
        <MultiSelect
          label="Error code"
          options={options.code}
          selected={filters.errorCodes}
          emptyText="No failures yet"
          onChange={(errorCodes) => {
            setFilters((f) => ({ ...f, errorCodes }))
          }}
        />
        <MultiSelect
          label="Host"
          options={options.host}
          selected={filters.hosts}
          emptyText="No hosts yet"
          onChange={(hosts) => {
            setFilters((f) => ({ ...f, hosts }))
          }}
        />
        {spider ? (
          <MultiSelect
            label="Depth"
            options={options.depth}
            selected={filters.depths}
            emptyText="No depths yet"
            onChange={(depths) => {
              setFilters((f) => ({ ...f, depths }))
            }}
          />
        ) : null}
        <input
          className="results__search"
          type="search"
          placeholder="Search URL, title, error…"
          aria-label="Search results by URL, title or error message"
          value={searchText}
          onChange={(e) => {
            setSearchText(e.currentTarget.value)
          }}
        />
        {narrowing ? (
          <button
            type="button"
            className="results__clear"
            onClick={() => {
              setSearchText('')
              setFilters((f) => ({ ...f, statuses: [], errorCodes: [], hosts: [], depths: [] }))
            }}
          >
            Clear filters
          </button>
        ) : null}
        <span className="results__total" aria-live="polite">
          {status.total === null
            ? 'Loading…'
            : `${formatCount(status.total)} ${status.total === 1 ? 'result' : 'results'}`}
          {status.loading && status.total !== null ? (
            <span className="results__spinner" aria-hidden="true" />
          ) : null}
        </span>
      </div>
      <div className="results__body">
        <ResultsTable
          api={api}
          query={query}
          revision={revision}
          activeIndex={activeIndex}
          onActiveIndexChange={onActiveIndexChange}
          onOpen={onOpen}
          onSort={onSort}
          onEscape={closeDetail}
          openId={open?.id ?? null}
          emptyText={emptyText}
          onStatus={setStatus}
          idPrefix={idPrefix}
          spider={spider}
        />
        {open !== null ? (
          <DetailPanel
            key={open.id}
            api={api}
            runId={runId}
            resultId={open.id}
            onClose={closeDetail}
            onOpenResult={openResult}
            spider={spider}
          />
        ) : null}
      </div>
    </section>
  )
}
