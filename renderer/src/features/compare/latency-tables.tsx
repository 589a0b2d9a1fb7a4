import { useMemo, useState, type JSX } from 'react'
import type { HostDelta } from '../../../../shared/api.ts'
import type { LatencyFigures } from '../../../../shared/summary.ts'
import { EMPTY, formatCount, formatMs } from '../../../../shared/format.ts'
import {
  formatDelta,
  hostRows,
  nextHostSort,
  percentileRows,
  sortHostRows,
  type Delta,
  type HostSort,
  type HostSortKey
} from './compare-model.ts'

/** A delta in the warning colour when slower, the ok colour when faster; the words say it too. */
export function DeltaCell({ delta }: { delta: Delta }): JSX.Element {
  const word = delta.direction === 'slower' ? 'slower' : delta.direction === 'faster' ? 'faster' : null
  return (
    <td className={`num compare-delta compare-delta--${delta.direction}`}>
      {word === 'slower' ? <span aria-hidden="true">▲ </span> : null}
      {word === 'faster' ? <span aria-hidden="true">▼ </span> : null}
      {formatDelta(delta)}
      {word !== null ? <span className="sr-only"> {word}</span> : null}
    </td>
  )
}

/** p50/p90/p95/p99 of both runs side by side, with the change. */
export function PercentileTable({
  base,
  other
}: {
  base: LatencyFigures
  other: LatencyFigures
}): JSX.Element {
  const rows = percentileRows(base, other)
  return (
    <section
      className="panel compare-section compare-percentiles"
      aria-labelledby="compare-percentiles-title"
    >
      <h3 className="compare-section__title" id="compare-percentiles-title">
        Latency percentiles
      </h3>
      <table className="compare-table">
        <thead>
          <tr>
            <th scope="col">Percentile</th>
            <th scope="col" className="num">
              Base
            </th>
            <th scope="col" className="num">
              Other
            </th>
            <th scope="col" className="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.key}</th>
              <td className="num">{formatMs(row.base)}</td>
              <td className="num">{formatMs(row.other)}</td>
              <DeltaCell delta={row.delta} />
            </tr>
          ))}
          <tr className="compare-table__muted">
            <th scope="row">requests</th>
            <td className="num">{formatCount(base.count)}</td>
            <td className="num">{formatCount(other.count)}</td>
            <td />
          </tr>
        </tbody>
      </table>
    </section>
  )
}

interface SortColumn {
  readonly key: HostSortKey
  readonly label: string
}
const HOST_COLUMN: SortColumn = { key: 'host', label: 'Host' }
const REQUESTS_COLUMN: SortColumn = { key: 'requests', label: 'Requests' }
const P50_COLUMN: SortColumn = { key: 'p50', label: 'Δ p50' }
const P95_COLUMN: SortColumn = { key: 'p95', label: 'Δ p95' }

function SortHeader({
  column,
  sort,
  onSort,
  className
}: {
  column: SortColumn
  sort: HostSort
  onSort: (key: HostSortKey) => void
  className?: string
}): JSX.Element {
  const active = sort.key === column.key
  return (
    <th
      scope="col"
      className={className}
      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        className="compare-sort"
        onClick={() => {
          onSort(column.key)
        }}
      >
        {column.label}
        <span className="compare-sort__icon" aria-hidden="true">
          {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  )
}

const countOrDash = (n: number | null): string => (n === null ? EMPTY : formatCount(n))

/** Per host: requests and p50/p95 in both runs, sortable by how much slower it got. */
export function HostTable({ hosts }: { hosts: readonly HostDelta[] }): JSX.Element {
  const [sort, setSort] = useState<HostSort>({ key: 'requests', direction: 'desc' })
  const rows = useMemo(() => sortHostRows(hostRows(hosts), sort), [hosts, sort])
  const onSort = (key: HostSortKey): void => {
    setSort((s) => nextHostSort(s, key))
  }
  return (
    <section className="panel compare-section" aria-labelledby="compare-hosts-title">
      <h3 className="compare-section__title" id="compare-hosts-title">
        Hosts <span className="muted">({formatCount(hosts.length)})</span>
      </h3>
      {hosts.length === 0 ? (
        <p className="muted">Neither run has results yet.</p>
      ) : (
        <div className="compare-hosts__scroll">
          <table className="compare-table compare-hosts" aria-label="Latency per host">
            <thead>
              <tr>
                <SortHeader column={HOST_COLUMN} sort={sort} onSort={onSort} />
                <SortHeader column={REQUESTS_COLUMN} sort={sort} onSort={onSort} className="num" />
                <th scope="col" className="num">
                  p50 base
                </th>
                <th scope="col" className="num">
                  p50 other
                </th>
                <SortHeader column={P50_COLUMN} sort={sort} onSort={onSort} className="num" />
                <th scope="col" className="num">
                  p95 base
                </th>
                <th scope="col" className="num">
                  p95 other
                </th>
                <SortHeader column={P95_COLUMN} sort={sort} onSort={onSort} className="num" />
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.host}>
                  <th scope="row" className="compare-hosts__host" title={row.host}>
                    {row.host}
                  </th>
                  <td className="num">
                    {countOrDash(row.baseCount)} / {countOrDash(row.otherCount)}
                  </td>
                  <td className="num">{formatMs(row.p50.base)}</td>
                  <td className="num">{formatMs(row.p50.other)}</td>
                  <DeltaCell delta={row.p50.delta} />
                  <td className="num">{formatMs(row.p95.base)}</td>
                  <td className="num">{formatMs(row.p95.other)}</td>
                  <DeltaCell delta={row.p95.delta} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
