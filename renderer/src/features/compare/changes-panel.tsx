import { useCallback, useId, useState, type JSX } from 'react'
import { CHANGE_KINDS, type ChangeKind, type CrawlerApi, type UrlSide } from '../../../../shared/api.ts'
import { exportAndDeliver, exportNotice, type ExportNotice } from '../../api/deliver-export.ts'
import { formatCount, formatMs } from '../../../../shared/format.ts'
import {
  COMPARE_EXPORT_FORMATS,
  EXPORT_FORMAT_SPECS,
  type CompareExportFormat
} from '../../../../shared/export-formats.ts'
import { MenuButton } from '../../ui/index.ts'
import {
  CHANGE_KIND_HINTS,
  CHANGE_KIND_LABELS,
  changeDelta,
  pageLabel,
  toggleKind,
  totalChanges
} from './compare-model.ts'
import { DeltaCell } from './latency-tables.tsx'
import { useAsync } from '../../ui/use-async.ts'
import { useDebouncedValue } from '../../ui/use-debounced-value.ts'

export type ChangesApi = Pick<CrawlerApi, 'queryChanges' | 'exportRun'>

/** Rows per page: one screen or two; each page is one small query. */
export const CHANGES_PAGE_SIZE = 100
const SEARCH_DEBOUNCE_MS = 250

function SideCell({ side }: { side: UrlSide | null }): JSX.Element {
  if (side === null) return <td className="muted">not fetched</td>
  const outcome = side.ok ? 'ok' : (side.errorCode ?? 'failed')
  return (
    <td className={side.ok ? undefined : 'compare-changes__failed'}>
      <span className="compare-changes__status">{side.status ?? 'no response'}</span>{' '}
      <span className="compare-changes__outcome">{side.status !== null && side.ok ? '' : outcome}</span>{' '}
      <span className="muted">{formatMs(side.totalMs)}</span>
    </td>
  )
}

/**
 * The changed URLs: counts per kind as filter chips, a URL search, the table a page at a time
 * (queried from the host, so a million-URL comparison costs one page), and the export of what
 * the filters select.
 */
export function ChangesPanel({
  api,
  baseRunId,
  otherRunId,
  counts
}: {
  api: ChangesApi
  baseRunId: string
  otherRunId: string
  counts: Readonly<Record<ChangeKind, number>>
}): JSX.Element {
  const [kinds, setKinds] = useState<readonly ChangeKind[]>([])
  const [searchText, setSearchText] = useState('')
  const search = useDebouncedValue(searchText.trim(), SEARCH_DEBOUNCE_MS)
  const [offset, setOffset] = useState(0)
  const [exporting, setExporting] = useState(false)
  const [notice, setNotice] = useState<ExportNotice | null>(null)
  const searchId = useId()
  const all = totalChanges(counts)

  const load = useCallback(
    () =>
      api.queryChanges({
        baseRunId,
        otherRunId,
        changes: [...kinds],
        search,
        offset,
        limit: CHANGES_PAGE_SIZE
      }),
    [api, baseRunId, otherRunId, kinds, search, offset]
  )
  // While the next page loads, the previous one stays (dimmed): no flash of an empty table.
  const { value: page, error, loading, retry } = useAsync(load)

  const pick = (next: readonly ChangeKind[]): void => {
    setKinds(next)
    setOffset(0)
  }

  const runExport = (format: CompareExportFormat): void => {
    setExporting(true)
    setNotice(null)
    void exportAndDeliver(api, {
      kind: 'compare',
      baseRunId,
      otherRunId,
      format,
      changes: [...kinds],
      search
    })
      .then((delivery) => {
        setNotice(exportNotice(delivery))
      })
      .finally(() => {
        setExporting(false)
      })
  }

  const rows = page?.rows ?? []
  const total = page?.total ?? 0
  const filtered = kinds.length > 0 || search !== ''
  return (
    <section className="panel compare-section compare-changes" aria-labelledby="compare-changes-title">
      <div className="compare-changes__head">
        <h3 className="compare-section__title" id="compare-changes-title">
          Changed URLs <span className="muted">({formatCount(all)})</span>
        </h3>
        <MenuButton
          label={exporting ? 'Exporting…' : 'Export'}
          className="btn btn--small"
          disabled={exporting || all === 0}
          alignEnd
          items={COMPARE_EXPORT_FORMATS.map((format) => ({
            id: format,
            label: `${EXPORT_FORMAT_SPECS[format].label} (these changes)`,
            onSelect: () => {
              runExport(format)
            }
          }))}
        />
      </div>
      {notice !== null ? (
        <div className={`notice notice--${notice.tone === 'ok' ? 'ok' : 'error'}`} role="status">
          <div className="notice__body">{notice.text}</div>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-label="Dismiss"
            onClick={() => {
              setNotice(null)
            }}
          >
            ✕
          </button>
        </div>
      ) : null}
      <div className="compare-changes__toolbar">
        <div className="compare-chips" role="group" aria-label="Show changes of kind">
          <button
            type="button"
            className="compare-chip"
            aria-pressed={kinds.length === 0}
            onClick={() => {
              pick([])
            }}
          >
            All <span className="compare-chip__count">{formatCount(all)}</span>
          </button>
          {CHANGE_KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              className={`compare-chip compare-chip--${kind}`}
              aria-pressed={kinds.includes(kind)}
              disabled={counts[kind] === 0 && !kinds.includes(kind)}
              title={CHANGE_KIND_HINTS[kind]}
              onClick={() => {
                pick(toggleKind(kinds, kind))
              }}
            >
              {CHANGE_KIND_LABELS[kind]}{' '}
              <span className="compare-chip__count">{formatCount(counts[kind])}</span>
            </button>
          ))}
        </div>
        <label className="sr-only" htmlFor={searchId}>
          Search URLs
        </label>
        <input
          id={searchId}
          type="search"
          className="input compare-changes__search"
          placeholder="Search URLs"
          value={searchText}
          onChange={(e) => {
            setSearchText(e.target.value)
            setOffset(0)
          }}
        />
      </div>
      {error !== null ? (
        <div className="notice notice--error" role="alert">
          <div className="notice__body">The changes could not be listed: {error}</div>
          <button type="button" className="btn btn--small" onClick={retry}>
            Retry
          </button>
        </div>
      ) : null}
      <div className="compare-changes__scroll" aria-busy={loading}>
        <table className="compare-table compare-changes__table" aria-label="Changed URLs">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">URL</th>
              <th scope="col">Base</th>
              <th scope="col">Other</th>
              <th scope="col" className="num">
                Δ time
              </th>
            </tr>
          </thead>
          <tbody className={loading && page !== undefined ? 'compare-changes__stale' : undefined}>
            {rows.map((change) => (
              <tr key={`${change.kind} ${change.url}`}>
                <td>
                  <span className={`compare-kind compare-kind--${change.kind}`}>
                    {CHANGE_KIND_LABELS[change.kind]}
                  </span>
                </td>
                <td className="compare-changes__url mono" title={change.url}>
                  {change.url}
                </td>
                <SideCell side={change.base} />
                <SideCell side={change.other} />
                <DeltaCell delta={changeDelta(change)} />
              </tr>
            ))}
          </tbody>
        </table>
        {error === null && !loading && page !== undefined && rows.length === 0 && offset === 0 ? (
          <p className="compare-changes__empty">
            {filtered ? 'No changes match these filters.' : 'Nothing changed between these runs.'}
          </p>
        ) : null}
        {page === undefined && loading ? (
          <p className="compare-changes__empty" role="status">
            Loading changes…
          </p>
        ) : null}
      </div>
      <div className="compare-pager">
        <span className="compare-pager__label" role="status">
          {page === undefined ? '' : pageLabel(page.offset, rows.length, total, formatCount)}
        </span>
        <button
          type="button"
          className="btn btn--small"
          disabled={offset === 0 || loading}
          onClick={() => {
            setOffset(Math.max(0, offset - CHANGES_PAGE_SIZE))
          }}
        >
          Previous
        </button>
        <button
          type="button"
          className="btn btn--small"
          disabled={offset + CHANGES_PAGE_SIZE >= total || loading}
          onClick={() => {
            setOffset(offset + CHANGES_PAGE_SIZE)
          }}
        >
          Next
        </button>
      </div>
    </section>
  )
}
